"""Theme taxonomy (add, rename, merge, retire) and the theme summary for QA leads."""

from flask import Flask

from ..navigation import NavItem, add_nav_item
from ..permissions import Permission


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Themes", "themes.summary", Permission.VIEW_THEME_SUMMARIES, "themes."))
