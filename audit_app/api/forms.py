from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import InputRequired, ValidationError

from ..forms import submit_button, text_field
from ..idempotency import FormTokenMixin
from .tokens import LIFETIMES, SCOPES


class Listed:
    """Every value chosen is one of `choices` (in place of WTForms' "'x' is not a valid choice for this field")."""

    def __init__(self, choices, message: str):
        self.choices, self.message = set(choices), message

    def __call__(self, form, field):
        chosen = field.data if isinstance(field.data, list) else [field.data]
        if not set(chosen) <= self.choices:
            raise ValidationError(self.message)


class TokenForm(FormTokenMixin, FlaskForm):
    purpose = text_field(
        "What is the token for?",
        description="Name the tool and the report, for example 'Power BI: quarterly QA dashboard'.",
        required="Enter what the token is for",
        max_length=120,
        subject="What the token is for",
    )
    scopes = SelectMultipleField(
        "Which data may it read?",
        choices=list(SCOPES.items()),
        widget=GovCheckboxesInput(),
        description="Select only what the report needs.",
        validate_choice=False,
        validators=[
            InputRequired("Select at least one kind of data"),
            Listed(SCOPES, "Select only the kinds of data listed"),
        ],
    )
    lifetime = RadioField(
        "When does it expire?",
        choices=list(LIFETIMES.items()),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select when the token expires"),
            Listed(LIFETIMES, "Select one of the expiry times listed"),
        ],
    )
    submit = submit_button("Create token")
