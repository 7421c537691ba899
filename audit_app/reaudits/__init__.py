"""Re-audits: an Inadequate audit schedules a re-audit of the same case, shown to its auditor when due, with
the previous audit beside each question and the result (improved / same / worse) by domain."""

from flask import Flask

from ..demo import add_demo_seeder
from ..notifications.reminders import add_reminder_source


def init_app(app: Flask) -> None:
    from . import demo, routes, services

    app.register_blueprint(routes.bp)
    app.add_template_global(routes.previous_audit, "previous_audit")
    app.add_template_global(services.shows_from, "reaudit_shows_from")
    add_demo_seeder(app, demo.seed_reaudits)
    add_reminder_source(app, services.reaudits_due)
