from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..security import log_security_event
from .forms import SignInForm
from .services import attempt_sign_in, end_sessions, normalise_email

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only a path on this site, so sign-in cannot be used to bounce someone elsewhere.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    locked_message = None
    if form.validate_on_submit():
        result = attempt_sign_in(
            form.email.data,
            form.password.data,
            request.remote_addr,
            current_app.config["SIGN_IN_MAX_FAILURES"],
            current_app.config["SIGN_IN_LOCK_MINUTES"],
        )
        email = normalise_email(form.email.data)
        if result.user:
            session.clear()  # a fresh session, nothing carried over from before sign-in
            login_user(result.user)
            log_security_event("sign_in", "success", email=email)
            return redirect(_safe_next(request.args.get("next")))
        if result.locked_until:
            minutes = current_app.config["SIGN_IN_LOCK_MINUTES"]
            locked_message = (
                f"There have been too many failed attempts to sign in with this email address. "
                f"Wait {minutes} minutes, then try again, or ask an administrator to help."
            )
            log_security_event("sign_in", "throttled", email=email)
            form.email.errors = [locked_message]
        else:
            log_security_event("sign_in", "failure", email=email)
            form.email.errors = ["Enter a correct email address and password"]
        form.password.data = None
    status = 429 if locked_message else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    log_security_event("sign_out", "success")
    end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))
