"""Practitioners: audits shared with the allocated social worker and their team manager, and the worker's
response (a reflection, and agreement per domain), with disagreements resolved by moderators."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import NavItem, add_home_panel, add_nav_item
from ..notifications.reminders import add_reminder_source
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from . import demo, reminders, routes

    app.register_blueprint(routes.bp)
    add_nav_item(
        app,
        NavItem("Audits of your cases", "practitioners.my_audits", Permission.RESPOND_TO_AUDITS, "practitioners.my"),
    )
    add_nav_item(
        app,
        NavItem(
            "Your team's audits", "practitioners.team_audits", Permission.MANAGE_CHILD_ACTIONS, "practitioners.team"
        ),
    )
    add_home_panel(app, routes.worker_panel)
    add_home_panel(app, routes.team_panel)
    add_home_panel(app, routes.disagreements_panel)
    add_demo_seeder(app, demo.seed_responses)
    add_reminder_source(app, reminders.response_reminders)
