from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Audited, Timestamped


class Theme(Audited, Timestamped, db.Model):
    """A recurring practice theme (voice of the child, drift and delay, ...) that QA leads manage."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))

    def __str__(self) -> str:
        return self.name


def theme_link_table(name: str, owner: str) -> Table:
    """The themes tagged on rows of the table `owner`: a row's links go with it; a linked theme stays."""
    return Table(
        name,
        db.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column("theme_id", ForeignKey("theme.id"), primary_key=True, index=True),
    )
