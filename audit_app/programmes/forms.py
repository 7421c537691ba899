"""Forms for audit programmes: a new programme, assigning cases in bulk, importing assignments from CSV."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import ValidationError

from ..date_field import GovDateField
from ..forms import field_data, file_upload, submit_button, text_field, title_field
from ..idempotency import FormTokenMixin
from ..parsing import coerce_id


class ProgrammeForm(FormTokenMixin, FlaskForm):
    name = title_field("Name", "name", "programme", description="For example: October 2021 monthly audit")
    focus = text_field(
        "Focus (optional)",
        description="For example: Front Door",
        max_length=160,
        too_long="Focus must be 160 characters or fewer",
    )
    period_start = GovDateField("Start of the period", subject="the start of the period")
    period_end = GovDateField("End of the period", subject="the end of the period")
    due_date = GovDateField("Audits due by", subject="the date audits are due")
    tool_version_id = SelectField(
        "Audit tool", coerce=coerce_id, widget=GovSelect(), description="Only published versions can be used."
    )
    submit = submit_button("Create programme")

    def programme(self) -> dict:
        """The programme as services.create_programme takes it (keyword arguments)."""
        return field_data(self, "name", "focus", "period_start", "period_end", "due_date", "tool_version_id")

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError("The end of the period must be on or after its start")

    def validate_tool_version_id(self, field):
        if not field.data or field.data not in {v for v, _ in field.choices}:
            raise ValidationError("Select a published audit tool")


class AssignForm(FlaskForm):
    """The due date of cases assigned in bulk (the cases and the auditor are checked by the route)."""

    due_date = GovDateField("Due date (optional)", subject="the due date", required=False)


class AssignmentImportForm(FlaskForm):
    file = file_upload("CSV file", required="Select a CSV file")
    submit = submit_button("Import assignments")
