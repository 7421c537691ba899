from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from ..forms import submit_button
from .services import normalise_email


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[normalise_email],
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=200)],
    )
    submit = submit_button("Sign in")


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the code"), Length(max=20, message="The code must be 20 characters or fewer")],
    )
    submit = submit_button("Continue")
