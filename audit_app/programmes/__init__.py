"""Audit programmes: QA leads run a cycle of audits on one tool version and assign cases to auditors."""

from flask import Flask

from ..navigation import NavItem, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from . import routes

    app.register_blueprint(routes.bp)
    add_nav_item(app, NavItem("Programmes", "programmes.index", Permission.MANAGE_PROGRAMMES, "programmes."))
