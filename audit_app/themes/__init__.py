"""Theme taxonomy (add, rename, merge, retire), the theme summary for QA leads, themes suggested while
evidence is written (the model itself is audit_app/theme_model/), and the weak evidence no theme covers (the
review of untagged evidence, emerging themes)."""

from flask import Flask

from ..demo import add_demo_seeder
from ..navigation import NavItem, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from ..theme_model.demo import seed_theme_model
    from . import review_routes  # noqa: F401  (its pages are on the themes blueprint)
    from .routes import bp

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Themes", "themes.summary", Permission.VIEW_THEME_SUMMARIES, "themes."))
    # After the audits and observations it learns from (FEATURES order).
    add_demo_seeder(app, seed_theme_model)
