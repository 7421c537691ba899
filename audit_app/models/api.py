"""API tokens for reporting tools (Power BI, Excel, R) and the log of every request made with one."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Audited, Timestamped, owner_key, utcnow
from .users import User


class ApiToken(Audited, Timestamped, db.Model):
    """A token an admin made for one purpose: only the SHA-256 of its secret is kept (the secret is shown
    once), with the data it may read (`scopes`, comma-separated), its expiry and when it was revoked."""

    # The hash never goes into the change log: it is a credential, not a fact about the token.
    __audit_exclude__ = frozenset({"created_at", "secret_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(120))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The secret's first characters, shown on the token list so a person can tell which one a tool holds.
    prefix: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    created_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.purpose

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split(",") if s]


class ApiTokenUse(db.Model):
    """One request to the API: which token (none when it was missing or unknown), the endpoint, when, the status."""

    __table_args__ = (Index("ix_api_token_use_token_used", "token_id", "used_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int | None] = owner_key("api_token", index=False)
    endpoint: Mapped[str] = mapped_column(String(120))
    status: Mapped[int] = mapped_column(SmallInteger)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
