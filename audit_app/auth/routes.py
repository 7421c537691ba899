from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..security import log_security_event, start_session_clock
from .forms import SignInForm
from .services import ThrottleRules, attempt_sign_in, end_sessions, normalise_email, wait_in_words

bp = Blueprint("auth", __name__)

WAIT_MESSAGES = {
    "account": "There have been too many failed attempts to sign in with this email address.",
    "address": "There have been too many failed attempts to sign in from your network.",
}


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
    status = 200
    if form.validate_on_submit():
        rules = ThrottleRules.from_config(current_app.config)
        result = attempt_sign_in(form.email.data, form.password.data, request.remote_addr, rules)
        email = normalise_email(form.email.data)
        log_security_event(
            "sign_in",
            result.outcome,
            email=email,
            **({"reason": result.reason} if result.reason else {}),
            **({"passed_account_delay": True} if result.passed_account_delay else {}),
        )
        if result.user:
            session.clear()  # a fresh session, nothing carried over from before sign-in
            login_user(result.user)
            start_session_clock()
            return redirect(_safe_next(request.args.get("next")))
        if result.wait_until:
            wait = wait_in_words(result.wait_until)
            message = f"{WAIT_MESSAGES[result.reason]} Wait {wait}, then try again, or ask an administrator to help."
            form.email.errors = [message]
            status = 429
        else:
            form.email.errors = ["Enter a correct email address and password"]
        form.password.data = None
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
