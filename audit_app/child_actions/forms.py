"""Adding an action for the child, and marking one done."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from ..date_field import GovDateField
from ..forms import radios, record_select, short_text, submit_button, text_field
from ..idempotency import FormTokenMixin

OWNER_MESSAGE = "Select who will do it, or enter who will if they are not in the team"
AGREED = [("yes", "Yes"), ("no", "No, not yet")]


class ChildActionForm(FormTokenMixin, FlaskForm):
    description = text_field(
        "What will be done for the child",
        area=True,
        description="For example: a review of the safety plan with the child and their carer.",
        required="Enter what will be done for the child",
        max_length=2000,
        subject="What will be done",
    )
    owner_id = record_select("By whom, in the team", required=OWNER_MESSAGE, allow_none=True)
    owner_name = short_text(
        "Or someone outside the team",
        "Who will do it",
        description="For example: IRO, or the school's designated teacher.",
    )
    due_date = GovDateField("By when", subject="the date it will be done by")
    agreed_with_worker = radios(
        "Was this agreed with the social worker?",
        required="Select whether it was agreed with the social worker",
        choices=AGREED,
    )
    submit = submit_button("Add action")

    def validate_owner_id(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError(OWNER_MESSAGE)
        if bool(field.data) == bool((self.owner_name.data or "").strip()):
            raise ValidationError(OWNER_MESSAGE)

    def validate_due_date(self, field):
        if field.data and field.data < date.today():
            raise ValidationError("The date it will be done by must be today or in the future")

    def service_fields(self) -> dict:
        return {
            "description": self.description.data,
            "owner_id": self.owner_id.data or None,
            "owner_name": self.owner_name.data,
            "due_date": self.due_date.data,
            "agreed_with_worker": self.agreed_with_worker.data == "yes",
        }


def new_child_action_form(owner_choices, **kwargs) -> ChildActionForm:
    form = ChildActionForm(**kwargs)
    form.owner_id.choices = [(0, "Choose a person")] + owner_choices
    return form


class DoneForm(FlaskForm):
    done_note = text_field(
        "What was done",
        area=True,
        required="Enter what was done",
        max_length=2000,
        subject="What was done",
    )
    submit = submit_button("Mark as done")
