"""The monthly rollups say what the raw rows say, whatever happens to the audits.

Random audits, some with what the family said (answers and tagged quotes), are submitted, moderated (and
moderated again), returned to their auditor, re-tagged, have a section marked not applicable, have the
family's answers or a quote's themes changed, move case or team, and have themes merged. Random practice-week
observations are submitted (or left in draft), re-graded on a lens, re-tagged, moved to another team, case or
month, re-opened or deleted, and a team may move locality. Then, for random filters, the summary's, the
comparison's and the key findings' figures from the rollups equal the same figures counted from the raw rows
(read from the twins by locality or by month alone when the filters allow), the lens figures from the lens
rollup equal the raw read, and rebuilding the rollups from scratch (twice) gives the rows the flushes kept. Two
changes of one month at once both count, and so do a theme merge and the submit of a draft tagged with its theme.
"""

import re
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial

import pytest
from flask import current_app
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from audit_app.extensions import db
from audit_app.family_voice import figures as family
from audit_app.models import (
    AuditStatus,
    CaseAudit,
    CaseType,
    FamilyQuote,
    FamilyVoice,
    LensJudgement,
    ModeratedGrade,
    Moderation,
    ObservationStatus,
    ProgrammeKind,
    SectionNotApplicable,
    Theme,
)
from audit_app.models.family_voice import SCALED_QUESTIONS
from audit_app.models.reporting import TWINS, judgement_rollup, lens_rollup
from audit_app.permissions import Role
from audit_app.reporting import queries, rollups
from audit_app.reporting.filters import Filters, Period, parse_period
from audit_app.reporting.queries import compare, moderation, rolled, spread, themes, trend
from audit_app.themes import untagged
from audit_app.themes.services import merge_themes
from tests.conftest import get, sign_in_as, statements
from tests.factories import (
    AuditProgrammeFactory,
    CaseFactory,
    LocalityFactory,
    ObservationFactory,
    ServiceFactory,
    TeamFactory,
    ThemeFactory,
    UserFactory,
    published_tool,
    submitted_audit,
    user_with,
)

