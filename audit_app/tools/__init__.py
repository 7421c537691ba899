"""Audit tools: versioned case audit tools (domains and questions), published, exported and imported as JSON."""

from flask import Flask

from ..navigation import NavItem, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Audit tools", "tools.index", Permission.MANAGE_AUDIT_TOOLS, "tools."))
