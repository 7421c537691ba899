"""Signing in and out, throttling, idle expiry and session revocation."""
import re
from datetime import datetime, timedelta, timezone

from audit_app import create_app
from audit_app.auth.services import locked_until
from audit_app.extensions import db
from audit_app.models import LoginAttempt
from audit_app.permissions import Role
from tests.conftest import FreshRequestClient, sign_in_as
from tests.factories import PASSWORD, user_with


def sign_in(client, email, password=PASSWORD, **kwargs):
    return client.post("/sign-in", data={"email": email, "password": password}, **kwargs)


def test_sign_in_takes_a_person_to_their_home_page(client):
    user = user_with(Role.AUDITOR, display_name="Sam Auditor")
    response = sign_in(client, user.email.upper(), follow_redirects=True)
    assert response.status_code == 200
    assert "Hello, Sam Auditor" in response.text


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client):
    user = user_with(Role.ADMIN)
    response = sign_in(client, user.email, query_string={"next": "/admin/users"})
    assert response.headers["Location"] == "/admin/users"
    client.post("/sign-out")
    response = sign_in(client, user.email, query_string={"next": "//evil.example/steal"})
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    user = user_with(Role.AUDITOR)
    for email, password in [(user.email, "not the password"), ("nobody@example.org", PASSWORD)]:
        response = sign_in(client, email, password)
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.text
        assert 'class="govuk-error-summary' in response.text
        assert f'value="{email}"' in response.text  # what was typed is kept
        assert PASSWORD not in response.text and "not the password" not in response.text


def test_passwords_are_stored_with_a_current_hash(app):
    user = user_with(Role.AUDITOR)
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_sign_in_is_throttled_after_repeated_failures(client, app):
    user = user_with(Role.AUDITOR)
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
        sign_in(client, user.email, "wrong password!")
    response = sign_in(client, user.email)  # even the right password is refused now
    assert response.status_code == 429
    assert "too many failed attempts" in response.text
    assert "Wait 15 minutes" in response.text
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_throttling_is_shared_by_every_worker(app):
    """Two app instances on one database stand for two gunicorn workers."""
    other_worker = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    other_worker.test_client_class = FreshRequestClient
    user = user_with(Role.AUDITOR)
    first = app.test_client()
    for _ in range(3):
        sign_in(first, user.email, "wrong password!")
    second = other_worker.test_client()
    for _ in range(2):
        sign_in(second, user.email, "wrong password!")
    assert sign_in(first, user.email).status_code == 429
    assert sign_in(second, user.email).status_code == 429
    with other_worker.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_lock_lifts_after_the_lock_period_and_success_resets_the_count(app):
    now = datetime.now(timezone.utc)
    for minutes_ago in (20, 19, 18, 17, 16):
        db.session.add(LoginAttempt(email="a@example.org", succeeded=False, attempted_at=now - timedelta(minutes=minutes_ago)))
    db.session.commit()
    assert locked_until("a@example.org", 5, 15, now=now - timedelta(minutes=10)) is not None
    assert locked_until("a@example.org", 5, 15, now=now) is None
    for seconds_ago in (50, 40, 30, 20):
        db.session.add(LoginAttempt(email="b@example.org", succeeded=False, attempted_at=now - timedelta(seconds=seconds_ago)))
    db.session.add(LoginAttempt(email="b@example.org", succeeded=True, attempted_at=now - timedelta(seconds=10)))
    db.session.add(LoginAttempt(email="b@example.org", succeeded=False, attempted_at=now - timedelta(seconds=5)))
    db.session.commit()
    assert locked_until("b@example.org", 5, 15, now=now) is None


def session_cookie(client):
    return client.get_cookie("qa_session").value


def test_a_session_cookie_replayed_after_sign_out_is_refused(app):
    user = user_with(Role.AUDITOR)
    client = app.test_client()
    sign_in(client, user.email)
    stolen = session_cookie(client)
    assert client.get("/").status_code == 200
    client.post("/sign-out")
    attacker = app.test_client()
    attacker.set_cookie("qa_session", stolen)
    response = attacker.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_disabling_a_user_ends_their_sessions(app):
    admin = user_with(Role.ADMIN)
    person = user_with(Role.AUDITOR)
    their_client = app.test_client()
    sign_in(their_client, person.email)
    assert their_client.get("/").status_code == 200
    admin_client = app.test_client()
    sign_in_as(admin_client, admin)
    response = admin_client.post(
        f"/admin/users/{person.id}",
        data={"email": person.email, "display_name": person.display_name, "roles": ["auditor"]},  # checkbox cleared
    )
    assert response.status_code == 302
    response = their_client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert sign_in(app.test_client(), person.email).status_code == 200  # and cannot sign in again
    assert "Enter a correct email address and password" in sign_in(app.test_client(), person.email).text


def test_idle_sessions_expire(app, client):
    user = user_with(Role.AUDITOR)
    sign_in_as(client, user)
    with client.session_transaction() as session:
        session["last_seen"] = (datetime.now(timezone.utc) - timedelta(minutes=31)).timestamp()
    response = client.get("/admin/cases?reference=CMS")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert "signed out because you had not used the service for 30 minutes" in page.text


def test_sign_out_needs_a_post(client):
    user = user_with(Role.AUDITOR)
    sign_in_as(client, user)
    assert client.get("/sign-out").status_code == 405
    assert client.get("/").status_code == 200


def test_security_events_are_logged_without_passwords(client, caplog):
    user = user_with(Role.AUDITOR)
    caplog.set_level("INFO", logger="audit_app.security")
    sign_in(client, user.email, "my wrong secret")
    sign_in(client, user.email)
    client.get("/admin/users")
    lines = [r.getMessage() for r in caplog.records if r.name == "audit_app.security"]
    assert any('"event": "sign_in"' in l and '"outcome": "failure"' in l and user.email in l for l in lines)
    assert any('"outcome": "success"' in l for l in lines)
    assert any('"event": "access"' in l and '"outcome": "denied"' in l and '"path": "/admin/users"' in l for l in lines)
    assert all(re.search(r'"address": "127\.0\.0\.1"', l) and '"time": ' in l for l in lines)
    assert not any("my wrong secret" in l or PASSWORD in l for l in lines)
