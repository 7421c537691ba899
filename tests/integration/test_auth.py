"""Signing in and out, throttling, idle expiry and session revocation."""

import json
import re
from datetime import UTC, datetime, timedelta
from functools import partial

from flask.testing import FlaskClient
from sqlalchemy import func, select

from audit_app import create_app
from audit_app.auth import services as auth_services
from audit_app.auth.services import ThrottleRules, account_wait_until
from audit_app.extensions import db
from audit_app.models import LoginAttempt
from audit_app.permissions import Role
from tests.conftest import Clock, FreshRequestClient, at_the_same_moment, get, path_for, post, sign_in_as, url
from tests.factories import PASSWORD, user_with


def sign_in(client, email, password=PASSWORD, **kwargs):
    return client.post(url(client, "auth.sign_in"), data={"email": email, "password": password}, **kwargs)


def test_sign_in_takes_a_person_to_their_home_page(client):
    user = user_with(Role.AUDITOR, display_name="Sam Auditor")
    response = sign_in(client, user.email.upper(), follow_redirects=True)
    assert response.status_code == 200
    assert "Hello, Sam Auditor" in response.text


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client):
    user = user_with(Role.QA_LEAD)
    response = sign_in(client, user.email, query_string={"next": path_for("admin.cases")})
    assert response.headers["Location"] == path_for("admin.cases")
    post(client, "auth.sign_out")
    response = sign_in(client, user.email, query_string={"next": "//evil.example/steal"})
    assert response.headers["Location"] == path_for("main.home")


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


def test_sign_in_is_throttled_after_repeated_failures(client, app, monkeypatch):
    clock = Clock(monkeypatch, "audit_app.auth.services.utcnow")  # the wait shown does not drift on a busy machine
    user = user_with(Role.AUDITOR)
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"] - 1):
        assert "Enter a correct email address and password" in sign_in(client, user.email, "wrong password!").text
        clock.advance(seconds=1)
    response = sign_in(client, user.email, "wrong password!")  # the failure that starts the wait says so
    assert response.status_code == 429
    assert "too many failed attempts to sign in with this email address. Wait 30 seconds" in response.text
    response = sign_in(client, user.email)  # even the right password is refused now
    assert response.status_code == 429
    assert "too many failed attempts" in response.text
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
    # The count per address is shared too: failures on other accounts, half through each worker.
    for number in range(20):
        sign_in(first if number % 2 else second, f"nobody{number}@example.org", "wrong", environ_base=FROM_ATTACKER)
    assert "from your network" in sign_in(first, "someone@example.org", environ_base=FROM_ATTACKER).text
    assert "from your network" in sign_in(second, "someone@example.org", environ_base=FROM_ATTACKER).text
    with other_worker.app_context():
        db.session.remove()
        db.engine.dispose()


RULES = ThrottleRules()  # the defaults: 5 free failures, then 30 seconds doubling up to 15 minutes


def failures(email, *moments, address="192.0.2.1"):
    for moment in moments:
        db.session.add(LoginAttempt(email=email, remote_addr=address, succeeded=False, attempted_at=moment))
    db.session.commit()


def test_the_wait_doubles_with_each_consecutive_failure_up_to_the_longest(app):
    now = datetime.now(UTC)
    latest = now - timedelta(seconds=1)
    failures("a@example.org", *[now - timedelta(seconds=50 - n) for n in range(4)])
    assert account_wait_until("a@example.org", RULES, now) is None  # 4 failures are free
    waits = []
    for _ in range(7):
        failures("a@example.org", latest)
        waits.append(account_wait_until("a@example.org", RULES, now) - latest)
    assert [w.total_seconds() for w in waits] == [30, 60, 120, 240, 480, 900, 900]
    assert account_wait_until("a@example.org", RULES, latest + timedelta(minutes=16)) is None  # the wait ends


def test_a_success_or_a_day_without_failures_starts_the_count_again(app):
    now = datetime.now(UTC)
    failures("b@example.org", *[now - timedelta(seconds=20 - n) for n in range(5)])
    assert account_wait_until("b@example.org", RULES, now) is not None
    db.session.add(LoginAttempt(email="b@example.org", succeeded=True, attempted_at=now - timedelta(seconds=10)))
    failures("b@example.org", now - timedelta(seconds=5))
    assert account_wait_until("b@example.org", RULES, now) is None
    failures("c@example.org", *[now - timedelta(hours=25, seconds=n) for n in range(10)])
    failures("c@example.org", now - timedelta(seconds=5))
    assert account_wait_until("c@example.org", RULES, now) is None


