from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column, orm_insert_sentinel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Audited:
    """Marker: changes to this model are recorded in the change log (see audit_app/changelog.py)."""

    __audit_exclude__: frozenset[str] = frozenset({"created_at", "updated_at"})


class InsertedInBatches:
    """Rows one save adds several of (a page of answers, a moderator's grades): with a sentinel column
    SQLite sends them in one INSERT, as PostgreSQL does without one; otherwise it sends one INSERT per row,
    as it cannot say which new id belongs to which row. The column is never read or shown."""

    _sentinel: Mapped[int | None] = orm_insert_sentinel()
