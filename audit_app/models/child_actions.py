"""Actions for the child: what the team manager and the worker agree will change for the child after an audit."""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audits import CaseAudit, FollowUpStatus
from .base import Audited, Timestamped, owner_key
from .cases import Case
from .users import User

# The same two states as a follow-up: open, then done with a note.
ChildActionStatus = FollowUpStatus


class ChildAction(Audited, Timestamped, db.Model):
    """One thing to be done for the child, by a person in the team or someone named in words ("IRO")."""

    __table_args__ = (
        Index("ix_child_action_status_due", "status", "due_date"),
        CheckConstraint("(owner_id IS NOT NULL) OR (owner_name IS NOT NULL)", name="has_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = owner_key("case_audit")
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    owner_name: Mapped[str | None] = mapped_column(String(160))
    due_date: Mapped[date] = mapped_column(Date)
    agreed_with_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(8), default=ChildActionStatus.OPEN.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_note: Mapped[str | None] = mapped_column(Text)

    audit: Mapped[CaseAudit] = relationship()
    case: Mapped[Case] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    @property
    def who(self) -> str:
        return self.owner.display_name if self.owner else (self.owner_name or "")

    def __str__(self) -> str:
        return f"Action for the child {self.id}"
