"""Counts for comparing units (localities, services, teams, case types, kinds of audit) side by side.

Each function is one GROUP BY over every unit at once, so the number of queries never grows with the number
of units. Every unit is a rollup dimension: when the rollups serve the filters each count is read from them
(rolled.py); otherwise from the raw rows (raw_*), built on judgements_query / audit_conditions /
grade_expression, so they honour the filters, sections by case type and the moderated-or-original grade
exactly as the theme summary does.
"""

from sqlalchemy import case, distinct, func, literal, select

from ...extensions import db
from ...models import AuditProgramme, Case, CaseAudit, Judgement, ProgrammeKind, Team
from ...models.audits import judgement_theme
from ..filters import Filters, Period
from . import rolled
from .counted import audit_conditions, grade_expression, judgements_query, month_of

DIMENSIONS = ("locality", "service", "team", "case_type", "programme_kind")
NO_PROGRAMME = "none"  # the kind of an audit in no programme, so it is still compared


# Each unit's column in the rollups.
ROLLUP_UNITS = {
    "locality": "locality_id",
    "service": "service_id",
    "team": "team_id",
    "case_type": "case_type",
    "programme_kind": "programme_kind",
}


def _unit(by: str, value):
    """A rollup's unit as the raw counts name it: the rollups' kind of an audit in no programme is ""."""
    return NO_PROGRAMME if by == "programme_kind" and value == "" else value


def audits_by_unit(filters: Filters, period: Period, by: str) -> dict:
    """unit -> audits counted in the period."""
    if not rolled.served_by_rollups(filters):
        return raw_audits_by_unit(filters, period, by)
    return {_unit(by, unit): audits for unit, audits, _ in rolled.audit_counts(filters, period, ROLLUP_UNITS[by])}


def good_or_better_by_unit(filters: Filters, period: Period, by: str, domain: str | None = None):
    """(unit, domain key, good or better, graded) judgements; one domain's only when `domain` is given."""
    if not rolled.served_by_rollups(filters):
        return raw_good_or_better_by_unit(filters, period, by, domain)
    rows = rolled.good_or_better_counts(filters, period, ROLLUP_UNITS[by], "domain_key", domain=domain)
    return [(_unit(by, unit), *rest) for unit, *rest in rows]


def themes_by_unit(filters: Filters, period: Period, by: str, theme: int | None = None):
    """(unit, theme id, audits): how many of each unit's audits raised each theme on any judgement."""
    if not rolled.served_by_rollups(filters):
        return raw_themes_by_unit(filters, period, by, theme)
    rows = rolled.theme_audit_counts(filters, period, ROLLUP_UNITS[by], theme=theme)
    return [(_unit(by, unit), *rest) for unit, *rest in rows]


def monthly_good_or_better_by_unit(filters: Filters, window: Period, by: str, domain: str | None = None):
    """(unit, month, good or better, graded) judgements, of one domain or all."""
    if not rolled.served_by_rollups(filters):
        return raw_monthly_good_or_better_by_unit(filters, window, by, domain)
    rows = rolled.good_or_better_counts(filters, window, ROLLUP_UNITS[by], "month", domain=domain)
    return [(_unit(by, unit), *rest) for unit, *rest in rows]


def monthly_theme_by_unit(filters: Filters, window: Period, by: str, theme: int):
    """(unit, month, audits raising the theme) for one theme."""
    if not rolled.served_by_rollups(filters):
        return raw_monthly_theme_by_unit(filters, window, by, theme)
    rows = rolled.theme_audit_counts(filters, window, ROLLUP_UNITS[by], "month", theme=theme)
    return [(_unit(by, unit), month, audits) for unit, month, _, audits in rows]


def monthly_audits_by_unit(filters: Filters, window: Period, by: str):
    """(unit, month, audits) counted."""
    if not rolled.served_by_rollups(filters):
        return raw_monthly_audits_by_unit(filters, window, by)
    rows = rolled.audit_counts(filters, window, ROLLUP_UNITS[by], "month")
    return [(_unit(by, unit), month, audits) for unit, month, audits, _ in rows]


# --- From the raw rows -------------------------------------------------------------------------


