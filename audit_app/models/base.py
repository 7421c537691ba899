from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Audited:
    """Marker: changes to this model are recorded in the change log (see audit_app/changelog.py)."""

    __audit_exclude__: frozenset[str] = frozenset({"created_at", "updated_at"})
