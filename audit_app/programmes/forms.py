"""Forms for audit programmes: a new programme, assigning cases in bulk, importing assignments from CSV."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, Optional, ValidationError

from ..date_field import GovDateField
from ..forms import (
    checkbox,
    field_data,
    file_upload,
    radios,
    record_select,
    short_text,
    submit_button,
    text_field,
    title_field,
)
from ..idempotency import FormTokenMixin
from ..models.audits import PROGRAMME_KIND_LABELS
from ..parsing import coerce_id, parse_int
from .samples import ASSIGN_BY, DEFAULT_EXCLUDE_MONTHS, MAX_SAMPLE, SampleRule
from .sampling import MAX_SEED, METHODS, STRATA, new_seed
from .services import recurrence_problem


class ProgrammeForm(FormTokenMixin, FlaskForm):
    name = title_field("Name", "name", "programme", description="For example: October 2021 monthly audit")
    kind = RadioField(
        "Kind of audit",
        choices=[(kind.value, label) for kind, label in PROGRAMME_KIND_LABELS.items()],
        widget=GovRadioInput(),
        validators=[Optional()],  # chosen on the page already; a post without it is a monthly dip sample
        default="monthly_dip_sample",
    )
    focus = short_text("Focus (optional)", "Focus", description="For example: Front Door")
    period_start = GovDateField("Start of the period", subject="the start of the period")
    period_end = GovDateField("End of the period", subject="the end of the period")
    due_date = GovDateField("Audits due by", subject="the date audits are due")
    tool_version_id = SelectField(
        "Audit tool", coerce=coerce_id, widget=GovSelect(), description="Only published versions can be used."
    )
    recurs_monthly = checkbox(
        "Recur every month",
        description="Next month's programme and its audits are made on the first of the month, "
        "drawn by this programme's rule with a new seed. Not for supervision audits, whose pairs are chosen by hand.",
    )
    submit = submit_button("Create programme")

    def programme(self) -> dict:
        """The programme as services.create_programme takes it (keyword arguments)."""
        return field_data(
            self, "name", "kind", "focus", "period_start", "period_end", "due_date", "tool_version_id", "recurs_monthly"
        )

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError("The end of the period must be on or after its start")

    def validate_tool_version_id(self, field):
        if not field.data or field.data not in {v for v, _ in field.choices}:
            raise ValidationError("Select a published audit tool")

    def validate_recurs_monthly(self, field):
        if problem := recurrence_problem(self.tool_version_id.data, field.data):
            raise ValidationError(problem)


class AssignForm(FlaskForm):
    """The due date of cases assigned in bulk (the cases and the auditor are checked by the route)."""

    due_date = GovDateField("Due date (optional)", subject="the due date", required=False)


class PairForm(FormTokenMixin, FlaskForm):
    """A supervisor-supervisee pair and the period of supervision records to audit, and who audits it.
    The route fills the choices; pairs.pair_problems checks the people against each other."""

    supervisor_id = record_select("Supervisor", required="Select the supervisor")
    supervisee_id = record_select("Supervisee", required="Select the supervisee")
    supervision_from = GovDateField("Supervision records from", subject="the start of the supervision period")
    supervision_to = GovDateField("Supervision records to", subject="the end of the supervision period")
    auditor_id = record_select("Auditor", required="Select an auditor")
    due_date = GovDateField("Due date (optional)", subject="the due date", required=False)
    submit = submit_button("Add the pair")

    def pair(self) -> dict:
        return field_data(self, "supervisor_id", "supervisee_id", "supervision_from", "supervision_to", "auditor_id")


class AssignmentImportForm(FlaskForm):
    file = file_upload("CSV file", required="Select a CSV file")
    submit = submit_button("Import assignments")


class SampleForm(FlaskForm):
    """The rule a sample is drawn by, and who audits it; the seed is made at the preview and sent back."""

    method = radios("How to draw the sample", required="Select how to draw the sample", choices=list(METHODS.items()))
    stratify_by = RadioField(
        "Stratify by (stratified samples only)",
        choices=[(key, words.capitalize()) for key, words in STRATA.items()],
        widget=GovRadioInput(),
        validate_choice=False,  # checked below, with the method
        description="Each group gets its share of the sample, in proportion to its eligible cases.",
    )
    size = text_field(
        "Number of cases",
        required="Enter the number of cases to draw",
        description=f"A whole number from 1 to {MAX_SAMPLE}",
    )
    exclude_months = text_field(
        "Leave out cases audited in the last (months)",
        required="Enter the number of months",
        description="Cases with an audit submitted in these months are not drawn. Usually 12.",
        default=str(DEFAULT_EXCLUDE_MONTHS),
    )
    auditor_ids = SelectMultipleField(
        "Auditors",
        coerce=coerce_id,
        widget=GovCheckboxesInput(),
        description="The drawn cases are shared among them.",
        validators=[InputRequired("Select at least one auditor")],
    )
    assign_by = radios("Share the cases", required="Select how to share the cases", choices=list(ASSIGN_BY.items()))
    seed = HiddenField()

    def validate_size(self, field):
        if parse_int(field.data, 1, MAX_SAMPLE) is None:
            raise ValidationError(f"Number of cases must be a whole number from 1 to {MAX_SAMPLE}")

    def validate_exclude_months(self, field):
        if parse_int(field.data, 0, 60) is None:
            raise ValidationError("Months must be a whole number from 0 to 60")

    def validate_stratify_by(self, field):
        if (self.method.data == "stratified" or field.data) and field.data not in STRATA:
            raise ValidationError("Select what to stratify the sample by")

    def validate_auditor_ids(self, field):
        if not set(field.data or []) <= {value for value, _ in field.choices}:
            raise ValidationError("Select auditors from the list")

    def rule(self) -> SampleRule:
        """The rule typed, with the seed sent back from the preview or a new one."""
        return SampleRule(
            method=self.method.data,
            size=parse_int(self.size.data, 1, MAX_SAMPLE),
            seed=parse_int(self.seed.data, 1, MAX_SEED) or new_seed(),
            exclude_months=parse_int(self.exclude_months.data, 0, 60),
            stratify_by=self.stratify_by.data if self.method.data == "stratified" else None,
        )


class SwapForm(FlaskForm):
    reason = text_field(
        "Why swap this case?",
        required="Enter why this case is swapped",
        area=True,
        max_length=500,
        subject="Reason",
        description="For example: the case closed before the audit period. Recorded in the change log.",
    )
    submit = submit_button("Swap the case")

    def validate_reason(self, field):
        if not field.data.strip():  # spaces alone are no reason
            raise ValidationError("Enter why this case is swapped")
