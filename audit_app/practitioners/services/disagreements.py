"""Disagreements: the moderators' queue, and a resolution per disagreed domain. A changed grade is recorded
as a moderation (the moderators' grades beside the auditor's), so every figure counts it."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...changelog import change_time
from ...extensions import db
from ...models import (
    Agreement,
    AuditResponse,
    AuditStatus,
    CaseAudit,
    DomainResponse,
    ModeratedGrade,
    Moderation,
    ModerationOutcome,
    Resolution,
    User,
)
from ...moderation.services import check_may_moderate, completed_moderation, graded_judgements
from .sharing import notify_worker_of_resolution


def open_disagreements(page: int, per_page: int = 25):
    """Disagreements still to resolve, the oldest response first."""
    query = (
        select(DomainResponse)
        .join(AuditResponse, AuditResponse.id == DomainResponse.response_id)
        .where(DomainResponse.agreement == Agreement.DISAGREE.value, DomainResponse.resolved_at.is_(None))
        .options(joinedload(DomainResponse.response).joinedload(AuditResponse.audit).joinedload(CaseAudit.case))
        .order_by(AuditResponse.submitted_at, DomainResponse.position, DomainResponse.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def disagreement_for_moderator(disagreement_id: int, user: User) -> DomainResponse:
    """A disagreement this person may resolve: a moderator who is not the audit's own auditor (else 403)."""
    disagreement = db.get_or_404(DomainResponse, disagreement_id)
    if disagreement.agreement != Agreement.DISAGREE.value:
        abort(404)
    check_may_moderate(disagreement.response.audit, user)
    return disagreement


def resolvable(disagreement: DomainResponse) -> bool:
    """Only while the audit stands as submitted or moderated (not while returned to its auditor)."""
    return disagreement.response.audit.status in (AuditStatus.SUBMITTED, AuditStatus.MODERATED)


def resolve(disagreement: DomainResponse, moderator: User, resolution: str, grade: int | None, reason: str) -> bool:
    """Record the moderator's resolution and tell the worker. Returns False when it was resolved already
    (a second post changes nothing). A changed grade becomes the domain's moderated grade."""
    if disagreement.resolved_at is not None:
        return False
    audit = disagreement.response.audit
    disagreement.resolution = Resolution(resolution).value
    disagreement.resolved_grade = grade if resolution == Resolution.CHANGED else None
    disagreement.resolution_reason = reason.strip()
    disagreement.resolved_by = moderator
    disagreement.resolved_at = change_time()
    if resolution == Resolution.CHANGED:
        _moderate_domain(audit, moderator, disagreement.domain_key, grade, reason.strip())
    notify_worker_of_resolution(disagreement.response, disagreement.domain_key)
    db.session.commit()  # the audit's version refuses a moderation made at the same moment
    return True


def _moderate_domain(audit: CaseAudit, moderator: User, domain_key: str, grade: int, reason: str) -> None:
    """A new moderation carrying the latest grades forward, with the disagreed domain's grade changed."""
    previous = completed_moderation(audit) if audit.status == AuditStatus.MODERATED else None
    kept = {g.judgement_id: g for g in previous.grades} if previous else {}
    moderation = Moderation(
        audit=audit,
        moderator=moderator,
        outcome=ModerationOutcome.CHANGED.value,
        overall_grade=previous.overall_grade if previous else audit.overall_grade,
        overall_rationale=previous.overall_rationale if previous else None,
        comments_for_auditor=f"Grade changed after the social worker's disagreement: {reason}",
        completed_at=change_time(),
    )
    for judgement in graded_judgements(audit):
        before = kept.get(judgement.id)
        if judgement.domain_key == domain_key:
            moderation.grades.append(ModeratedGrade(judgement=judgement, grade=grade, rationale=reason))
        else:
            moderation.grades.append(
                ModeratedGrade(
                    judgement=judgement,
                    grade=before.grade if before and before.grade else judgement.grade,
                    rationale=before.rationale if before else None,
                )
            )
    db.session.add(moderation)
    audit.status = AuditStatus.MODERATED.value
