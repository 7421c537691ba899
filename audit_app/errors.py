"""Error pages in the service's own style, with no stack trace."""
from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .security import log_security_event

ERROR_TITLES = {
    400: "There is a problem with your request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "That action is not allowed on this page",
    413: "The file is too large",
    429: "Too many requests",
    500: "Sorry, there is a problem with the service",
}


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        log_security_event("csrf", "rejected", reason=error.description)
        return render_template("errors/error.html", code=400, title=ERROR_TITLES[400], csrf_failed=True), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        code = error.code or 500
        if code == 403:
            log_security_event("access", "denied")
        title = ERROR_TITLES.get(code, error.name)
        return render_template("errors/error.html", code=code, title=title), code

    @app.errorhandler(Exception)
    def unhandled(error):
        app.logger.exception("Unhandled error")
        return render_template("errors/error.html", code=500, title=ERROR_TITLES[500]), 500
