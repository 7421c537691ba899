"""Figures read from the monthly rollups (models/reporting.py): a few thousand summed rows a period, where
the raw queries join every judgement to its audit, case and moderation.

Plain functions, grouped by any rollup column (DIMENSIONS), for the summary, the trend, key findings and
any page that sets areas side by side. Each returns rows of (the chosen dimensions..., figures...).
"""

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import case, func, select

from ...extensions import db
from ...models import Team, Theme
from ...models.reporting import (
    TWINS,
    audit_rollup,
    family_answer_rollup,
    family_quote_rollup,
    judgement_rollup,
    lens_rollup,
    theme_rollup,
)
from ..filters import Filters, Period

# What a count can be grouped by: the month ('YYYY-MM') and every filter dimension, plus domain_key for
# judgements and theme_id for theme tags.
DIMENSIONS = ("month", "tool_version_id", "locality_id", "team_id", "service_id", "case_type", "programme_kind")
_FILTERED = (
    ("locality", "locality_id"),
    ("team", "team_id"),
    ("service", "service_id"),
    ("case_type", "case_type"),
    ("programme_kind", "programme_kind"),
)


def served_by_rollups(filters: Filters) -> bool:
    """True when the rollups hold the figures the filters ask for. One programme or one practice week is
    finer than any rollup key: with either filter the summary, trend and findings read the raw rows
    (the raw branch beside each call of this function), as drill-downs always do. Every period the
    filters take is whole months, so a period never needs the raw rows. The rollups hold case audits only
    (they key on the case): supervision audits, a few a month, are counted from the raw rows."""
    return filters.programme is None and filters.practice_week is None and not filters.supervision


def _execute(query):
    """Run a read of the rollups. They are plain tables, whose reads the session does not autoflush: flush
    as an ORM read would (unless autoflush is off), so a change made earlier in the transaction is counted."""
    if db.session.autoflush:
        db.session.flush()
    return db.session.execute(query)


def rollup_for(rollup, filters: Filters, *group_by: str):
    """The table to read `rollup`'s figures from: the smallest of its twins (models/reporting.py TWINS) that has
    every column the filters and the grouping name, else itself. With no filter that is the twin by month alone;
    with a locality or case type, the twin by locality; with a team, service or kind of audit, the rollup."""
    named = [column for name, column in _FILTERED if getattr(filters, name)] + list(group_by)
    coarsest_first = reversed(TWINS.get(rollup, ()))
    return next((twin for twin in coarsest_first if all(name in twin.c for name in named)), rollup)


def conditions(table, filters: Filters, period: Period) -> list:
    """WHERE clauses on a rollup table for the period and the filters."""
    first, last = period.first_and_last_month
    conditions = [table.c.month >= first, table.c.month <= last]
    return conditions + [
        table.c[column] == getattr(filters, name) for name, column in _FILTERED if getattr(filters, name)
    ]


def grade_column(rollup, filters: Filters):
    """The grade a judgement counts with (0 for none) in `rollup` (judgement_rollup or a twin): the
    moderated grade unless the filters ask for the auditors' original grades."""
    return rollup.c.original_grade if filters.grades == "original" else rollup.c.moderated_grade


def judgement_counts(filters: Filters, period: Period, *group_by: str) -> list[tuple]:
    """(group values..., grade or None, judgements) for the audits' judgements in the period; e.g.
    group_by=("domain_key",) for the spread, ("locality_id", "domain_key") to set localities side by side."""
    rollup = rollup_for(judgement_rollup, filters, *group_by)
    columns = [rollup.c[name] for name in group_by]
    grade = grade_column(rollup, filters)
    query = (
        select(*columns, grade, func.sum(rollup.c.judgements))
        .where(*conditions(rollup, filters, period))
        .group_by(*columns, grade)
    )
    return [(*row[:-2], row[-2] or None, int(row[-1])) for row in _execute(query)]


