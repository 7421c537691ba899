"""Closing the loop: how a theme or audit domain fared before an action started and since."""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, case, distinct, func, literal_column, select

from ...extensions import db
from ...models import Action, CaseAudit, Judgement, LinkKind, Observation, ObservationStatus, QuickWin, Theme
from ...models.audits import judgement_theme
from ...models.grades import GOOD_OR_BETTER_MAX
from ...models.practice_week import observation_theme
from ...reaudits.services import ReauditFigures, reaudit_figures
from ...reporting import queries
from ...reporting.filters import Filters

SMALL_N = 10  # fewer graded judgements than this and the comparison is flagged as uncertain


@dataclass
class PeriodFigures:
    graded: int = 0  # graded judgements
    good: int = 0  # of which Good or Outstanding
    audits: int = 0  # submitted audits in the period
    audits_raising: int = 0  # of which raised the theme
    observations: int = 0
    observations_raising: int = 0

    @property
    def good_share(self) -> int | None:
        return round(100 * self.good / self.graded) if self.graded else None

    @property
    def small(self) -> bool:
        return self.graded < SMALL_N


@dataclass
class LoopComparison:
    label: str  # "Theme: Voice of the child" / "Audit domain: Voice of the child"
    is_theme: bool
    before: PeriodFigures
    since: PeriodFigures


_SUBMITTED = queries.COUNTED_AUDIT_STATUSES


MODERATED_GRADES = Filters(grades="moderated")


def _period(column, start):
    """'before' or 'since' the action started. The constants are inline SQL, not parameters, so
    PostgreSQL sees the same expression in SELECT and GROUP BY."""
    return case((column < start, literal_column("'before'")), else_=literal_column("'since'")).label("period")


def _figures(rows, names) -> dict[str, PeriodFigures]:
    result = {"before": PeriodFigures(), "since": PeriodFigures()}
    for row in rows:
        for name in names:
            setattr(result[row.period], name, int(getattr(row, name) or 0))
    return result


def _audit_counts(start: datetime, figures: dict):
    period = _period(CaseAudit.submitted_at, start)
    rows = db.session.execute(
        select(period, func.count(CaseAudit.id).label("audits"))
        .where(CaseAudit.status.in_(_SUBMITTED), CaseAudit.submitted_at.is_not(None))
        .group_by(period)
    ).all()
    for row in rows:
        figures[row.period].audits = row.audits


def _graded(*columns, started: datetime):
    """Judgements of submitted audits, before the action started and since, counted with the
    moderator's grade where the audit was moderated: the same grades the theme summary shows."""
    grade = queries.grade_expression(MODERATED_GRADES)
    period = _period(CaseAudit.submitted_at, started)
    return (
        queries.judgements_query(
            MODERATED_GRADES,
            None,
            period,
            func.count(grade).label("graded"),
            func.sum(case((grade <= int(GOOD_OR_BETTER_MAX), 1), else_=0)).label("good"),
            *columns,
        )
        .where(CaseAudit.submitted_at.is_not(None))
        .group_by(period)
    )


def domain_comparison(key: str, started_on: date) -> LoopComparison:
    """How the domain was graded in submitted audits before the action started and since."""
    start = datetime.combine(started_on, time.min, tzinfo=UTC)
    rows = db.session.execute(_graded(started=start).where(Judgement.domain_key == key)).all()
    figures = _figures(rows, ["graded", "good"])
    _audit_counts(start, figures)
    return LoopComparison(f"Audit domain: {queries.domain_label(key)}", False, figures["before"], figures["since"])


def theme_comparison(theme: Theme, started_on: date) -> LoopComparison:
    """How judgements carrying the theme were graded, and how often audits and observations raised it,
    before the action started and since."""
    start = datetime.combine(started_on, time.min, tzinfo=UTC)
    rows = db.session.execute(
        _graded(func.count(distinct(CaseAudit.id)).label("audits_raising"), started=start)
        .join(judgement_theme, judgement_theme.c.judgement_id == Judgement.id)
        .where(judgement_theme.c.theme_id == theme.id)
    ).all()
    figures = _figures(rows, ["graded", "good", "audits_raising"])
    _audit_counts(start, figures)
    observed = _period(Observation.observed_on, started_on)
    rows = db.session.execute(
        select(
            observed,
            func.count(distinct(Observation.id)).label("observations"),
            func.count(distinct(observation_theme.c.observation_id)).label("observations_raising"),
        )
        .select_from(Observation)
        .outerjoin(
            observation_theme,
            and_(observation_theme.c.observation_id == Observation.id, observation_theme.c.theme_id == theme.id),
        )
        .where(Observation.status == ObservationStatus.SUBMITTED.value)
        .group_by(observed)
    ).all()
    for row in rows:
        figures[row.period].observations = row.observations
        figures[row.period].observations_raising = row.observations_raising
    return LoopComparison(f"Theme: {theme.name}", True, figures["before"], figures["since"])


def closing_the_loop(action: Action) -> list[LoopComparison]:
    """A comparison for each theme and audit domain the action is linked to (directly, or through
    a linked audit finding or quick win)."""
    theme_ids, domain_keys = [], []
    for link in action.links:
        if link.kind == LinkKind.THEME:
            theme_ids.append(link.source_id)
        elif link.kind in (LinkKind.DOMAIN, LinkKind.JUDGEMENT) and link.source_key:
            domain_keys.append(link.source_key)
        elif link.kind == LinkKind.QUICK_WIN:
            quick_win = db.session.get(QuickWin, link.source_id)
            if quick_win and quick_win.theme_id:
                theme_ids.append(quick_win.theme_id)
    result = []
    for theme_id in dict.fromkeys(theme_ids):
        theme = db.session.get(Theme, theme_id)
        if theme:
            result.append(theme_comparison(theme, action.started_on))
    for key in dict.fromkeys(domain_keys):
        result.append(domain_comparison(key, action.started_on))
    return result


def reaudit_loop(action: Action) -> ReauditFigures:
    """Re-audits completed in the plan's period (its first month to the end of its last), and how many
    improved, stayed the same or got worse."""
    plan = action.priority.plan
    last = plan.last_month
    return reaudit_figures(plan.first_month, last.replace(day=calendar.monthrange(last.year, last.month)[1]))
