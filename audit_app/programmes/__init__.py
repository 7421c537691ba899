"""Audit programmes: QA leads run a cycle of audits of a kind (dip sample, thematic, compliance, multi-agency,
re-audit) on one tool version, draw the sample by rule or assign cases by hand, and let monthly ones recur."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import NavItem, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from . import demo, routes

    app.register_blueprint(routes.bp)
    add_nav_item(app, NavItem("Programmes", "programmes.index", Permission.MANAGE_PROGRAMMES, "programmes."))
    add_demo_seeder(app, demo.seed_programmes)
