"""Every change to an audited record becomes ChangeLog rows: who, when, field, old and new value.

Models opt in by inheriting Audited. The listener runs inside every flush, so no service
can forget to record a change. The acting user is the signed-in user, or the one given to
acting_as() in CLI commands and tests.
"""

import contextlib
import enum
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import ColumnProperty, Session

from .many_rows import insert_many
from .models.base import Audited, utcnow

_actor_id: ContextVar[int | None] = ContextVar("actor_id", default=None)
_stamp: ContextVar[datetime | None] = ContextVar("changelog_stamp", default=None)
_PENDING = "changelog_pending"  # session.info key: changes given to log_change_on_flush, not yet written


@contextlib.contextmanager
def acting_as(user):
    token = _actor_id.set(user.id if user is not None else None)
    try:
        yield
    finally:
        _actor_id.reset(token)


@contextlib.contextmanager
def stamped_at(when: datetime):
    """Changes flushed inside are dated `when`, not now: demo data carries the dates of the events it
    stands for. Never used for a person's own changes."""
    token = _stamp.set(when)
    try:
        yield
    finally:
        _stamp.reset(token)


def change_time() -> datetime:
    return _stamp.get() or utcnow()


def current_actor_id() -> int | None:
    actor = _actor_id.get()
    if actor is not None:
        return actor
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def log_change(session: Session, record, field: str, old, new) -> None:
    """Record a change the listener cannot see, such as a many-to-many link."""
    log_changes(session, record.__tablename__, [record.id], field, old, new)


def log_changes(session: Session, record_type: str, record_ids, field: str, old, new) -> None:
    """The same change to many records (a merged theme on every judgement that had it), in one statement."""
    from .models.changelog import ChangeLog

    if as_text(old) == as_text(new) or not record_ids:
        return
    row = {
        "changed_at": change_time(),
        "user_id": current_actor_id(),
        "record_type": record_type,
        "field": field,
        "old_value": as_text(old),
        "new_value": as_text(new),
    }
    insert_many(
        session.connection(), ChangeLog.__table__, [{**row, "record_id": record_id} for record_id in record_ids]
    )


def log_change_on_flush(session: Session, record, field: str, old, new) -> None:
    """Record a change the listener cannot see (a many-to-many link) with the next flush's other rows, in
    its one insert: the record need not have its id yet, so a save needs no flush of its own for it."""
    if as_text(old) != as_text(new):
        session.info.setdefault(_PENDING, []).append((record, field, old, new))


@cache
def _column_keys(model) -> tuple[str, ...]:
    """The columns of an audited model whose changes are logged, in the table's order."""
    return tuple(
        prop.key
        for prop in inspect(model).iterate_properties
        if isinstance(prop, ColumnProperty) and prop.key not in model.__audit_exclude__ and prop.key != "id"
    )


def _rows_for_flush(session: Session):
    actor, now = current_actor_id(), change_time()

    def row(obj, field, old, new):
        return dict(
            changed_at=now,
            user_id=actor,
            record_type=obj.__tablename__,
            record_id=obj.id,
            field=field,
            old_value=as_text(old),
            new_value=as_text(new),
        )

    for obj in session.new:
        if isinstance(obj, Audited):
            yield row(obj, "created", None, str(obj))
            for key in _column_keys(type(obj)):
                value = getattr(obj, key)
                if value is not None:
                    yield row(obj, key, None, value)
    for obj in session.dirty:
        if isinstance(obj, Audited):
            state = inspect(obj)
            # Only a column set since it was loaded has an old value kept: no other can have changed.
            for key in (key for key in _column_keys(type(obj)) if key in state.committed_state):
                history = state.attrs[key].history
                if history.has_changes():
                    old = history.deleted[0] if history.deleted else None
                    new = history.added[0] if history.added else None
                    if as_text(old) != as_text(new):
                        yield row(obj, key, old, new)
    for obj in session.deleted:
        if isinstance(obj, Audited):
            yield row(obj, "deleted", str(obj), None)
    pending = session.info.pop(_PENDING, [])
    for record, field, old, new in pending:
        if record.id is not None:
            yield row(record, field, old, new)
    if waiting := [change for change in pending if change[0].id is None]:  # not flushed yet: the next flush
        session.info[_PENDING] = waiting


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def write_pending_changes(session: Session) -> None:
    """Write the changes given to log_change_on_flush that no flush has written yet: a save whose rows all went
    out in UPDATEs of their own (autosave's update_together and version move) leaves the session nothing to flush."""
    if session.info.get(_PENDING):
        _record_changes(session, None)


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, flush_context) -> None:
    from .models.changelog import ChangeLog

    rows = list(_rows_for_flush(session))
    if rows:
        insert_many(session.connection(), ChangeLog.__table__, rows)
