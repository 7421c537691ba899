from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import owner_key, utcnow
from .users import User


class EmailStatus:
    QUEUED = "queued"  # waiting for `flask send-notifications`
    SENT = "sent"
    FAILED = "failed"  # gave up after repeated failures
    NOT_SENT = "not_sent"  # the person has no email or the sender is the outbox only


class Notification(db.Model):
    """A message to one person: shown on their home page, and queued for email. It says what happened
    and links to the record behind sign-in: never case text (the email leaves the service)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_key("user", index=False)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    link: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_status: Mapped[str] = mapped_column(String(12), default=EmailStatus.QUEUED)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when a message must go once only (a reminder per day, a share per audit): one per person and key.
    dedupe_key: Mapped[str | None] = mapped_column(String(120))

    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notification_user_unread", "user_id", "read_at", "id"),
        Index("ix_notification_email_queue", "email_status", "id"),
    )
