"""The date boxes' rules, without a request: what makes a real date and what is missing."""

from datetime import date

import pytest

from audit_app.date_field import parse_date_parts


@pytest.mark.parametrize(
    "parts, expected",
    [
        (("29", "2", "2024"), (date(2024, 2, 29), None)),
        ((" 05 ", "04", "2031"), (date(2031, 4, 5), None)),
        (("29", "2", "2023"), (None, "must be a real date")),
        (("0", "1", "2023"), (None, "must be a real date")),
        (("１", "1", "2023"), (None, "must be a real date")),  # full-width digits are not a date
        (("-1", "1", "2023"), (None, "must be a real date")),
        (("1", "1", "0999"), (date(999, 1, 1), None)),
        (("001", "1", "2023"), (None, "must be a real date")),
        (("", "", ""), (None, "blank")),
        (("1", "", ""), (None, "must include a month and year")),
        (("", "1", ""), (None, "must include a day and year")),
        (("", "", "2023"), (None, "must include a day and month")),
    ],
)
def test_three_boxes_make_a_date_or_say_what_is_wrong(parts, expected):
    assert parse_date_parts(*parts) == expected
