"""Joiners, movers and leavers: accounts by last sign-in, and disabling the ones nobody uses."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from ..changelog import log_change
from ..extensions import db
from ..models import RecoveryCode, User
from ..models.base import utcnow
from ..security import log_security_event

# The users page's orders: name, or last sign-in (never signed in first: the accounts to ask about).
USER_ORDERS = {
    "name": (User.display_name,),
    "last_sign_in": (User.last_sign_in_at.is_not(None), User.last_sign_in_at, User.display_name),
}


def users_in_order(order: str) -> list[User]:
    return db.session.scalars(select(User).order_by(*USER_ORDERS.get(order, USER_ORDERS["name"]))).all()


def inactive_users(days: int, now: datetime | None = None) -> list[User]:
    """Enabled accounts not signed in to for `days` days (or, never signed in, created before then).
    The break-glass administrators are kept: they sign in only when single sign-on fails."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    last_used = func.coalesce(User.last_sign_in_at, User.created_at)
    break_glass = current_app.config.get("BREAK_GLASS_EMAILS") or []
    return db.session.scalars(
        select(User)
        .where(User.is_enabled.is_(True), last_used < cutoff, User.email.not_in(break_glass))
        .order_by(User.email)
    ).all()


def disable_inactive(days: int, now: datetime | None = None) -> list[User]:
    """Disable them, each recorded in the change log and the security log; running it again changes nothing."""
    disabled = inactive_users(days, now)
    for user in disabled:
        user.is_enabled = False  # the change log records it (User is Audited)
        user.end_all_sessions()
        log_change(db.session, user, "reason disabled", None, f"not used for {days} days")
    db.session.commit()
    for user in disabled:
        log_security_event("account_disabled", "success", email=user.email, reason="inactive", days=days)
    return disabled


def reset_second_factor_of(user: User) -> None:
    """A lost phone: the secret and recovery codes go, every session ends; they set up a new one at sign-in."""
    user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    user.end_all_sessions()
    log_change(db.session, user, "second factor", "set up", "reset")
    db.session.commit()
    log_security_event("second_factor_reset", "success", target=user.email)
