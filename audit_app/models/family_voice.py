"""The child and family's voice for an audit: who was contacted and how, consent, scaled answers and quotes."""

from sqlalchemy import Boolean, CheckConstraint, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audits import CaseAudit
from .base import Audited, InsertedInBatches, Timestamped, owned_rows, owner_key
from .themes import Theme, theme_link_table

CONTACTED_PEOPLE = {"child": "The child", "parent": "A parent", "carer": "A carer", "other": "Someone else"}
CONTACT_METHODS = {"phone": "Phone", "visit": "Visit", "survey": "Survey", "not_contacted": "Not contacted"}
SCALED_QUESTIONS = {
    "understands_involvement": "Do you understand why we are involved?",
    "worker_listened": "Did your worker listen to you?",
    "things_better": "Have things got better since we got involved?",
}
DONT_KNOW = 0  # stored for "Don't know"; scores 1 to 5 are averaged, 0 is counted apart
QUOTE_SLOTS = 3


class FamilyVoice(Audited, Timestamped, db.Model):
    """One audit's record of what the child and family said (one per audit)."""

    __table_args__ = tuple(
        CheckConstraint(f"{name} BETWEEN 0 AND 5", name=f"{name}_scale") for name in SCALED_QUESTIONS
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = owner_key("case_audit", unique=True)
    contacted_child: Mapped[bool] = mapped_column(Boolean, default=False)
    contacted_parent: Mapped[bool] = mapped_column(Boolean, default=False)
    contacted_carer: Mapped[bool] = mapped_column(Boolean, default=False)
    contacted_other: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_method: Mapped[str | None] = mapped_column(String(20))
    not_contacted_reason: Mapped[str | None] = mapped_column(Text)
    consent_recorded: Mapped[bool | None] = mapped_column(Boolean)
    understands_involvement: Mapped[int | None] = mapped_column(SmallInteger)
    worker_listened: Mapped[int | None] = mapped_column(SmallInteger)
    things_better: Mapped[int | None] = mapped_column(SmallInteger)
    # The auditor confirmed that quotes the name check flagged hold no one's name.
    names_checked: Mapped[bool] = mapped_column(Boolean, default=False)

    audit: Mapped[CaseAudit] = relationship(
        backref=db.backref("family_voice", uselist=False, cascade="all, delete-orphan")
    )
    quotes: Mapped[list["FamilyQuote"]] = owned_rows("voice", order_by="FamilyQuote.position")


family_quote_theme = theme_link_table("family_quote_theme", "family_quote")


class FamilyQuote(InsertedInBatches, Audited, db.Model):
    """A short quote from the child or family, tagged with themes."""

    __table_args__ = (UniqueConstraint("voice_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    voice_id: Mapped[int] = owner_key("family_voice")
    position: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text)

    voice: Mapped[FamilyVoice] = relationship(back_populates="quotes")
    # Every quote's themes in one statement when the quotes load, not one per quote.
    themes: Mapped[list[Theme]] = relationship(secondary=family_quote_theme, order_by=Theme.name, lazy="selectin")