def good_or_better_counts(filters: Filters, period: Period, *group_by: str, domain: str | None = None) -> list[tuple]:
    """(group values..., judgements graded Good or Outstanding, judgements graded) in the period; of one
    domain's judgements only when `domain` is given."""
    rollup = rollup_for(judgement_rollup, filters, *group_by)
    columns = [rollup.c[name] for name in group_by]
    of_domain = [rollup.c.domain_key == domain] if domain is not None else []
    grade, judgements = grade_column(rollup, filters), rollup.c.judgements
    query = (
        select(
            *columns,
            func.sum(case((grade.between(1, 2), judgements), else_=0)),
            func.sum(case((grade > 0, judgements), else_=0)),
        )
        .where(*conditions(rollup, filters, period), *of_domain)
        .group_by(*columns)
    )
    return [(*row[:-2], int(row[-2]), int(row[-1])) for row in _execute(query)]


class GradedJudgements(NamedTuple):
    previous: bool  # in the period before
    domain_key: str
    original_grade: int  # 0 for none
    moderated_grade: int
    judgements: int
    untagged: int


@dataclass
class JudgementFigures:
    """The judgements of a period and of the one before, from one read of the rollups: the summary's spread,
    its key findings' comparison, the grades moderation changed and the untagged count are all sums of these
    rows."""

    grades: str  # the filters' grades: "moderated" or "original"
    rows: list[GradedJudgements]

    def _grade(self, row: GradedJudgements) -> int:
        return row.original_grade if self.grades == "original" else row.moderated_grade

    def domain_rows(self, previous: bool = False) -> list[tuple]:
        """(domain key, grade or None, judgements), as judgement_counts(..., "domain_key") gives them."""
        return [
            (row.domain_key, self._grade(row) or None, row.judgements) for row in self.rows if row.previous == previous
        ]

    def changed(self) -> int:
        """As changed_judgement_count, for the period."""
        return sum(
            row.judgements for row in self.rows if not row.previous and 0 < row.moderated_grade != row.original_grade
        )

    def untagged(self, weakest: int) -> int:
        """As untagged_judgement_count, for the period."""
        return sum(row.untagged for row in self.rows if not row.previous and self._grade(row) >= weakest)


def judgement_figures(filters: Filters, period: Period) -> JudgementFigures:
    """JudgementFigures of the period and the one before it."""
    previous = period.previous()
    both = Period(key="both", start=previous.start, end=period.end)
    rollup = rollup_for(judgement_rollup, filters)
    before = case((rollup.c.month < period.first_and_last_month[0], 1), else_=0)
    columns = [before, rollup.c.domain_key, rollup.c.original_grade, rollup.c.moderated_grade]
    query = (
        select(*columns, func.sum(rollup.c.judgements), func.sum(rollup.c.untagged))
        .where(*conditions(rollup, filters, both))
        .group_by(*columns)
    )
    rows = [GradedJudgements(bool(row[0]), *row[1:4], int(row[4]), int(row[5])) for row in _execute(query)]
    return JudgementFigures(filters.grades, rows)


def changed_judgement_count(filters: Filters, period: Period) -> int:
    """Judgements whose latest moderator's grade differs from the auditor's, in the period."""
    rollup = rollup_for(judgement_rollup, filters)
    query = select(func.sum(rollup.c.judgements)).where(
        *conditions(rollup, filters, period),
        rollup.c.moderated_grade > 0,
        rollup.c.moderated_grade != rollup.c.original_grade,
    )
    return int(_execute(query).scalar() or 0)


def theme_counts_query(filters: Filters, period: Period, rollup, *columns):
    """SELECT columns (of `rollup`, theme_rollup or a twin from rollup_for, or expressions over it), sum of
    tags, for the period: to group by the caller, or to join into a UNION with the observations' counts."""
    return select(*columns, func.sum(rollup.c.judgements)).where(*conditions(rollup, filters, period))


def theme_counts(filters: Filters, period: Period, *group_by: str) -> list[tuple]:
    """(theme id, group values..., judgements tagged) in the period."""
    rollup = rollup_for(theme_rollup, filters, *group_by)
    columns = [rollup.c.theme_id, *(rollup.c[name] for name in group_by)]
    query = theme_counts_query(filters, period, rollup, *columns).group_by(*columns)
    return [(*row[:-1], int(row[-1])) for row in _execute(query)]


def untagged_judgement_count(filters: Filters, period: Period, weakest: int) -> int:
    """Judgements graded `weakest` or worse (3: requires improvement or inadequate) that carry no theme."""
    rollup = rollup_for(judgement_rollup, filters)
    query = select(func.sum(rollup.c.untagged)).where(
        *conditions(rollup, filters, period), grade_column(rollup, filters) >= weakest
    )
    return int(_execute(query).scalar() or 0)


