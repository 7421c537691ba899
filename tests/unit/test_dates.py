"""Dates and times as the service writes them: "5 October 2021", "5 October 2021 at 14:30", in UK time."""

from datetime import UTC, date, datetime

from audit_app.dates import long_date
from audit_app.templating import long_datetime


def test_a_date_is_written_day_month_year_without_a_leading_zero():
    assert long_date(date(2021, 10, 5)) == "5 October 2021"
    assert long_date(date(2021, 12, 31)) == "31 December 2021"


def test_a_time_is_written_in_uk_time():
    assert long_datetime(datetime(2021, 6, 5, 13, 30, tzinfo=UTC)) == "5 June 2021 at 14:30"  # summer time
    assert long_datetime(datetime(2021, 12, 5, 9, 5)) == "5 December 2021 at 09:05"  # naive from SQLite: UTC


def test_the_date_filter_gives_a_times_day_in_uk_time(app):
    date_filter, datetime_filter = app.jinja_env.filters["date"], app.jinja_env.filters["datetime"]
    late_evening = datetime(2021, 6, 5, 23, 30, tzinfo=UTC)  # already 6 June in the UK
    assert date_filter(late_evening) == "6 June 2021"
    assert date_filter(date(2021, 10, 5)) == "5 October 2021"
    assert date_filter(date(2021, 10, 5), "%B %Y") == "October 2021"
    assert date_filter(None) == ""
    assert datetime_filter(late_evening) == "6 June 2021 at 00:30"
    assert datetime_filter(late_evening, "%H:%M") == "00:30"
