"""The briefing's text, and the services and teams it is published to."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import HiddenField, SelectMultipleField

from ..forms import field_data, submit_button, text_field, title_field
from ..idempotency import FormTokenMixin
from ..parsing import coerce_id

PARAGRAPHS = "Plain text. Leave a blank line between paragraphs. No case references or names."


def _paragraphs(label: str, *, required: str | None = None, description: str = PARAGRAPHS):
    return text_field(
        label,
        area=True,
        required=required,
        max_length=4000,
        subject=label,
        description=description,
    )


class BriefingForm(FormTokenMixin, FlaskForm):
    title = title_field("Title", "title", "briefing")
    key_findings = _paragraphs("Key findings", required="Enter the key findings")
    what_good_looks_like = _paragraphs("What good looks like", required="Enter what good looks like")
    good_practice_examples = _paragraphs(
        "Examples of good practice (optional)",
        description="What auditors saw that worked, told without naming the child or the case. " + PARAGRAPHS,
    )
    submit = submit_button("Save draft")

    def fields_data(self) -> dict:
        return field_data(self, "title", "key_findings", "what_good_looks_like", "good_practice_examples")


class EditBriefingForm(BriefingForm):
    version = HiddenField()  # the copy the person is editing (optimistic locking)


class PublishForm(FlaskForm):
    services = SelectMultipleField(
        "Services",
        coerce=coerce_id,
        widget=GovCheckboxesInput(),
        description="Every team in a service you choose receives it.",
    )
    teams = SelectMultipleField("Teams", coerce=coerce_id, widget=GovCheckboxesInput())
    submit = submit_button("Publish briefing")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.services.data and not self.teams.data:
            self.services.errors = [*self.services.errors, "Select at least one service or team"]
            return False
        return valid
