"""Kinds of audit: the theme summary, its export and the API's judgements filtered by the programme's kind;
a re-audit counts as kind re-audit (by reaudit_of_id), never as its programme's kind."""

import io

import pytest
from openpyxl import load_workbook

from audit_app.api.params import BadParameter, parse_filters
from audit_app.reporting import queries
from audit_app.reporting.filters import Filters
from tests.conftest import get
from tests.integration import test_api_data as api_data
from tests.integration import test_theme_summary as theme_summary

Q4 = theme_summary.Q4
organisation, quarter_four_audits = theme_summary.organisation, theme_summary.quarter_four_audits
other_audits, themes_and_moderation = theme_summary.other_audits, theme_summary.themes_and_moderation
observations, scene, api = theme_summary.observations, theme_summary.scene, api_data.api


def _voice(filters):
    row = {r.key: r for r in queries.domain_spread(filters)}.get("voice_of_child")
    return row.counts if row else {}


def test_the_summary_counts_only_the_kind_chosen(app, scene, qa_client):
    programme = scene["programme"]
    assert _voice(Filters.from_args({"period": Q4, "programme_kind": "monthly_dip_sample"})) == {1: 0, 2: 5, 3: 5, 4: 0}
    assert _voice(Filters.from_args({"period": Q4, "programme_kind": "thematic"})) == {}
    programme.kind = "thematic"
    assert _voice(Filters.from_args({"period": Q4, "programme_kind": "thematic"})) == {1: 0, 2: 5, 3: 5, 4: 0}
    # A re-audit counts as a re-audit, not as its programme's kind.
    audit = next(a for a in programme.audits)
    audit.reaudit_of_id = next(a.id for a in programme.audits if a.id != audit.id)
    assert sum(_voice(Filters.from_args({"period": Q4, "programme_kind": "thematic"})).values()) == 9
    assert sum(_voice(Filters.from_args({"period": Q4, "programme_kind": "reaudit"})).values()) == 1
    page = get(qa_client, "themes.summary", period=Q4, programme_kind="reaudit").get_data(as_text=True)
    assert '<option value="reaudit" selected>Re-audit</option>' in page
    assert "November 2021 monthly audit (Thematic (deep dive))" in page


def test_the_export_and_the_api_take_the_kind(app, scene, qa_client, api):
    response = get(qa_client, "themes.export", table="domains", fmt="xlsx", period=Q4, programme_kind="thematic")
    rows = [tuple(r[:2]) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]
    assert ("Filter: Kind of audit", "Thematic (deep dive)") in rows
    dip = api_data.walk(api, "api.judgements", period=Q4, programme_kind="monthly_dip_sample")
    assert len(dip) == 30 and {r["source"] for r in dip} == {"audit"}  # the programme's 10 audits, no observations
    assert api_data.walk(api, "api.judgements", period=Q4, programme_kind="compliance_check") == []
    with pytest.raises(BadParameter, match="programme_kind must be one of"):
        parse_filters({"programme_kind": "weekly"})
