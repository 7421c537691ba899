"""Theme taxonomy (add, rename, merge, retire), the theme summary, and the weak evidence no theme covers
(the review of untagged evidence, emerging themes) for QA leads."""

from flask import Flask

from ..navigation import NavItem, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from . import review_routes  # noqa: F401  (its pages are on the themes blueprint)
    from .routes import bp

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Themes", "themes.summary", Permission.VIEW_THEME_SUMMARIES, "themes."))
