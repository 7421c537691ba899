"""Actions for the child: what the team manager and worker agree will change for the child after an audit."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import add_home_panel
from ..notifications.reminders import add_reminder_source


def init_app(app: Flask) -> None:
    from . import demo, routes, services

    app.register_blueprint(routes.bp)
    app.add_template_global(services.actions_for, "child_actions_for")
    app.add_template_global(services.can_manage, "can_manage_child_actions")
    app.add_template_global(services.is_overdue, "child_action_is_overdue")
    add_home_panel(app, routes.overdue_panel)
    add_demo_seeder(app, demo.seed_child_actions)
    add_reminder_source(app, services.overdue_child_actions)
