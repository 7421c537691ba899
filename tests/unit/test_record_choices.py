"""The choices of a select of records: the placeholder is no choice, then each record by its id."""

from types import SimpleNamespace

from audit_app.forms import record_choices

TEAMS = [SimpleNamespace(id=7, name="Front Door", locality="North"), SimpleNamespace(id=3, name="Care Leavers")]


def test_the_placeholder_comes_first_as_no_choice_then_each_record_by_its_name():
    assert record_choices("Choose a team", TEAMS) == [(0, "Choose a team"), (7, "Front Door"), (3, "Care Leavers")]


def test_a_label_other_than_the_name():
    choices = record_choices("No team", TEAMS[:1], lambda team: f"{team.name} ({team.locality})")
    assert choices == [(0, "No team"), (7, "Front Door (North)")]


def test_no_records_leaves_only_the_placeholder():
    assert record_choices("Choose a team", []) == [(0, "Choose a team")]
