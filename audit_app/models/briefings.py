"""Learning briefings: messages from audit to staff, who they are for, and who has read them."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Audited, Timestamped, link_key, link_table, owner_key
from .org import Service, Team

briefing_team = link_table("briefing_team", link_key("briefing"), link_key("team"))
briefing_service = link_table("briefing_service", link_key("briefing"), link_key("service"))


class Briefing(Audited, Timestamped, db.Model):
    """A learning briefing: plain-text paragraphs, a draft until it is published to services and teams."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    key_findings: Mapped[str] = mapped_column(Text)
    what_good_looks_like: Mapped[str] = mapped_column(Text)
    good_practice_examples: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | published
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("audit_programme.id", ondelete="SET NULL"))
    # Optimistic locking (audit_app/autosave.py): an edit based on an older copy is refused with both texts.
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    __audit_exclude__ = frozenset({"created_at", "updated_at", "version"})

    teams: Mapped[list[Team]] = relationship(secondary=briefing_team, order_by=Team.name)
    services: Mapped[list[Service]] = relationship(secondary=briefing_service, order_by=Service.name)

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def __str__(self) -> str:
        return self.title


class BriefingReceipt(db.Model):
    """When one person opened a briefing, and when they acknowledged it (once)."""

    __table_args__ = (UniqueConstraint("briefing_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = owner_key("briefing")
    user_id: Mapped[int] = owner_key("user")
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
