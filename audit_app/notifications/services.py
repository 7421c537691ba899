"""Notifying people: one row per person and message, in the caller's transaction."""

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Notification, User
from ..models.base import utcnow

PANEL_SIZE = 5


def notify(users: Iterable[User], kind: str, subject: str, link: str, dedupe_key: str | None = None) -> int:
    """Tell each person (once per dedupe_key, when given) that something happened. Added to the caller's
    session, committed with its change. The subject and link go by email: what happened, never case text.
    Returns how many were added."""
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError("A notification links to a page of this service (a path), never elsewhere")
    people = {user.id: user for user in users if user is not None and user.is_enabled}
    if dedupe_key and people:
        already = db.session.scalars(
            select(Notification.user_id).where(Notification.user_id.in_(people), Notification.dedupe_key == dedupe_key)
        )
        for user_id in already:
            people.pop(user_id)
    for user_id in people:
        db.session.add(Notification(user_id=user_id, kind=kind, subject=subject, link=link, dedupe_key=dedupe_key))
    return len(people)


def unread_count(user: User) -> int:
    query = select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    return db.session.scalar(query)


def recent(user: User, limit: int = PANEL_SIZE) -> list[Notification]:
    """Unread first, then the newest."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.read_at.is_not(None), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def page_of(user: User, page: int, per_page: int = 50):
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def open_notification(notification_id: int, user: User) -> Notification | None:
    """A person's own notification, marked read as they follow its link (None for anyone else's)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def outbox_page(page: int, per_page: int = 50):
    """Every message as email sees it, newest first, with whom it is for (the outbox page, for admins)."""
    query = select(Notification).options(selectinload(Notification.user)).order_by(Notification.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
