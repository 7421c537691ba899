"""Fields every feature's forms share: the GOV.UK widget, the validators and their messages in one call.

name = text_field("Name", required="Enter a name", max_length=160, subject="Name")  # "Name must be 160 characters or fewer"
owner_id = record_select("Owner", required="Select who owns the action")
submit = submit_button("Save action")
"""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, FieldList, FormField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from .parsing import coerce_id

CSV_ONLY = FileAllowed(["csv"], "The selected file must be a CSV")


def too_long(subject: str, limit: int) -> str:
    """GOV.UK's message for text over its limit, a number over 999 written with a comma: "Description must be
    4,000 characters or fewer". Services that check a length themselves say it with this too."""
    return f"{subject} must be {limit:,} characters or fewer"


def at_most(limit: int, subject: str) -> Length:
    """A field's limit of `limit` characters, `subject` naming the field in `too_long`'s message: the number is
    written once, and no field falls back to WTForms' own words ("Field cannot be longer than...")."""
    return Length(max=limit, message=too_long(subject, limit))


def text_field(
    label: str,
    *,
    required: str | None = None,
    max_length: int | None = None,
    subject: str | None = None,
    area: bool = False,
    **kwargs,
):
    """A text input (a text area when `area`): required with the message `required`, else optional; at most
    `max_length` characters, "<subject> must be <max_length> characters or fewer" saying so (`at_most`)."""
    validators = [InputRequired(required) if required else Optional()]
    if max_length is not None:
        if subject is None:
            raise TypeError(f"{label}: a field with a max_length needs the subject its too-long message names")
        validators.append(at_most(max_length, subject))
    field, widget = (TextAreaField, GovTextArea()) if area else (StringField, GovTextInput())
    return field(label, widget=widget, validators=validators, **kwargs)


def short_text(label: str, subject: str, **kwargs):
    """A one-line text of up to 160 characters (a title, a focus, a name); `subject` names it when it is too long:
    "Focus must be 160 characters or fewer"."""
    return text_field(label, max_length=160, subject=subject, **kwargs)


def title_field(label: str, word: str, thing: str, **kwargs):
    """A required name or title of up to 160 characters: "Enter a name for the tool", "Name must be 160 characters
    or fewer"."""
    return short_text(label, word.capitalize(), required=f"Enter a {word} for the {thing}", **kwargs)


class RecordChosen:
    """The "choose one" option (0) is no choice: the same message as an empty value."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(self.message)


def record_select(label: str, *, required: str, allow_none: bool = False, **kwargs) -> SelectField:
    """A select of records by id; the route fills its choices and `required` is the message when none is chosen.
    `allow_none`: its first option (0) is a real answer ("someone else"), checked by the form itself."""
    validators = [InputRequired(required)] + ([] if allow_none else [RecordChosen(required)])
    return SelectField(label, coerce=coerce_id, widget=GovSelect(), validators=validators, **kwargs)


def record_choices(placeholder: str, records, label=lambda record: record.name) -> list[tuple[int, str]]:
    """The choices of a `record_select`: the placeholder first, as 0 (no choice), then each record by its id."""
    return [(0, placeholder)] + [(record.id, label(record)) for record in records]


def radios(label: str, *, required: str, **kwargs) -> RadioField:
    return RadioField(label, widget=GovRadioInput(), validators=[InputRequired(required)], **kwargs)


def checkbox(label: str, **kwargs) -> BooleanField:
    return BooleanField(label, widget=GovCheckboxInput(), **kwargs)


def file_upload(label: str, *, required: str, csv_only: bool = False, **kwargs) -> FileField:
    """A file to upload; `csv_only` refuses any file whose name does not end in .csv."""
    validators = [FileRequired(required), *([CSV_ONLY] if csv_only else [])]
    return FileField(label, widget=GovFileInput(), validators=validators, **kwargs)


def field_data(form, *names: str) -> dict:
    """The data of the named fields, as keyword arguments for the service that saves them."""
    return {name: form[name].data for name in names}


def first_errors(fields) -> dict[str, str]:
    """Each field's first error by the field's id, fields in a list or a sub-form included (a quick win's text
    is "quick_wins-0-text"): what an autosave could not keep, said beside the field it belongs to."""
    found = {}
    for field in fields:
        if isinstance(field, FieldList):
            found |= first_errors(field.entries)
        elif isinstance(field, FormField):
            found |= first_errors(field.form)
        elif field.errors:
            found[field.id] = field.errors[0]
    return found


def too_long_fields(form) -> dict[str, str]:
    """Each field typed over its `at_most` limit, by id, with that limit's message: for an autosave that keeps
    the draft as typed and says now what submitting will refuse."""
    return {
        field.id: check.message
        for field in form
        for check in field.validators
        if isinstance(check, Length) and check.max >= 0 and len(field.data or "") > check.max
    }


def submit_button(label: str) -> SubmitField:
    return SubmitField(label, widget=GovSubmitInput())
