from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..models import User
from ..security import log_security_event, now_timestamp, start_session_clock
from .forms import SignInForm
from .oidc import sso_enabled
from .services import ThrottleRules, attempt_sign_in, end_sessions, normalise_email, wait_in_words

bp = Blueprint("auth", __name__)

WAIT_MESSAGES = {
    "account": "There have been too many failed attempts to sign in with this email address.",
    "address": "There have been too many failed attempts to sign in from your network.",
}
# Kept across the steps of signing in (the code, the provider) in a session that is renewed at the end.
NEXT_KEY = "next_after_sign_in"
PENDING_KEY = "second_factor_pending"
PENDING_SINCE_KEY = "second_factor_pending_since"
CODE_WAIT_SECONDS = 300  # after this, the password is asked again


def _safe_next(target: str | None) -> str:
    # Only a path on this site, so sign-in cannot be used to bounce someone elsewhere.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


def complete_sign_in(user: User, method: str):
    """A fresh session for a person who has passed every step; `method` is "password" or "sso"."""
    target = _safe_next(session.get(NEXT_KEY) or request.args.get("next"))
    session.clear()  # nothing carried over from before sign-in
    login_user(user)
    start_session_clock()
    session["signed_in_with"] = method
    return redirect(target)


def wait_message(result) -> str:
    wait = wait_in_words(result.wait_until)
    return f"{WAIT_MESSAGES[result.reason]} Wait {wait}, then try again, or ask an administrator to help."


def refuse_attempt(result, field, wrong: str) -> int:
    """Say on the field why a password or code was refused; the status to answer with."""
    field.errors = [wait_message(result) if result.wait_until else wrong]
    return 429 if result.wait_until else 200


def local_sign_in_allowed(email: str) -> bool:
    """LOCAL_SIGN_IN=0 leaves passwords only to the break-glass administrators."""
    config = current_app.config
    return config["LOCAL_SIGN_IN"] or email in config["BREAK_GLASS_EMAILS"]


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    status = 200
    # Without single sign-on there is no other way in: the form is always there.
    show_password_form = (
        current_app.config["LOCAL_SIGN_IN"] or request.args.get("break_glass") == "1" or not sso_enabled()
    )
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        if not local_sign_in_allowed(email):
            log_security_event("sign_in", "refused", email=email, reason="local_sign_in_off")
            form.email.errors = ["Sign in with your council account: this service does not use passwords"]
            return render_template("auth/sign_in.html", form=form, sso=sso_enabled(), show_password_form=True), 403
        result = attempt_sign_in(form.email.data, form.password.data, request.remote_addr, rules=rules())
        log_security_event(
            "sign_in",
            "password_ok" if result.needs_second_factor else result.outcome,
            email=email,
            **({"reason": result.reason} if result.reason else {}),
            **({"passed_account_delay": True} if result.passed_account_delay else {}),
        )
        if result.user and result.needs_second_factor:
            next_target = request.args.get("next")
            session.clear()
            session[PENDING_KEY] = result.user.session_token
            session[PENDING_SINCE_KEY] = now_timestamp()
            session[NEXT_KEY] = next_target
            return redirect(url_for("auth.second_factor"))
        if result.user:
            return complete_sign_in(result.user, "password")
        status = refuse_attempt(result, form.email, "Enter a correct email address and password")
        form.password.data = None
        show_password_form = True
    return render_template("auth/sign_in.html", form=form, sso=sso_enabled(), show_password_form=show_password_form), (
        status
    )


def rules() -> ThrottleRules:
    return ThrottleRules.from_config(current_app.config)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    from .sso_routes import provider_sign_out_url

    log_security_event("sign_out", "success")
    provider_url = provider_sign_out_url() if session.get("signed_in_with") == "sso" else None
    end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    if provider_url:
        session["provider_sign_out_url"] = provider_url
        return redirect(url_for("auth.signed_out"))
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))
