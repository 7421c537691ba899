"""Recording an action for the child on a shared audit, and marking it done."""

from datetime import date

from flask import url_for
from sqlalchemy import select

from ...audits.services.sharing import is_shared_with
from ...extensions import db
from ...history import HistoryRow, record_history
from ...models import CaseAudit, ChildAction, ChildActionStatus, User
from ...models.base import utcnow
from ...notifications.services import notify
from ...permissions import Permission, Role

ADDED_SUBJECT = "An action for a child whose case was audited has been added for you to see"


def can_manage(user: User, audit: CaseAudit) -> bool:
    """Only a team manager, and only on an audit shared with them (their team's case)."""
    return user.can(Permission.MANAGE_CHILD_ACTIONS) and is_shared_with(audit, user)


def actions_for(audit: CaseAudit) -> list[ChildAction]:
    query = select(ChildAction).where(ChildAction.audit_id == audit.id)
    return list(db.session.scalars(query.order_by(ChildAction.due_date, ChildAction.id)))


def is_overdue(action: ChildAction, today: date | None = None) -> bool:
    return action.status == ChildActionStatus.OPEN and action.due_date < (today or date.today())


def owner_choices(audit: CaseAudit) -> list[tuple[int, str]]:
    """The enabled people of the case's team."""
    people = db.session.execute(
        select(User.id, User.display_name)
        .where(User.team_id == audit.case.team_id, User.is_enabled.is_(True))
        .order_by(User.display_name)
    ).all()
    return [(p.id, p.display_name) for p in people]


def workers_of(audit: CaseAudit) -> list[User]:
    """The social workers the case is allocated to (by worker reference)."""
    if not audit.case.allocated_worker_ref:
        return []
    people = db.session.scalars(select(User).where(User.worker_ref == audit.case.allocated_worker_ref))
    return [p for p in people if p.has_role(Role.PRACTITIONER)]


def add_child_action(
    audit: CaseAudit,
    *,
    description: str,
    owner_id: int | None,
    owner_name: str | None,
    due_date: date,
    agreed_with_worker: bool,
    created_by: User,
) -> ChildAction:
    """A new action on the audit, committed by the caller (save_from_form makes it once per form); the allocated
    worker is told in the same transaction (no case text in the message)."""
    action = ChildAction(
        audit_id=audit.id,
        case_id=audit.case_id,
        description=description.strip(),
        owner_id=owner_id or None,
        owner_name=None if owner_id else (owner_name or "").strip() or None,
        due_date=due_date,
        agreed_with_worker=bool(agreed_with_worker),
        status=ChildActionStatus.OPEN.value,
        created_by_id=created_by.id,
    )
    db.session.add(action)
    notify(workers_of(audit), "child_action_added", ADDED_SUBJECT, url_for("audits.view", audit_id=audit.id))
    return action


def mark_done(action: ChildAction, note: str) -> None:
    if action.status == ChildActionStatus.DONE:
        return  # a repeated tap changes nothing
    action.status = ChildActionStatus.DONE.value
    action.done_at = utcnow()
    action.done_note = note.strip()
    db.session.commit()


FIELD_WORDS = {
    "description": "What will be done",
    "owner_id": "By whom",
    "owner_name": "By whom",
    "due_date": "By when",
    "agreed_with_worker": "Agreed with the worker",
    "status": "Status",
    "done_at": "Done on",
    "done_note": "Note",
}


def history(action: ChildAction) -> list[HistoryRow]:
    return record_history([("child_action", action.id)], lambda c: FIELD_WORDS.get(c.field, c.field))