FROM_DESK = {"REMOTE_ADDR": "10.1.1.10"}
FROM_ATTACKER = {"REMOTE_ADDR": "10.6.6.6"}
FROM_NEW_PLACE = {"REMOTE_ADDR": "10.2.2.20"}


def security_lines(caplog):
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "audit_app.security"]


def test_a_colleague_typing_wrong_passwords_cannot_lock_a_person_out(app, monkeypatch, caplog):
    caplog.set_level("INFO", logger="audit_app.security")
    clock = Clock(monkeypatch, "audit_app.auth.services.utcnow")
    person = user_with(Role.AUDITOR)
    desk = app.test_client()
    assert sign_in(desk, person.email, environ_base=FROM_DESK).status_code == 302
    post(desk, "auth.sign_out")
    clock.advance(seconds=1)
    attacker = app.test_client()
    for failed in range(1, 9):  # waiting out each wait, so every guess is checked and counted
        sign_in(attacker, person.email, "guessing", environ_base=FROM_ATTACKER)
        clock.advance(
            seconds=(RULES.account_delay(failed) or timedelta(seconds=1)).total_seconds() if failed < 8 else 1
        )
    refused = sign_in(attacker, person.email, environ_base=FROM_ATTACKER)
    assert refused.status_code == 429 and "Wait 4 minutes" in refused.text  # 30s doubled three times
    # An address that has never signed in to this account waits like the attacker...
    assert sign_in(app.test_client(), person.email, environ_base=FROM_NEW_PLACE).status_code == 429
    # ...but the person, from where they signed in before and with no failures, gets in.
    response = sign_in(desk, person.email, environ_base=FROM_DESK)
    assert response.status_code == 302
    assert "Hello," in get(desk, "main.home").text
    events = [(e["outcome"], e.get("reason"), e["address"]) for e in security_lines(caplog) if e["event"] == "sign_in"]
    assert ("failure", None, "10.6.6.6") in events
    assert ("throttled", "account", "10.6.6.6") in events and ("throttled", "account", "10.2.2.20") in events
    passed = [e for e in security_lines(caplog) if e.get("passed_account_delay")]
    assert [(e["outcome"], e["address"], e["user"]) for e in passed] == [("success", "10.1.1.10", person.email)]


def test_a_wrong_password_from_a_trusted_address_still_counts(app, monkeypatch):
    clock = Clock(monkeypatch, "audit_app.auth.services.utcnow")  # the wait shown does not drift on a busy machine
    person = user_with(Role.AUDITOR)
    desk = app.test_client()
    sign_in(desk, person.email, environ_base=FROM_DESK)
    post(desk, "auth.sign_out")
    for _ in range(5):
        clock.advance(seconds=1)
        sign_in(app.test_client(), person.email, "guessing", environ_base=FROM_ATTACKER)
    clock.advance(seconds=1)
    response = sign_in(desk, person.email, "a typo", environ_base=FROM_DESK)  # checked during the wait
    assert response.status_code == 429 and "Wait 1 minute," in response.text  # the sixth failure: 60 seconds
    assert sign_in(desk, person.email, environ_base=FROM_DESK).status_code == 429  # now a failing address


def test_one_address_trying_many_accounts_is_refused_for_a_while(app, monkeypatch, caplog):
    caplog.set_level("INFO", logger="audit_app.security")
    clock = Clock(monkeypatch, "audit_app.auth.services.utcnow")
    person = user_with(Role.AUDITOR)
    attacker = app.test_client()
    for number in range(app.config["SIGN_IN_ADDRESS_MAX_FAILURES"] - 1):
        response = sign_in(attacker, f"person{number}@example.org", "Password1", environ_base=FROM_ATTACKER)
        assert "Enter a correct email address and password" in response.text  # one try each: no account waits
        clock.advance(seconds=1)
    response = sign_in(attacker, "person99@example.org", "Password1", environ_base=FROM_ATTACKER)
    assert response.status_code == 429
    assert "too many failed attempts to sign in from your network. Wait 15 minutes" in response.text
    response = sign_in(attacker, person.email, environ_base=FROM_ATTACKER)  # even a right password
    assert response.status_code == 429 and "from your network" in response.text
    assert sign_in(app.test_client(), person.email, environ_base=FROM_DESK).status_code == 302  # others are not
    clock.advance(minutes=14)
    assert sign_in(attacker, person.email, environ_base=FROM_ATTACKER).status_code == 429
    clock.advance(minutes=1, seconds=1)
    assert sign_in(attacker, person.email, environ_base=FROM_ATTACKER).status_code == 302
    events = [(e["outcome"], e.get("reason")) for e in security_lines(caplog) if e["address"] == "10.6.6.6"]
    assert ("throttled", "address") in events and ("success", None) in events


