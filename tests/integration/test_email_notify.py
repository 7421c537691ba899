"""GOV.UK Notify: the request the sender makes, checked against a stub of the Notify API on loopback."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from audit_app.extensions import db
from audit_app.models import Notification
from audit_app.models.notifications import EmailStatus
from audit_app.notifications.sending import send_queued
from audit_app.permissions import Role
from tests.factories import NotificationFactory, user_with

SERVICE_ID, SECRET, TEMPLATE_ID = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())


class NotifyStub(BaseHTTPRequestHandler):
    """Answers every POST with the server's next status, keeping what was asked."""

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, dict(self.headers), body))
        status = self.server.statuses.pop(0) if self.server.statuses else 201
        answer = {"id": str(uuid.uuid4())} if status == 201 else {"errors": [{"message": "refused"}]}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def notify_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotifyStub)
    server.requests, server.statuses = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def notify_config(app, server) -> dict:
    return {
        **app.config,
        "EMAIL_SENDER": "notify",
        "NOTIFY_API_KEY": f"qa_test_key-{SERVICE_ID}-{SECRET}",
        "NOTIFY_TEMPLATE_ID": TEMPLATE_ID,
        "NOTIFY_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}",
    }


def status_of(notification_id: int) -> tuple[str, int]:
    db.session.expire_all()
    notification = db.session.get(Notification, notification_id)
    return notification.email_status, notification.email_attempts


def test_notify_is_asked_to_email_the_person_with_the_template_subject_and_link(app, notify_api):
    person = user_with(Role.TEAM_MANAGER)
    notification = NotificationFactory(user=person, subject="An action for a child is overdue", link="/audits/7")
    result = send_queued(notify_config(app, notify_api))
    assert result.sent == 1
    [(path, headers, body)] = notify_api.requests
    assert path == "/v2/notifications/email"
    assert body["email_address"] == person.email
    assert body["template_id"] == TEMPLATE_ID
    personalisation = body["personalisation"]
    assert personalisation["subject"] == "An action for a child is overdue"
    assert personalisation["link"] == "https://qa.test.example/audits/7"
    assert "https://qa.test.example/audits/7" in personalisation["body"]
    token = headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID
    assert status_of(notification.id) == (EmailStatus.SENT, 1)


def test_notify_refusing_an_address_costs_an_attempt_and_notify_down_costs_none(app, notify_api):
    first, second = NotificationFactory(), NotificationFactory()
    notify_api.statuses = [400, 500]
    result = send_queued(notify_config(app, notify_api))
    assert result.retrying == 1 and "GOV.UK Notify" in result.unavailable
    assert status_of(first.id) == (EmailStatus.QUEUED, 1)
    assert status_of(second.id) == (EmailStatus.QUEUED, 0)
    assert send_queued(notify_config(app, notify_api)).sent == 2
    assert [status_of(n.id)[0] for n in (first, second)] == [EmailStatus.SENT, EmailStatus.SENT]
