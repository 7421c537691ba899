"""Compare: localities, services, teams, case types or kinds of audit side by side against the rest of the
authority, with funnel plots that say which differences are more than chance, and the patterns in words."""

from flask import Flask

from ..navigation import NavItem, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Compare", "compare.index", Permission.VIEW_COMPARISONS, "compare."))
