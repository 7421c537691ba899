"""The second factor for local accounts: TOTP codes from an authenticator app, and single-use recovery codes.

Who needs one: every administrator, and everyone when REQUIRE_MFA=1. People who sign in with their
council account are not asked: the council's provider applies its own second factor.
"""

import secrets

import pyotp
import segno
from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..changelog import log_change
from ..extensions import db
from ..models import RecoveryCode, User
from ..models.base import utcnow
from ..permissions import Role
from ..security import log_security_event

RECOVERY_CODE_COUNT = 10
# An authenticator's clock may be a step (30 seconds) behind or ahead.
CLOCK_DRIFT_STEPS = 1


def needs_second_factor(user: User) -> bool:
    return user.has_role(Role.ADMIN) or bool(current_app.config.get("REQUIRE_MFA"))


def pending_secret(user: User) -> str:
    """The secret being set up: kept until confirmed, so reloading the page keeps the QR code already scanned."""
    if not user.totp_secret or user.has_second_factor:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = None
        db.session.commit()
    return user.totp_secret


def qr_code_svg(user: User, secret: str) -> str:
    """The otpauth:// link as an inline SVG QR code, drawn on the server."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["SERVICE_NAME"])
    title = "QR code for your authenticator app"
    svg = segno.make(uri, error="m").svg_inline(scale=5, title=title, dark="#0b0c0c")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)  # announced as an image


def _matching_step(secret: str, code: str) -> int | None:
    """The time step a code belongs to (now, or one step either side), or None."""
    code = "".join((code or "").split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in range(now_step - CLOCK_DRIFT_STEPS, now_step + CLOCK_DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_totp_code(user: User, code: str) -> bool:
    """A code from the app, used once: a code of a step already used (or an earlier one) is refused."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def use_recovery_code(user: User, code: str) -> bool:
    code = normalise_recovery_code(code)
    if not code:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if check_password_hash(row.code_hash, code):
            row.used_at = utcnow()
            log_security_event("recovery_code", "used", email=user.email, left=len(unused) - 1)
            return True
    return False


def check_code(user: User, code: str) -> bool:
    """A code from the authenticator app or a recovery code."""
    return use_totp_code(user, code) or use_recovery_code(user, code)


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _new_recovery_codes(user: User) -> list[str]:
    """Ten new codes, shown once; only their hashes are kept. Earlier codes stop working."""
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=generate_password_hash(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def confirm_second_factor(user: User, code: str) -> list[str] | None:
    """The first code from the app confirms the set-up: the recovery codes to show once, or None."""
    if user.has_second_factor or not use_totp_code(user, code):
        db.session.rollback()
        return None
    user.totp_confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    log_change(db.session, user, "second factor", None, "set up")
    db.session.commit()
    log_security_event("second_factor_set_up", "success", email=user.email)
    return codes


def unused_recovery_codes(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        ).all()
    )
