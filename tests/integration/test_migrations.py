"""Migrations upgrade an empty database to exactly what the models describe, on both databases."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from audit_app import create_app
from audit_app.extensions import db
from config import BASE_DIR
from tests.conftest import POSTGRES_URL

MIGRATIONS = str(BASE_DIR / "migrations")


def empty_databases(tmp_path):
    yield "sqlite", f"sqlite:///{tmp_path}/migrated.db"
    if POSTGRES_URL:
        url = make_url(POSTGRES_URL)
        name = f"{url.database}_migrations"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        yield "postgresql", url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    urls = dict(empty_databases(tmp_path))
    if request.param not in urls:
        pytest.skip("set TEST_DATABASE_URL to test migrations on PostgreSQL")
    return urls[request.param]


def test_upgrade_from_empty_matches_the_models(empty_database):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        downgrade(directory=MIGRATIONS, revision="base")
        with db.engine.connect() as connection:
            tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()
