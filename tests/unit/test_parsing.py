"""The one place request input is parsed: ids, page numbers, text and periods."""

import pytest
from werkzeug.datastructures import MultiDict

from audit_app.parsing import MAX_ID, CleanMultiDict, clean_text, coerce_id, parse_id, parse_ids, parse_page
from audit_app.reporting.filters import parse_month, parse_period


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (7, 7),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("²", None),
        ("٣", None),
        ("1.0", None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
        (True, None),
        ("1e3", None),
    ],
)
def test_parse_id_accepts_only_ascii_digits_in_range(value, expected):
    assert parse_id(value) == expected


def test_page_numbers_fall_back_to_the_first_page():
    assert [parse_page(v) for v in ("3", None, "0", "²", "99999999999999999999")] == [3, 1, 1, 1, 1]


def test_many_ids_keep_the_valid_ones_in_order_once():
    assert parse_ids(["3", "²", "1", "3", "", "2147483648"]) == [3, 1]


def test_coerce_id_refuses_what_is_not_an_id_with_a_value_error():
    assert coerce_id("5") == 5 and coerce_id(0) == 0
    for value in ("-1", "²", None, ""):
        with pytest.raises(ValueError):
            coerce_id(value)


def test_control_characters_are_removed_but_tabs_and_new_lines_kept():
    assert clean_text("a\x00b\x01c\x1fd\x7f\te\r\nf") == "abcd\x7f\te\r\nf"
    cleaned = CleanMultiDict(MultiDict([("q\x009", "a\x00b"), ("q\x009", "c")]))
    assert cleaned.getlist("q9") == ["ab", "c"]


@pytest.mark.parametrize("key", ["9999-Q4", "0000-Q1", "0001", "1999", "2101-01", "2021-13", "٢٠٢١", "2021-Q5"])
def test_periods_outside_2000_to_2100_or_malformed_are_not_periods(key):
    assert parse_period(key) is None


def test_periods_inside_the_range_parse_and_their_neighbours_do_not_overflow():
    assert parse_period("2000-Q1").previous().key == "1999-Q4"
    assert parse_period("2100").end.year == 2101
    assert parse_month("2021-10").key == "2021-10" and parse_month("2021-Q4") is None
