"""Practice weeks: schedule, observations on a tablet, quick wins and the week's summary."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import NavItem, add_home_panel, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from . import demo, routes

    app.register_blueprint(routes.bp)
    add_nav_item(app, NavItem("Practice week", "practice_week.index", Permission.RECORD_OBSERVATIONS, "practice_week."))
    add_home_panel(app, routes.my_practice_week_panel)
    add_demo_seeder(app, demo.seed_practice_weeks)
