"""Saved answers are never lost after a conflict, on the observation form and the audit form.

Rule: a saved value changes only when its author saved it from a page showing it, or chose "Keep my
answers". Every other save carries the version its values were based on, so a page showing older values
(a reload that re-posts an old form, a second tab) is refused as a conflict, whichever button is pressed.
Each test presses the buttons of the page as rendered (tests/page_form.py), as the person would.
"""

import datetime as dt

import pytest

from audit_app.audits import services as audit_services
from audit_app.extensions import db
from audit_app.models import ActivityStatus, AuditStatus, Lens, Observation, ObservationStatus
from audit_app.permissions import Role
from audit_app.tools.services import seed_tool
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import (
    AuditProgrammeFactory,
    CaseAuditFactory,
    icpc_booking,
    user_with,
)
from tests.page_form import submitted_fields

HTMX = {"HX-Request": "true"}


# --- Observations -------------------------------------------------------------------------------


@pytest.fixture
def observation(app, client):
    booking = icpc_booking()
    sign_in_as(client, booking.observer)
    post(client, "practice_week.start_observation", week_id=booking.week_id, data={"activity_id": booking.id})
    return db.session.scalar(db.select(Observation).where(Observation.activity_id == booking.id))


def _url(observation):
    return path_for("practice_week.observation", observation_id=observation.id)


def _stored(observation):
    db.session.expire_all()
    item = db.session.get(Observation, observation.id)
    voice = next(j for j in item.judgements if j.lens == "voice_of_child")
    return voice.grade, item.needs_to_improve


def _complete(version, **overrides):
    data = {
        "version": version,
        "activity_type": "icpc",
        "observed_on": ["5", "10", "2021"],
        "team_id": 0,
        "working_well": "Partners were well prepared.",
        "needs_to_improve": "Tab two: analysis of history.",
    }
    for lens in Lens:
        data[f"grade_{lens.value}"], data[f"note_{lens.value}"] = "3", f"Tab two saw {lens.value}."
    data.update(overrides)
    return data


def test_a_reload_after_a_validation_error_then_save_does_not_wipe_the_saved_answers(client, observation):
    """The reported sequence: a validation error; answers autosaved on that page; reload (the browser
    re-posts the first form) shows the conflict with the old, blank values; "Save and come back later"
    from that page must not replace the saved "Good" and needs-to-improve text with blanks."""
    first_post = {
        "version": observation.version,
        "activity_type": "icpc",
        "case_reference": "NOT-A-CASE",
        "grade_voice_of_child": "",
        "needs_to_improve": "",
        "save": "Save and come back later",
    }
    page = client.post(_url(observation), data=first_post)
    assert "Enter a case reference that exists" in page.get_data(as_text=True)
    on_page = submitted_fields(page.get_data(as_text=True), "save")
    on_page.update(grade_voice_of_child=["2"], needs_to_improve=["Plans need the child's own words."])
    assert "Saved at" in client.post(_url(observation), data=on_page, headers=HTMX).get_data(as_text=True)
    assert _stored(observation) == (2, "Plans need the child's own words.")

    reloaded = client.post(_url(observation), data=first_post)  # the browser's reload re-posts the first form
    assert reloaded.status_code == 409
    html = reloaded.get_data(as_text=True)
    assert "Your latest changes have not been saved" in html and "Plans need the child&#39;s own words." in html

    again = client.post(_url(observation), data=submitted_fields(html, "save"))
    assert again.status_code == 409 and "Your latest changes have not been saved" in again.get_data(as_text=True)
    assert _stored(observation) == (2, "Plans need the child's own words.")

    # Only "Keep my answers" replaces them, when the person chooses it.
    kept = client.post(_url(observation), data=submitted_fields(html, "keep_mine"))
    assert kept.status_code == 200  # saved; the page still says what is wrong with the case reference
    assert _stored(observation) == (None, None)


def test_a_stale_tab_cannot_overwrite_with_any_button_but_keep_mine(client, observation):
    stale_page = client.get(_url(observation)).get_data(as_text=True)  # tab two, opened first
    tab_one = submitted_fields(client.get(_url(observation)).get_data(as_text=True), "save")
    tab_one.update(grade_voice_of_child=["2"], needs_to_improve=["Tab one: plans need the child's words."])
    assert client.post(_url(observation), data=tab_one).status_code == 302
    saved = (2, "Tab one: plans need the child's words.")

    for button in ("save", "submit_observation"):
        data = submitted_fields(stale_page, button)
        data.update(_complete(data["version"][0]))
        response = client.post(_url(observation), data=data)
        assert response.status_code == 409
        conflict = response.get_data(as_text=True)
        assert _stored(observation) == saved
        for pressed in ("save", "submit_observation"):  # then any button on the conflict page but keep-mine
            assert client.post(_url(observation), data=submitted_fields(conflict, pressed)).status_code == 409
            assert _stored(observation) == saved
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.DRAFT.value

    keep = submitted_fields(conflict, "keep_mine")
    keep["submit_observation"] = ["Submit observation"]
    assert client.post(_url(observation), data=keep).status_code == 302
    assert _stored(observation) == (3, "Tab two: analysis of history.")
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.SUBMITTED.value
    assert observation.activity.status == ActivityStatus.OBSERVED.value


