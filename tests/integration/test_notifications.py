"""Notifications: on each person's home page and their own list, never anyone else's, each sent once per key."""

import pytest
from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Notification
from audit_app.notifications.services import notify
from audit_app.permissions import Role
from tests.conftest import get, post, sign_in_as
from tests.factories import NotificationFactory, user_with


def _client(app, user):
    client = app.test_client()
    sign_in_as(client, user)
    return client


def test_a_notification_shows_on_the_home_page_until_read(app):
    worker = user_with(Role.PRACTITIONER, worker_ref="SW5001")
    notify([worker], "audit_shared", "An audit of a case allocated to you has been shared with you", "/audits/")
    db.session.commit()
    client = _client(app, worker)
    home = get(client, "main.home").text
    assert "Notifications (1 new)" in home
    assert "An audit of a case allocated to you has been shared with you" in home
    notification = db.session.scalar(select(Notification).where(Notification.user_id == worker.id))
    followed = get(client, "notifications.follow", notification_id=notification.id)
    assert (followed.status_code, followed.headers["Location"]) == (302, "/audits/")
    assert "Notifications (1 new)" not in get(client, "main.home").text
    assert "New" not in get(client, "notifications.index").text.split("<h1", 1)[1].split("</main>")[0]


def test_no_one_opens_another_persons_notification(app):
    theirs = NotificationFactory()
    client = _client(app, user_with(Role.QA_LEAD))
    assert get(client, "notifications.follow", notification_id=theirs.id).status_code == 404
    assert theirs.subject not in get(client, "notifications.index").text
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_all_as_read(app):
    person = user_with(Role.AUDITOR)
    for _ in range(3):
        NotificationFactory(user=person)
    other = NotificationFactory()
    response = post(_client(app, person), "notifications.mark_all_read", follow_redirects=True)
    assert "Marked 3 notifications as read." in response.text
    unread = select(func.count()).where(Notification.read_at.is_(None))
    assert db.session.scalar(unread) == 1
    db.session.refresh(other)
    assert other.read_at is None


def test_a_key_sends_once_per_person_and_disabled_people_get_nothing(app):
    first, second = user_with(Role.TEAM_MANAGER), user_with(Role.TEAM_MANAGER)
    gone = user_with(Role.TEAM_MANAGER, is_enabled=False)
    assert notify([first], "reminder", "A response is due", "/", dedupe_key="due:1:2026-11-26") == 1
    db.session.commit()
    assert notify([first, second, gone], "reminder", "A response is due", "/", dedupe_key="due:1:2026-11-26") == 1
    db.session.commit()
    counts = dict(db.session.execute(select(Notification.user_id, func.count()).group_by(Notification.user_id)).all())
    assert counts == {first.id: 1, second.id: 1}


def test_a_notification_links_only_inside_the_service(app):
    person = user_with(Role.AUDITOR)
    for link in ("https://elsewhere.example/", "//elsewhere.example/"):
        with pytest.raises(ValueError):
            notify([person], "x", "Something happened", link)


def test_someone_with_nothing_sees_an_empty_list(app):
    text = get(_client(app, user_with(Role.AUDITOR)), "notifications.index").text
    assert "No notifications yet" in text
