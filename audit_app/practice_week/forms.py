from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.validators import InputRequired, Optional, ValidationError

from ..date_field import GovDateField
from ..forms import checkbox, short_text, submit_button, text_field
from ..idempotency import FormTokenMixin
from ..models import ActivityStatus, ActivityType, Lens, Service, Team, Theme, User
from ..models.grades import GRADE_LABELS
from ..parsing import ExistingRecord, coerce_id
from .services import NOT_OBSERVED


class UkTimeField(TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata([v.strip().replace(".", ":") for v in valuelist])
        except ValueError as error:
            raise ValueError("Enter the start time in 24-hour time, like 09:30") from error


ACTIVITY_TYPE_CHOICES = [(t.value, t.label) for t in ActivityType]
STATUS_CHOICES = [
    (ActivityStatus.BOOKED.value, "Booked"),
    (ActivityStatus.OBSERVED.value, "Observed"),
    (ActivityStatus.CANCELLED.value, "Cancelled"),
]
GRADE_CHOICES = [(str(g.value), label) for g, label in GRADE_LABELS.items()] + [(NOT_OBSERVED, "Not observed")]
# Choices not checked against the list (a team or theme chosen before it was retired still saves), so
# each chosen id is checked to exist instead: an id typed into the request is a field error, not a 500.
TEAM_MESSAGE = "Select a team from the list"
THEME_MESSAGE = "Select a theme from the list"


def record_choice(label: str, model, message: str, many: bool = False):
    """A select (or checkboxes, `many`) of records whose chosen ids are checked to exist, not against the list."""
    field, widget = (SelectMultipleField, GovCheckboxesInput()) if many else (SelectField, GovSelect())
    return field(
        label, coerce=coerce_id, widget=widget, validate_choice=False, validators=[ExistingRecord(model, message)]
    )


class WeekForm(FormTokenMixin, FlaskForm):
    title = short_text("Title", "Title", required="Enter a title", description="For example, Second practice week.")
    starts_on = GovDateField("First day", subject="the first day of the week")
    ends_on = GovDateField("Last day", subject="the last day of the week")
    focus = short_text("Focus", "Focus", description="For example, practice at the Front Door.")
    service_ids = record_choice("Services in scope", Service, "Select services from the list", many=True)
    submit = submit_button("Save practice week")

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The last day must be the same as or after the first day")


class ActivityForm(FormTokenMixin, FlaskForm):
    day = GovDateField("Date", subject="the date of the activity")
    at = UkTimeField(
        "Start time",
        widget=GovTextInput(),
        description="In 24-hour time, for example 09:30 or 14:00.",
        validators=[InputRequired("Enter the start time, like 09:30")],
        render_kw={"inputmode": "numeric"},
    )
    activity_type = SelectField(
        "Activity",
        choices=[("", "Choose an activity")] + ACTIVITY_TYPE_CHOICES,
        widget=GovSelect(),
        validators=[InputRequired("Select the activity")],
    )
    team_id = record_choice("Team", Team, TEAM_MESSAGE)
    observer_id = SelectField(
        "Observer",
        coerce=coerce_id,
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired("Select the observer"), ExistingRecord(User, "Select the observer from the list")],
    )
    description = text_field(
        "Details",
        description="Where and what, for example 'MASH daily triage, Exeter'. Case references only, never a child's name.",
        max_length=200,
        subject="Details",
    )
    status = RadioField("Status", choices=STATUS_CHOICES, default=ActivityStatus.BOOKED.value, widget=GovRadioInput())
    submit = submit_button("Save activity")

    def validate_observer_id(self, field):
        if not field.data:
            raise ValidationError("Select the observer")


class QuickWinEntry(Form):
    text = text_field("Quick win", area=True, max_length=2000, subject="Quick win")
    theme_id = record_choice("Theme", Theme, THEME_MESSAGE)


class ObservationForm(FlaskForm):
    version = HiddenField()
    last_section = HiddenField()
    activity_type = SelectField(
        "Activity",
        choices=[("", "Choose an activity")] + ACTIVITY_TYPE_CHOICES,
        widget=GovSelect(),
        validate_choice=False,
    )
    team_id = record_choice("Team", Team, TEAM_MESSAGE)
    observed_on = GovDateField("Date of the activity", subject="the date of the activity", required=False)
    case_reference = text_field(
        "Case reference (if there is one)",
        description="The reference from the case-management system, like CMS104233. Never a child's name.",
        max_length=40,
        subject="Case reference",
        filters=[lambda v: v.strip().upper() if v else v],
    )
    working_well = text_field("What is working well", area=True)
    needs_to_improve = text_field("What needs to improve", area=True)
    quick_wins = FieldList(FormField(QuickWinEntry), min_entries=1)
    theme_ids = record_choice("Themes", Theme, THEME_MESSAGE, many=True)
    immediate_concern = checkbox("I have an immediate concern about a child's safety or wellbeing")
    good_practice = checkbox("This is an example of good practice worth sharing")
    save = submit_button("Save and come back later")
    submit_observation = submit_button("Submit observation")

    def lens_fields(self):
        return [(lens, self[f"grade_{lens.value}"], self[f"note_{lens.value}"]) for lens in Lens]


for _lens in Lens:
    setattr(
        ObservationForm,
        f"grade_{_lens.value}",
        RadioField(
            _lens.label, choices=GRADE_CHOICES, widget=GovRadioInput(), validators=[Optional()], validate_choice=False
        ),
    )
    setattr(
        ObservationForm,
        f"note_{_lens.value}",
        text_field(f"Note on {_lens.label.lower()}", area=True),
    )


class StartObservationForm(FormTokenMixin, FlaskForm):
    activity_id = HiddenField()
    submit = submit_button("Record an observation")
