"""Moderation of submitted audits, random samples, and agreement between auditors and moderators."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import NavItem, add_home_panel, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from ..audits.demo_supervision import seed_supervision_audits
    from . import demo, routes

    app.register_blueprint(routes.bp)
    add_nav_item(app, NavItem("Moderation", "moderation.index", Permission.MODERATE_AUDITS, "moderation."))
    add_home_panel(app, routes.moderation_panel)
    # Moderates the audits the audits feature's seeder submits.
    add_demo_seeder(app, demo.seed_moderation)
    # After the moderation sample (so the case audits' demo sample is unchanged): it moderates one itself.
    add_demo_seeder(app, seed_supervision_audits)
