"""Reminders for social workers: a response to a shared audit due within three days, and an overdue one once a
week until it is sent. They say when it is due, never which case (the email leaves the service)."""

from datetime import date, timedelta

from flask import url_for

from ..dates import long_date
from ..notifications.reminders import overdue_week_from
from .services import responses_due

DUE_SOON_DAYS = 3
OVERDUE_EVERY_DAYS = 7


def response_reminders(today: date):
    """From responses_due: only the allocated worker is reminded, and only while the response is awaited."""
    for audit, worker, due_on in responses_due(today):
        link = url_for("practitioners.respond", audit_id=audit.id)
        if due_on < today:
            reminded_from = overdue_week_from(due_on, today, OVERDUE_EVERY_DAYS)
            subject = f"Your response to an audit is overdue: it was due on {long_date(due_on)}"
            yield [worker], "response_overdue", subject, link, f"response_overdue:{audit.id}:{reminded_from}"
        elif due_on <= today + timedelta(days=DUE_SOON_DAYS):
            subject = f"Your response to an audit is due on {long_date(due_on)}"
            yield [worker], "response_due", subject, link, f"response_due:{audit.id}:{due_on}"