def unit_column(by: str):
    """The SQL expression naming an audit's unit; the query must join Case (and what _join_unit adds)."""
    if by == "locality":
        return Case.locality_id
    if by == "team":
        return Case.team_id
    if by == "service":
        return Team.service_id
    if by == "case_type":
        return Case.case_type
    if by == "programme_kind":
        # A re-audit counts as kind re-audit whatever its programme (as the kind filter reads it).
        return case(
            (CaseAudit.reaudit_of_id.is_not(None), literal(ProgrammeKind.REAUDIT.value)),
            else_=func.coalesce(AuditProgramme.kind, literal(NO_PROGRAMME)),
        )
    raise ValueError(f"Not a unit to compare by: {by}")


def _join_unit(query, by: str):
    query = query.join(Case, Case.id == CaseAudit.case_id)
    if by == "service":
        query = query.join(Team, Team.id == Case.team_id)
    if by == "programme_kind":
        query = query.outerjoin(AuditProgramme, AuditProgramme.id == CaseAudit.programme_id)
    return query


def raw_audits_by_unit(filters: Filters, period: Period, by: str) -> dict:
    """As audits_by_unit, from the raw rows (for filters the rollups cannot serve)."""
    unit = unit_column(by).label("unit")
    query = _join_unit(select(unit, func.count(CaseAudit.id)).select_from(CaseAudit), by)
    query = query.where(*audit_conditions(filters, period)).group_by(unit)
    return {key: count for key, count in db.session.execute(query) if key is not None}


def raw_good_or_better_by_unit(filters: Filters, period: Period, by: str, domain: str | None = None):
    """As good_or_better_by_unit, from the raw rows (for filters the rollups cannot serve)."""
    unit, grade = unit_column(by).label("unit"), grade_expression(filters)
    query = _join_unit(
        judgements_query(
            filters, period, unit, Judgement.domain_key, func.count(case((grade <= 2, 1))), func.count(grade)
        ),
        by,
    )
    if domain is not None:
        query = query.where(Judgement.domain_key == domain)
    return [tuple(row) for row in db.session.execute(query.group_by(unit, Judgement.domain_key)) if row[0] is not None]


def raw_themes_by_unit(filters: Filters, period: Period, by: str, theme: int | None = None):
    """As themes_by_unit, from the raw rows (for filters the rollups cannot serve)."""
    unit = unit_column(by).label("unit")
    query = judgements_query(
        filters, period, unit, judgement_theme.c.theme_id, func.count(distinct(Judgement.audit_id)), moderation=False
    ).join(judgement_theme, judgement_theme.c.judgement_id == Judgement.id)
    query = _join_unit(query, by)
    if theme is not None:
        query = query.where(judgement_theme.c.theme_id == theme)
    rows = db.session.execute(query.group_by(unit, judgement_theme.c.theme_id))
    return [tuple(row) for row in rows if row[0] is not None]


def raw_monthly_good_or_better_by_unit(filters: Filters, window: Period, by: str, domain: str | None = None):
    """As monthly_good_or_better_by_unit, from the raw rows (for filters the rollups cannot serve)."""
    unit, grade, month = unit_column(by).label("unit"), grade_expression(filters), month_of(CaseAudit.submitted_at)
    query = _join_unit(
        judgements_query(
            filters, window, unit, month.label("month"), func.count(case((grade <= 2, 1))), func.count(grade)
        ),
        by,
    )
    if domain is not None:
        query = query.where(Judgement.domain_key == domain)
    return [tuple(row) for row in db.session.execute(query.group_by(unit, month)) if row[0] is not None]


def raw_monthly_theme_by_unit(filters: Filters, window: Period, by: str, theme: int):
    """As monthly_theme_by_unit, from the raw rows (for filters the rollups cannot serve)."""
    unit, month = unit_column(by).label("unit"), month_of(CaseAudit.submitted_at).label("month")
    query = judgements_query(filters, window, unit, month, func.count(distinct(Judgement.audit_id)), moderation=False)
    query = _join_unit(
        query.join(judgement_theme, judgement_theme.c.judgement_id == Judgement.id).where(
            judgement_theme.c.theme_id == theme
        ),
        by,
    )
    return [tuple(row) for row in db.session.execute(query.group_by(unit, month)) if row[0] is not None]


def raw_monthly_audits_by_unit(filters: Filters, window: Period, by: str):
    """As monthly_audits_by_unit, from the raw rows (for filters the rollups cannot serve)."""
    unit, month = unit_column(by).label("unit"), month_of(CaseAudit.submitted_at).label("month")
    query = _join_unit(select(unit, month, func.count(CaseAudit.id)).select_from(CaseAudit), by)
    query = query.where(*audit_conditions(filters, window)).group_by(unit, month)
    return [tuple(row) for row in db.session.execute(query) if row[0] is not None]
