"""Example dates in hints and error messages: a date near today (two weeks on), worked out each time it is
shown, so "like 10 12 2026" never reads as a date years in the past."""
from datetime import date, timedelta

from markupsafe import escape
from wtforms.validators import InputRequired, StopValidation

EXAMPLE_DAYS_AHEAD = 14


def example_date(today: date | None = None) -> str:
    """A date two weeks from today as people type it in the day, month and year boxes: "10 12 2026"."""
    day = (today or date.today()) + timedelta(days=EXAMPLE_DAYS_AHEAD)
    return f"{day.day} {day.month} {day.year}"


class DateHint:
    """A field's hint, "For example, 10 12 2026", worked out when the page is rendered (a form class is
    defined once, when the app starts)."""

    def __str__(self) -> str:
        return f"For example, {example_date()}"

    def __html__(self) -> str:
        return str(escape(str(self)))


def like_example(words: str) -> str:
    """An error message ending with an example date: "Enter the due date, like 10 12 2026"."""
    return f"{words}, like {example_date()}"


class DateRequired(InputRequired):
    """InputRequired whose message ends with an example date worked out when the form is checked."""

    def __init__(self, words: str):
        super().__init__()
        self.words = words

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except StopValidation as stop:
            raise StopValidation(like_example(self.words)) from stop