def test_a_reload_of_a_save_that_went_through_changes_nothing(client, observation):
    data = _complete(observation.version, save="Save and come back later")
    assert client.post(_url(observation), data=data).status_code == 302
    db.session.refresh(observation)
    version = observation.version
    assert client.post(_url(observation), data=data).status_code == 302  # the same post again: same values
    db.session.refresh(observation)
    assert observation.version == version and _stored(observation) == (3, "Tab two: analysis of history.")


def test_after_keep_mine_in_one_tab_the_other_tab_cannot_overwrite_without_choosing(client, observation):
    tab_one = client.get(_url(observation)).get_data(as_text=True)
    tab_two = client.get(_url(observation)).get_data(as_text=True)
    one = submitted_fields(tab_one, "save")
    one.update(grade_voice_of_child=["2"], needs_to_improve=["Tab one's words."])
    tab_one = client.post(_url(observation), data=one, follow_redirects=True).get_data(
        as_text=True
    )  # saved, page shown again
    two = submitted_fields(tab_two, "save")
    two.update(grade_voice_of_child=["4"], needs_to_improve=["Tab two's words."])
    conflict = client.post(_url(observation), data=two).get_data(as_text=True)
    assert client.post(_url(observation), data=submitted_fields(conflict, "keep_mine")).status_code == 302
    assert _stored(observation) == (4, "Tab two's words.")

    again = submitted_fields(tab_one, "save")  # tab one, still showing its own save
    again["needs_to_improve"] = ["Tab one's words, edited."]
    assert client.post(_url(observation), data=again).status_code == 409
    assert _stored(observation) == (4, "Tab two's words.")


# --- Audits -------------------------------------------------------------------------------------


@pytest.fixture
def audit(app, client):
    version = seed_tool()
    auditor = user_with(Role.AUDITOR, display_name="Alex Auditor")
    programme = AuditProgrammeFactory(tool_version=version, name="October 2021 monthly audit")
    item = CaseAuditFactory(tool_version=version, programme=programme, auditor=auditor, due_date=dt.date(2021, 11, 15))
    sign_in_as(client, auditor)
    return item


def _evidence(audit):
    db.session.expire_all()
    return sorted({j.evidence for j in audit_services._judgements(audit).values()} - {None})


def test_audit_page_reload_after_autosave_then_save_and_continue_keeps_the_saved_answers(client, audit):
    key = audit.tool_version.domains[0].key
    url = path_for("audits.page", audit_id=audit.id, page_key=key)
    first_page = client.get(url).get_data(as_text=True)
    first_post = submitted_fields(first_page, "action")
    first_post["action"] = ["task_list"]
    assert client.post(url, data=first_post).status_code == 302  # nothing answered yet: nothing changes
    on_page = submitted_fields(client.get(url).get_data(as_text=True), "action")
    question = audit.tool_version.domains[0].questions[0]
    on_page.update({f"q{question.id}-grade": ["2"], f"q{question.id}-evidence": ["Seen alone on every visit."]})
    assert "Saved at" in client.post(url, data=on_page, headers=HTMX).get_data(as_text=True)
    assert _evidence(audit) == ["Seen alone on every visit."]

    reloaded = client.post(url, data=first_post)  # the browser re-posts the first form
    assert reloaded.status_code == 409
    html = reloaded.get_data(as_text=True)
    for button in ("action",):  # "Save and continue" and "Save and return to the task list" share the name
        assert client.post(url, data=submitted_fields(html, button)).status_code == 409
        assert _evidence(audit) == ["Seen alone on every visit."]
    assert client.post(url, data=submitted_fields(html, "keep_mine")).status_code == 302
    assert _evidence(audit) == []


def test_audit_submitted_from_a_stale_tab_is_refused_and_nothing_changes(client, audit):
    for domain in audit.tool_version.domains:
        db.session.refresh(audit)
        url = path_for("audits.page", audit_id=audit.id, page_key=domain.key)
        data = submitted_fields(client.get(url).get_data(as_text=True), "action")
        for q in domain.questions:
            data.update(
                {
                    f"q{q.id}-grade": ["2"],
                    f"q{q.id}-answer": ["yes"],
                    f"q{q.id}-text": ["An answer"],
                    f"q{q.id}-evidence": ["Seen on file."],
                }
            )
        assert client.post(url, data=data).status_code == 302
    overall = submitted_fields(
        get(client, "audits.page", audit_id=audit.id, page_key="overall").get_data(as_text=True), "action"
    )
    overall.update(
        overall_grade=["2"],
        audited_alongside_worker=["no"],
        strengths=["Knows the child well"],
        areas_for_improvement=["Update the plan"],
    )
    assert post(client, "audits.page", audit_id=audit.id, page_key="overall", data=overall).status_code == 302
    check_page = get(client, "audits.check", audit_id=audit.id).get_data(as_text=True)  # tab one, ready to submit

    key = audit.tool_version.domains[0].key
    url = path_for("audits.page", audit_id=audit.id, page_key=key)
    tab_two = submitted_fields(client.get(url).get_data(as_text=True), "action")
    question = audit.tool_version.domains[0].questions[0]
    tab_two[f"q{question.id}-evidence"] = ["Changed in tab two."]
    assert client.post(url, data=tab_two).status_code == 302

    response = post(
        client,
        "audits.submit",
        audit_id=audit.id,
        data=submitted_fields(check_page, action=path_for("audits.submit", audit_id=audit.id)),
    )
    assert response.status_code == 400
    assert "changed somewhere else after you opened this page" in response.get_data(as_text=True)
    db.session.refresh(audit)
    assert audit.status != AuditStatus.SUBMITTED.value
    assert "Changed in tab two." in _evidence(audit)
