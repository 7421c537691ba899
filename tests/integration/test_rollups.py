"""The monthly rollups say what the raw rows say, whatever happens to the audits.

Random audits are submitted, moderated (and moderated again), returned to their auditor, re-tagged, have a
section marked not applicable, move case or team, and have themes merged; then, for random filters, the
summary's figures from the rollups equal the same figures counted from the raw rows, and rebuilding the
rollups from scratch (twice) gives the rows the flushes kept.
"""

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseType, ModeratedGrade, Moderation, ProgrammeKind, SectionNotApplicable
from audit_app.models.reporting import judgement_rollup, theme_rollup
from audit_app.reporting import queries, rollups
from audit_app.reporting.filters import Filters, Period, parse_period
from audit_app.reporting.queries import moderation, rolled, spread, themes, trend
from audit_app.themes.services import merge_themes
from tests.factories import (
    AuditProgrammeFactory,
    CaseFactory,
    LocalityFactory,
    ServiceFactory,
    TeamFactory,
    ThemeFactory,
    UserFactory,
    published_tool,
    submitted_audit,
)

DOMAINS = ("assessment_quality", "voice_of_child", "management_oversight")
MONTHS = ("2021-09", "2021-10", "2021-11", "2021-12", "2022-01")
CASE_TYPES = (CaseType.CIN.value, CaseType.CP.value)
KINDS = (None, ProgrammeKind.MONTHLY_DIP_SAMPLE.value, ProgrammeKind.THEMATIC.value)
grades = st.sampled_from([None, 1, 2, 3, 4])

audit_plans = st.fixed_dictionaries(
    {
        "team": st.integers(0, 2),
        "case_type": st.sampled_from(CASE_TYPES),
        "month": st.sampled_from(MONTHS),
        "day": st.sampled_from([1, 15, 28]),
        "kind": st.sampled_from(KINDS),
        "reaudit": st.booleans(),
        "version": st.integers(0, 1),
        "grades": st.lists(grades, min_size=3, max_size=3),
        "themes": st.lists(st.sets(st.integers(0, 2), max_size=2), min_size=3, max_size=3),
        # what happens after the submit, in this order
        "moderated": st.one_of(st.none(), st.lists(grades, min_size=3, max_size=3)),
        "moderated_again": st.one_of(st.none(), st.lists(grades, min_size=3, max_size=3)),
        "returned": st.booleans(),
        "retag": st.one_of(st.none(), st.tuples(st.integers(0, 2), st.sets(st.integers(0, 2), max_size=2))),
        "not_applicable": st.one_of(st.none(), st.sampled_from(DOMAINS)),
        "moved_to_team": st.one_of(st.none(), st.integers(0, 2)),
    }
)
filter_choices = st.fixed_dictionaries(
    {
        "period": st.sampled_from(["2021-Q4", "2021-10", "2021-11", "2021", "2021-09..2022-01", "2022-Q1"]),
        "place": st.sampled_from([None, "locality", "team", "service"]),
        "case_type": st.sampled_from([None, *CASE_TYPES]),
        "programme_kind": st.sampled_from([None, ProgrammeKind.REAUDIT.value, *KINDS[1:]]),
        "grades": st.sampled_from(["moderated", "original"]),
    }
)


def _organisation():
    north, south = LocalityFactory(name="North"), LocalityFactory(name="South")
    front_door, children = ServiceFactory(name="Front door"), ServiceFactory(name="Children")
    teams = [
        TeamFactory(name="North front door", locality=north, service=front_door),
        TeamFactory(name="South children", locality=south, service=children),
        TeamFactory(name="South front door", locality=south, service=front_door),
    ]
    versions = [published_tool(DOMAINS), published_tool(DOMAINS)]
    programmes = {kind: AuditProgrammeFactory(tool_version=versions[0], kind=kind) for kind in KINDS if kind}
    theme_list = [ThemeFactory(name=f"Theme {i}") for i in range(3)]
    return teams, versions, programmes, theme_list, UserFactory()


