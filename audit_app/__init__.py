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

from .extensions import csrf, db, login_manager, migrate
from .parsing import CleanRequest, IdConverter

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
    config_class = config_for(config_name)
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(INSTANCE_DIR),
    )
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
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Pool sizing is for PostgreSQL; SQLite connections are cheap and local.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            k: v
            for k, v in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items()
            if k not in ("pool_size", "max_overflow", "pool_timeout")
        }
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        timeout = {"connect_timeout": app.config["DATABASE_CONNECT_TIMEOUT"]}
        options["connect_args"] = {**timeout, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )

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

    from . import models  # noqa: F401  (registers every table on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    from .security import init_security

    init_security(app)

    from .auth import init_auth

    init_auth(app)

    from .errors import init_errors

    init_errors(app)

    from .templating import init_templating

    init_templating(app)

    from .admin.routes import bp as admin_bp
    from .auth.routes import bp as auth_bp
    from .main.routes import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)

    # Case audits: tools, programmes, the audit form, follow-ups (the demo seeder submits audits
    # that the moderation, themes and plan seeders build on, so it registers before theirs).
    from .audits import demo as audits_demo  # noqa: F401  (registers the audits demo data)
    from .audits.programme_routes import bp as programmes_bp
    from .audits.routes import bp as audits_bp
    from .followups.routes import bp as followups_bp
    from .tools.routes import bp as tools_bp

    app.register_blueprint(audits_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(tools_bp)
    app.register_blueprint(followups_bp)

    from . import practice_week  # noqa: F401  (registers the practice-week demo data)
    from .practice_week.routes import bp as practice_week_bp

    app.register_blueprint(practice_week_bp)

    # Moderation stays last: its demo seeder moderates the audits the audits seeder submits.
    from . import moderation  # noqa: F401  (registers the moderation demo data)
    from .moderation.routes import bp as moderation_bp

    app.register_blueprint(moderation_bp)

    # Improvement plan: its demo seeder loads the seeds' January 2021 plan.
    from .plan import demo as plan_demo  # noqa: F401  (registers the plan demo data)
    from .plan.routes import bp as plan_bp

    app.register_blueprint(plan_bp)

    # Theme summaries and the theme taxonomy; `flask generate-data` for the benchmark.
    from .themes.generate import register_generate_data
    from .themes.routes import bp as themes_bp

    app.register_blueprint(themes_bp)
    register_generate_data(app)

    from .cli import register_cli

    register_cli(app)
    return app
