"""`flask send-reminders`: audits due and overdue, plan RAG updates and every feature's own reminders, each
sent once per its day however often the command runs; and `flask send-notifications` from the command line."""

from datetime import date

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Notification
from audit_app.models.notifications import EmailStatus
from audit_app.permissions import Role
from tests.factories import ActionFactory, CaseAuditFactory, NotificationFactory, PlanFactory, user_with

NOV = date(2021, 11, 1)


def run(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def messages() -> set[tuple[str, str]]:
    rows = db.session.execute(select(Notification.user_id, Notification.subject)).all()
    return {(user_id, subject) for user_id, subject in rows}


def november_work():
    """An audit due on 30 November, one due on 25 November, one submitted, and a plan's open and done actions."""
    soon = CaseAuditFactory(due_date=date(2021, 11, 30), status="in_progress")
    late = CaseAuditFactory(due_date=date(2021, 11, 25))
    CaseAuditFactory(due_date=date(2021, 11, 29), status="submitted")
    plan = PlanFactory(first_month=date(2021, 9, 1), last_month=date(2022, 3, 1))
    owner = ActionFactory(priority__plan=plan).owner
    ActionFactory(priority__plan=plan, rag="complete", completed_on=date(2021, 10, 20))
    return soon, late, owner


def test_reminders_go_once_a_day_however_often_the_command_runs(app):
    soon, late, owner = november_work()
    assert "3 queued" in run(app, "send-reminders", "--date", "2021-11-27")
    assert messages() == {
        (soon.auditor_id, "An audit assigned to you is due on 30 November 2021"),
        (late.auditor_id, "An audit assigned to you is overdue: it was due on 25 November 2021"),
        (owner.id, "The November 2021 RAG update of your improvement plan actions is due by 30 November 2021"),
    }
    assert "0 queued" in run(app, "send-reminders", "--date", "2021-11-27")
    assert "0 queued" in run(app, "send-reminders", "--date", "2021-11-28")  # the next day: nothing new
    assert db.session.scalar(select(db.func.count(Notification.id))) == 3


def test_an_overdue_audit_is_reminded_weekly_and_plan_owners_only_in_the_week_before_the_update(app):
    soon, late, owner = november_work()
    assert "0 queued" in run(app, "send-reminders", "--date", "2021-11-10")  # nothing due, plan update far off
    run(app, "send-reminders", "--date", "2021-11-27")
    assert "2 queued" in run(app, "send-reminders", "--date", "2021-12-03")  # a week on, and the one now late
    late_now = {subject for user_id, subject in messages() if user_id == soon.auditor_id}
    assert "An audit assigned to you is overdue: it was due on 30 November 2021" in late_now
    # December's update a week ahead, and both audits' weekly reminders while still overdue.
    assert "3 queued" in run(app, "send-reminders", "--date", "2021-12-24")
    assert (owner.id, "The December 2021 RAG update of your improvement plan actions is due by 31 December 2021") in (
        messages()
    )


def test_a_feature_registers_its_own_reminders(app, monkeypatch):
    worker = user_with(Role.PRACTITIONER)

    def responses_due(today):
        yield [worker], "response_due", "Your response to an audit is due", "/", f"response-due:1:{today}"

    sources = app.extensions["reminder_sources"]
    monkeypatch.setitem(app.extensions, "reminder_sources", [*sources, responses_due])
    assert "1 queued" in run(app, "send-reminders", "--date", "2021-11-10")
    assert "0 queued" in run(app, "send-reminders", "--date", "2021-11-10")
    assert "1 queued" in run(app, "send-reminders", "--date", "2021-11-11")
    assert messages() == {(worker.id, "Your response to an audit is due")}


def test_send_notifications_from_the_command_line(app, monkeypatch):
    notification = NotificationFactory()
    assert "Sent 0, not sent 1" in run(app, "send-notifications")  # the outbox: nothing leaves
    assert run(app, "send-notifications") == ""  # nothing queued: a quiet pass for cron
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).email_status == EmailStatus.NOT_SENT


def test_send_notifications_fails_loudly_while_the_mail_server_is_down(app, monkeypatch):
    from tests.integration.test_email import free_port

    NotificationFactory()
    monkeypatch.setitem(app.config, "EMAIL_SENDER", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())
    result = app.test_cli_runner().invoke(args=["send-notifications"])
    assert result.exit_code == 1
    assert "Stopped: SMTP server 127.0.0.1" in result.output
    assert db.session.scalar(select(Notification.email_status)) == EmailStatus.QUEUED


def test_send_notifications_loop_waits_out_a_mail_server_outage(app, monkeypatch):
    """--loop: a pass while the server is down, a pause, and the message goes once it is back."""
    from tests.integration.test_email import Inbox, free_port, start_smtp

    port, inbox, controllers = free_port(), Inbox(), []
    notification = NotificationFactory()
    for key, value in {"EMAIL_SENDER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port}.items():
        monkeypatch.setitem(app.config, key, value)

    def pause(seconds):  # the first pause: the server comes back; the second: stop the loop
        assert seconds == 5
        if controllers:
            raise KeyboardInterrupt
        controllers.append(start_smtp(port, inbox))

    monkeypatch.setattr("audit_app.cli.time.sleep", pause)
    try:
        result = app.test_cli_runner().invoke(args=["send-notifications", "--loop", "--interval", "5"])
    finally:
        for controller in controllers:
            controller.stop()
    assert "Stopped: SMTP server 127.0.0.1" in result.output and "Sent 1" in result.output
    assert [recipients for recipients, _ in inbox.messages] == [[notification.user.email]]


def test_production_refuses_email_settings_that_cannot_work(monkeypatch):
    from audit_app import create_app

    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "z" * 48)
    monkeypatch.delenv("SERVICE_URL", raising=False)
    with pytest.raises(RuntimeError, match="NOTIFY_API_KEY"):
        create_app("production", EMAIL_SENDER="notify")
    with pytest.raises(RuntimeError, match="SERVICE_URL"):
        create_app("production", EMAIL_SENDER="smtp")
    monkeypatch.setenv("SERVICE_URL", "https://qa.council.example")
    assert create_app("production", EMAIL_SENDER="smtp").config["EMAIL_SENDER"] == "smtp"