def _moderate(audit, moderator, moderated: list) -> None:
    moderation = Moderation(audit=audit, moderator=moderator, outcome="changed", completed_at=datetime.now(UTC))
    for judgement, grade in zip(sorted(audit.judgements, key=lambda j: j.domain_key), moderated, strict=True):
        moderation.grades.append(ModeratedGrade(judgement=judgement, grade=grade))
    db.session.add(moderation)
    audit.status = AuditStatus.MODERATED.value
    db.session.commit()


def _make_audit(world, plan: dict, earlier):
    teams, versions, programmes, theme_list, moderator = world
    year, month = (int(part) for part in plan["month"].split("-"))
    audit = submitted_audit(
        versions[plan["version"]],
        dict(zip(DOMAINS, plan["grades"], strict=True)),
        submitted_at=datetime(year, month, plan["day"], 23, 30, tzinfo=UTC),
        case=CaseFactory(team=teams[plan["team"]], case_type=plan["case_type"]),
        programme=programmes.get(plan["kind"]),
        reaudit_of=earlier if plan["reaudit"] and earlier is not None else None,
    )
    judgements = sorted(audit.judgements, key=lambda j: j.domain_key)
    for judgement, tags in zip(judgements, plan["themes"], strict=True):
        judgement.themes = [theme_list[i] for i in sorted(tags)]
    db.session.commit()
    for moderated in (plan["moderated"], plan["moderated_again"]):
        if moderated is not None:
            _moderate(audit, moderator, moderated)
    if plan["retag"] is not None:
        index, tags = plan["retag"]
        judgements[index].themes = [theme_list[i] for i in sorted(tags)]
    if plan["not_applicable"]:
        db.session.add(SectionNotApplicable(audit=audit, domain_key=plan["not_applicable"], reason="Not relevant"))
    if plan["moved_to_team"] is not None:
        audit.case.team = teams[plan["moved_to_team"]]
        audit.case.locality = audit.case.team.locality
    if plan["returned"]:
        audit.status = AuditStatus.RETURNED.value
    db.session.commit()
    return audit


def _filters(world, choice: dict) -> Filters:
    team = world[0][1]
    place = {"locality": team.locality_id, "team": team.id, "service": team.service_id}
    return Filters(
        period=choice["period"],
        case_type=choice["case_type"],
        programme_kind=choice["programme_kind"],
        grades=choice["grades"],
        source="audits",
        **({choice["place"]: place[choice["place"]]} if choice["place"] else {}),
    )


def _domain_figures(rows) -> Counter:
    counts = Counter()
    for key, grade, count in rows:
        counts[(key, grade)] += count
    return +counts


def _trend_figures(rows) -> Counter:
    counts = Counter()
    for key, month, good, graded in rows:
        counts[(key, month, "good")] += good
        counts[(key, month, "graded")] += graded
    return +counts


def _theme_figures(query) -> Counter:
    return +Counter({(theme, previous): count for theme, _, previous, count in db.session.execute(query)})


def _rollup_rows() -> dict:
    return {
        table.name: sorted(tuple(row)[1:] for row in db.session.execute(select(table)))
        for table in (judgement_rollup, theme_rollup)
    }


def _assert_rollups_match_raw(filters: Filters) -> None:
    assert rolled.served_by_rollups(filters)
    period = filters.period_obj
    both = Period("both", period.previous().start, period.end)
    assert _domain_figures(rolled.judgement_counts(filters, period, "domain_key")) == _domain_figures(
        spread.raw_domain_rows(filters, period)
    )
    window = trend.trend_window(filters)
    assert _trend_figures(rolled.good_or_better_counts(filters, window, "domain_key", "month")) == _trend_figures(
        trend.raw_trend_rows(filters, window)
    )
    assert rolled.changed_judgement_count(filters, period) == moderation.raw_changed_judgement_count(filters, period)
    assert _theme_figures(themes.audit_theme_counts(filters, period, both)) == _theme_figures(
        themes.raw_audit_theme_counts(filters, period, both)
    )


