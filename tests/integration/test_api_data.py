"""What the reporting API answers, against the theme summary's scene (Quarter 4 2021 against Quarter 3):
the summary's filters, pages walked to the end with no row twice or missed, a fixed number of queries per
page whatever its size, case references and no names, theme counts, plan actions' RAG by month, indicators."""

from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from audit_app.api import tokens
from audit_app.changelog import stamped_at
from audit_app.extensions import db
from audit_app.models import IndicatorValue
from audit_app.reporting.filters import Filters
from audit_app.reporting.queries import judgement_batches, lens_judgement_batches
from tests.conftest import get, statements
from tests.factories import ActionFactory, IndicatorFactory, PriorityFactory
from tests.integration import test_theme_summary as theme_summary

# The theme summary's scene, shared rather than copied.
Q4 = theme_summary.Q4
organisation, quarter_four_audits = theme_summary.organisation, theme_summary.quarter_four_audits
other_audits, themes_and_moderation = theme_summary.other_audits, theme_summary.themes_and_moderation
observations, scene = theme_summary.observations, theme_summary.scene


@pytest.fixture
def api(app):
    secret = tokens.create_token("Tests", list(tokens.SCOPES), 30, None).secret
    client = app.test_client()

    def call(endpoint, **args):
        response = get(client, endpoint, headers={"Authorization": f"Bearer {secret}"}, **args)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json

    return call


def walk(api, endpoint, **args) -> list[dict]:
    """Every page, following `next` until it is null."""
    rows, page = [], api(endpoint, **args)
    while True:
        rows += page["data"]
        if not page["next"]:
            return rows
        query = {k: v[0] for k, v in parse_qs(urlsplit(page["next"]).query).items()}
        page = api(endpoint, **query)


def keys(rows) -> list[tuple]:
    return [(row["source"], row["id"]) for row in rows]


def test_walking_every_page_gives_each_judgement_once_and_the_same_rows_as_the_export(scene, api):
    walked = keys(walk(api, "api.judgements", period=Q4, limit="5"))
    assert len(walked) == len(set(walked)) == 48  # 14 audits x 3 domains, 3 observations x 2 lenses
    filters = Filters(period=Q4)
    exported = [("audit", r.id) for rows, _ in judgement_batches(filters) for r in rows]
    exported += [("observation", r.lens_judgement_id) for r in _lens_rows(filters)]
    assert sorted(walked) == sorted(exported)
    assert keys(api("api.judgements", period=Q4, limit="1000")["data"]) == walked


def _lens_rows(filters):
    """The export's observation rows carry no lens judgement id: one per lens judgement, so count them."""
    from audit_app.models import LensJudgement, Observation

    rows = [r for batch, _ in lens_judgement_batches(filters) for r in batch]
    ids = db.session.scalars(
        db.select(LensJudgement.id)
        .join(Observation)
        .where(Observation.id.in_([r.id for r in rows]))
        .order_by(LensJudgement.id)
    ).all()
    assert len(ids) == len(rows)
    return [type("Row", (), {"lens_judgement_id": i}) for i in ids]


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(app, scene, api):
    priority = PriorityFactory()
    for month in range(1, 6):
        ActionFactory(priority=priority)
        indicator = IndicatorFactory(plan=priority.plan)
        db.session.add(IndicatorValue(indicator=indicator, month=date(2021, month, 1), value=Decimal(month)))
    db.session.commit()
    sizes = {}
    for limit in ("2", "40"):
        for endpoint in ("api.judgements", "api.actions", "api.indicators"):
            with statements() as seen:
                api(endpoint, period=Q4, limit=limit)
            sizes.setdefault(endpoint, []).append(len(seen))
    for endpoint, (small, large) in sizes.items():
        assert small == large and small <= 10, (endpoint, small, large)


def test_the_next_link_names_the_period_so_a_walk_keeps_it(scene, api):
    page = api("api.judgements", limit="1")
    assert parse_qs(urlsplit(page["next"]).query)["period"] == [page["period"]["key"]]


@pytest.mark.parametrize(
    "args, count",
    [
        ({"period": "2021-Q3"}, 30),
        ({"period_from": "2021-07", "period_to": "2021-12"}, 78),
        ({"source": "audits"}, 42),
        ({"source": "observations"}, 6),
        ({"case_type": "cin"}, 12),
        ({"domain": "voice_of_child"}, 17),
        ({"domain": "safety_planning"}, 3),
    ],
)
def test_the_summary_filters_narrow_the_judgements(scene, api, args, count):
    assert len(walk(api, "api.judgements", **({"period": Q4} | args))) == count


