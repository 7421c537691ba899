"""The follow-up fields, used inside the audit's and the observation's own forms."""

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from ..date_field import GovDateField
from ..idempotency import FormTokenMixin
from ..parsing import coerce_id
from . import services


class FollowUpForm(FormTokenMixin, FlaskForm):
    """Field names are prefixed with `follow_up-` (prefix="follow_up") when built by new_follow_up_form()."""

    action_required = TextAreaField(
        "What must happen",
        widget=GovTextArea(),
        description="For example: team manager to review the safety plan and see the child today.",
        validators=[
            InputRequired("Enter what must happen"),
            Length(max=2000, message="What must happen must be 2000 characters or fewer"),
        ],
    )
    owner_id = SelectField(
        "Who will make sure it happens",
        coerce=coerce_id,
        widget=GovSelect(),
        validators=[InputRequired("Select who owns the follow-up")],
    )
    due_date = GovDateField("By when", subject="the date it must happen by")
    submit = SubmitField("Add follow-up", widget=GovSubmitInput())

    def validate_owner_id(self, field):
        if not field.data or field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Select who owns the follow-up")

    def validate_due_date(self, field):
        if field.data and field.data < date(2000, 1, 1):
            raise ValidationError("Enter a real date it must happen by")


def new_follow_up_form(**kwargs) -> FollowUpForm:
    form = FollowUpForm(prefix="follow_up", **kwargs)
    form.owner_id.choices = [(0, "Choose a person")] + services.owner_choices()
    return form
