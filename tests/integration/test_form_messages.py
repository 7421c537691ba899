"""The forms built from the shared fields (audit_app/forms.py) say what they said before: the same words
for a missing answer, an answer too long and a file of the wrong kind, on the field the person must fix."""

import io

import pytest

from audit_app.admin.forms import CaseForm, CaseImportForm, NameForm, TeamForm
from audit_app.followups.forms import FollowUpForm
from audit_app.plan.forms import ActionForm, IndicatorImportForm, IndicatorValueForm, OutcomeMonthForm, ProgressForm
from audit_app.programmes.forms import AssignmentImportForm, ProgrammeForm
from audit_app.themes.forms import MergeForm, ThemeForm
from audit_app.tools.forms import DomainForm, ImportForm, QuestionForm, ToolForm

MESSAGES = [
    (ToolForm, {"name": ""}, "name", "Enter a name for the tool"),
    (ToolForm, {"name": "T" * 161}, "name", "Name must be 160 characters or fewer"),
    (DomainForm, {"title": ""}, "title", "Enter a title for the domain"),
    (DomainForm, {"title": "T" * 161}, "title", "Title must be 160 characters or fewer"),
    (QuestionForm, {"text": "Q" * 501}, "text", "Question must be 500 characters or fewer"),
    (ToolForm, {"description": "d" * 2001}, "description", "Description must be 2,000 characters or fewer"),
    (QuestionForm, {"guidance": "g" * 4001}, "guidance", "What good looks like must be 4,000 characters or fewer"),
    (QuestionForm, {"response_type": ""}, "response_type", "Select how the question is answered"),
    (ThemeForm, {"name": ""}, "name", "Enter the name of the theme"),
    (ThemeForm, {"description": "d" * 1001}, "description", "Description must be 1,000 characters or fewer"),
    (MergeForm, {}, "target", "Select the theme to merge into"),
    (NameForm, {"name": "n" * 101}, "name", "Name must be 100 characters or fewer"),
    (TeamForm, {"name": "Exeter"}, "locality_id", "Select a locality"),
    (CaseForm, {}, "case_reference", "Enter a case reference"),
    (
        CaseForm,
        {"allocated_worker_ref": "w" * 41},
        "allocated_worker_ref",
        "Allocated worker reference must be 40 characters or fewer",
    ),
    (ProgrammeForm, {"name": ""}, "name", "Enter a name for the programme"),
    (ProgrammeForm, {"focus": "f" * 161}, "focus", "Focus must be 160 characters or fewer"),
    (ActionForm, {}, "priority_id", "Select the priority or expected outcome this action is for"),
    (ActionForm, {"description": "d" * 4001}, "description", "Description must be 4,000 characters or fewer"),
    (ActionForm, {}, "owner_id", "Select who owns the action"),
    (ProgressForm, {"progress_note": "p" * 4001}, "progress_note", "Progress must be 4,000 characters or fewer"),
    (OutcomeMonthForm, {"next_step": "n" * 8001}, "next_step", "Next step must be 8,000 characters or fewer"),
    (IndicatorValueForm, {"value": ""}, "value", "Enter a value, or a note such as Data being developed"),
    (IndicatorValueForm, {"value": "v" * 121}, "value", "Value must be 120 characters or fewer"),
    (
        FollowUpForm,
        {"action_required": "a" * 2001},
        "action_required",
        "What must happen must be 2,000 characters or fewer",
    ),
    (FollowUpForm, {}, "owner_id", "Select who owns the follow-up"),
    (ImportForm, {}, "file", "Select a JSON file exported from an audit tool"),
    (
        CaseImportForm,
        {"file": (b"case_reference\n", "cases.txt")},
        "file",
        "The selected file must be a CSV",
    ),
    (
        IndicatorImportForm,
        {"file": (b"indicator\n", "values.txt")},
        "file",
        "The selected file must be a CSV",
    ),
    (AssignmentImportForm, {}, "file", "Select a CSV file"),
]


def _posted(app, form_class, data):
    # A file is given as (bytes, name) and opened afresh here: a stream read by one run is empty for the next.
    data = {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in data.items()}
    with app.test_request_context(method="POST", data=data, content_type="multipart/form-data"):
        form = form_class(meta={"csrf": False})
        for field in form:
            if getattr(field, "choices", 0) is None:
                field.choices = []  # the routes fill these from the database
        form.validate()
        return form.errors


@pytest.mark.parametrize(("form_class", "data", "field", "message"), MESSAGES)
def test_a_form_says_what_is_wrong_on_the_field_to_fix(app, form_class, data, field, message):
    assert message in _posted(app, form_class, data).get(field, [])


def test_an_optional_field_left_blank_and_a_file_of_any_kind_for_assignments_are_accepted(app):
    errors = _posted(app, ThemeForm, {"name": "Drift", "description": ""})
    assert errors == {}
    upload = {"file": (b"case_reference\n", "assignments.txt")}
    assert "file" not in _posted(app, AssignmentImportForm, upload)