def test_team_locality_service_programme_and_tool_filters(scene, api):
    team_b = walk(api, "api.judgements", period=Q4, team=str(scene["team_b"].id))
    assert len(team_b) == 12 and {r["team"] for r in team_b} == {"South Children & Families 1"}
    assert len(walk(api, "api.judgements", period=Q4, locality=str(scene["south"].id))) == 12
    assert len(walk(api, "api.judgements", period=Q4, service=str(scene["front_door"].id))) == 36
    assert len(walk(api, "api.judgements", period=Q4, programme=str(scene["programme"].id))) == 30
    tool = walk(api, "api.judgements", period=Q4, tool=str(scene["version"].tool_id))
    assert len(tool) == 42 and {r["source"] for r in tool} == {"audit"}


def test_moderated_grades_by_default_and_the_auditors_own_on_request(scene, api):
    def voice_grades(grades):
        rows = walk(api, "api.judgements", period=Q4, grades=grades, domain="voice_of_child", source="audits")
        return {r["record_id"]: (r["original_grade"], r["grade"]) for r in rows}

    moderated = scene["moderated"].id
    assert voice_grades("moderated")[moderated] == (3, 2)
    assert voice_grades("original")[moderated] == (3, 3)


def test_children_are_case_references_and_nobody_is_named(scene, api):
    rows = walk(api, "api.judgements", period=Q4)
    text = repr(rows)
    assert {a.case.case_reference for a in scene["audits"]} <= {r["case_reference"] for r in rows}
    for audit in scene["audits"]:
        assert audit.auditor.display_name not in text
    assert "Evidence seen on the file." not in text and "The child's views were sought" not in text
    voice = next(r for r in rows if r["source"] == "audit" and r["themes"])
    assert "Voice of the child" in voice["themes"]


def test_theme_counts_match_the_summary(scene, api):
    answer = api("api.themes", period=Q4)
    voice = next(t for t in answer["data"] if t["name"] == "Voice of the child")
    assert (voice["audits"], voice["observations"], voice["total"], voice["previous_total"]) == (5, 3, 8, 2)
    assert answer["period"] == {"key": Q4, "start": "2021-10-01", "end": "2022-01-01"}
    assert answer["previous_period"]["key"] == "2021-Q3"


def test_actions_carry_their_rag_month_by_month_from_the_change_log(app, api):
    priority = PriorityFactory()
    with stamped_at(datetime(2021, 10, 5, tzinfo=UTC)):
        action = ActionFactory(priority=priority, rag="green", description="Audit every plan for the child's words.")
    with stamped_at(datetime(2021, 12, 3, tzinfo=UTC)):
        action.rag = "amber"
        db.session.commit()
    with stamped_at(datetime(2021, 12, 20, tzinfo=UTC)):
        action.rag = "red"
        db.session.commit()
    others = [ActionFactory(priority=priority) for _ in range(4)]
    rows = walk(api, "api.actions", limit="2")
    assert [r["id"] for r in rows] == [action.id] + [o.id for o in others]
    history = rows[0]["rag_history"]
    assert history[:4] == [
        {"month": "2021-10", "rag": "green"},
        {"month": "2021-11", "rag": "green"},
        {"month": "2021-12", "rag": "red"},  # the RAG at the month's end
        {"month": "2022-01", "rag": "red"},
    ]
    assert history[-1] == {"month": f"{date.today():%Y-%m}", "rag": "red"}
    assert rows[0]["priority_number"] == priority.number and "owner" not in rows[0]


def test_indicators_carry_every_months_value(app, api):
    indicator = IndicatorFactory(name="Re-referrals within 12 months")
    db.session.add_all(
        [
            IndicatorValue(indicator=indicator, month=date(2021, 11, 1), value=Decimal("21.50")),
            IndicatorValue(indicator=indicator, month=date(2021, 10, 1), value=None, note="Data being developed"),
        ]
    )
    db.session.commit()
    [row] = walk(api, "api.indicators")
    assert row["name"] == "Re-referrals within 12 months" and row["unit"] == "%"
    assert row["values"] == [
        {"month": "2021-10", "value": None, "note": "Data being developed"},
        {"month": "2021-11", "value": 21.5, "note": None},
    ]
