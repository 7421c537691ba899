from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import Optional

from ..forms import checkbox, file_upload, radios, submit_button, text_field, title_field
from ..idempotency import FormTokenMixin
from ..models import CaseType
from ..models.tools import TOOL_SUBJECT_LABELS
from ..parsing import coerce_id


def optional_description():
    return text_field("Description (optional)", max_length=2000, subject="Description", area=True)


class ToolForm(FormTokenMixin, FlaskForm):
    name = title_field("Name of the tool", "name", "tool")
    description = optional_description()
    subject = RadioField(
        "What does the tool audit?",
        choices=[(subject.value, label) for subject, label in TOOL_SUBJECT_LABELS.items()],
        widget=GovRadioInput(),
        validators=[Optional()],  # chosen on the page already; a post without it audits case files
        default="case",
        description="A supervision audit looks at a supervisor's and a supervisee's supervision records over a "
        "period, not at a child's case.",
    )
    submit = submit_button("Create tool")


def applies_to_field(thing: str) -> SelectMultipleField:
    """The case types a domain or question is for; none ticked means every case type."""
    return SelectMultipleField(
        "Which case types is it for?",
        choices=[(t.value, t.label) for t in CaseType],
        widget=GovCheckboxesInput(),
        description=f"Leave every box unticked if the {thing} is for every case type.",
    )


def without_case_types(form, version):
    """A supervision tool audits no case, so it has no case types to choose: the field goes (and so
    form.applies_to is None, and anything posted for it is never read)."""
    if version.tool.is_supervision:
        del form.applies_to
    return form


class DomainForm(FormTokenMixin, FlaskForm):
    title = title_field("Domain title", "title", "domain", description="For example: Assessment quality")
    description = optional_description()
    applies_to = applies_to_field("domain")
    submit = submit_button("Save domain")


class QuestionForm(FormTokenMixin, FlaskForm):
    text = text_field(
        "Question",
        area=True,
        required="Enter the question",
        max_length=500,
        subject="Question",
    )
    guidance = text_field(
        "What good looks like (optional)",
        area=True,
        description="Shown to auditors beside the question.",
        max_length=4000,
        subject="What good looks like",
    )
    response_type = radios(
        "How is it answered?",
        choices=[("grade", "Grade on the Ofsted scale"), ("yes_no", "Yes, no or not applicable"), ("text", "Text")],
        required="Select how the question is answered",
        default="grade",
    )
    allow_not_applicable = checkbox("Allow “not applicable”")
    evidence_required = checkbox(
        "Evidence is required for every answer (it is always required for Requires improvement and Inadequate)"
    )
    required = checkbox("An answer is required before the audit can be submitted", default=True)
    applies_to = applies_to_field("question")
    default_themes = SelectMultipleField(
        "Default themes",
        coerce=coerce_id,
        widget=GovCheckboxesInput(),
        description="Suggested to auditors first for this question.",
    )
    submit = submit_button("Save question")


class ImportForm(FlaskForm):
    file = file_upload("Audit tool file (JSON)", required="Select a JSON file exported from an audit tool")
    submit = submit_button("Import tool")
