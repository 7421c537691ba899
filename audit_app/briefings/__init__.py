"""Learning briefings: messages from audit to staff, what good practice looks like."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import NavItem, add_home_panel, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from . import demo, routes

    app.register_blueprint(routes.bp)
    add_nav_item(app, NavItem("Briefings", "briefings.index", Permission.READ_BRIEFINGS, "briefings."))
    add_home_panel(app, routes.briefings_panel)
    add_demo_seeder(app, demo.seed_briefings)
