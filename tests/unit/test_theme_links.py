"""Links that keep the theme summary's filters (audit_app/themes/links.py): the same address url_for gives."""

import pytest
from flask import url_for

from audit_app import create_app
from audit_app.reporting.filters import Filters
from audit_app.themes.links import drill_cell, filtered_url

FILTERS = [
    Filters(period="2026"),
    Filters(period="2026-Q4", locality=4, team=12, case_type="cp & <child>", grades="original"),
    Filters(period="2025-10..2026-03", subject="supervision", source="audits", programme_kind="thematic"),
]
LINKS = [
    ("themes.evidence", None, {}),
    ("themes.evidence", {"domain": "voice_of_child", "grade": "3"}, {}),
    ("themes.evidence", {"theme": 7, "previous": "1"}, {"page": 2}),
    ("themes.evidence", {"lens": "a b/c?d=e&f"}, {"good_practice": "1"}),
    ("themes.export", None, {"table": "themes", "fmt": "xlsx"}),
    ("themes.chart", None, {"kind": "domains"}),
    ("themes.summary", None, {"quote_theme": 3, "_anchor": "family quotes"}),
    ("themes.summary", {"grades": "moderated", "team": None}, {}),  # a filter given again, or taken off
    ("themes.untagged", None, {"page": None}),
]


@pytest.fixture(scope="module")
def links_app():
    return create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")


@pytest.mark.parametrize("filters", FILTERS)
def test_every_link_is_the_address_url_for_gives(links_app, filters):
    with links_app.test_request_context("/themes/", base_url="http://localhost/qa"):
        for endpoint, extra, values in LINKS:
            expected = url_for(endpoint, **{**filters.as_args(), **(extra or {}), **values})
            assert filtered_url(endpoint, filters, extra, **values) == expected, (endpoint, extra, values)


def test_a_figure_links_to_its_evidence_only_when_there_is_some(links_app):
    filters = Filters(period="2026", locality=4)
    with links_app.test_request_context("/themes/"):
        cell = drill_cell(filters, 5, {"domain": "voice_of_child", "grade": "2"}, {"data-grade": 2})
        assert cell == {
            "text": 5,
            "href": url_for("themes.evidence", **filters.as_args(), domain="voice_of_child", grade="2"),
            "attributes": {"data-grade": 2},
        }
        assert drill_cell(filters, 0, {"theme": 1}, {})["href"] is None
        assert drill_cell(filters, None, {"theme": 1}, {})["text"] == 0
