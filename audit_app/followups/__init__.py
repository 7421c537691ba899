"""Follow-ups: inadequate practice found in an audit is followed up at once, by an owner, by a date."""

from flask import Flask

from ..navigation import add_home_panel


def init_app(app: Flask) -> None:
    from . import routes

    app.register_blueprint(routes.bp)
    add_home_panel(app, routes.follow_ups_panel)
