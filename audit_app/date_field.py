"""The one GOV.UK date input (day, month and year boxes) every form uses.

Whatever arrives (three boxes, two, none, letters, 31 February) the field keeps what was typed
in the boxes and says what is wrong in the words of the GOV.UK date input pattern:
"Enter the due date", "The due date must include a month", "The due date must be a real date".
"""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.validators import StopValidation

from .dates import DateHint

PARTS = ("day", "month", "year")


def _join(words: list[str]) -> str:
    return " and ".join(words) if len(words) < 3 else f"{words[0]}, {words[1]} and {words[2]}"


def parse_date_parts(day: str, month: str, year: str) -> tuple[date | None, str | None]:
    """The date three boxes make, or what is wrong with them: "blank", "must include a month",
    "must be a real date"."""
    parts = [day.strip(), month.strip(), year.strip()]
    if not any(parts):
        return None, "blank"
    missing = [name for name, part in zip(PARTS, parts) if not part]
    if missing:
        return None, f"must include a {_join(missing)}"
    if (
        not all(part.isdigit() and part.isascii() for part in parts)
        or len(parts[2]) != 4
        or max(map(len, parts[:2])) > 2
    ):
        return None, "must be a real date"
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0])), None
    except ValueError:
        return None, "must be a real date"


class GovDateBoxes(GovDateInput):
    """The GOV.UK date input, with only the missing boxes marked in error when some are missing."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.name)  # the group; field.id is the box the error summary links to
        return super().__call__(field, **kwargs)

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if field.errors and field.missing_parts:
            for item, part in zip(params["items"], PARTS):
                item["classes"] = " ".join(
                    ["govuk-input--width-4" if part == "year" else "govuk-input--width-2"]
                    + (["govuk-input--error"] if part in field.missing_parts else [])
                )
        return params


class GovDateField(DateField):
    """Day, month and year boxes. `subject` names the date in messages, e.g. "the due date";
    `required=False` lets the boxes be left empty."""

    def __init__(self, label=None, validators=None, *, subject: str, required: bool = True, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        kwargs.setdefault("widget", GovDateBoxes())
        kwargs.setdefault("description", DateHint())  # "For example, " a date two weeks on
        super().__init__(label, validators, **kwargs)
        self.subject = subject
        self.required = required
        self.problem = None
        self.missing_parts = ()
        if required:
            self.flags.required = True

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            # Exactly three boxes, whatever was posted, so the page can show what was typed.
            self.raw_data = [str(v) for v in (list(self.raw_data or []) + ["", "", ""])[:3]]

    def process_formdata(self, valuelist):
        parts = [str(v) for v in (list(valuelist) + ["", "", ""])[:3]]
        self.data, self.problem = parse_date_parts(*parts)
        if self.problem and self.problem.startswith("must include"):
            self.missing_parts = tuple(name for name, part in zip(PARTS, parts) if not part.strip())

    def post_validate(self, form, validation_stopped):
        # The error summary links to the first box to correct.
        self.id = f"{self.name}-{(self.missing_parts or PARTS)[0]}" if self.errors else self.name

    def pre_validate(self, form):
        if self.problem == "blank":
            self.errors[:] = []
            raise StopValidation(f"Enter {self.subject}" if self.required else None)
        if self.problem:
            self.errors[:] = []
            raise StopValidation(f"{self.subject[:1].upper()}{self.subject[1:]} {self.problem}")
