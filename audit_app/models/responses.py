"""The allocated social worker's response to an audit shared with them, and how moderators resolved a
domain the worker disagreed with."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audits import CaseAudit
from .base import Audited, Timestamped, owned_rows, owner_key
from .grades import grade_scale_check
from .users import User


class Agreement(enum.StrEnum):
    AGREE = "agree"
    PARTLY = "partly"
    DISAGREE = "disagree"

    @property
    def label(self) -> str:
        return {"agree": "Agree", "partly": "Partly agree", "disagree": "Disagree"}[self.value]


class Resolution(enum.StrEnum):
    KEPT = "kept"
    CHANGED = "changed"


class AuditResponse(Audited, Timestamped, db.Model):
    """One per audit: made when the audit is shared (due_on set then), answered once by the allocated
    worker (submitted_at). Reminders read due_on and submitted_at."""

    __table_args__ = (Index("ix_audit_response_open_due", "submitted_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = owner_key("case_audit", unique=True)
    due_on: Mapped[date] = mapped_column(Date)
    reflection: Mapped[str | None] = mapped_column(Text)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    audit: Mapped[CaseAudit] = relationship()
    responded_by: Mapped[User | None] = relationship()
    domains: Mapped[list["DomainResponse"]] = owned_rows("response", order_by="DomainResponse.position")

    def __str__(self) -> str:
        return f"Response to audit {self.audit_id}"


class DomainResponse(Audited, db.Model):
    """The worker's agreement with one graded domain, and for a disagreement the moderator's resolution."""

    __table_args__ = (
        UniqueConstraint("response_id", "domain_key"),
        grade_scale_check("resolved_grade"),
        Index("ix_domain_response_open_disagreement", "agreement", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = owner_key("audit_response", index=False)
    domain_key: Mapped[str] = mapped_column(String(60))
    domain_title: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    agreement: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(String(10))
    resolved_grade: Mapped[int | None] = mapped_column(SmallInteger)
    resolution_reason: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Optimistic locking: two moderators resolving the same disagreement at once cannot both succeed.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    __audit_exclude__ = frozenset({"version"})

    response: Mapped[AuditResponse] = relationship(back_populates="domains")
    resolved_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"Response on {self.domain_title}"
