import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..permissions import Permission, Role, permissions_for
from .base import Audited, Timestamped, owner_key, utcnow
from .org import Team


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Audited, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session cookie; rotating it ends every session the user has.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A practitioner's reference in the case-management system: the audits of cases whose
    # allocated_worker_ref matches it are shared with them.
    worker_ref: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The team a practitioner works in, or a team manager manages.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    # Single sign-on: the provider's stable id for the person (Entra `oid`, else `sub`), linked at first sign-in.
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # The second factor (TOTP): the shared secret, when it was confirmed, and the last time step used,
    # so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    # Secrets and sign-in noise stay out of the change log.
    __audit_exclude__ = frozenset(
        {
            "created_at",
            "password_hash",
            "session_token",
            "last_sign_in_at",
            "totp_secret",
            "totp_last_step",
            "totp_confirmed_at",
        }
    )

    team: Mapped[Team | None] = relationship()
    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __str__(self) -> str:
        return self.display_name

    # Flask-Login: the cookie holds the session token, never the numeric id.
    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_all_sessions(self) -> None:
        self.session_token = new_session_token()

    @property
    def roles(self) -> set[Role]:
        return {Role(r.role) for r in self.role_rows}

    @roles.setter
    def roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows = [r for r in self.role_rows if Role(r.role) in wanted]
        have = {Role(r.role) for r in self.role_rows}
        for role in sorted(wanted - have):
            self.role_rows.append(UserRole(role=role.value))

    @property
    def has_second_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def can(self, permission: Permission) -> bool:
        return permission in permissions_for(self.roles)


class UserRole(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginAttempt(db.Model):
    """One sign-in attempt; failures throttle the account (since its last success) and the address."""

    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "attempted_at"),
        Index("ix_login_attempt_address_at", "remote_addr", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecoveryCode(db.Model):
    """One of a person's single-use recovery codes for the second factor, stored hashed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_key("user")
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