def test_behind_a_proxy_each_client_address_is_counted_separately(app):
    proxied = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXY_COUNT=1
    )
    proxied.test_client_class = FreshRequestClient
    person = user_with(Role.AUDITOR)
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for number in range(20):
        sign_in(
            proxied.test_client(),
            f"x{number}@example.org",
            "wrong",
            environ_base=via_proxy,
            headers={"X-Forwarded-For": "203.0.113.5"},
        )
    refused = sign_in(
        proxied.test_client(), person.email, environ_base=via_proxy, headers={"X-Forwarded-For": "203.0.113.5"}
    )
    assert refused.status_code == 429
    other = sign_in(
        proxied.test_client(), person.email, environ_base=via_proxy, headers={"X-Forwarded-For": "203.0.113.6"}
    )
    assert other.status_code == 302
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_burst_of_simultaneous_guesses_gets_no_more_checks_than_the_rule_allows(app, monkeypatch):
    """Eight guesses at the same moment, each in its own thread and database session, at an account
    with one free failure left: at most one password is checked, not eight, on SQLite and PostgreSQL
    alike. (Attempts that claim their place at the very same moment may all be refused: they count
    each other. Refusing one guess too many is the safe side.)"""
    email = user_with(Role.AUDITOR).email
    now = datetime.now(UTC)
    failures(email, *[now - timedelta(seconds=40 - n) for n in range(RULES.account_free_failures - 1)])
    checked = []
    check_password = auth_services._check_password

    def counting_check(email, password):
        checked.append(password)
        return check_password(email, password)

    monkeypatch.setattr(auth_services, "_check_password", counting_check)
    clients = [FlaskClient(app, app.response_class, use_cookies=True) for _ in range(8)]
    responses = at_the_same_moment(
        [
            partial(sign_in, client, email, f"guess {i}", environ_base={"REMOTE_ADDR": f"10.9.9.{i}"})
            for i, client in enumerate(clients)
        ]
    )
    assert len(checked) <= 1
    assert [r.status_code for r in responses] == [429] * len(clients)  # one checked is the 5th failure: wait
    db.session.expire_all()
    stored = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.email == email))
    assert stored == RULES.account_free_failures - 1 + len(checked)  # refused attempts are not counted


def session_cookie(client):
    return client.get_cookie("qa_session").value


def test_a_session_cookie_replayed_after_sign_out_is_refused(app):
    user = user_with(Role.AUDITOR)
    client = app.test_client()
    sign_in(client, user.email)
    stolen = session_cookie(client)
    assert get(client, "main.home").status_code == 200
    post(client, "auth.sign_out")
    attacker = app.test_client()
    attacker.set_cookie("qa_session", stolen)
    response = get(attacker, "main.home")
    assert response.status_code == 302 and path_for("auth.sign_in") in response.headers["Location"]


def test_disabling_a_user_ends_their_sessions(app):
    admin = user_with(Role.ADMIN)
    person = user_with(Role.AUDITOR)
    their_client = app.test_client()
    sign_in(their_client, person.email)
    assert get(their_client, "main.home").status_code == 200
    admin_client = app.test_client()
    sign_in_as(admin_client, admin)
    response = post(
        admin_client,
        "admin.user",
        user_id=person.id,
        data={"email": person.email, "display_name": person.display_name, "roles": ["auditor"]},
    )
    assert response.status_code == 302
    response = get(their_client, "main.home")
    assert response.status_code == 302 and path_for("auth.sign_in") in response.headers["Location"]
    assert sign_in(app.test_client(), person.email).status_code == 200  # and cannot sign in again
    assert "Enter a correct email address and password" in sign_in(app.test_client(), person.email).text


