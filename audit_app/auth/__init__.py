"""Signing in and out: throttled sign-in, session lifetime, the user loader and trusted proxies."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ..extensions import db, login_manager


def init_auth(app: Flask) -> None:
    from ..models import User

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
        return db.session.scalar(db.select(User).where(User.session_token == session_token, User.is_enabled.is_(True)))


def init_app(app: Flask) -> None:
    from .routes import bp

    init_auth(app)
    app.register_blueprint(bp)
