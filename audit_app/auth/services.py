"""Signing in: password check, database-backed throttling, session rotation."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginAttempt, User
from ..models.base import utcnow

# Checked when the email is unknown, so a wrong email costs the same time as a wrong password.
_DUMMY_HASH = generate_password_hash("no-such-user")


@dataclass
class SignInResult:
    user: User | None = None
    locked_until: datetime | None = None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; every time we store is UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def locked_until(email: str, max_failures: int, lock_minutes: int, now: datetime | None = None):
    """When the account may try again, or None. Counts failures since the last success."""
    now = now or utcnow()
    window_start = now - timedelta(minutes=lock_minutes)
    last_success = _aware(
        db.session.scalar(
            select(func.max(LoginAttempt.attempted_at)).where(
                LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
            )
        )
    )
    since = max(window_start, last_success) if last_success else window_start
    failures, latest = db.session.execute(
        select(func.count(), func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at > since,
        )
    ).one()
    if failures >= max_failures:
        return _aware(latest) + timedelta(minutes=lock_minutes)
    return None


def attempt_sign_in(
    email: str, password: str, remote_addr: str | None, max_failures: int, lock_minutes: int
) -> SignInResult:
    email = normalise_email(email)
    until = locked_until(email, max_failures, lock_minutes)
    if until:
        return SignInResult(locked_until=until)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        ok = False
    else:
        ok = user.check_password(password) and user.is_enabled
    db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=ok))
    if ok:
        user.last_sign_in_at = utcnow()
    db.session.commit()
    if not ok:
        return SignInResult(locked_until=locked_until(email, max_failures, lock_minutes))
    return SignInResult(user=user)


def end_sessions(user: User) -> None:
    """Every cookie issued to this user stops working."""
    user.end_all_sessions()
    db.session.commit()
