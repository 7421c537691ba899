"""Reminders for auditors: an audit due within three days, and an overdue one once a week until submitted."""

from datetime import date, timedelta

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..dates import long_date
from ..extensions import db
from ..models import CaseAudit
from ..notifications.reminders import overdue_week_from
from .services.access import EDITABLE

DUE_SOON_DAYS = 3
OVERDUE_EVERY_DAYS = 7


def _open_audits_due(on_or_after: date, on_or_before: date) -> list[CaseAudit]:
    query = (
        select(CaseAudit)
        .where(
            CaseAudit.status.in_(EDITABLE),
            CaseAudit.due_date >= on_or_after,
            CaseAudit.due_date <= on_or_before,
        )
        .options(selectinload(CaseAudit.auditor))
        .order_by(CaseAudit.id)
    )
    return list(db.session.scalars(query))


def _reminder(audit: CaseAudit, kind: str, subject: str, key_date: date) -> tuple:
    link = url_for("audits.task_list", audit_id=audit.id)
    return [audit.auditor], kind, subject, link, f"{kind}:{audit.id}:{key_date.isoformat()}"


def audit_reminders(today: date):
    """What the auditor is told: when it is due, never which case (the email leaves the service)."""
    for audit in _open_audits_due(today, today + timedelta(days=DUE_SOON_DAYS)):
        subject = f"An audit assigned to you is due on {long_date(audit.due_date)}"
        yield _reminder(audit, "audit_due", subject, audit.due_date)
    for audit in _open_audits_due(date.min, today - timedelta(days=1)):
        reminded_from = overdue_week_from(audit.due_date, today, OVERDUE_EVERY_DAYS)
        subject = f"An audit assigned to you is overdue: it was due on {long_date(audit.due_date)}"
        yield _reminder(audit, "audit_overdue", subject, reminded_from)
