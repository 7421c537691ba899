"""The security baseline: response headers, idle-session expiry and the security-event log."""

import json
import logging
from datetime import UTC, datetime

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

security_log = logging.getLogger("audit_app.security")

# last_seen is rewritten (and so the cookie re-signed and sent) at most this often: the idle limit is minutes.
LAST_SEEN_RESOLUTION_SECONDS = 60

# No 'unsafe-inline' or 'unsafe-eval': every script and style is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def log_security_event(event: str, outcome: str, email: str | None = None, **extra) -> None:
    """Time, user, address and outcome. Never a password or any case text."""
    user = None
    try:
        if current_user and current_user.is_authenticated:
            user = current_user.email
    except Exception:  # outside a request, or the user could not be loaded
        pass
    record = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "event": event,
        "outcome": outcome,
        "user": user or email,
        "address": request.remote_addr if request else None,
        "path": request.path if request else None,
        **extra,
    }
    security_log.info(json.dumps(record, sort_keys=True))


def security_headers(config) -> dict[str, str]:
    """The headers on every answer, pages and static files alike (audit_app/assets.py sends them with files)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def _set_security_headers(response):
    headers = response.headers
    for name, value in security_headers(current_app.config).items():
        headers.setdefault(name, value)
    if request.endpoint != "static":
        # Pages can hold case details: never keep them in a browser or proxy cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def now_timestamp() -> float:
    """The session clock (seconds since the epoch, UTC); tests move it instead of sleeping."""
    return datetime.now(UTC).timestamp()


def start_session_clock() -> None:
    """At sign-in: the absolute lifetime and the idle limit both count from now."""
    session["signed_in_at"] = session["last_seen"] = now_timestamp()
    session.permanent = True


def _sign_out(reason: str, message: str):
    log_security_event("session_expired", "signed_out", reason=reason)
    logout_user()
    session.clear()
    flash(f"{message} Sign in again to continue.")
    return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))


def _expire_session():
    """Sign out a session idle for SESSION_IDLE_MINUTES, or older than SESSION_MAX_HOURS whatever its activity."""
    # The reporting API reads a token, never the cookie session: a session's age is no business of its answers.
    if (
        request.endpoint in ("static", "main.healthz")
        or request.blueprint == "api"
        or not current_user.is_authenticated
    ):
        return None
    config = current_app.config
    now = now_timestamp()
    # A session from before signed_in_at was recorded starts its clock now.
    signed_in_at = session.setdefault("signed_in_at", now)
    if now - signed_in_at > config["SESSION_MAX_HOURS"] * 3600:
        hours = config["SESSION_MAX_HOURS"]
        hours = f"{hours} hour{'s' if hours != 1 else ''}"
        return _sign_out("lifetime", f"You were signed out because you signed in more than {hours} ago.")
    last_seen = session.get("last_seen")
    if last_seen is not None and now - last_seen > config["SESSION_IDLE_MINUTES"] * 60:
        minutes = config["SESSION_IDLE_MINUTES"]
        return _sign_out("idle", f"You were signed out because you had not used the service for {minutes} minutes.")
    if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
        session["last_seen"] = now
        session.permanent = True
    return None


def init_security(app: Flask) -> None:
    if not security_log.handlers and not app.testing:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        security_log.addHandler(handler)
    security_log.setLevel(logging.INFO)
    app.before_request(_expire_session)
    app.after_request(_set_security_headers)
