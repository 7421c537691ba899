"""Periods and filters of the theme summary: what a URL means."""
from datetime import date

from audit_app.reporting.filters import Filters, parse_period


def test_quarters_months_and_years_and_the_period_before_of_the_same_length():
    q4 = parse_period("2021-Q4")
    assert (q4.start, q4.end, q4.months) == (date(2021, 10, 1), date(2022, 1, 1), 3)
    assert q4.previous().key == "2021-Q3" and q4.label == "Quarter 4 2021 (October to December 2021)"
    assert parse_period("2021-Q1").previous().key == "2020-Q4"
    january = parse_period("2022-01")
    assert january.previous().key == "2021-12" and january.label == "January 2022"
    year = parse_period("2021")
    assert (year.start, year.end) == (date(2021, 1, 1), date(2022, 1, 1)) and year.previous().key == "2020"
    for nonsense in ("", "2021-Q5", "2021-13", "21", "2021-Q4; drop table"):
        assert parse_period(nonsense) is None


def test_filters_from_the_query_string_ignore_what_does_not_parse():
    filters = Filters.from_args(
        {"period": "bad", "locality": "3", "team": "x", "source": "everything", "grades": "original", "case_type": "cp"},
        default_period="2021-Q4",
    )
    assert filters.period == "2021-Q4" and filters.locality == 3 and filters.team is None
    assert filters.source == "both" and filters.grades == "original" and filters.case_type == "cp"
    assert filters.as_args() == {"period": "2021-Q4", "locality": 3, "case_type": "cp", "source": "both", "grades": "original"}
    assert filters.as_args(grades="moderated")["grades"] == "moderated"


def test_a_programme_filter_means_audits_only():
    assert Filters(source="both").include_observations
    assert not Filters(source="both", programme=1).include_observations
    assert not Filters(source="observations").include_audits
