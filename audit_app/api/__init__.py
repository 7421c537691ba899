"""The read-only reporting API (/api/v1/) for Power BI, Excel and R: judgements, theme counts, plan actions and
indicators as JSON, read with a scoped, expiring token an admin creates; its OpenAPI document and connection guide."""

from flask import Flask

from ..extensions import csrf


def init_app(app: Flask) -> None:
    from . import admin_routes, routes

    # A token in a header authorises the API, never a cookie: there is no cross-site form to forge.
    csrf.exempt(routes.bp)
    app.register_blueprint(routes.bp)
    app.register_blueprint(admin_routes.bp)