def _empty_tables() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


@settings(
    max_examples=12,
    deadline=None,
    # Shrinking a failure can take minutes here (each example builds an organisation): report it as found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(audit_plans, min_size=1, max_size=6),
    choices=st.lists(filter_choices, min_size=1, max_size=4),
    merge=st.booleans(),
)
def test_rollup_figures_equal_raw_figures(app, plans, choices, merge):
    _empty_tables()
    try:
        world = _organisation()
        earlier = None
        for plan in plans:
            earlier = _make_audit(world, plan, earlier)
        if merge:
            merge_themes(world[3][0], world[3][1])
        for choice in choices:
            _assert_rollups_match_raw(_filters(world, choice))
        kept = _rollup_rows()
        rollups.rebuild()
        assert _rollup_rows() == kept, "the flushes kept the rows a rebuild counts"
        rollups.rebuild()
        assert _rollup_rows() == kept, "rebuilding again changes nothing"
    finally:
        _empty_tables()


def test_a_programme_or_practice_week_reads_the_raw_rows(app):
    """One programme is finer than any rollup key: the summary counts it from the raw rows."""
    world = _organisation()
    teams, versions, programmes, _, _ = world
    programme = programmes[ProgrammeKind.THEMATIC.value]
    submitted_audit(versions[0], {"voice_of_child": 3}, programme=programme, case=CaseFactory(team=teams[0]))
    submitted_audit(versions[0], {"voice_of_child": 1}, case=CaseFactory(team=teams[0]))
    filters = Filters(period="2021-Q4", programme=programme.id, source="audits")
    assert not rolled.served_by_rollups(filters)
    (row,) = queries.domain_spread(filters)
    assert (row.counts[3], row.counts[1]) == (1, 0)
    (row,) = queries.domain_spread(replace(filters, programme=None))
    assert (row.counts[3], row.counts[1]) == (1, 1)


def test_the_summary_reads_the_rollups(app):
    """With the rollups emptied behind its back the summary shows nothing: it reads them, not the raw rows."""
    teams, versions, _, _, _ = _organisation()
    submitted_audit(versions[0], {"voice_of_child": 3}, case=CaseFactory(team=teams[0]))
    filters = Filters(period="2021-Q4", source="audits")
    assert [row.counts[3] for row in queries.domain_spread(filters)] == [1]
    db.session.execute(delete(judgement_rollup))
    assert queries.domain_spread(filters) == []
    rollups.rebuild()
    assert [row.counts[3] for row in queries.domain_spread(filters)] == [1]


@pytest.mark.parametrize("period", ["2021-10", "2021-Q4", "2021"])
def test_grouped_counts_for_a_side_by_side_page(app, period):
    """judgement_counts groups by any dimension: here localities side by side."""
    teams, versions, _, _, _ = _organisation()
    submitted_audit(versions[0], {"voice_of_child": 2}, case=CaseFactory(team=teams[0]))
    submitted_audit(versions[0], {"voice_of_child": 4}, case=CaseFactory(team=teams[1]))
    rows = rolled.judgement_counts(Filters(period=period), parse_period(period), "locality_id", "domain_key")
    assert sorted(rows) == sorted(
        [(teams[0].locality_id, "voice_of_child", 2, 1), (teams[1].locality_id, "voice_of_child", 4, 1)]
    )


def test_flask_rebuild_rollups_is_idempotent(app):
    """The command counts every rollup row again; a second run gives the same rows."""
    teams, versions, _, _, _ = _organisation()
    submitted_audit(versions[0], {"voice_of_child": 3, "assessment_quality": None}, case=CaseFactory(team=teams[0]))
    kept = _rollup_rows()
    db.session.execute(delete(theme_rollup))
    db.session.execute(delete(judgement_rollup))
    db.session.commit()
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["rebuild-rollups"])
        assert result.exit_code == 0, result.output
        assert "judgement_rollup: 2" in result.output
        assert _rollup_rows() == kept