def test_idle_sessions_expire(app, client):
    user = user_with(Role.AUDITOR)
    sign_in_as(client, user)
    with client.session_transaction() as session:
        session["last_seen"] = (datetime.now(UTC) - timedelta(minutes=31)).timestamp()
    response = get(client, "admin.cases", reference="CMS")
    assert response.status_code == 302 and path_for("auth.sign_in") in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert "signed out because you had not used the service for 30 minutes" in page.text


def test_the_session_cookie_is_rewritten_at_most_once_a_minute(app, monkeypatch):
    clock = Clock(monkeypatch, timestamp_targets=["audit_app.security.now_timestamp"])
    client = app.test_client()
    sign_in(client, user_with(Role.AUDITOR).email)

    def rewrites_cookie():
        response = get(client, "main.home")
        assert response.status_code == 200
        return any(c.startswith("qa_session=") for c in response.headers.getlist("Set-Cookie"))

    assert rewrites_cookie()  # the first page adds the CSRF token
    clock.advance(seconds=59)
    assert not rewrites_cookie()  # within the minute: last_seen stands, nothing to re-sign
    clock.advance(seconds=2)
    assert rewrites_cookie()  # a minute on: last_seen moves, and the cookie's expiry with it
    assert not rewrites_cookie()
    clock.advance(minutes=29, seconds=59)
    assert rewrites_cookie()  # idle for just under 30 minutes since last_seen moved: still signed in


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, monkeypatch, caplog):
    caplog.set_level("INFO", logger="audit_app.security")
    clock = Clock(monkeypatch, timestamp_targets=["audit_app.security.now_timestamp"])
    user = user_with(Role.AUDITOR)
    client = app.test_client()
    sign_in(client, user.email)
    for _ in range(47):  # busy all day: a page every 15 minutes, never idle, for 11 hours 45 minutes
        clock.advance(minutes=15)
        assert get(client, "main.home").status_code == 200
    clock.advance(minutes=15, seconds=1)  # 12 hours and a second after signing in
    response = get(client, "audits.my_audits")
    assert response.status_code == 302 and path_for("auth.sign_in") in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert "You were signed out because you signed in more than 12 hours ago. Sign in again to continue." in page.text
    assert get(client, "main.home").status_code == 302  # the old cookie no longer signs anyone in
    expired = [json.loads(r.getMessage()) for r in caplog.records if '"session_expired"' in r.getMessage()]
    assert [(e["reason"], e["user"]) for e in expired] == [("lifetime", user.email)]


def test_the_session_lifetime_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", 1)
    clock = Clock(monkeypatch, timestamp_targets=["audit_app.security.now_timestamp"])
    client = app.test_client()
    sign_in(client, user_with(Role.AUDITOR).email)
    for minutes in (20, 20, 19):
        clock.advance(minutes=minutes)
        assert get(client, "main.home").status_code == 200
    clock.advance(minutes=2)
    response = get(client, "main.home", follow_redirects=True)
    assert "You were signed out because you signed in more than 1 hour ago." in response.text


def test_sign_out_needs_a_post(client):
    user = user_with(Role.AUDITOR)
    sign_in_as(client, user)
    assert get(client, "auth.sign_out").status_code == 405
    assert get(client, "main.home").status_code == 200


def test_security_events_are_logged_without_passwords(client, caplog):
    user = user_with(Role.AUDITOR)
    caplog.set_level("INFO", logger="audit_app.security")
    sign_in(client, user.email, "my wrong secret")
    sign_in(client, user.email)
    get(client, "admin.users")
    lines = [r.getMessage() for r in caplog.records if r.name == "audit_app.security"]
    assert any('"event": "sign_in"' in l and '"outcome": "failure"' in l and user.email in l for l in lines)
    assert any('"outcome": "success"' in l for l in lines)
    assert any(
        '"event": "access"' in l and '"outcome": "denied"' in l and f'"path": "{path_for("admin.users")}"' in l
        for l in lines
    )
    assert all(re.search(r'"address": "127\.0\.0\.1"', l) and '"time": ' in l for l in lines)
    assert not any("my wrong secret" in l or PASSWORD in l for l in lines)
