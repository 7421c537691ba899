"""The follow-up fields, used inside the audit's and the observation's own forms."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from ..date_field import GovDateField
from ..forms import field_data, record_select, submit_button, text_field
from ..idempotency import FormTokenMixin
from . import services

OWNER_MESSAGE = "Select who owns the follow-up"


class FollowUpForm(FormTokenMixin, FlaskForm):
    """Field names are prefixed with `follow_up-` (prefix="follow_up") when built by new_follow_up_form()."""

    action_required = text_field(
        "What must happen",
        area=True,
        description="For example: team manager to review the safety plan and see the child today.",
        required="Enter what must happen",
        max_length=2000,
        subject="What must happen",
    )
    owner_id = record_select("Who will make sure it happens", required=OWNER_MESSAGE)
    due_date = GovDateField("By when", subject="the date it must happen by")
    submit = submit_button("Add follow-up")

    def validate_owner_id(self, field):
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError(OWNER_MESSAGE)

    def validate_due_date(self, field):
        if field.data and field.data < date(2000, 1, 1):
            raise ValidationError("Enter a real date it must happen by")


def add_from_form(source, form: FollowUpForm, created_by):
    """Record the follow-up a valid form describes, on its audit or observation (once per form token)."""
    fields = field_data(form, "action_required", "owner_id", "due_date", "form_token")
    return services.add_follow_up(source, created_by=created_by, **fields)


def new_follow_up_form(owners: bool = True, **kwargs) -> FollowUpForm:
    """`owners=False`: the people it can be given to are read later (offer_owners), if it is validated or shown."""
    form = FollowUpForm(prefix="follow_up", **kwargs)
    return offer_owners(form) if owners else form


def offer_owners(form: FollowUpForm) -> FollowUpForm:
    """The people a follow-up can be given to, read once."""
    if form.owner_id.choices is None:
        form.owner_id.choices = [(0, "Choose a person")] + services.owner_choices()
    return form
