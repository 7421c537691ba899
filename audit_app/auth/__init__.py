"""Signing in and out: passwords with a second factor, single sign-on, throttling, sessions and trusted proxies."""

from functools import cache

from flask import Flask, flash, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from ..extensions import db, login_manager

# Reachable by someone who still has to set up their second factor.
_OPEN_WITHOUT_SECOND_FACTOR = {"static", "main.healthz", "auth.set_up_second_factor", "auth.sign_out"}


def init_auth(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"  # not a success: base.html shows it in the neutral banner
    login_manager.session_protection = "basic"

    # Behind proxies, the client's address comes from X-Forwarded-For, set by the proxies we trust:
    # sign-in throttling counts per address, and one proxy's address for everyone would lock everyone out.
    if app.config.get("TRUSTED_PROXY_COUNT"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXY_COUNT"])

    @login_manager.user_loader
    def load_user(session_token: str):
        # Only an enabled user whose token still matches: signing out or disabling
        # the account rotates the token, so a copied cookie stops working.
        found = db.session.scalars(_signed_in_user(), {"session_token": session_token})
        return found.unique().one_or_none()


@cache
def _signed_in_user():
    """load_user's statement, built once: every request runs it, and SQLAlchemy works out the cache key of a
    statement once per object. Roles joined in: every request asks for them, so one statement rather than two."""
    from ..models import User

    return (
        db.select(User)
        .where(User.session_token == bindparam("session_token"), User.is_enabled.is_(True))
        .options(joinedload(User.role_rows))
    )


def require_second_factor():
    """A local account that needs a second factor and has none is sent to set it up, and nowhere else."""
    from .mfa import needs_second_factor

    if request.endpoint in _OPEN_WITHOUT_SECOND_FACTOR or not current_user.is_authenticated:
        return None
    if session.get("signed_in_with") == "sso" or current_user.has_second_factor:
        return None
    if not needs_second_factor(current_user):
        return None
    flash("Set up a second factor before you continue: your account needs one.")
    return redirect(url_for("auth.set_up_second_factor"))


def init_app(app: Flask) -> None:
    from . import mfa_routes, sso_routes  # noqa: F401  (their views join the auth blueprint)
    from .oidc import init_oidc
    from .routes import bp

    init_auth(app)
    init_oidc(app)
    app.register_blueprint(bp)
    app.before_request(require_second_factor)
