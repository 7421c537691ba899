"""Case audits: the audit form an auditor fills in on a tablet, one domain per page, and its submission."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import NavItem, add_home_panel, add_nav_item
from ..notifications.reminders import add_reminder_source
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from ..family_voice.demo import seed_family_voice
    from . import demo, demo_sections, reminders, routes

    app.register_blueprint(routes.bp)
    add_nav_item(app, NavItem("My audits", "audits.my_audits", Permission.CONDUCT_AUDITS, "audits."))
    add_home_panel(app, routes.my_audits_panel)
    add_reminder_source(app, reminders.audit_reminders)
    # Moderation, themes and the plan build on the audits (and programmes) this seeder submits.
    add_demo_seeder(app, demo.seed_audits)
    add_demo_seeder(app, seed_family_voice)  # what families said, on two in three of those audits
    add_demo_seeder(app, demo_sections.seed_case_type_sections)
