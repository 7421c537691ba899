from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired

from ..date_field import GovDateField
from ..forms import file_upload, radios, record_select, submit_button, text_field
from ..idempotency import FormTokenMixin
from ..models import Rag
from .services import NOTE_MAX


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
    priority_id = radios(
        "Priority or expected outcome",
        coerce=str,
        required="Select the priority or expected outcome this action is for",
    )
    description = text_field(
        "What will be done",
        area=True,
        required="Enter what will be done",
        max_length=4000,
        subject="Description",
    )
    owner_id = record_select("Owner", required="Select who owns the action")
    due_date = GovDateField("Due date", subject="the due date")
    submit = submit_button("Save action")


class ProgressForm(FlaskForm):
    rag = RagField("RAG rating")
    progress_note = text_field("Progress", area=True, max_length=4000, subject="Progress")
    submit = submit_button("Save progress")


class MonthField(SelectField):
    def __init__(self, label="Month", **kwargs):
        super().__init__(label, widget=GovSelect(), validators=[InputRequired("Select the month")], **kwargs)


def long_text(label: str, words: str, **kwargs):
    """An optional text box of up to 8,000 characters; `words` name it in the error ("Next step must be...")."""
    return text_field(label, area=True, max_length=8000, subject=words, **kwargs)


class PriorityMonthForm(FlaskForm):
    month = MonthField()
    rag = RagField("Priority RAG")
    board_update = long_text("Update for the improvement board", "The update")
    submit = submit_button("Save the month's RAG and update")


class OutcomeMonthForm(FlaskForm):
    month = MonthField()
    rag = RagField("Outcome RAG")
    where_now = long_text("Where are we now", "Where are we now", description="One point per line.")
    next_step = long_text("Next step", "Next step", description="One point per line.")
    board_update = long_text("Update for the improvement board", "The update")
    submit = submit_button("Save the month's RAG and update")


class PlanMonthForm(FlaskForm):
    month = MonthField()
    overall_rag = RagField("Overall RAG status")
    key_achievements = long_text(
        "Key achievements this period", "Key achievements", description="One achievement per line."
    )
    key_challenges = long_text("Key challenges", "Key challenges", description="One challenge per line.")
    submit = submit_button("Save the month")


class MonthChoiceForm(FlaskForm):
    """Only picks a month to show (GET), so it carries no CSRF token."""

    class Meta:
        csrf = False

    month = SelectField("Reporting month", widget=GovSelect())
    submit = submit_button("Show month")


class IndicatorValueForm(FlaskForm):
    month = MonthField()
    value = text_field(
        "Value",
        description="A number (26 or 26%), or a note such as Data being developed.",
        required="Enter a value, or a note such as Data being developed",
        max_length=NOTE_MAX,
        subject="Value",
    )
    submit = submit_button("Save value")


class IndicatorImportForm(FlaskForm):
    file = file_upload("CSV file", required="Select a CSV file", csv_only=True)
    submit = submit_button("Import values")
