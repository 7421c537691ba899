from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Audited, Timestamped, link_key, link_table, owner_key


class Theme(Audited, Timestamped, db.Model):
    """A recurring practice theme (voice of the child, drift and delay, ...) that QA leads manage."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    # Words and phrases that signal the theme in evidence, comma-separated: with the name and description,
    # what the suggestion model starts from before auditors have tagged much (audit_app/theme_model/).
    keywords: Mapped[str | None] = mapped_column(Text)

    def __str__(self) -> str:
        return self.name


def theme_link_table(name: str, owner: str) -> Table:
    """The themes tagged on rows of the table `owner`: a row's links go with it; a linked theme stays."""
    return link_table(name, link_key(owner), link_key("theme", cascade=False, index=True))


class ThemeModel(db.Model):
    """A trained theme-suggestion model (audit_app/theme_model/): the newest version is the current one.
    Written only by `flask train-themes`, so it is not Audited; every row is itself the record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    trained_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(200))  # "the database" or the CSV file's name
    examples: Mapped[int] = mapped_column(Integer)  # tagged and untagged texts learnt from (not the held-out fifth)
    held_out: Mapped[int] = mapped_column(Integer)
    themes: Mapped[int] = mapped_column(Integer)
    precision_at_3: Mapped[float | None] = mapped_column(Float)
    recall_at_3: Mapped[float | None] = mapped_column(Float)
    model: Mapped[bytes] = mapped_column(LargeBinary)


class RejectedSuggestion(Audited, Timestamped, db.Model):
    """A theme the model suggested for a judgement or an observation and a QA lead rejected in the review of
    untagged evidence: never suggested for that record again."""

    __table_args__ = (UniqueConstraint("record_type", "record_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(20))  # "judgement" or "observation"
    record_id: Mapped[int] = mapped_column(Integer)
    theme_id: Mapped[int] = owner_key("theme")
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    def __str__(self) -> str:
        return f"Rejected suggestion {self.theme_id} for {self.record_type} {self.record_id}"
