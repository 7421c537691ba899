"""Joiners, movers and leavers: `flask disable-inactive`, role changes with who made them, and the users
page in order of last sign-in."""

import json
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ChangeLog
from audit_app.permissions import Role
from tests.conftest import get, post, sign_in_as
from tests.factories import user_with

NOW = datetime.now(UTC)


def test_disable_inactive_disables_unused_accounts_once_and_logs_each(app, caplog, monkeypatch):
    caplog.set_level(logging.INFO, "audit_app.security")
    monkeypatch.setitem(app.config, "BREAK_GLASS_EMAILS", ["glass@example.org"])
    glass = user_with(Role.ADMIN, email="glass@example.org", last_sign_in_at=NOW - timedelta(days=400))
    stale = user_with(Role.AUDITOR, email="stale@example.org", last_sign_in_at=NOW - timedelta(days=91))
    recent = user_with(Role.AUDITOR, email="recent@example.org", last_sign_in_at=NOW - timedelta(days=89))
    never = user_with(Role.AUDITOR, email="never@example.org", created_at=NOW - timedelta(days=120))
    new = user_with(Role.AUDITOR, email="new@example.org", created_at=NOW - timedelta(days=3))
    old_token = stale.session_token
    runner = app.test_cli_runner()

    result = runner.invoke(args=["disable-inactive"])
    assert result.exit_code == 0, result.output
    assert "Disabled never@example.org\nDisabled stale@example.org\n2 accounts not used for 90 days" in result.output
    for user in (stale, recent, never, new):
        db.session.refresh(user)
    assert [u.is_enabled for u in (stale, recent, never, new)] == [False, True, False, True]
    db.session.refresh(glass)
    assert glass.is_enabled  # kept for when single sign-on fails
    assert stale.session_token != old_token  # any session it had has ended
    changes = db.session.scalars(select(ChangeLog).where(ChangeLog.record_id == stale.id)).all()
    assert {(c.field, c.old_value, c.new_value) for c in changes} >= {
        ("is_enabled", "yes", "no"),
        ("reason disabled", None, "not used for 90 days"),
    }
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "audit_app.security"]
    assert sorted(e["user"] for e in events if e["event"] == "account_disabled") == [
        "never@example.org",
        "stale@example.org",
    ]

    again = runner.invoke(args=["disable-inactive"])
    assert "0 accounts not used for 90 days disabled." in again.output
    assert len(db.session.scalars(select(ChangeLog).where(ChangeLog.field == "reason disabled")).all()) == 2

    shorter = runner.invoke(args=["disable-inactive", "--days", "60"])
    assert "Disabled recent@example.org\n1 account not used for 60 days disabled." in shorter.output
    assert runner.invoke(args=["disable-inactive", "--days", "0"]).exit_code != 0


def test_a_role_change_records_who_made_it(client):
    admin = user_with(Role.ADMIN)
    person = user_with(Role.AUDITOR, email="mover@example.org", display_name="Mo Ver")
    sign_in_as(client, admin)
    response = post(
        client,
        "admin.user",
        user_id=person.id,
        data={"email": person.email, "display_name": "Mo Ver", "roles": ["qa_lead"], "is_enabled": "y"},
    )
    assert response.status_code == 302
    change = db.session.scalar(select(ChangeLog).where(ChangeLog.record_id == person.id, ChangeLog.field == "roles"))
    assert (change.user_id, change.old_value, change.new_value) == (admin.id, "auditor", "qa_lead")
    assert "Mo Ver" in get(client, "admin.user", user_id=person.id).text


def test_the_users_page_orders_by_last_sign_in_with_never_signed_in_first(client):
    admin = user_with(Role.ADMIN, display_name="Aa Admin", last_sign_in_at=NOW)
    user_with(Role.AUDITOR, display_name="Bb Old", last_sign_in_at=datetime(2021, 10, 5, 9, 30, tzinfo=UTC))
    user_with(Role.AUDITOR, display_name="Zz Never")
    sign_in_as(client, admin)

    def table(**order):  # the page's header names the signed-in admin too: read the table only
        return get(client, "admin.users", **order).text.partition("<tbody")[2]

    by_name = table()
    assert by_name.index("Aa Admin") < by_name.index("Bb Old") < by_name.index("Zz Never")
    by_use = table(order="last_sign_in")
    assert by_use.index("Zz Never") < by_use.index("Bb Old") < by_use.index("Aa Admin")
    assert "Never signed in" in by_use and "5 October 2021" in by_use
    assert get(client, "admin.users", order="'; drop table user").status_code == 200
