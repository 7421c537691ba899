from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..date_field import GovDateField
from ..idempotency import FormTokenMixin
from ..models import Rag
from ..parsing import coerce_id


def rag_choices(include_complete=True):
    return [(rag.value, rag.label) for rag in Rag if include_complete or rag != Rag.COMPLETE]


class RagField(RadioField):
    """A RAG with the seeds' definition of each rating shown beside it."""

    def __init__(self, label="RAG rating", include_complete=True, **kwargs):
        kwargs.setdefault("validators", [InputRequired("Select a RAG rating")])
        super().__init__(label, choices=rag_choices(include_complete), widget=GovRadioInput(), **kwargs)

    def hint_items(self):
        """Per-choice params for the GOV.UK radios: each rating's definition as its hint."""
        return [{"hint": {"text": Rag(value).definition}} for value, _ in self.choices]


class ActionForm(FormTokenMixin, FlaskForm):
    # Radios, not a select: a priority's or outcome's whole wording wraps on a tablet rather than being cut off.
    priority_id = RadioField(
        "Priority or expected outcome",
        coerce=str,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the priority or expected outcome this action is for")],
    )
    description = TextAreaField(
        "What will be done",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter what will be done"),
            Length(max=4000, message="Description must be 4,000 characters or fewer"),
        ],
    )
    owner_id = SelectField(
        "Owner", coerce=coerce_id, widget=GovSelect(), validators=[InputRequired("Select who owns the action")]
    )
    due_date = GovDateField("Due date", subject="the due date")
    submit = SubmitField("Save action", widget=GovSubmitInput())


class ProgressForm(FlaskForm):
    rag = RagField("RAG rating")
    progress_note = TextAreaField(
        "Progress",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=4000, message="Progress must be 4,000 characters or fewer")],
    )
    submit = SubmitField("Save progress", widget=GovSubmitInput())


class MonthField(SelectField):
    def __init__(self, label="Month", **kwargs):
        super().__init__(label, widget=GovSelect(), validators=[InputRequired("Select the month")], **kwargs)


def long_text(label: str, words: str, **kwargs) -> TextAreaField:
    """An optional text box of up to 8,000 characters; `words` name it in the error ("Next step must be...")."""
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[Optional(), Length(max=8000, message=f"{words} must be 8,000 characters or fewer")],
        **kwargs,
    )


class PriorityMonthForm(FlaskForm):
    month = MonthField()
    rag = RagField("Priority RAG")
    board_update = long_text("Update for the improvement board", "The update")
    submit = SubmitField("Save the month's RAG and update", widget=GovSubmitInput())


class OutcomeMonthForm(FlaskForm):
    month = MonthField()
    rag = RagField("Outcome RAG")
    where_now = long_text("Where are we now", "Where are we now", description="One point per line.")
    next_step = long_text("Next step", "Next step", description="One point per line.")
    board_update = long_text("Update for the improvement board", "The update")
    submit = SubmitField("Save the month's RAG and update", widget=GovSubmitInput())


class PlanMonthForm(FlaskForm):
    month = MonthField()
    overall_rag = RagField("Overall RAG status")
    key_achievements = long_text(
        "Key achievements this period", "Key achievements", description="One achievement per line."
    )
    key_challenges = long_text("Key challenges", "Key challenges", description="One challenge per line.")
    submit = SubmitField("Save the month", widget=GovSubmitInput())


class MonthChoiceForm(FlaskForm):
    """Only picks a month to show (GET), so it carries no CSRF token."""

    class Meta:
        csrf = False

    month = SelectField("Reporting month", widget=GovSelect())
    submit = SubmitField("Show month", widget=GovSubmitInput())


class IndicatorValueForm(FlaskForm):
    month = MonthField()
    value = StringField(
        "Value",
        widget=GovTextInput(),
        description="A number (26 or 26%), or a note such as Data being developed.",
        validators=[
            InputRequired("Enter a value, or a note such as Data being developed"),
            Length(max=120, message="Value must be 120 characters or fewer"),
        ],
    )
    submit = SubmitField("Save value", widget=GovSubmitInput())


class IndicatorImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        validators=[FileRequired("Select a CSV file"), FileAllowed(["csv"], "The selected file must be a CSV")],
    )
    submit = SubmitField("Import values", widget=GovSubmitInput())
