from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovPasswordInput, GovSelect, GovTextInput
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from ..auth.services import EMAIL_MAX, PASSWORD_MAX, normalise_email
from ..forms import at_most, checkbox, file_upload, record_select, submit_button, text_field
from ..idempotency import FormTokenMixin
from ..models.cases import CASE_TYPE_LABELS
from ..parsing import coerce_id
from ..permissions import ROLE_LABELS, Role
from .services import WORKER_REF_MAX, case_reference_problem


class UserForm(FormTokenMixin, FlaskForm):
    # Pasted addresses often carry a space or capitals: trimmed and lower-cased before they are checked.
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[normalise_email],
        validators=[
            DataRequired("Enter an email address"),
            at_most(EMAIL_MAX, "Email address"),
            Email("Enter an email address in the correct format, like name@example.org", check_deliverability=False),
        ],
    )
    display_name = text_field(
        "Full name",
        required="Enter the person's name",
        max_length=120,
        subject="Name",
    )
    roles = SelectMultipleField(
        "Roles",
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        widget=GovCheckboxesInput(),
        description="Select every role this person holds.",
        validators=[InputRequired("Select at least one role")],
    )
    worker_ref = StringField(
        "Worker reference (social workers only)",
        widget=GovTextInput(),
        description="The reference the case-management system gives this person as an allocated worker, like SW1042.",
        filters=[lambda value: value.strip().upper() if value else value],
        # Not Optional(): it would stop validate_worker_ref, which needs the reference for a social worker.
        validators=[at_most(WORKER_REF_MAX, "Worker reference")],
    )
    team_id = SelectField("Team (social workers and team managers)", coerce=coerce_id, widget=GovSelect(), default=0)
    is_enabled = checkbox("Account is active (clear this to stop the person signing in)", default=True)
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        description="At least 12 characters. Leave blank to keep the current password.",
        validators=[
            Optional(),
            Length(min=12, max=PASSWORD_MAX, message=f"Password must be between 12 and {PASSWORD_MAX} characters"),
        ],
    )
    submit = submit_button("Save user")

    def validate_worker_ref(self, field):
        if Role.PRACTITIONER.value in (self.roles.data or []) and not field.data:
            raise ValidationError("Enter the social worker's worker reference")

    def validate_team_id(self, field):
        if Role.TEAM_MANAGER.value in (self.roles.data or []) and not field.data:
            raise ValidationError("Select the team this team manager manages")


class NameForm(FormTokenMixin, FlaskForm):
    name = text_field("Name", required="Enter a name", max_length=100, subject="Name")
    submit = submit_button("Save")


class TeamForm(NameForm):
    locality_id = record_select("Locality", required="Select a locality")
    service_id = record_select("Service", required="Select a service")
    submit = submit_button("Save team")


class CaseForm(FormTokenMixin, FlaskForm):
    case_reference = text_field(
        "Case reference",
        description="The reference from the case-management system. Never a child's name.",
        required="Enter a case reference",
        filters=[lambda v: v.strip().upper() if v else v],
    )
    case_type = SelectField(
        "Case type",
        choices=[("", "Choose a case type")] + [(t.value, label) for t, label in CASE_TYPE_LABELS.items()],
        widget=GovSelect(),
        validators=[InputRequired("Select a case type")],
    )
    locality_id = record_select("Locality", required="Select a locality")
    team_id = record_select("Team", required="Select a team")
    allocated_worker_ref = text_field(
        "Allocated worker reference (optional)",
        max_length=WORKER_REF_MAX,
        subject="Allocated worker reference",
    )
    submit = submit_button("Save case")

    def validate_case_reference(self, field):
        if problem := case_reference_problem(field.data or ""):
            raise ValidationError(problem)


class CaseImportForm(FlaskForm):
    file = file_upload(
        "Upload a CSV file",
        description="Columns: case_reference, case_type, locality, team, and optionally allocated_worker_ref.",
        required="Select a CSV file",
        csv_only=True,
    )
    submit = submit_button("Import cases")


class ResetSecondFactorForm(FlaskForm):
    submit = submit_button("Reset their second factor")
