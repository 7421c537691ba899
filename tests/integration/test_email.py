"""Email: queued notifications go out only from `flask send-notifications`, through a real SMTP server (started
here on loopback) or GOV.UK Notify (a stub on loopback), and an email never holds case text."""

import socket
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Action, Notification
from audit_app.models.notifications import EmailStatus
from audit_app.notifications.reminders import send_reminders
from audit_app.notifications.sending import send_queued
from audit_app.permissions import Role
from tests.conftest import get, post, sign_in_as
from tests.factories import CaseAuditFactory, NotificationFactory, PlanFactory, PriorityFactory, user_with


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message; refuses recipients in `refuse`, and says "try later" to the
    next `busy` messages."""

    def __init__(self, refuse=(), busy=0):
        self.messages, self.refuse, self.busy = [], set(refuse), busy

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.busy:
            self.busy -= 1
            return "451 Try again later"
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted"


@pytest.fixture
def smtp_port():
    return free_port()


def start_smtp(port: int, inbox: Inbox) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def smtp_config(app, port: int, **extra) -> dict:
    return {**app.config, "EMAIL_SENDER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, **extra}


def queued(notification_id: int) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification_id)


def test_a_reminder_reaches_the_auditor_by_smtp_with_a_link_and_no_case_text(app, smtp_port):
    audit = CaseAuditFactory(due_date=date.today() + timedelta(days=2))
    reference = audit.case.case_reference
    send_reminders(date.today())
    inbox = Inbox()
    controller = start_smtp(smtp_port, inbox)
    try:
        result = send_queued(smtp_config(app, smtp_port))
    finally:
        controller.stop()
    assert (result.sent, result.unavailable) == (1, None)
    [(recipients, message)] = inbox.messages
    assert reference not in message.as_string()
    assert recipients == [audit.auditor.email]
    due = date.today() + timedelta(days=2)
    assert message["Subject"] == f"An audit assigned to you is due on {due.day} {due:%B %Y}"
    assert message["From"] == app.config["EMAIL_FROM"]
    body = message.get_content()
    assert f"https://qa.test.example/audits/{audit.id}" in body
    assert audit.case.allocated_worker_ref not in message.as_string()
    notification = db.session.scalar(select(Notification))
    assert notification.email_status == EmailStatus.SENT and notification.emailed_at is not None


def plan_lead_and_action_form(app):
    """A QA lead signed in, and a valid new action for a plan priority that they own."""
    qa = user_with(Role.QA_LEAD)
    priority = PriorityFactory(plan=PlanFactory(), number=1)
    client = app.test_client()
    sign_in_as(client, qa)
    due = date.today() + timedelta(days=30)
    form = {"priority_id": f"priority-{priority.id}", "description": "Refresh the voice toolkit", "owner_id": qa.id}
    return client, {**form, "due_date": [due.day, due.month, due.year]}


def test_a_save_succeeds_while_the_mail_server_is_down_and_the_email_goes_when_it_is_back(app, smtp_port, monkeypatch):
    """A QA lead gives a plan action to an owner: saved and the owner told, while nothing listens for mail."""
    monkeypatch.setitem(app.config, "EMAIL_SENDER", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_port)
    owner = user_with(Role.AUDITOR)
    client, form = plan_lead_and_action_form(app)
    saved = post(client, "plan.new_action", data={**form, "owner_id": owner.id})
    assert saved.status_code == 302 and "/plan/actions/" in saved.headers["Location"]
    notification = db.session.scalar(select(Notification).where(Notification.user_id == owner.id))
    assert notification.subject == "An improvement plan action has been assigned to you"
    assert notification.email_status == EmailStatus.QUEUED

    down = send_queued(app.config)
    assert down.sent == 0 and "127.0.0.1" in down.unavailable
    assert (queued(notification.id).email_status, queued(notification.id).email_attempts) == (EmailStatus.QUEUED, 0)

    inbox = Inbox()
    controller = start_smtp(smtp_port, inbox)
    try:
        assert send_queued(app.config).sent == 1
    finally:
        controller.stop()
    [(recipients, message)] = inbox.messages
    assert recipients == [owner.email]
    assert "https://qa.test.example" + saved.headers["Location"] in message.get_content()
    assert queued(notification.id).email_status == EmailStatus.SENT


def test_an_owner_is_told_of_an_action_given_to_them_not_of_their_own(app):
    owner = user_with(Role.AUDITOR)
    client, form = plan_lead_and_action_form(app)
    post(client, "plan.new_action", data=form)
    assert db.session.scalar(select(Notification)) is None  # one's own action: nothing to tell
    action = db.session.scalar(select(Action))
    post(client, "plan.edit_action", data={**form, "owner_id": owner.id}, action_id=action.id)
    assert db.session.scalars(select(Notification.user_id)).all() == [owner.id]


def test_a_refused_address_is_retried_then_marked_failed_without_holding_up_the_others(app, smtp_port):
    refused, fine = user_with(Role.AUDITOR), user_with(Role.AUDITOR)
    bad = NotificationFactory(user=refused)
    good = NotificationFactory(user=fine)
    inbox = Inbox(refuse={refused.email})
    controller = start_smtp(smtp_port, inbox)
    try:
        config = smtp_config(app, smtp_port, EMAIL_MAX_ATTEMPTS=2)
        first = send_queued(config)
        assert (first.sent, first.retrying) == (1, 1)
        assert queued(bad.id).email_status == EmailStatus.QUEUED
        second = send_queued(config)
        assert (second.sent, second.failed) == (0, 1)
    finally:
        controller.stop()
    assert (queued(bad.id).email_status, queued(bad.id).email_attempts) == (EmailStatus.FAILED, 2)
    assert queued(good.id).email_status == EmailStatus.SENT
    assert [recipients for recipients, _ in inbox.messages] == [[fine.email]]


def test_a_pass_is_bounded_and_the_next_pass_takes_the_rest(app, smtp_port):
    person = user_with(Role.AUDITOR)
    for _ in range(3):
        NotificationFactory(user=person)
    inbox = Inbox()
    controller = start_smtp(smtp_port, inbox)
    try:
        assert send_queued(smtp_config(app, smtp_port), limit=2).sent == 2
        assert send_queued(smtp_config(app, smtp_port), limit=2).sent == 1
        assert send_queued(smtp_config(app, smtp_port), limit=2).handled == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 3


def test_the_outbox_sender_sends_nothing_and_people_without_email_are_not_sent(app):
    person = user_with(Role.AUDITOR)
    notification = NotificationFactory(user=person)
    result = send_queued(app.config)  # the testing default: outbox
    assert (result.not_sent, result.sent) == (1, 0)
    assert queued(notification.id).email_status == EmailStatus.NOT_SENT


def test_two_workers_never_take_the_same_message(app, smtp_port):
    """On PostgreSQL a message another worker holds is skipped, not sent twice."""
    if app.config["DATABASE_NAME"] != "postgresql":
        pytest.skip("row locks (SKIP LOCKED) are PostgreSQL's")
    person = user_with(Role.AUDITOR)
    held, free = NotificationFactory(user=person), NotificationFactory(user=person)
    inbox = Inbox()
    controller = start_smtp(smtp_port, inbox)
    other_worker = db.engine.connect()
    try:
        other_worker.execute(select(Notification).where(Notification.id == held.id).with_for_update())
        result = send_queued(smtp_config(app, smtp_port))
    finally:
        other_worker.rollback()
        other_worker.close()
        controller.stop()
    assert result.sent == 1
    assert queued(held.id).email_status == EmailStatus.QUEUED
    assert queued(free.id).email_status == EmailStatus.SENT


def test_a_server_saying_try_later_leaves_the_message_queued_without_losing_an_attempt(app, smtp_port):
    person = user_with(Role.AUDITOR)
    first, second = NotificationFactory(user=person), NotificationFactory(user=person)
    inbox = Inbox(busy=1)
    controller = start_smtp(smtp_port, inbox)
    try:
        busy = send_queued(smtp_config(app, smtp_port))
        assert busy.sent == 0 and "451" in busy.unavailable
        assert (queued(first.id).email_status, queued(first.id).email_attempts) == (EmailStatus.QUEUED, 0)
        assert send_queued(smtp_config(app, smtp_port)).sent == 2
    finally:
        controller.stop()
    assert queued(second.id).email_status == EmailStatus.SENT


def test_admins_read_the_outbox_what_would_have_been_sent_and_to_whom(app):
    for _ in range(50):
        NotificationFactory(subject="An older message")
    person = user_with(Role.PRACTITIONER, email="sam.worker@example.org")
    NotificationFactory(user=person, subject="An audit of a case allocated to you has been shared", link="/audits/9")
    client = app.test_client()
    sign_in_as(client, user_with(Role.ADMIN))
    page = get(client, "notifications.outbox").text
    assert "nothing leaves the service" in page
    assert "sam.worker@example.org" in page
    assert "An audit of a case allocated to you has been shared" in page
    assert "https://qa.test.example/audits/9" in page
    assert "Queued" in page
    older = get(client, "notifications.outbox", page=2).text  # newest first, 50 a page
    assert "An older message" in older and "sam.worker@example.org" not in older
