from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired

from ..forms import at_most, submit_button
from .services import EMAIL_MAX, PASSWORD_MAX, normalise_email


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[normalise_email],
        validators=[DataRequired("Enter your email address"), at_most(EMAIL_MAX, "Email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), at_most(PASSWORD_MAX, "Password")],
    )
    submit = submit_button("Sign in")


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the code"), at_most(20, "The code")],
    )
    submit = submit_button("Continue")
