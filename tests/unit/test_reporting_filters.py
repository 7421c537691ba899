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
        {
            "period": "bad",
            "locality": "3",
            "team": "x",
            "source": "everything",
            "grades": "original",
            "case_type": "cp",
        },
        default_period="2021-Q4",
    )
    assert filters.period == "2021-Q4" and filters.locality == 3 and filters.team is None
    assert filters.source == "both" and filters.grades == "original" and filters.case_type == "cp"
    assert filters.as_args() == {
        "period": "2021-Q4",
        "locality": 3,
        "case_type": "cp",
        "source": "both",
        "grades": "original",
    }
    assert filters.as_args(grades="moderated")["grades"] == "moderated"


def test_a_programme_filter_means_audits_only():
    assert Filters(source="both").include_observations
    assert not Filters(source="both", programme=1).include_observations
    assert not Filters(source="observations").include_audits


def test_a_range_of_whole_months_and_the_range_of_the_same_length_before_it():
    spring = parse_period("2021-03..2021-08")
    assert (spring.start, spring.end, spring.months, spring.kind) == (date(2021, 3, 1), date(2021, 9, 1), 6, "range")
    assert spring.label == "March 2021 to August 2021" and spring.short_label == "Mar 2021 to Aug 2021"
    assert spring.previous().key == "2020-09..2021-02"
    assert spring.first_and_last_month == ("2021-03", "2021-08")
    # Three months not starting a quarter, or twelve not starting January, stay ranges.
    assert parse_period("2021-02..2021-04").previous().key == "2020-11..2021-01"
    assert parse_period("2021-04..2022-03").previous().key == "2020-04..2021-03"
    assert parse_period("2021-04..2021-06").previous().key == "2021-Q1"
    for nonsense in (
        "2021-08..2021-03",
        "2021-03..2021-03",
        "2021-03..",
        "2021-Q1..2021-Q2",
        "2021-01..2021-02..2021-03",
    ):
        assert parse_period(nonsense) is None, nonsense


def test_from_and_to_months_in_the_query_string_make_a_range_either_way_round():
    assert Filters.from_args({"period_from": "2021-03", "period_to": "2021-08"}).period == "2021-03..2021-08"
    assert Filters.from_args({"period_from": "2021-08", "period_to": "2021-03"}).period == "2021-03..2021-08"
    assert Filters.from_args({"period_from": "2021-05", "period_to": "2021-05"}).period == "2021-05"
    assert Filters.from_args({"period_from": "2021-05", "period_to": "soon", "period": "2021-Q2"}).period == "2021-Q2"
    assert (
        Filters.from_args({"period_from": "2021-03", "period_to": "2021-08"}).as_args()["period"] == "2021-03..2021-08"
    )
