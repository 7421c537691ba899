"""Sending queued email: one bounded pass, each message claimed, sent and committed on its own, so two workers
never send one message twice (PostgreSQL skips a row another worker holds) and a crash resends at most one."""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Notification
from ..models.base import utcnow
from ..models.notifications import EmailStatus
from .email import MessageRefused, Send, SenderUnavailable, compose, sender_for


@dataclass
class PassResult:
    sent: int = 0
    not_sent: int = 0  # no address, disabled, or the outbox only
    retrying: int = 0  # refused this time, tried again on the next pass
    failed: int = 0  # refused EMAIL_MAX_ATTEMPTS times: given up
    unavailable: str | None = None  # why the pass stopped with messages still queued

    @property
    def handled(self) -> int:
        return self.sent + self.not_sent + self.retrying + self.failed

    def __str__(self) -> str:
        counts = f"Sent {self.sent}, not sent {self.not_sent}, to retry {self.retrying}, failed {self.failed}."
        return f"{counts} Stopped: {self.unavailable}" if self.unavailable else counts


def _claim_next(after_id: int) -> Notification | None:
    """The oldest queued message after `after_id`, locked for this worker until it commits."""
    query = (
        select(Notification)
        .where(Notification.email_status == EmailStatus.QUEUED, Notification.id > after_id)
        .order_by(Notification.id)
        .limit(1)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return db.session.scalar(query)


def _deliver(notification: Notification, send: Send, delivers: bool, config, result: PassResult) -> None:
    user = notification.user
    if not (delivers and user.email and user.is_enabled):
        notification.email_status = EmailStatus.NOT_SENT
        result.not_sent += 1
        return
    notification.email_attempts += 1
    try:
        send(compose(notification, config))
    except MessageRefused:
        if notification.email_attempts >= config["EMAIL_MAX_ATTEMPTS"]:
            notification.email_status = EmailStatus.FAILED
            result.failed += 1
        else:
            result.retrying += 1
        return
    notification.email_status = EmailStatus.SENT
    notification.emailed_at = utcnow()
    result.sent += 1


def send_queued(config, limit: int | None = None) -> PassResult:
    """One pass over at most `limit` queued messages (EMAIL_BATCH_SIZE). The sender connects only when there
    is something to send; when it cannot be reached, the rest stay queued without losing an attempt."""
    limit = limit or config["EMAIL_BATCH_SIZE"]
    result = PassResult()
    notification = _claim_next(0)
    if notification is None:
        db.session.commit()
        return result
    sender = sender_for(config)
    try:
        with sender.connection() as send:
            while notification is not None:
                _deliver(notification, send, sender.delivers, config, result)
                last_id = notification.id
                db.session.commit()
                if result.handled >= limit:
                    break
                notification = _claim_next(last_id)
    except SenderUnavailable as error:
        db.session.rollback()  # the message being sent when the connection went stays queued, as it was
        result.unavailable = str(error)
    return result
