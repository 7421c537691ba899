from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from ..auth.services import normalise_email
from ..idempotency import FormTokenMixin
from ..models.cases import CASE_TYPE_LABELS
from ..parsing import coerce_id
from ..permissions import ROLE_LABELS
from .services import case_reference_problem


class UserForm(FormTokenMixin, FlaskForm):
    # Pasted addresses often carry a space or capitals: trimmed and lower-cased before they are checked.
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[normalise_email],
        validators=[
            DataRequired("Enter an email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email("Enter an email address in the correct format, like name@example.org", check_deliverability=False),
        ],
    )
    display_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the person's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    roles = SelectMultipleField(
        "Roles",
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        widget=GovCheckboxesInput(),
        description="Select every role this person holds.",
        validators=[InputRequired("Select at least one role")],
    )
    is_enabled = BooleanField(
        "Account is active (clear this to stop the person signing in)", widget=GovCheckboxInput(), default=True
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        description="At least 12 characters. Leave blank to keep the current password.",
        validators=[Optional(), Length(min=12, max=200, message="Password must be between 12 and 200 characters")],
    )
    submit = SubmitField("Save user", widget=GovSubmitInput())


class NameForm(FormTokenMixin, FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a name"), Length(max=100, message="Name must be 100 characters or fewer")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class TeamForm(NameForm):
    locality_id = SelectField(
        "Locality", coerce=coerce_id, widget=GovSelect(), validators=[InputRequired("Select a locality")]
    )
    service_id = SelectField(
        "Service", coerce=coerce_id, widget=GovSelect(), validators=[InputRequired("Select a service")]
    )
    submit = SubmitField("Save team", widget=GovSubmitInput())


class CaseForm(FormTokenMixin, FlaskForm):
    case_reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        description="The reference from the case-management system. Never a child's name.",
        validators=[InputRequired("Enter a case reference")],
        filters=[lambda v: v.strip().upper() if v else v],
    )
    case_type = SelectField(
        "Case type",
        choices=[("", "Choose a case type")] + [(t.value, label) for t, label in CASE_TYPE_LABELS.items()],
        widget=GovSelect(),
        validators=[InputRequired("Select a case type")],
    )
    locality_id = SelectField(
        "Locality", coerce=coerce_id, widget=GovSelect(), validators=[InputRequired("Select a locality")]
    )
    team_id = SelectField("Team", coerce=coerce_id, widget=GovSelect(), validators=[InputRequired("Select a team")])
    allocated_worker_ref = StringField(
        "Allocated worker reference (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=40, message="Allocated worker reference must be 40 characters or fewer")],
    )
    submit = SubmitField("Save case", widget=GovSubmitInput())

    def validate_case_reference(self, field):
        if problem := case_reference_problem(field.data or ""):
            raise ValidationError(problem)


class CaseImportForm(FlaskForm):
    file = FileField(
        "Upload a CSV file",
        widget=GovFileInput(),
        description="Columns: case_reference, case_type, locality, team, and optionally allocated_worker_ref.",
        validators=[FileRequired("Select a CSV file"), FileAllowed(["csv"], "The selected file must be a CSV")],
    )
    submit = SubmitField("Import cases", widget=GovSubmitInput())


class ResetSecondFactorForm(FlaskForm):
    submit = SubmitField("Reset their second factor", widget=GovSubmitInput())
