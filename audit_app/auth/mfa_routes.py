"""The second factor: the code asked for after the password, and setting up an authenticator app."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import User
from ..security import log_security_event, now_timestamp
from . import mfa
from .forms import CodeForm
from .routes import CODE_WAIT_SECONDS, PENDING_KEY, PENDING_SINCE_KEY, bp, complete_sign_in, refuse_attempt, rules
from .services import throttled_attempt


def _pending_user() -> User | None:
    """The person whose password was right a moment ago: the code must follow within CODE_WAIT_SECONDS."""
    token, since = session.get(PENDING_KEY), session.get(PENDING_SINCE_KEY, 0)
    if not token or now_timestamp() - since > CODE_WAIT_SECONDS:
        return None
    return db.session.scalar(db.select(User).where(User.session_token == token, User.is_enabled.is_(True)))


@bp.route("/sign-in/code", methods=["GET", "POST"])
def second_factor():
    """After the right password: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = _pending_user()
    if user is None:
        if session.pop(PENDING_KEY, None):
            flash("It took more than 5 minutes to enter your code. Sign in again.")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        result = throttled_attempt(
            user.email,
            request.remote_addr,
            rules(),
            lambda: user if mfa.check_code(user, form.code.data) else None,
            last_step=lambda _: True,
        )
        log_security_event("second_factor", result.outcome, email=user.email, **_reason(result))
        if result.user:
            return complete_sign_in(result.user, "password")
        status = refuse_attempt(
            result, form.code, "Enter the 6-digit code from your authenticator app, or an unused recovery code"
        )
        form.code.data = None
    return render_template("auth/second_factor.html", form=form), status


def _reason(result) -> dict:
    return {"reason": result.reason} if result.reason else {}


@bp.route("/account/second-factor", methods=["GET", "POST"])
@login_required
def set_up_second_factor():
    """Scan the QR code, type the first code: the second factor is on and the recovery codes are shown once."""
    user = current_user._get_current_object()
    if user.has_second_factor:
        return render_template(
            "auth/second_factor_on.html", recovery_codes_left=mfa.unused_recovery_codes(user), codes=None
        )
    form = CodeForm()
    if form.validate_on_submit():
        if codes := mfa.confirm_second_factor(user, form.code.data):
            return render_template("auth/second_factor_on.html", codes=codes, recovery_codes_left=len(codes))
        log_security_event("second_factor_set_up", "failure")
        form.code.errors = ["Enter the 6-digit code your authenticator app shows now"]
        form.code.data = None
    secret = mfa.pending_secret(user)
    return render_template(
        "auth/set_up_second_factor.html",
        form=form,
        secret=secret,
        qr_svg=mfa.qr_code_svg(user, secret),
        required=mfa.needs_second_factor(user),
    )
