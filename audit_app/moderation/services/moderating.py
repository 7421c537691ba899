"""Moderating one audit: who may, the auditor's graded judgements, and recording or returning it."""

from collections.abc import Iterable
from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import (
    AuditStatus,
    Case,
    CaseAudit,
    Domain,
    Judgement,
    ModeratedGrade,
    Moderation,
    ModerationDraft,
    ModerationOutcome,
    Question,
    User,
)
from ...models.audits import moderation_sample_audit
from ...models.base import utcnow
from ...models.grades import Grade
from ...permissions import Permission
from ...reporting.queries import applies_to_audit


class ModerationConflict(Exception):
    """The audit is no longer waiting for moderation (someone else moderated or returned it)."""


def check_may_moderate(audit: CaseAudit, user: User) -> None:
    """Moderators never moderate their own audits."""
    if not user.can(Permission.MODERATE_AUDITS) or audit.auditor_id == user.id:
        abort(403)


def check_open_to(audit: CaseAudit, moderator: User) -> None:
    """403 for someone who may not moderate it; ModerationConflict once it is no longer waiting."""
    check_may_moderate(audit, moderator)
    if audit.status != AuditStatus.SUBMITTED:
        raise ModerationConflict(audit.status)


def is_open_to(audit: CaseAudit, moderator: User) -> bool:
    """Waiting for moderation, by someone other than its auditor (the route already needs the permission)."""
    return audit.status == AuditStatus.SUBMITTED and audit.auditor_id != moderator.id


def audit_to_moderate(audit_id: int) -> CaseAudit | None:
    """The audit with what the moderation page shows of it (its case and team, its auditor) in one statement."""
    query = (
        select(CaseAudit)
        .where(CaseAudit.id == audit_id)
        .options(
            joinedload(CaseAudit.case).joinedload(Case.team),
            joinedload(CaseAudit.auditor).joinedload(User.role_rows),
        )
    )
    return db.session.scalars(query).unique().one_or_none()


def graded_judgements(audit: CaseAudit) -> list[Judgement]:
    """The auditor's graded judgements in the tool's order (domain, then question), of what applies."""
    return db.session.scalars(
        select(Judgement)
        .join(Question, Judgement.question_id == Question.id)
        .join(Domain, Question.domain_id == Domain.id)
        .join(CaseAudit, CaseAudit.id == Judgement.audit_id)
        .where(Judgement.audit_id == audit.id, Judgement.grade.is_not(None), applies_to_audit())
        .options(joinedload(Judgement.question).joinedload(Question.domain))
        .order_by(Domain.position, Question.position, Judgement.id)
    ).all()


def completed_moderation(audit: CaseAudit) -> Moderation | None:
    return db.session.scalar(
        select(Moderation)
        .where(Moderation.audit_id == audit.id, Moderation.completed_at.is_not(None))
        .options(selectinload(Moderation.grades), joinedload(Moderation.moderator))
        .order_by(Moderation.completed_at.desc(), Moderation.id.desc())
        .limit(1)
    )


def moderations_of(audit: CaseAudit) -> list[Moderation]:
    return db.session.scalars(
        select(Moderation)
        .where(Moderation.audit_id == audit.id, Moderation.completed_at.is_not(None))
        .options(joinedload(Moderation.moderator))
        .order_by(Moderation.completed_at, Moderation.id)
    ).all()


def _latest_sample_id(audit: CaseAudit) -> int | None:
    return db.session.scalar(
        select(func.max(moderation_sample_audit.c.sample_id)).where(moderation_sample_audit.c.audit_id == audit.id)
    )


@dataclass
class GradeDecision:
    grade: int | None
    rationale: str | None = None


def moderation_errors(audit: CaseAudit, decisions: dict[int, GradeDecision], overall: GradeDecision) -> dict[str, str]:
    """Every graded judgement needs the moderator's grade, and a rationale where it differs.
    Keys are the form's field names."""
    errors: dict[str, str] = {}
    for judgement in graded_judgements(audit):
        decision = decisions.get(judgement.id) or GradeDecision(None)
        title = judgement.question.domain.title
        if decision.grade not in {g.value for g in Grade}:
            errors[f"grade_{judgement.id}"] = f"Select your grade for {title}"
        elif decision.grade != judgement.grade and not (decision.rationale or "").strip():
            errors[f"rationale_{judgement.id}"] = f"Explain why you changed the grade for {title}"
    if overall.grade not in {g.value for g in Grade}:
        errors["overall_grade"] = "Select your overall grade"
    elif overall.grade != audit.overall_grade and not (overall.rationale or "").strip():
        errors["overall_rationale"] = "Explain why you changed the overall grade"
    return errors


def _finish(audit: CaseAudit, moderation: Moderation, status: AuditStatus) -> Moderation:
    """Record the moderation, discard every draft of it (each in the change log) and move the audit on."""
    db.session.add(moderation)
    for draft in db.session.scalars(select(ModerationDraft).where(ModerationDraft.audit_id == audit.id)):
        db.session.delete(draft)
    audit.status = status.value
    if status == AuditStatus.MODERATED:
        from ...practitioners.services import share_audit  # practitioners build on moderation: imported when used

        share_audit(audit)  # shared once moderated when SHARE_AUDITS_WHEN=moderated (once per audit either way)
    db.session.commit()  # the audit's version column refuses a concurrent moderation (StaleDataError)
    return moderation


def moderate(
    audit: CaseAudit,
    moderator: User,
    decisions: dict[int, GradeDecision],
    overall: GradeDecision,
    comments_for_auditor: str | None = None,
) -> Moderation:
    """Record the moderator's grades beside the auditor's (never over them). The outcome is
    'agreed' when every grade matches, otherwise 'changed'. The audit becomes 'moderated'."""
    check_open_to(audit, moderator)
    errors = moderation_errors(audit, decisions, overall)
    if errors:
        raise ValueError(errors)
    judgements = graded_judgements(audit)
    changed = overall.grade != audit.overall_grade or any(decisions[j.id].grade != j.grade for j in judgements)
    moderation = Moderation(
        audit=audit,
        moderator=moderator,
        sample_id=_latest_sample_id(audit),
        outcome=(ModerationOutcome.CHANGED if changed else ModerationOutcome.AGREED).value,
        overall_grade=overall.grade,
        overall_rationale=(overall.rationale or "").strip() or None,
        comments_for_auditor=(comments_for_auditor or "").strip() or None,
        completed_at=utcnow(),
    )
    for judgement in judgements:
        decision = decisions[judgement.id]
        moderation.grades.append(
            ModeratedGrade(
                judgement=judgement, grade=decision.grade, rationale=(decision.rationale or "").strip() or None
            )
        )
    return _finish(audit, moderation, AuditStatus.MODERATED)


def return_to_auditor(audit: CaseAudit, moderator: User, comments: str, about: Iterable[int] = ()) -> Moderation:
    """Send the audit back to its auditor with comments; they edit it and submit it again. `about`: the ids of
    the judgements the comments are about, kept as moderated grades without a grade (returned_about reads them)."""
    check_open_to(audit, moderator)
    if not (comments or "").strip():
        raise ValueError({"comments": "Tell the auditor what to change"})
    moderation = Moderation(
        audit=audit,
        moderator=moderator,
        sample_id=_latest_sample_id(audit),
        outcome=ModerationOutcome.RETURNED.value,
        comments_for_auditor=comments.strip(),
        completed_at=utcnow(),
        grades=[ModeratedGrade(judgement=j) for j in graded_judgements(audit) if j.id in set(about)],
    )
    return _finish(audit, moderation, AuditStatus.RETURNED)
