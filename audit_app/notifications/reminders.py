"""Reminders: `flask send-reminders` (daily) asks each feature's reminder source what is due and notifies.

A source is fn(today) yielding (users, kind, subject, link, dedupe_key). Its dedupe key carries a date (the
day, the due date or the month), so running the command twice sends nothing twice."""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from flask import Flask, current_app

from ..extensions import db
from .services import notify

ReminderSource = Callable[[date], Iterable[tuple]]


def add_reminder_source(app: Flask, source: ReminderSource) -> None:
    """Called from a feature's init_app, like add_home_panel."""
    app.extensions.setdefault("reminder_sources", []).append(source)


def send_reminders(today: date) -> int:
    """Every source's reminders for `today`, committed together; how many notifications were added. Sources
    build links with url_for, so they run in a request context (the links are paths; emails add SERVICE_URL)."""
    added = 0
    with current_app.test_request_context():
        for source in current_app.extensions.get("reminder_sources", []):
            for users, kind, subject, link, dedupe_key in source(today):
                added += notify(users, kind, subject, link, dedupe_key=dedupe_key)
    db.session.commit()
    return added


def overdue_week_from(due_on: date, today: date, every_days: int = 7) -> date:
    """For a reminder repeated weekly while something is overdue: the first day of this week's reminder,
    counted from the day after it was due. A dedupe key carrying it sends one reminder a week."""
    weeks = (today - due_on - timedelta(days=1)).days // every_days
    return due_on + timedelta(days=1 + weeks * every_days)
