from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..idempotency import FormTokenMixin
from ..parsing import coerce_id


class ToolForm(FormTokenMixin, FlaskForm):
    name = StringField(
        "Name of the tool",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a name for the tool"),
            Length(max=160, message="Name must be 160 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]
    )
    submit = SubmitField("Create tool", widget=GovSubmitInput())


class DomainForm(FormTokenMixin, FlaskForm):
    title = StringField(
        "Domain title",
        widget=GovTextInput(),
        description="For example: Assessment quality",
        validators=[
            InputRequired("Enter a title for the domain"),
            Length(max=160, message="Title must be 160 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]
    )
    submit = SubmitField("Save domain", widget=GovSubmitInput())


class QuestionForm(FormTokenMixin, FlaskForm):
    text = TextAreaField(
        "Question",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the question"),
            Length(max=500, message="Question must be 500 characters or fewer"),
        ],
    )
    guidance = TextAreaField(
        "What good looks like (optional)",
        widget=GovTextArea(),
        description="Shown to auditors beside the question.",
        validators=[Optional(), Length(max=4000)],
    )
    response_type = RadioField(
        "How is it answered?",
        widget=GovRadioInput(),
        choices=[("grade", "Grade on the Ofsted scale"), ("yes_no", "Yes, no or not applicable"), ("text", "Text")],
        validators=[InputRequired("Select how the question is answered")],
        default="grade",
    )
    allow_not_applicable = BooleanField("Allow “not applicable”", widget=GovCheckboxInput())
    evidence_required = BooleanField(
        "Evidence is required for every answer (it is always required for Requires improvement and Inadequate)",
        widget=GovCheckboxInput(),
    )
    required = BooleanField(
        "An answer is required before the audit can be submitted", widget=GovCheckboxInput(), default=True
    )
    default_themes = SelectMultipleField(
        "Default themes",
        coerce=coerce_id,
        widget=GovCheckboxesInput(),
        description="Suggested to auditors first for this question.",
    )
    submit = SubmitField("Save question", widget=GovSubmitInput())


class ImportForm(FlaskForm):
    file = FileField(
        "Audit tool file (JSON)",
        widget=GovFileInput(),
        validators=[FileRequired("Select a JSON file exported from an audit tool")],
    )
    submit = SubmitField("Import tool", widget=GovSubmitInput())
