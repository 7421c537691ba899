"""When an audit is shared: its response falls due, and the allocated worker and the team's managers are told."""

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from ...audits.services.sharing import shared_statuses
from ...changelog import change_time
from ...extensions import db
from ...models import AuditResponse, Case, CaseAudit, User, UserRole
from ...notifications.services import notify
from ...permissions import ROLE_PERMISSIONS, Permission, Role

SHARED_SUBJECT = "An audit of a case you work with has been shared with you"
DISAGREEMENT_SUBJECT = "A social worker disagrees with an audit's grade: the disagreement needs resolving"
RESOLVED_SUBJECT = "The moderators have resolved your disagreement with an audit"


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    day, added = start, 0
    while added < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return day


def response_due_on(shared_on: date) -> date:
    return add_working_days(shared_on, current_app.config["RESPONSE_WORKING_DAYS"])


def path_for(endpoint: str, **values) -> str:
    """A path in this service, with or without a request (services also run from the CLI and tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


def workers_and_managers(case: Case) -> list[User]:
    """The case's allocated social worker(s) and its team's manager(s) who use the service."""
    whose = []
    if case.allocated_worker_ref:
        whose.append((Role.PRACTITIONER, User.worker_ref == case.allocated_worker_ref))
    if case.team_id:
        whose.append((Role.TEAM_MANAGER, User.team_id == case.team_id))
    people = []
    for role, condition in whose:
        query = select(User).join(UserRole).where(UserRole.role == role.value, condition, User.is_enabled.is_(True))
        people += db.session.scalars(query).all()
    return people


def allocated_workers(case: Case) -> list[User]:
    return [u for u in workers_and_managers(case) if u.has_role(Role.PRACTITIONER) and u.worker_ref]


def shared_on(audit: CaseAudit) -> date:
    """The day the audit was shared: its submission, or its moderation when audits are shared once moderated."""
    if current_app.config["SHARE_AUDITS_WHEN"] == "submitted" and audit.submitted_at is not None:
        return audit.submitted_at.date()
    return change_time().date()


def share_audit(audit: CaseAudit) -> None:
    """Called inside the submit and the moderation, before they commit: once the audit counts as shared,
    its response falls due and the worker and team manager are told, once per audit however often it runs."""
    if audit.status not in shared_statuses() or audit.case is None:  # supervision: no allocated worker
        return
    if db.session.scalar(select(AuditResponse.id).where(AuditResponse.audit_id == audit.id)) is None:
        db.session.add(AuditResponse(audit=audit, due_on=response_due_on(shared_on(audit))))
    link = path_for("audits.view", audit_id=audit.id)
    notify(
        workers_and_managers(audit.case), "audit_shared", SHARED_SUBJECT, link, dedupe_key=f"audit-shared-{audit.id}"
    )


def responses_due(on_date: date) -> list[tuple[CaseAudit, User, date]]:
    """For reminders: the responses still awaited on `on_date` (shared on or before it, not yet sent), as
    (audit, allocated worker, due date), earliest due first. Whether one is due soon or overdue is the
    caller's to say from due_on."""
    rows = db.session.execute(
        select(CaseAudit, User, AuditResponse.due_on)
        .join(AuditResponse, AuditResponse.audit_id == CaseAudit.id)
        .join(Case, Case.id == CaseAudit.case_id)
        .join(User, User.worker_ref == Case.allocated_worker_ref)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            AuditResponse.submitted_at.is_(None),
            AuditResponse.created_at < _day_after(on_date),
            CaseAudit.status.in_(shared_statuses()),
            UserRole.role == Role.PRACTITIONER.value,
            User.is_enabled.is_(True),
        )
        .order_by(AuditResponse.due_on, CaseAudit.id)
    ).all()
    return [(audit, user, due_on) for audit, user, due_on in rows]


def _day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def moderators() -> list[User]:
    roles = [role.value for role, granted in ROLE_PERMISSIONS.items() if Permission.MODERATE_AUDITS in granted]
    query = select(User).join(UserRole).where(UserRole.role.in_(roles), User.is_enabled.is_(True)).distinct()
    return list(db.session.scalars(query))


def notify_moderators(response: AuditResponse) -> None:
    """Everyone who moderates, except the audit's own auditor (moderators never judge their own audits)."""
    people = [u for u in moderators() if u.id != response.audit.auditor_id]
    link = path_for("practitioners.disagreements")
    notify(people, "disagreement", DISAGREEMENT_SUBJECT, link, dedupe_key=f"disagreement-{response.audit_id}")


def notify_worker_of_resolution(response: AuditResponse, domain_key: str) -> None:
    link = path_for("audits.view", audit_id=response.audit_id, _anchor="response")
    notify(
        [response.responded_by] if response.responded_by else [],
        "disagreement_resolved",
        RESOLVED_SUBJECT,
        link,
        dedupe_key=f"resolved-{response.audit_id}-{domain_key}"[:120],
    )
