"""Signing in: password check, database-backed throttling, session rotation.

Throttling is counted in the database, so every app server sees the same counts. Two rules:

- per address: failures from one address, whatever the accounts, within a sliding window; at the limit
  the address is refused until enough of its failures have left the window;
- per account: consecutive failures (since the last success, within a day) are free up to a number, then
  each one makes the account wait longer (a delay that doubles, up to a longest wait) rather than locking
  it. The right password still passes during that wait from an address the person has signed in from
  before and that has not been failing, so nobody can lock a colleague out by typing wrong passwords.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginAttempt, User
from ..models.base import utcnow

# Checked when the email is unknown, so a wrong email costs the same time as a wrong password.
_DUMMY_HASH = generate_password_hash("no-such-user")

# Failures older than this no longer count towards an account's consecutive failures.
FAILURE_MEMORY = timedelta(hours=24)

EMAIL_MAX = 254  # the longest email address (RFC 5321), as the users table stores it
PASSWORD_MAX = 200  # the longest password an administrator may set, and so the longest signing in accepts


@dataclass(frozen=True)
class ThrottleRules:
    account_free_failures: int = 5
    first_delay_seconds: int = 30
    longest_delay_minutes: int = 15
    address_max_failures: int = 20
    address_window_minutes: int = 15

    @classmethod
    def from_config(cls, config) -> "ThrottleRules":
        return cls(
            account_free_failures=config["SIGN_IN_MAX_FAILURES"],
            first_delay_seconds=config["SIGN_IN_FIRST_DELAY_SECONDS"],
            longest_delay_minutes=config["SIGN_IN_LOCK_MINUTES"],
            address_max_failures=config["SIGN_IN_ADDRESS_MAX_FAILURES"],
            address_window_minutes=config["SIGN_IN_ADDRESS_WINDOW_MINUTES"],
        )

    def account_delay(self, failures: int) -> timedelta | None:
        """How long an account waits after its latest failure, given its consecutive failures."""
        if failures < self.account_free_failures:
            return None
        doublings = min(failures - self.account_free_failures, 30)
        return min(
            timedelta(seconds=self.first_delay_seconds * 2**doublings), timedelta(minutes=self.longest_delay_minutes)
        )


@dataclass
class SignInResult:
    user: User | None = None
    outcome: str = "failure"  # success, failure or throttled
    reason: str | None = None  # why it was throttled or delayed: "account" or "address"
    wait_until: datetime | None = None
    passed_account_delay: bool = False
    needs_second_factor: bool = False  # the password was right; the code comes next


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; every time we store is UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _failed(*conditions, exclude_id: int | None = None):
    """Failed attempts matching the conditions, leaving out the attempt being decided."""
    where = [LoginAttempt.succeeded.is_(False), *conditions]
    if exclude_id is not None:
        where.append(LoginAttempt.id != exclude_id)
    return where


def account_wait_until(
    email: str, rules: ThrottleRules, now: datetime | None = None, exclude_id: int | None = None
) -> datetime | None:
    """When the account may try again, or None: consecutive failures since the last success."""
    now = now or utcnow()
    last_success = _aware(
        db.session.scalar(
            select(func.max(LoginAttempt.attempted_at)).where(
                LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
            )
        )
    )
    since = max(now - FAILURE_MEMORY, last_success) if last_success else now - FAILURE_MEMORY
    failures, latest = db.session.execute(
        select(func.count(), func.max(LoginAttempt.attempted_at)).where(
            *_failed(LoginAttempt.email == email, LoginAttempt.attempted_at > since, exclude_id=exclude_id)
        )
    ).one()
    delay = rules.account_delay(failures)
    if delay and _aware(latest) + delay > now:
        return _aware(latest) + delay
    return None


def _address_failures(remote_addr: str, rules: ThrottleRules, now: datetime, exclude_id: int | None = None):
    """Failures from this address, on any account, within the window ending now."""
    window_start = now - timedelta(minutes=rules.address_window_minutes)
    return select(LoginAttempt.attempted_at).where(
        *_failed(
            LoginAttempt.remote_addr == remote_addr, LoginAttempt.attempted_at > window_start, exclude_id=exclude_id
        )
    )


def address_wait_until(
    remote_addr: str | None, rules: ThrottleRules, now: datetime | None = None, exclude_id: int | None = None
) -> datetime | None:
    """When a failing address may try again (its count drops below the limit), or None."""
    if not remote_addr:
        return None
    now = now or utcnow()
    # The limit-th most recent failure: once it leaves the window, the address is under the limit again.
    oldest_counted = db.session.scalar(
        _address_failures(remote_addr, rules, now, exclude_id)
        .order_by(LoginAttempt.attempted_at.desc())
        .offset(rules.address_max_failures - 1)
        .limit(1)
    )
    if oldest_counted is None:
        return None
    return _aware(oldest_counted) + timedelta(minutes=rules.address_window_minutes)


def _trusted_address(email: str, remote_addr: str | None, rules: ThrottleRules, now: datetime, exclude_id=None) -> bool:
    """An address this account has signed in from before, with no recent failures on any account."""
    if not remote_addr or db.session.scalar(select(_address_failures(remote_addr, rules, now, exclude_id).exists())):
        return False
    return db.session.scalar(
        select(
            exists().where(
                LoginAttempt.email == email,
                LoginAttempt.remote_addr == remote_addr,
                LoginAttempt.succeeded.is_(True),
            )
        )
    )


def _refusal(email: str, remote_addr: str | None, rules: ThrottleRules, exclude_id: int | None = None):
    """(a throttled result, or None when the password may be checked; whether it passes an account's wait)."""
    now = utcnow()
    if until := address_wait_until(remote_addr, rules, now, exclude_id):
        return SignInResult(outcome="throttled", reason="address", wait_until=until), False
    if until := account_wait_until(email, rules, now, exclude_id):
        if not _trusted_address(email, remote_addr, rules, now, exclude_id):
            return SignInResult(outcome="throttled", reason="account", wait_until=until), False
        return None, True
    return None, False


def _check_password(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if user.check_password(password) and user.is_enabled else None


def attempt_sign_in(email: str, password: str, remote_addr: str | None, rules: ThrottleRules) -> SignInResult:
    """The password step. For an account with a second factor, a right password is not yet a success."""
    email = normalise_email(email)
    return throttled_attempt(
        email, remote_addr, rules, lambda: _check_password(email, password), last_step=lambda u: not u.has_second_factor
    )


def throttled_attempt(email: str, remote_addr: str | None, rules: ThrottleRules, check, last_step) -> SignInResult:
    """Run `check` (a password or a code: the user, or None) under the throttling rules of the account;
    `last_step(user)` says whether passing it completes the sign-in."""
    refused, _ = _refusal(email, remote_addr, rules)  # read only: a flood of refused attempts writes nothing
    if refused:
        return refused
    # Count the attempt as a failure before checking anything, then decide again without it: every
    # attempt made at the same moment (another worker, another server) counts the others, so a burst
    # of simultaneous guesses cannot all slip under a limit that each of them read before any was counted.
    attempt = LoginAttempt(email=email, remote_addr=remote_addr, succeeded=False, attempted_at=utcnow())
    db.session.add(attempt)
    db.session.commit()
    refused, passed_delay = _refusal(email, remote_addr, rules, exclude_id=attempt.id)
    if refused:
        db.session.delete(attempt)  # a refused attempt is not counted
        db.session.commit()
        return refused
    user = check()
    if user is not None:
        needs_code = not last_step(user)
        if needs_code:
            # Neither a failure nor a success yet: the code decides, so a known password cannot
            # reset the count of wrong codes.
            db.session.delete(attempt)
        else:
            attempt.succeeded = True
            user.last_sign_in_at = attempt.attempted_at
        db.session.commit()
        return SignInResult(
            user=user, outcome="success", passed_account_delay=passed_delay, needs_second_factor=needs_code
        )
    # Tell the person at once when this failure is the one that makes them wait.
    now = utcnow()
    if until := address_wait_until(remote_addr, rules, now):
        return SignInResult(reason="address", wait_until=until)
    if until := account_wait_until(email, rules, now):
        return SignInResult(reason="account", wait_until=until)
    return SignInResult()


def wait_in_words(until: datetime, now: datetime | None = None) -> str:
    seconds = max(1, math.ceil((until - (now or utcnow())).total_seconds()))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def end_sessions(user: User) -> None:
    """Every cookie issued to this user stops working."""
    user.end_all_sessions()
    db.session.commit()
