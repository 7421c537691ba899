"""Administration: users and roles, localities, services, teams and the cases (by reference) audits are about."""

from flask import Flask

from ..demo import add_demo_seeder, seed_organisation
from ..navigation import NavItem, add_home_panel, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from . import routes

    app.register_blueprint(routes.bp)
    add_nav_item(app, NavItem("Cases", "admin.cases", Permission.MANAGE_CASES, "admin.case"))
    add_nav_item(app, NavItem("Administration", "admin.index", Permission.MANAGE_ORGANISATION, "admin.index"))
    add_home_panel(app, routes.admin_panel)
    # The organisation every other feature's demo data is about: its seeder runs first.
    add_demo_seeder(app, seed_organisation)