DOMAINS = ("assessment_quality", "voice_of_child", "management_oversight")
MONTHS = ("2021-09", "2021-10", "2021-11", "2021-12", "2022-01")
CASE_TYPES = (CaseType.CIN.value, CaseType.CP.value)
KINDS = (None, ProgrammeKind.MONTHLY_DIP_SAMPLE.value, ProgrammeKind.THEMATIC.value)
grades = st.sampled_from([None, 1, 2, 3, 4])
answers = st.lists(st.sampled_from([None, 0, 1, 2, 3, 4, 5]), min_size=3, max_size=3)  # 0: don't know
families = st.fixed_dictionaries(
    {
        "method": st.sampled_from([None, "phone", "visit", "not_contacted"]),
        "consent": st.sampled_from([None, True, False]),
        "answers": answers,
        "quotes": st.lists(st.sets(st.integers(0, 2), max_size=2), max_size=2),
    }
)

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
        "family": st.one_of(st.none(), families),
        # what happens after the submit, in this order
        "moderated": st.one_of(st.none(), st.lists(grades, min_size=3, max_size=3)),
        "moderated_again": st.one_of(st.none(), st.lists(grades, min_size=3, max_size=3)),
        "returned": st.booleans(),
        "retag": st.one_of(st.none(), st.tuples(st.integers(0, 2), st.sets(st.integers(0, 2), max_size=2))),
        "not_applicable": st.one_of(st.none(), st.sampled_from(DOMAINS)),
        "family_answers_changed": st.one_of(st.none(), answers),
        "quote_retagged": st.one_of(st.none(), st.sets(st.integers(0, 2), max_size=2)),
        "moved_to_team": st.one_of(st.none(), st.integers(0, 2)),
    }
)
LENSES = ("voice_of_child", "safety_planning", "multi_agency")
observation_changes = st.one_of(
    st.tuples(st.just("regraded"), grades),  # the first lens
    st.tuples(st.just("retagged"), st.sets(st.integers(0, 2), max_size=2)),
    st.tuples(st.just("moved_to_team"), st.integers(0, 2)),
    st.tuples(st.just("case_type_changed"), st.none()),
    st.tuples(st.just("moved_to_month"), st.sampled_from(MONTHS)),
    st.tuples(st.just("reopened"), st.none()),
    st.tuples(st.just("deleted"), st.none()),
)
observation_plans = st.fixed_dictionaries(
    {
        "team": st.sampled_from([None, 0, 1, 2]),
        "case_type": st.sampled_from([None, *CASE_TYPES]),  # None: no case
        "month": st.sampled_from(MONTHS),
        "grades": st.lists(grades, min_size=1, max_size=3),  # one a lens, in LENSES' order
        "themes": st.sets(st.integers(0, 2), max_size=2),
        "submitted": st.booleans(),
        "changes": st.lists(observation_changes, max_size=2),  # after it is made, in this order
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
    voice = _family_voice(audit, plan["family"], theme_list)
    db.session.commit()
    for moderated in (plan["moderated"], plan["moderated_again"]):
        if moderated is not None:
            _moderate(audit, moderator, moderated)
    if plan["retag"] is not None:
        index, tags = plan["retag"]
        judgements[index].themes = [theme_list[i] for i in sorted(tags)]
    if voice is not None and plan["family_answers_changed"] is not None:
        voice.understands_involvement, voice.worker_listened, voice.things_better = plan["family_answers_changed"]
    if voice is not None and voice.quotes and plan["quote_retagged"] is not None:
        voice.quotes[0].themes = [theme_list[i] for i in sorted(plan["quote_retagged"])]
    if plan["not_applicable"]:
        db.session.add(SectionNotApplicable(audit=audit, domain_key=plan["not_applicable"], reason="Not relevant"))
    if plan["moved_to_team"] is not None:
        audit.case.team = teams[plan["moved_to_team"]]
        audit.case.locality = audit.case.team.locality
    if plan["returned"]:
        audit.status = AuditStatus.RETURNED.value
    db.session.commit()
    return audit


def _month_day(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 15)


def _make_observation(world, plan: dict) -> None:
    """An observation made as the form makes it, then changed as the plan says, a commit after each change."""
    teams, _, _, theme_list, observer = world
    team = teams[plan["team"]] if plan["team"] is not None else None
    case = CaseFactory(team=team or teams[0], case_type=plan["case_type"]) if plan["case_type"] else None
    draft, submitted = ObservationStatus.DRAFT.value, ObservationStatus.SUBMITTED.value
    observation = ObservationFactory(
        observer=observer,
        team=team,
        service=team.service if team else None,
        case=case,
        observed_on=_month_day(plan["month"]),
        status=submitted if plan["submitted"] else draft,
        themes=[theme_list[i] for i in sorted(plan["themes"])],
    )
    for lens, grade in zip(LENSES, plan["grades"], strict=False):
        observation.judgements.append(LensJudgement(lens=lens, grade=grade))
    db.session.commit()
    for change, value in plan["changes"]:
        if change == "deleted":
            db.session.delete(observation)
            db.session.commit()
            return
        _change_observation(observation, change, value, teams, theme_list)
        db.session.commit()


def _change_observation(observation, change: str, value, teams, theme_list) -> None:
    if change == "regraded":
        observation.judgements[0].grade = value
    elif change == "retagged":
        observation.themes = [theme_list[i] for i in sorted(value)]
    elif change == "moved_to_team":
        observation.team = teams[value]
        observation.service = observation.team.service
    elif change == "case_type_changed" and observation.case is not None:
        observation.case.case_type = CASE_TYPES[1] if observation.case.case_type == CASE_TYPES[0] else CASE_TYPES[0]
    elif change == "moved_to_month":
        observation.observed_on = _month_day(value)
    elif change == "reopened":
        observation.status = ObservationStatus.DRAFT.value


def _lens_figures(rows) -> Counter:
    counts = Counter()
    for lens, grade, untagged_observation, count in rows:
        counts[(lens, grade, untagged_observation)] += count
    return +counts


def _family_voice(audit, family: dict | None, theme_list):
    """What the family said, as the audit's family voice page records it (None: not recorded)."""
    if family is None:
        return None
    voice = FamilyVoice(audit=audit, contact_method=family["method"], consent_recorded=family["consent"])
    for question, answer in zip(SCALED_QUESTIONS, family["answers"], strict=True):
        setattr(voice, question, answer)
    for position, tags in enumerate(family["quotes"], start=1):
        quote = FamilyQuote(voice=voice, position=position, text="They listened to me.")
        quote.themes = [theme_list[i] for i in sorted(tags)]
    db.session.add(voice)
    return voice


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
        table.name: sorted(tuple(row)[1:] for row in db.session.execute(select(table))) for table in rollups.ALL_TABLES
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
    judgements = rolled.judgement_figures(filters, period)  # the summary's one read for the period and the one before
    for previous, of_period in ((False, period), (True, period.previous())):
        raw = spread.raw_domain_rows(filters, of_period)
        assert _domain_figures(judgements.domain_rows(previous)) == _domain_figures(raw)
    assert judgements.changed() == moderation.raw_changed_judgement_count(filters, period)
    assert judgements.untagged(untagged.WEAK) == untagged.raw_untagged_judgement_count(filters)
    assert _theme_figures(themes.audit_theme_counts(filters, period, both)) == _theme_figures(
        themes.raw_audit_theme_counts(filters, period, both)
    )
    assert untagged.untagged_counts(filters).judgements == untagged.raw_untagged_judgement_count(filters)
    figures = queries.moderation_figures(filters)
    assert (figures.audits, figures.moderated_audits) == moderation.raw_audit_counts(filters, period)
    assert family.family_figures(filters) == family.raw_family_figures(filters, period)
    for by in compare.DIMENSIONS:
        _assert_comparison_matches_raw(filters, by, period, window)
    for of_period in (period, period.previous()):  # the summary's, and key findings' period before
        lenses = spread.lens_figures(filters, of_period)
        assert _lens_figures(lenses.rows) == _lens_figures(spread.raw_lens_rows(filters, of_period))


def _assert_comparison_matches_raw(filters: Filters, by: str, period: Period, window: Period) -> None:
    """Each unit's audits, good or better judgements and audits raising each theme, in the period and by month."""
    assert compare.audits_by_unit(filters, period, by) == compare.raw_audits_by_unit(filters, period, by)
    for counts in ("good_or_better_by_unit", "themes_by_unit"):
        rows = getattr(compare, counts)(filters, period, by)
        assert sorted(rows) == sorted(getattr(compare, f"raw_{counts}")(filters, period, by)), counts
    for domain in DOMAINS[:2]:
        rows = compare.monthly_good_or_better_by_unit(filters, window, by, domain)
        assert sorted(rows) == sorted(compare.raw_monthly_good_or_better_by_unit(filters, window, by, domain))
    for counts, theme in (("monthly_audits_by_unit", ()), ("monthly_theme_by_unit", (_first_theme_id(),))):
        rows = getattr(compare, counts)(filters, window, by, *theme)
        assert sorted(rows) == sorted(getattr(compare, f"raw_{counts}")(filters, window, by, *theme)), counts


def _first_theme_id() -> int:
    return db.session.scalar(select(Theme.id).order_by(Theme.name).limit(1))


def _empty_tables() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


# Every change to an observation once, each where no later change hides it (random plans reach them rarely).
AN_AUDIT = {
    "team": 0,
    "case_type": CASE_TYPES[0],
    "month": "2021-10",
    "day": 1,
    "kind": None,
    "reaudit": False,
    "version": 0,
    "grades": [2, 3, None],
    "themes": [set(), {0}, set()],
    "family": None,
    **dict.fromkeys(
        ("moderated", "moderated_again", "retag", "not_applicable", "family_answers_changed", "quote_retagged"), None
    ),
    "returned": False,
    "moved_to_team": None,
}
EVERY_OBSERVATION_CHANGE = [
    {
        "team": team,
        "case_type": CASE_TYPES[0],
        "month": "2021-11",
        "grades": [3, 1],
        "themes": themes,
        "submitted": True,
        "changes": [change],
    }
    for team, themes, change in (
        (0, {0}, ("retagged", set())),
        (1, set(), ("retagged", {1})),
        (2, set(), ("regraded", 4)),
        (None, {2}, ("moved_to_team", 1)),
        (0, set(), ("case_type_changed", None)),
        (1, {1}, ("moved_to_month", "2021-12")),
        (2, set(), ("reopened", None)),
        (0, {0}, ("deleted", None)),
    )
]
WHOLE_SPAN = {"period": "2021-09..2022-01", "place": None, "case_type": None, "programme_kind": None}


@example(
    plans=[AN_AUDIT],
    observations=EVERY_OBSERVATION_CHANGE,
    choices=[WHOLE_SPAN | {"grades": "moderated"}, WHOLE_SPAN | {"place": "locality", "grades": "original"}],
    merge=False,
    team_moves_locality=True,
)
@settings(
    max_examples=12,
    deadline=None,
    # Shrinking a failure can take minutes here (each example builds an organisation): report it as found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(audit_plans, min_size=1, max_size=6),
    observations=st.lists(observation_plans, min_size=1, max_size=4),
    choices=st.lists(filter_choices, min_size=1, max_size=4),
    merge=st.booleans(),
    team_moves_locality=st.booleans(),
)
def test_rollup_figures_equal_raw_figures(app, plans, observations, choices, merge, team_moves_locality):
    _empty_tables()
    try:
        world = _organisation()
        earlier = None
        for plan in plans:
            earlier = _make_audit(world, plan, earlier)
        for plan in observations:
            _make_observation(world, plan)
        if merge:
            merge_themes(world[3][0], world[3][1])
        if team_moves_locality:  # its observations go with it; its cases keep their own locality
            world[0][0].locality = world[0][1].locality
            db.session.commit()
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
    for table in (judgement_rollup, *TWINS[judgement_rollup]):
        db.session.execute(delete(table))
    assert queries.domain_spread(filters) == []
    rollups.rebuild()
    assert [row.counts[3] for row in queries.domain_spread(filters)] == [1]


def test_the_lens_spread_reads_the_lens_rollup(app):
    """With the lens rollup emptied behind its back the lens spread shows nothing; a programme's summary,
    finer than the rollup, still reads the raw lens judgements."""
    observation = ObservationFactory(observed_on=date(2021, 10, 5))
    observation.judgements.append(LensJudgement(lens="voice_of_child", grade=3))
    db.session.commit()
    filters = Filters(period="2021-Q4")
    assert [row.counts[3] for row in queries.lens_spread(filters)] == [1]
    db.session.execute(delete(lens_rollup))
    assert queries.lens_spread(filters) == []
    assert [
        row.counts[3] for row in queries.lens_spread(replace(filters, practice_week=observation.practice_week_id))
    ] == [1]
    rollups.rebuild()
    assert [row.counts[3] for row in queries.lens_spread(filters)] == [1]


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
    for table in rollups.ALL_TABLES:
        db.session.execute(delete(table))
    db.session.commit()
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["rebuild-rollups"])
        assert result.exit_code == 0, result.output
        assert "judgement_rollup: 2" in result.output
        assert "judgement_month_rollup: 2" in result.output
        assert _rollup_rows() == kept


# A table the summary must not read when the rollups serve it: the raw judgements and audits (a word of its
# own, so judgement_rollup and lens_judgement do not count).
RAW_TABLES = re.compile(r"\b(judgement|case_audit|judgement_theme)\b")


def _is_activity_probe(statement: str) -> bool:
    """The newest and oldest submitted audit (reporting/queries/choices.py), for the default period and
    the period choices: one index probe per status, whatever the number of audits."""
    return "(case_audit.submitted_at) AS at" in statement


def test_the_summary_page_served_by_the_rollups_reads_no_judgement_or_audit(app, client):
    """Every figure of the summary page (key findings, patterns by locality, the untagged count, what families
    said, moderation) comes from the rollups: no statement reads the judgements or the audits."""
    teams, versions, _, theme_list, moderator = _organisation()
    for team, grade in ((teams[0], 3), (teams[1], 1)):
        audit = submitted_audit(versions[0], {"voice_of_child": grade}, case=CaseFactory(team=team))
        audit.judgements[0].themes = [theme_list[0]] if grade == 1 else []
        family = {"method": "visit", "consent": True, "answers": [4, 5, 0], "quotes": [{1}]}
        _family_voice(audit, family, theme_list)
        db.session.commit()
    _moderate(audit, moderator, [2])
    sign_in_as(client, user_with(Role.QA_LEAD))
    db.session.expunge_all()
    with statements() as seen:
        response = get(client, "themes.summary", period="2021-Q4")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1 of 2 audits in this period were moderated" in page
    assert re.search(r'id="untagged-summary">1 audit judgement and', page)
    assert "were contacted in 2 of 2 audits" in page
    raw = [statement for statement in seen if RAW_TABLES.search(statement) and not _is_activity_probe(statement)]
    assert raw == []


# The summary's judgement and theme tables: each rollup and its twins (by locality, by month alone).
ROLLUPS = {rollup.name for rollup in TWINS}
BY_LOCALITY, BY_MONTH = ({table.name for table in twins} for twins in zip(*TWINS.values(), strict=True))
# (the place the summary is filtered by, the tables it reads, the tables it must not read). The patterns by
# locality group by locality: with no filter they still read the twins by locality.
TABLES_READ = [
    (None, BY_MONTH, ROLLUPS),
    ("locality", BY_LOCALITY, BY_MONTH | ROLLUPS),
    ("team", ROLLUPS, BY_MONTH | BY_LOCALITY),
]


@pytest.mark.parametrize(("place", "read", "not_read"), TABLES_READ)
def test_the_summary_reads_the_smallest_twin_holding_its_filters(app, client, place, read, not_read):
    """With no filter the summary's judgement and theme figures come from the twins by month alone; a locality
    needs the twins by locality, a team the rollups themselves."""
    teams, versions, _, theme_list, _ = _organisation()
    audit = submitted_audit(versions[0], {"voice_of_child": 3}, case=CaseFactory(team=teams[0]))
    audit.judgements[0].themes = [theme_list[0]]
    db.session.commit()
    sign_in_as(client, user_with(Role.QA_LEAD))
    chosen = {"locality": teams[0].locality_id, "team": teams[0].id}
    with statements() as seen:
        response = get(client, "themes.summary", period="2021-Q4", **({place: chosen[place]} if place else {}))
    assert response.status_code == 200
    # Whole words: judgement_rollup is not found inside judgement_month_rollup.
    named = {table for table in read | not_read if any(re.search(rf"\b{table}\b", sql) for sql in seen)}
    assert named == read


def _two_audits_of_one_month():
    """Two audits of one month in different localities: they share the month's twin rows."""
    teams, versions, _, _, _ = _organisation()
    audits = [submitted_audit(versions[0], {"voice_of_child": 2}, case=CaseFactory(team=teams[i])) for i in (0, 1)]
    db.session.commit()
    first, second = (rollups.keys_of({audit.id}) for audit in audits)
    return partial(rollups.refresh, first), partial(rollups.refresh, second)


def _two_observations_of_one_team_and_month():
    """Two submitted observations of one team in one month: they share the lens rollup's rows."""
    teams = _organisation()[0]
    observations = [
        ObservationFactory(
            team=teams[0],
            service=teams[0].service,
            observed_on=date(2026, 3, 10),
            status=ObservationStatus.SUBMITTED.value,
            judgements=[LensJudgement(lens=LENSES[0], grade=2)],
        )
        for _ in range(2)
    ]
    db.session.commit()
    first, second = (rollups.observation_keys_of({o.id}) for o in observations)
    return partial(rollups.refresh_observations, first), partial(rollups.refresh_observations, second)


def _a_theme_merged_while_an_audit_with_it_changes():
    """A theme's tags counted again after a merge, and an audit tagged with it refreshed: they share the audit's
    theme rows."""
    teams, versions, _, theme_list, _ = _organisation()
    audit = submitted_audit(versions[0], {"voice_of_child": 3}, case=CaseFactory(team=teams[0]))
    audit.judgements[0].themes = [theme_list[0]]
    db.session.commit()
    return partial(rollups.refresh_themes, [theme_list[0].id]), partial(rollups.refresh, rollups.keys_of({audit.id}))


@contextmanager
def _session_in(connection):
    """db.session, in an app context of its own, working in the connection's transaction, which the caller ends:
    a commit inside (merge_themes') only releases a savepoint."""
    with current_app.app_context():
        db.session.registry.set(Session(bind=connection, join_transaction_mode="create_savepoint"))
        yield db.session


def _merge(source_id, target_id, connection):
    with _session_in(connection) as session:
        merge_themes(session.get(Theme, source_id), session.get(Theme, target_id))


def _submit(audit_id, connection):
    """As the submit does: the audit's status and date set and committed (the rollups refreshed by the flush)."""
    with _session_in(connection) as session:
        audit = session.get(CaseAudit, audit_id)
        audit.status, audit.submitted_at = AuditStatus.SUBMITTED.value, datetime(2021, 11, 5, 10, tzinfo=UTC)
        session.commit()


def _a_merge_and_the_first_submit_with_its_theme_in_a_month(merge_first: bool):
    """A draft whose judgement was tagged with the merged theme, submitted in a month where neither theme has a row:
    the merge moves the draft's tag, the submit counts the audit under its tag."""
    teams, versions, _, theme_list, _ = _organisation()
    earlier = submitted_audit(versions[0], {"voice_of_child": 2}, case=CaseFactory(team=teams[0]))
    earlier.judgements[0].themes = [theme_list[0]]  # the theme has rows in 2021-10, none in the submit's 2021-11
    draft = submitted_audit(versions[0], {"voice_of_child": 3}, case=CaseFactory(team=teams[1]))
    draft.status, draft.submitted_at = AuditStatus.IN_PROGRESS.value, None
    draft.judgements[0].themes = [theme_list[0]]
    db.session.commit()
    changes = partial(_merge, theme_list[0].id, theme_list[1].id), partial(_submit, draft.id)
    return changes if merge_first else changes[::-1]


@pytest.mark.parametrize(
    "changes",
    [
        _two_audits_of_one_month,
        _two_observations_of_one_team_and_month,
        _a_theme_merged_while_an_audit_with_it_changes,
        partial(_a_merge_and_the_first_submit_with_its_theme_in_a_month, True),
        partial(_a_merge_and_the_first_submit_with_its_theme_in_a_month, False),
    ],
    ids=["audits", "observations", "merge and change", "merge then submit", "submit then merge"],
)
def test_two_changes_in_one_month_at_once_are_both_counted(app, changes):
    """Two changes refreshed in two transactions at once whose rows overlap (the audits' twin rows of their month,
    the observations' lens rows, a merged theme's rows, a merge and the submit of a draft tagged with its theme):
    the second waits for the first and both commit, the summary's figures as the raw rows say, the rows as a rebuild
    counts them."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("transactions at once on one database")
    refresh_first, refresh_second_change = changes()
    failures = []

    def refresh_second(connection):
        try:
            with app.app_context(), connection.begin():
                refresh_second_change(connection)
        except Exception as error:  # noqa: BLE001 - reported below, with its message
            failures.append(error)

    with db.engine.connect() as first, db.engine.connect() as second:
        with first.begin():
            refresh_first(first)
            waiting = threading.Thread(target=refresh_second, args=(second,))
            waiting.start()
            waiting.join(timeout=1)
            assert waiting.is_alive(), "the second waits until the first commits"
        waiting.join()
    assert failures == []
    _assert_rollups_match_raw(Filters(period="2021-Q4", grades="moderated", source="audits"))
    kept = _rollup_rows()
    rollups.rebuild()
    assert _rollup_rows() == kept
