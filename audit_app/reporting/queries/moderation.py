"""How often moderation changed a grade."""

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from ...extensions import db
from ...models import AuditStatus, CaseAudit, Judgement
from ..filters import Filters, Period
from .counted import ModeratorsGrade, audit_conditions, judgements_query
from .rolled import JudgementFigures, audit_counts, changed_judgement_count, served_by_rollups


@dataclass
class ModerationFigures:
    audits: int  # audits counted in the period
    moderated_audits: int
    changed_judgements: int  # judgements whose moderated grade differs from the auditor's


def moderation_figures(filters: Filters, judgements: JudgementFigures | None = None) -> ModerationFigures:
    """Pass the period's judgement figures when already read."""
    period = filters.period_obj
    if served_by_rollups(filters):
        ((audits, moderated),) = audit_counts(filters, period)
        changed = judgements.changed() if judgements else changed_judgement_count(filters, period)
        return ModerationFigures(audits, moderated, changed)
    audits, moderated = raw_audit_counts(filters, period)
    return ModerationFigures(audits, moderated, raw_changed_judgement_count(filters, period))


def raw_audit_counts(filters: Filters, period: Period) -> tuple[int, int]:
    """(audits, moderated audits) from the raw rows, for filters the rollups cannot serve."""
    audits, moderated = db.session.execute(
        select(func.count(), func.count(case((CaseAudit.status == AuditStatus.MODERATED.value, 1)))).where(
            *audit_conditions(filters, period)
        )
    ).one()
    return audits or 0, moderated or 0


def raw_changed_judgement_count(filters: Filters, period: Period) -> int:
    """Judgements whose latest moderator's grade differs from the auditor's, from the raw rows."""
    query = judgements_query(filters, period, func.count(), moderation=True).where(
        ModeratorsGrade.grade.is_not(None),
        or_(Judgement.grade.is_(None), ModeratorsGrade.grade != Judgement.grade),
    )
    return db.session.scalar(query) or 0
