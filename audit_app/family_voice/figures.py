"""What families said, counted in SQL for the audits a set of filters selects."""

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Case, CaseAudit, FamilyQuote, FamilyVoice, Theme
from ..models.family_voice import DONT_KNOW, SCALED_QUESTIONS, family_quote_theme
from ..reporting.filters import Filters, Period
from ..reporting.queries import rolled
from ..reporting.queries.counted import audit_conditions

CONTACTED_METHODS = ("phone", "visit", "survey")
SCORES = (1, 2, 3, 4, 5)


def _pct(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class ScaleRow:
    key: str
    question: str
    counts: dict[int, int]  # score 1..5 -> answers
    dont_know: int
    average: float | None

    @property
    def n(self) -> int:
        """Answers with a score (don't know counted apart)."""
        return sum(self.counts.values())

    @property
    def high_pct(self) -> int | None:
        return _pct(self.counts[4] + self.counts[5], self.n)

    @property
    def low_pct(self) -> int | None:
        return _pct(self.counts[1] + self.counts[2], self.n)


@dataclass
class FamilyFigures:
    audits: int
    recorded: int
    contacted: int
    consent: int
    scales: list[ScaleRow] = field(default_factory=list)
    quote_themes: list = field(default_factory=list)  # (theme id, name, quotes)

    @property
    def contact_pct(self) -> int | None:
        return _pct(self.contacted, self.audits)

    @property
    def consent_pct(self) -> int | None:
        return _pct(self.consent, self.contacted)


def _selected_audits(filters: Filters, period: Period | None):
    return select(CaseAudit.id).where(*audit_conditions(filters, period)).scalar_subquery()


def family_figures(filters: Filters, period: Period | None = None) -> FamilyFigures:
    """What families said in the audits the filters select: from the rollups when they serve the filters."""
    period = period or filters.period_obj
    if rolled.served_by_rollups(filters):
        return _rolled_family_figures(filters, period)
    return raw_family_figures(filters, period)


def raw_family_figures(filters: Filters, period: Period) -> FamilyFigures:
    """The same from the raw rows, for filters the rollups cannot serve."""
    audit_ids = _selected_audits(filters, period)
    contacted = FamilyVoice.contact_method.in_(CONTACTED_METHODS)
    row = db.session.execute(
        select(
            func.count(CaseAudit.id),
            func.count(FamilyVoice.id),
            func.coalesce(func.sum(case((contacted, 1), else_=0)), 0),
            func.coalesce(func.sum(case((contacted & FamilyVoice.consent_recorded.is_(True), 1), else_=0)), 0),
        )
        .select_from(CaseAudit)
        .outerjoin(FamilyVoice, FamilyVoice.audit_id == CaseAudit.id)
        .where(CaseAudit.id.in_(audit_ids))
    ).one()
    figures = FamilyFigures(*(int(v or 0) for v in row))
    figures.scales = [_scale_row(key, text, audit_ids) for key, text in SCALED_QUESTIONS.items()]
    figures.quote_themes = _quote_themes(audit_ids)
    return figures


def _rolled_family_figures(filters: Filters, period: Period) -> FamilyFigures:
    """The same figures from the monthly rollups (three short queries)."""
    figures = FamilyFigures(*rolled.family_totals(filters, period))
    answers = rolled.family_answers(filters, period)
    figures.scales = [_rolled_scale_row(key, text, answers.get(key, {})) for key, text in SCALED_QUESTIONS.items()]
    figures.quote_themes = rolled.family_quote_themes(filters, period)
    return figures


def _rolled_scale_row(key: str, text: str, answers: dict[int, int]) -> ScaleRow:
    counts = {score: answers.get(score, 0) for score in SCORES}
    scored = sum(counts.values())
    mean = sum(score * n for score, n in counts.items()) / scored if scored else None
    return ScaleRow(key, text, counts, answers.get(DONT_KNOW, 0), round(mean, 1) if mean is not None else None)


def _scale_row(key: str, text: str, audit_ids) -> ScaleRow:
    column = getattr(FamilyVoice, key)
    counted = [func.coalesce(func.sum(case((column == score, 1), else_=0)), 0) for score in (*SCORES, DONT_KNOW)]
    average = func.avg(case((column >= 1, column)))
    values = db.session.execute(select(*counted, average).where(FamilyVoice.audit_id.in_(audit_ids))).one()
    counts = {score: int(values[i]) for i, score in enumerate(SCORES)}
    mean = values[-1]
    return ScaleRow(key, text, counts, int(values[len(SCORES)]), round(float(mean), 1) if mean is not None else None)


def _quotes_query(audit_ids, *columns):
    return (
        select(*columns)
        .select_from(FamilyQuote)
        .join(FamilyVoice, FamilyVoice.id == FamilyQuote.voice_id)
        .join(family_quote_theme, family_quote_theme.c.family_quote_id == FamilyQuote.id)
        .where(FamilyVoice.audit_id.in_(audit_ids))
    )


def _quote_themes(audit_ids) -> list:
    query = _quotes_query(audit_ids, Theme.id, Theme.name, func.count(FamilyQuote.id))
    query = query.join(Theme, Theme.id == family_quote_theme.c.theme_id).group_by(Theme.id, Theme.name)
    return [tuple(r) for r in db.session.execute(query.order_by(func.count(FamilyQuote.id).desc(), Theme.name))]


def quotes_for_theme(filters: Filters, theme_id: int, limit: int = 50) -> list:
    """The quotes tagged with one theme, with the audit each came from: (text, audit id, case reference)."""
    audit_ids = _selected_audits(filters, filters.period_obj)
    query = _quotes_query(audit_ids, FamilyQuote.text, CaseAudit.id, Case.case_reference)
    query = query.join(CaseAudit, CaseAudit.id == FamilyVoice.audit_id).join(Case, Case.id == CaseAudit.case_id)
    query = query.where(family_quote_theme.c.theme_id == theme_id).order_by(CaseAudit.id.desc(), FamilyQuote.position)
    return [tuple(r) for r in db.session.execute(query.limit(limit))]
