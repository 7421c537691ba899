"""Demo actions for the child on SW2001's shared audits (submitted by the practitioners' seeder, which runs
before this one): one done, one overdue, one due later. Idempotent: nothing is added once any action for the
child exists."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ..changelog import acting_as, stamped_at
from ..demo import DEMO_WORKER_REF, add_dated, demo_user
from ..extensions import db
from ..models import Case, CaseAudit, ChildAction, ChildActionStatus
from ..models.base import utcnow

# (what will be done, by whom in words or None for the worker, days from today it is due, done note or None)
ACTIONS = [
    ("Review the safety plan with the child and their carer.", None, -20, "Reviewed at a home visit; plan updated."),
    ("Ask the IRO to bring the review forward.", "IRO", -5, None),
    ("Record the child's own words in the next visit's notes.", None, 21, None),
]


def seed_child_actions(password: str) -> None:
    manager, worker = demo_user("teammanager@example.org"), demo_user("worker@example.org")
    if manager is None or worker is None or db.session.scalar(select(ChildAction.id).limit(1)):
        return
    audits = _worker_audits()
    today = utcnow().date()
    for audit, (description, owner_name, due_in, done_note) in zip(audits, ACTIONS, strict=False):
        due = today + timedelta(days=due_in)
        created = datetime.combine(min(due, today) - timedelta(days=14), datetime.min.time(), tzinfo=UTC)
        with acting_as(manager):
            action = ChildAction(
                audit_id=audit.id,
                case_id=audit.case_id,
                description=description,
                owner_id=None if owner_name else worker.id,
                owner_name=owner_name,
                due_date=due,
                agreed_with_worker=True,
                status=ChildActionStatus.OPEN.value,
                created_by_id=manager.id,
                created_at=created,
            )
            add_dated(action, created)
            if done_note:
                done_at = datetime.combine(due - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
                with stamped_at(done_at):
                    action.status, action.done_at, action.done_note = ChildActionStatus.DONE.value, done_at, done_note
                    db.session.flush()
    db.session.commit()


def _worker_audits() -> list[CaseAudit]:
    return db.session.scalars(
        select(CaseAudit)
        .join(Case, Case.id == CaseAudit.case_id)
        .where(Case.allocated_worker_ref == DEMO_WORKER_REF, CaseAudit.submitted_at.is_not(None))
        .order_by(CaseAudit.submitted_at, CaseAudit.id)
        .limit(len(ACTIONS))
    ).all()
