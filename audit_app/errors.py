"""Error pages in the service's own style, with no stack trace.

Every error page is rendered the same way, whatever went wrong before it: the database session is rolled
back first (after a failed statement it refuses every query, including the one that loads the signed-in
person for the page header), and if the person still cannot be loaded the page is shown as to someone
signed out. The response then passes through the app's after-request hooks, so it carries the security
headers. A database that cannot be reached is a 503 ("try again shortly"), not a 500.
"""

from flask import Flask, current_app, g, make_response, render_template
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager
from .security import log_security_event

ERROR_TITLES = {
    400: "There is a problem with your request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "That action is not allowed on this page",
    413: "What you sent is too large",
    429: "Too many requests",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}
RETRY_AFTER_SECONDS = 30
# A plain page for the last resort, when even the error template cannot be rendered.
FALLBACK_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
    "<link rel='stylesheet' href='/static/vendor/govuk-frontend/govuk-frontend.min.css'></head>"
    "<body class='govuk-template__body'>"
    "<main class='govuk-main-wrapper govuk-width-container'><h1 class='govuk-heading-l'>{title}</h1>"
    "<p class='govuk-body'>Try again later. Anything you had saved is safe.</p></main></body></html>"
)


def database_unavailable(error: BaseException) -> bool:
    """True when the database could not be reached or the connection dropped (not a bad statement)."""
    return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError) or bool(
        getattr(error, "connection_invalidated", False)
    )


def _reset_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: rollback cannot reach it, so let the pool discard it
        current_app.logger.warning("Could not roll back after an error", exc_info=True)
        db.session.close()


def _ensure_user_loaded() -> None:
    """Load the signed-in person now; if that fails, show the error page as to someone signed out."""
    try:
        current_user._get_current_object()
    except Exception:  # noqa: BLE001  (whatever stopped the load, the error page must still render)
        _reset_session()
        g._login_user = login_manager.anonymous_user()


def error_response(code: int, **context):
    _reset_session()
    _ensure_user_loaded()
    title = ERROR_TITLES.get(code) or ERROR_TITLES[500 if code >= 500 else 400]
    try:
        body = render_template("errors/error.html", code=code, title=title, **context)
    except Exception:
        current_app.logger.exception("The error page could not be rendered")
        _reset_session()
        g._login_user = login_manager.anonymous_user()
        try:
            body = render_template("errors/error.html", code=code, title=title, **context)
        except Exception:  # noqa: BLE001  (the last resort: a plain page rather than none)
            body = FALLBACK_PAGE.format(title=title)
    response = make_response(body, code)
    if code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        log_security_event("csrf", "rejected", reason=error.description)
        return error_response(400, csrf_failed=True)

    @app.errorhandler(HTTPException)
    def http_error(error):
        code = error.code or 500
        if code == 403:
            log_security_event("access", "denied")
        original = getattr(error, "original_exception", None)
        if original is not None and database_unavailable(original):
            code = 503
        response = error_response(code)
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unhandled(error):
        if database_unavailable(error):
            app.logger.error("Database unavailable: %s", error.__class__.__name__, exc_info=error)
            return error_response(503)
        app.logger.exception("Unhandled error")
        return error_response(500)
