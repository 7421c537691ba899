"""Notifications: what happened that concerns a person (an audit shared with them, a response due, an action
overdue), listed on their home page and queued for email, so no save ever waits on a mail server. Email goes
out only from `flask send-notifications`; `flask send-reminders` asks each registered reminder source."""

from flask import Flask

from ..navigation import add_home_panel
from .reminders import add_reminder_source  # noqa: F401  (features register their reminders with it)


def init_app(app: Flask) -> None:
    from . import routes

    app.register_blueprint(routes.bp)
    add_home_panel(app, routes.notifications_panel)
