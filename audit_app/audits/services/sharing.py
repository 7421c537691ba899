"""Which audits are shared with the people whose practice they looked at: the allocated social worker
(cases carrying their worker reference) and the team manager (their team's cases)."""

from flask import current_app
from sqlalchemy import Select, and_, false, or_, select

from ...models import AuditStatus, Case, CaseAudit, User
from ...permissions import Role


def shared_statuses() -> tuple[str, ...]:
    """Audits are shared once submitted, or only once moderated when SHARE_AUDITS_WHEN=moderated."""
    if current_app.config["SHARE_AUDITS_WHEN"] == "moderated":
        return (AuditStatus.MODERATED.value,)
    return (AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value)


def sharing_condition(user: User):
    """SQL condition on CaseAudit joined to Case: the audits shared with this person (none for other roles)."""
    whose = []
    if user.has_role(Role.PRACTITIONER) and user.worker_ref:
        whose.append(Case.allocated_worker_ref == user.worker_ref)
    if user.has_role(Role.TEAM_MANAGER) and user.team_id:
        whose.append(Case.team_id == user.team_id)
    if not whose:
        return false()
    return and_(CaseAudit.status.in_(shared_statuses()), or_(*whose))


def shared_audits(user: User) -> Select:
    """The audits shared with this person, most recently submitted first."""
    return (
        select(CaseAudit)
        .join(Case, Case.id == CaseAudit.case_id)
        .where(sharing_condition(user))
        .order_by(CaseAudit.submitted_at.desc(), CaseAudit.id.desc())
    )


def is_shared_with(audit: CaseAudit, user: User) -> bool:
    if audit.status not in shared_statuses() or audit.case is None:  # supervision audits are not shared
        return False
    case = audit.case
    is_worker = (
        user.has_role(Role.PRACTITIONER) and bool(user.worker_ref) and case.allocated_worker_ref == user.worker_ref
    )
    is_manager = user.has_role(Role.TEAM_MANAGER) and bool(user.team_id) and case.team_id == user.team_id
    return is_worker or is_manager
