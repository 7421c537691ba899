"""Weak evidence that carries no theme: weak audit judgements with no theme, and weak practice-week lens
judgements whose observation has no theme, for the theme summary's period and filters.

A record is named by a key, "judgement-12" or "observation-34": a lens judgement is tagged through its
observation, which is where observations carry their themes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, literal, select

from ..extensions import db
from ..models import Case, CaseAudit, Judgement, LensJudgement, Observation, Team
from ..models.audits import judgement_theme
from ..models.practice_week import observation_theme
from ..parsing import parse_id
from ..reporting.filters import Filters
from ..reporting.queries import grade_expression, judgements_query, observation_conditions
from ..reporting.queries.drill_down import SUPERVISION_LABEL
from ..reporting.queries.rolled import JudgementFigures, served_by_rollups, untagged_judgement_count
from ..reporting.queries.spread import LensFigures

WEAK = 3  # Requires improvement (3) or Inadequate (4)
RECORD_TYPES = ("judgement", "observation")


@dataclass(frozen=True)
class Evidence:
    """One piece of weak evidence as the review and emerging pages show it."""

    record_type: str  # "judgement" or "observation": the record a theme goes on
    record_id: int
    text: str
    when: date | datetime
    case_reference: str | None
    where: str  # domain key or lens key
    grade: int
    team: str | None

    @property
    def key(self) -> str:
        return f"{self.record_type}-{self.record_id}"


def parse_key(value) -> tuple[str, int] | None:
    """("judgement", 12) from "judgement-12"; None for anything else."""
    record_type, _, record_id = str(value or "").partition("-")
    parsed = parse_id(record_id)
    return (record_type, parsed) if record_type in RECORD_TYPES and parsed else None


def _untagged_judgement():
    return ~select(judgement_theme.c.judgement_id).where(judgement_theme.c.judgement_id == Judgement.id).exists()


def _untagged_observation():
    return (
        ~select(observation_theme.c.observation_id).where(observation_theme.c.observation_id == Observation.id).exists()
    )


def _weak_judgements(filters: Filters, *columns):
    grade = grade_expression(filters)
    return judgements_query(filters, filters.period_obj, *columns).where(grade >= WEAK, _untagged_judgement())


def _weak_lenses(filters: Filters, *columns):
    return (
        select(*columns)
        .select_from(LensJudgement)
        .join(Observation, Observation.id == LensJudgement.observation_id)
        .where(
            LensJudgement.grade >= WEAK,
            _untagged_observation(),
            *observation_conditions(filters, filters.period_obj),
        )
    )


@dataclass(frozen=True)
class UntaggedCounts:
    judgements: int
    lens_judgements: int

    @property
    def total(self) -> int:
        return self.judgements + self.lens_judgements


def untagged_counts(
    filters: Filters, figures: JudgementFigures | None = None, lens_figures: LensFigures | None = None
) -> UntaggedCounts:
    """How many weak judgements and weak lens judgements carry no theme (two COUNT queries; the judgements'
    from the rollups when they serve the filters, or from the period's judgement figures when given; the lens
    judgements' from the period's lens figures when given)."""
    judgements = lenses = 0
    if filters.include_audits and served_by_rollups(filters):
        judgements = figures.untagged(WEAK) if figures else untagged_judgement_count(filters, filters.period_obj, WEAK)
    elif filters.include_audits:
        judgements = raw_untagged_judgement_count(filters)
    if filters.include_observations and lens_figures is not None:
        lenses = lens_figures.untagged(WEAK)
    elif filters.include_observations:
        lenses = db.session.scalar(select(func.count()).select_from(_weak_lenses(filters, LensJudgement.id).subquery()))
    return UntaggedCounts(judgements or 0, lenses or 0)


def raw_untagged_judgement_count(filters: Filters) -> int:
    """Weak judgements with no theme, from the raw rows, for filters the rollups cannot serve."""
    query = select(func.count()).select_from(_weak_judgements(filters, Judgement.id).subquery())
    return db.session.scalar(query) or 0


def _evidence(record_type, query, text, order, limit, offset, with_text) -> list[Evidence]:
    """Run a query whose columns are Evidence's fields in order, newest first; `with_text`: only rows whose
    `text` column holds words."""
    if with_text:
        query = query.where(func.length(func.trim(text)) > 0)
    rows = db.session.execute(query.order_by(*order).limit(limit).offset(offset))
    return [Evidence(record_type, row[0], row[1] or "", *row[2:]) for row in rows]


def untagged_judgements(filters: Filters, limit: int, offset: int = 0, with_text: bool = False) -> list[Evidence]:
    """Weak untagged audit judgements, newest first."""
    if not filters.include_audits:
        return []
    reference = func.coalesce(Case.case_reference, literal(SUPERVISION_LABEL))  # a supervision audit has no case
    columns = (Judgement.id, Judgement.evidence, CaseAudit.submitted_at, reference, Judgement.domain_key)
    query = (
        _weak_judgements(filters, *columns, grade_expression(filters).label("grade"), Team.name)
        .outerjoin(Case, Case.id == CaseAudit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
    )
    order = (CaseAudit.submitted_at.desc(), Judgement.id.desc())
    return _evidence("judgement", query, Judgement.evidence, order, limit, offset, with_text)


def untagged_lens_judgements(filters: Filters, limit: int, offset: int = 0, with_text: bool = False) -> list[Evidence]:
    """Weak lens judgements of untagged observations, newest first (each tagged through its observation)."""
    if not filters.include_observations:
        return []
    columns = (Observation.id, LensJudgement.note, Observation.observed_on, Case.case_reference, LensJudgement.lens)
    query = (
        _weak_lenses(filters, *columns, LensJudgement.grade, Team.name)
        .outerjoin(Case, Case.id == Observation.case_id)
        .outerjoin(Team, Team.id == Observation.team_id)
    )
    order = (Observation.observed_on.desc(), LensJudgement.id.desc())
    return _evidence("observation", query, LensJudgement.note, order, limit, offset, with_text)