def theme_audit_counts(filters: Filters, period: Period, *group_by: str, theme: int | None = None) -> list[tuple]:
    """(group values..., theme id, audits raising the theme on any judgement) in the period; of one theme
    only when `theme` is given."""
    rollup = rollup_for(theme_rollup, filters, *group_by)
    columns = [*(rollup.c[name] for name in group_by), rollup.c.theme_id]
    of_theme = [rollup.c.theme_id == theme] if theme is not None else []
    query = (
        select(*columns, func.sum(rollup.c.audits))
        .where(*conditions(rollup, filters, period), *of_theme)
        .group_by(*columns)
    )
    return [(*row[:-1], int(row[-1])) for row in _execute(query)]


def audit_counts(filters: Filters, period: Period, *group_by: str) -> list[tuple]:
    """(group values..., audits, moderated audits) counted in the period."""
    columns = [audit_rollup.c[name] for name in group_by]
    query = (
        select(*columns, func.sum(audit_rollup.c.audits), func.sum(audit_rollup.c.moderated_audits))
        .where(*conditions(audit_rollup, filters, period))
        .group_by(*columns)
    )
    return [(*row[:-2], int(row[-2] or 0), int(row[-1] or 0)) for row in _execute(query)]


def family_totals(filters: Filters, period: Period) -> tuple[int, int, int, int]:
    """(audits, with a family voice record, family contacted, contacted with consent) in the period."""
    rollup = audit_rollup.c
    sums = [rollup.audits, rollup.family_recorded, rollup.family_contacted, rollup.family_consent]
    query = select(*(func.sum(column) for column in sums)).where(*conditions(audit_rollup, filters, period))
    return tuple(int(value or 0) for value in _execute(query).one())


def family_answers(filters: Filters, period: Period) -> dict[str, dict[int, int]]:
    """question key -> {score: answers} in the period (scores 1 to 5, and 0 for don't know)."""
    rollup = family_answer_rollup.c
    query = (
        select(rollup.question, rollup.score, func.sum(rollup.answers))
        .where(*conditions(family_answer_rollup, filters, period))
        .group_by(rollup.question, rollup.score)
    )
    answers: dict[str, dict[int, int]] = {}
    for question, score, count in _execute(query):
        answers.setdefault(question, {})[score] = int(count)
    return answers


def family_quote_themes(filters: Filters, period: Period) -> list[tuple]:
    """(theme id, name, families' quotes tagged with it) in the period, most quoted first."""
    quotes = func.sum(family_quote_rollup.c.quotes)
    query = (
        select(Theme.id, Theme.name, quotes)
        .join(Theme, Theme.id == family_quote_rollup.c.theme_id)
        .where(*conditions(family_quote_rollup, filters, period))
        .group_by(Theme.id, Theme.name)
        .order_by(quotes.desc(), Theme.name)
    )
    return [(theme_id, name, int(count)) for theme_id, name, count in _execute(query)]


def lens_counts(filters: Filters, period: Period) -> list[tuple]:
    """(lens, grade or None, the observation has no theme, lens judgements) of the period's submitted
    observations, as observation_conditions selects them: no kind of audit narrows observations, and the
    locality is the observation's team's now (read through the team, so a team that moves takes its own)."""
    rollup = lens_rollup.c
    first, last = period.first_and_last_month
    of_locality = select(Team.id).where(Team.locality_id == filters.locality)
    chosen = (
        (filters.team, rollup.team_id == filters.team),
        (filters.service, rollup.service_id == filters.service),
        (filters.locality, rollup.team_id.in_(of_locality)),
        (filters.case_type, rollup.case_type == filters.case_type),
    )
    columns = [rollup.lens, rollup.grade, rollup.untagged]
    query = (
        select(*columns, func.sum(rollup.judgements))
        .where(rollup.month >= first, rollup.month <= last, *(condition for value, condition in chosen if value))
        .group_by(*columns)
    )
    return [(lens, grade or None, bool(untagged), int(count)) for lens, grade, untagged, count in _execute(query)]
