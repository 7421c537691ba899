"""Practice quality and improvement: case audits, practice weeks, themes and the improvement plan."""

import os
import sqlite3
from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import BASE_DIR, INSTANCE_DIR, config_for

from . import (
    admin,
    api,
    audits,
    auth,
    briefings,
    child_actions,
    compare,
    followups,
    inspection,
    main,
    moderation,
    notifications,
    plan,
    practice_week,
    practitioners,
    programmes,
    reaudits,
    themes,
    tools,
)
from .assets import init_assets
from .cli import register_cli
from .compression import init_compression
from .errors import init_errors
from .extensions import csrf, db, login_manager, migrate
from .parsing import CleanRequest, IdConverter
from .replica import engine_options, init_replica
from .reporting import rollup_events
from .security import init_security
from .templating import init_templating

# Each feature's init_app(app) registers its blueprints, navigation, home panels and demo seeder. The order is
# the order of the navigation, of the home page's panels and of `flask seed-demo`: the organisation (admin) and
# the audits come before moderation, the plan and themes, whose demo data build on the submitted audits.
FEATURES = [
    main,
    notifications,
    auth,
    admin,
    programmes,
    audits,
    tools,
    followups,
    practice_week,
    moderation,
    reaudits,
    practitioners,
    child_actions,
    plan,
    themes,
    compare,
    briefings,
    inspection,
    api,
]

# Values read from the environment when the app starts, not when config.py is imported.
ENVIRONMENT_SETTINGS = ("SECRET_KEY", "ORG_NAME", "SERVICE_NAME")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    configure(app, config_for(config_name), overrides)
    init_database(app)
    init_templates(app)
    init_security(app)
    init_assets(app)
    init_compression(app)
    init_errors(app)
    for feature in FEATURES:
        feature.init_app(app)
    rollup_events.init_app(app)  # the summaries' rollups follow every flush that changes what they count
    register_cli(app)
    return app


def configure(app: Flask, config_class, overrides: dict) -> None:
    # Input checked in one place (audit_app/parsing.py): control characters removed from every query-string
    # and form value, and every <int:...> in a route a bounded id (out of range: 404).
    app.request_class = CleanRequest
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(config_class)
    if config_class.__name__ != "TestingConfig":
        for key in ENVIRONMENT_SETTINGS:
            if key in os.environ:
                app.config[key] = os.environ[key]
        if "DATABASE_URL" in os.environ:
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.update(overrides)
    if hasattr(config_class, "check"):
        config_class.check(app.config)


def init_database(app: Flask) -> None:
    settings = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    init_replica(app, settings)  # before db.init_app, which makes an engine for each bind
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], settings, app.config["DATABASE_CONNECT_TIMEOUT"]
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)

    from . import models  # noqa: F401  (registers every table on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)


def init_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(BASE_DIR / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    init_templating(app)
