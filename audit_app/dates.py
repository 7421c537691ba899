"""Dates as the service writes them ("5 October 2021"), and example dates in date hints: a date near today
(two weeks on), worked out each time it is shown, so "For example, 10 12 2026" never reads as a date years
in the past."""

from datetime import date, timedelta

from markupsafe import escape

EXAMPLE_DAYS_AHEAD = 14


def long_date(day: date) -> str:
    """A date as the service writes it: 5 October 2021 (the date filter in templates)."""
    return f"{day.day} {day:%B %Y}"


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
