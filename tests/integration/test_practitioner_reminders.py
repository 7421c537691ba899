"""`flask send-reminders` reminds the allocated social worker of a response due within three days, and of an
overdue one once a week, until they send it: never twice for the same day, never the case. SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from audit_app.dates import long_date
from audit_app.extensions import db
from audit_app.models import Notification
from audit_app.practitioners import services
from tests.integration.test_reminders import run
from tests.practitioner_scene import make_scene

TODAY = date.today()


@pytest.fixture
def scene(app):
    """The shared audit's response falls due in three days (it was shared today)."""
    scene = make_scene()
    services.response_for(scene["audit"]).due_on = TODAY + timedelta(days=3)
    db.session.commit()
    return scene


def remind(app, day: date) -> str:
    return run(app, "send-reminders", "--date", day.isoformat())


def reminders() -> list[tuple[int, str, str, str]]:
    kinds = ("response_due", "response_overdue")
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.subject, Notification.link)
        .where(Notification.kind.in_(kinds))
        .order_by(Notification.id)
    )
    return [tuple(row) for row in rows]


def test_the_worker_is_reminded_once_when_the_response_is_due_soon_and_weekly_once_overdue(app, scene):
    worker, audit = scene["worker"], scene["audit"]
    link = f"/practitioners/audits/{audit.id}/respond"
    due = TODAY + timedelta(days=3)
    assert "1 queued" in remind(app, TODAY)
    assert reminders() == [
        (worker.id, "response_due", f"Your response to an audit is due on {long_date(due)}", link),
    ]
    assert "0 queued" in remind(app, TODAY)  # twice the same day sends nothing twice
    assert "0 queued" in remind(app, TODAY + timedelta(days=1))  # due soon: once, not every day
    assert "1 queued" in remind(app, due + timedelta(days=1))  # the day after it was due
    assert "0 queued" in remind(app, due + timedelta(days=1))
    assert "0 queued" in remind(app, due + timedelta(days=7))
    assert "1 queued" in remind(app, due + timedelta(days=8))  # a week on, still not sent
    overdue = f"Your response to an audit is overdue: it was due on {long_date(due)}"
    assert reminders()[1:] == [(worker.id, "response_overdue", overdue, link)] * 2
    for _, _, subject, link in reminders():  # the email leaves the service: never the case
        assert "CMS700001" not in subject + link


def test_a_response_is_not_reminded_before_it_is_due_soon_nor_once_it_is_sent(app, scene):
    assert "0 queued" in remind(app, TODAY - timedelta(days=1))  # not yet shared that day
    services.response_for(scene["audit"]).due_on = TODAY + timedelta(days=4)
    db.session.commit()
    assert "0 queued" in remind(app, TODAY)  # four days ahead: not yet
    answers = {"plans": ("agree", ""), "visits": ("agree", "")}
    services.submit_response(scene["audit"], scene["worker"], "I will plan visits.", answers)
    for day in (TODAY + timedelta(days=1), TODAY + timedelta(days=10)):
        assert "0 queued" in remind(app, day)
    assert reminders() == []  # nobody else (the colleague, the team manager) was reminded either
