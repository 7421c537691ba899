"""The improvement plan: priorities, outcomes, actions with RAG, indicators, monthly updates and the board report."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import NavItem, add_home_panel, add_nav_item
from ..notifications.reminders import add_reminder_source
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from . import demo, reminders, routes

    app.register_blueprint(routes.bp)
    add_nav_item(app, NavItem("Improvement plan", "plan.index", Permission.VIEW_PLAN, "plan."))
    add_home_panel(app, routes.my_actions_panel)
    add_reminder_source(app, reminders.rag_update_reminders)
    # The seeds' January 2021 plan, linked to themes the audits seeder recorded.
    add_demo_seeder(app, demo.seed_plan)
