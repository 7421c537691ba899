from flask_wtf import FlaskForm

from ..forms import record_select, submit_button, text_field
from ..idempotency import FormTokenMixin


class ThemeForm(FormTokenMixin, FlaskForm):
    name = text_field(
        "Name of the theme",
        required="Enter the name of the theme",
        max_length=120,
        subject="Name",
    )
    description = text_field(
        "What good looks like (optional)",
        area=True,
        max_length=1000,
        subject="Description",
    )
    keywords = text_field(
        "Words that signal it in evidence (optional)",
        area=True,
        description="Separate them with commas, for example: father, paternal family, wider family network. "
        "Suggestions while auditing start from these, the name and the description until enough evidence is tagged.",
        max_length=1000,
        subject="Keywords",
    )
    submit = submit_button("Save theme")


class MergeForm(FlaskForm):
    target = record_select(
        "Merge into",
        description="Every judgement, observation and quick win with this theme moves to the theme you choose.",
        required="Select the theme to merge into",
    )
    submit = submit_button("Merge themes")


class RetireForm(FlaskForm):
    submit = submit_button("Retire theme")


class EmergingThemeForm(ThemeForm):
    """Name a candidate theme: the new theme goes into the taxonomy and onto the evidence ticked."""

    submit = submit_button("Add the theme and tag the evidence ticked")


class UntaggedReviewForm(FlaskForm):
    """The decisions on a page of untagged evidence (the choices are read from the posted rows)."""

    submit = submit_button("Save these decisions")
