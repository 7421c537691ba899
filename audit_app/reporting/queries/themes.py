"""The recurring themes, ranked, with the change from the period before."""

from dataclasses import dataclass

from sqlalchemy import case, func, literal, select, union_all

from ...extensions import db
from ...models import CaseAudit, Judgement, Observation, Theme
from ...models.audits import judgement_theme
from ...models.practice_week import observation_theme
from ...models.reporting import theme_rollup
from ..filters import Filters, Period
from .counted import judgements_query, observation_conditions
from .rolled import rollup_for, served_by_rollups, theme_counts_query


@dataclass
class ThemeRow:
    id: int
    name: str
    is_active: bool
    audits: int = 0
    observations: int = 0
    previous_audits: int = 0
    previous_observations: int = 0

    @property
    def total(self) -> int:
        return self.audits + self.observations

    @property
    def previous_total(self) -> int:
        return self.previous_audits + self.previous_observations

    @property
    def change(self) -> int:
        return self.total - self.previous_total


def _theme_counts(filters: Filters, period: Period):
    """(theme_id, source, is_previous, count) for the period and the one before, in one pass."""
    previous = period.previous()
    both = Period(key="both", start=previous.start, end=period.end)
    parts = []
    if filters.include_audits:
        counts = audit_theme_counts if served_by_rollups(filters) else raw_audit_theme_counts
        parts.append(counts(filters, period, both))
    if filters.include_observations:
        is_previous = case((Observation.observed_on < period.start, 1), else_=0).label("is_previous")
        parts.append(
            select(observation_theme.c.theme_id, literal("observations").label("source"), is_previous, func.count())
            .join(Observation, Observation.id == observation_theme.c.observation_id)
            .where(*observation_conditions(filters, both))
            .group_by(observation_theme.c.theme_id, is_previous)
        )
    if not parts:
        return []
    return db.session.execute(union_all(*parts) if len(parts) > 1 else parts[0]).all()


def audit_theme_counts(filters: Filters, period: Period, both: Period):
    """SELECT (theme_id, "audits", is_previous, count) from the rollups over `both` (period and previous)."""
    rollup = rollup_for(theme_rollup, filters)
    is_previous = case((rollup.c.month < period.first_and_last_month[0], 1), else_=0).label("is_previous")
    return theme_counts_query(
        filters, both, rollup, rollup.c.theme_id, literal("audits").label("source"), is_previous
    ).group_by(rollup.c.theme_id, is_previous)


def raw_audit_theme_counts(filters: Filters, period: Period, both: Period):
    """The same from the raw tags, for filters the rollups cannot serve."""
    is_previous = case((CaseAudit.submitted_at < period.start_datetime(), 1), else_=0).label("is_previous")
    return (
        judgements_query(
            filters,
            both,
            judgement_theme.c.theme_id,
            literal("audits").label("source"),
            is_previous,
            func.count(),
            moderation=False,
        )
        .join(judgement_theme, judgement_theme.c.judgement_id == Judgement.id)
        .group_by(judgement_theme.c.theme_id, is_previous)
    )


def theme_ranking(filters: Filters) -> list[ThemeRow]:
    """Themes by how often they were raised in the period, split by source, with the previous period."""
    period = filters.period_obj
    themes = {
        t.id: ThemeRow(t.id, t.name, t.is_active)
        for t in db.session.execute(select(Theme.id, Theme.name, Theme.is_active))
    }
    for theme_id, source, is_previous, count in _theme_counts(filters, period):
        setattr(themes[theme_id], f"previous_{source}" if is_previous else source, count)
    raised = [t for t in themes.values() if t.total or t.previous_total]
    return sorted(raised, key=lambda t: (-t.total, -t.previous_total, t.name))
