"""The home page (each feature's panels), the service navigation's Home item and the health check."""

from flask import Flask

from ..navigation import NavItem, add_nav_item


def init_app(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Home", "main.home", None, "main."))
