from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from ..idempotency import FormTokenMixin
from .tokens import LIFETIMES, SCOPES


class TokenForm(FormTokenMixin, FlaskForm):
    purpose = StringField(
        "What is the token for?",
        widget=GovTextInput(),
        description="Name the tool and the report, for example 'Power BI: quarterly QA dashboard'.",
        validators=[
            InputRequired("Enter what the token is for"),
            Length(max=120, message="What the token is for must be 120 characters or fewer"),
        ],
    )
    scopes = SelectMultipleField(
        "Which data may it read?",
        choices=list(SCOPES.items()),
        widget=GovCheckboxesInput(),
        description="Select only what the report needs.",
        validators=[InputRequired("Select at least one kind of data")],
    )
    lifetime = RadioField(
        "When does it expire?",
        choices=list(LIFETIMES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired("Select when the token expires")],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())
