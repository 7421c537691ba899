"""Migrations upgrade an empty database to exactly what the models describe, and a database with
data at the released revision to head, on both databases."""

import gzip
import json
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy import types as sa_types
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


@pytest.fixture
def app_on_empty_database(empty_database):
    """An app on the empty database, in its context; its connections are closed after the test, even a
    failed one, so the next test can drop the PostgreSQL database."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def test_upgrade_from_empty_matches_the_models(app_on_empty_database):
    upgrade(directory=MIGRATIONS)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations differ: {differences}"
    downgrade(directory=MIGRATIONS, revision="base")
    with db.engine.connect() as connection:
        tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
    assert tables == set()


# The demo data as it was at the last released revision. When a new revision lands, the one before
# it stays released: regenerate this file only when the fixture's revision is no longer the one
# before head (see CONTRIBUTING.md, "Migrations").
RELEASED_DATA = BASE_DIR / "tests" / "fixtures" / "demo_at_0007.json.gz"


def _load_released_data(connection) -> dict[str, int]:
    """Insert the released demo rows through the schema as it is at their revision."""
    saved = json.loads(gzip.decompress(RELEASED_DATA.read_bytes()))
    metadata = MetaData()
    metadata.reflect(connection)
    counts = {}
    for table in metadata.sorted_tables:
        if table.name not in saved["tables"]:
            continue
        columns = saved["tables"][table.name]["columns"]
        rows = [
            {name: _decode(table.c[name].type, value) for name, value in zip(columns, row, strict=True)}
            for row in saved["tables"][table.name]["rows"]
        ]
        if rows:
            connection.execute(table.insert(), rows)
        counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql" and "id" in table.c and rows:
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {max(r['id'] for r in rows)})")
            )
    return counts


def _decode(column_type, value):
    if value is None:
        return None
    if isinstance(column_type, sa_types.JSON):
        return value
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return value
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    return value


def test_a_database_at_the_released_revision_with_data_upgrades_to_head(app_on_empty_database):
    saved_revision = json.loads(gzip.decompress(RELEASED_DATA.read_bytes()))["revision"]
    upgrade(directory=MIGRATIONS, revision=saved_revision)
    with db.engine.begin() as connection:
        counts = _load_released_data(connection)
    assert counts["case_audit"] > 50 and counts["judgement"] > 100
    upgrade(directory=MIGRATIONS)
    with db.engine.connect() as connection:
        for table, count in counts.items():
            assert connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() == count, table
    # Every model reads its rows back through the upgraded schema.
    for mapper in db.Model.registry.mappers:
        db.session.scalars(select(mapper.class_).limit(20)).all()


def test_the_upgrade_counts_the_lens_judgements_already_there_as_a_rebuild_would(app_on_empty_database):
    """0031 fills the lens rollup from the submitted observations at the released revision: the summary's lens
    spread is right from the first request after the upgrade."""
    from audit_app.models.reporting import lens_rollup
    from audit_app.reporting import rollups

    saved_revision = json.loads(gzip.decompress(RELEASED_DATA.read_bytes()))["revision"]
    upgrade(directory=MIGRATIONS, revision=saved_revision)
    with db.engine.begin() as connection:
        _load_released_data(connection)
    upgrade(directory=MIGRATIONS)

    def lens_rows():
        return sorted(tuple(row)[1:] for row in db.session.execute(select(lens_rollup)))

    filled = lens_rows()
    assert sum(row[-1] for row in filled) > 20
    db.session.commit()
    rollups.rebuild()
    assert lens_rows() == filled


def test_the_upgrade_sums_the_month_twins_from_the_rollups_already_there_as_a_rebuild_would(app_on_empty_database):
    """0032 fills the twins by month alone from the twins by locality already kept: the unfiltered summary,
    which reads them, is right from the first request after the upgrade."""
    from audit_app.models.reporting import judgement_month_rollup, theme_month_rollup
    from audit_app.reporting import rollups

    saved_revision = json.loads(gzip.decompress(RELEASED_DATA.read_bytes()))["revision"]
    upgrade(directory=MIGRATIONS, revision=saved_revision)
    with db.engine.begin() as connection:
        _load_released_data(connection)
    upgrade(directory=MIGRATIONS)
    rollups.rebuild()

    def month_rows():
        return [sorted(tuple(row)[1:] for row in db.session.execute(select(table))) for table in twins]

    twins = (judgement_month_rollup, theme_month_rollup)
    rebuilt = month_rows()
    assert all(rebuilt), "the demo data has judgements and theme tags"
    db.session.commit()
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="0031")
    upgrade(directory=MIGRATIONS)
    assert month_rows() == rebuilt


def test_observations_started_twice_for_one_booking_are_all_kept_by_the_upgrade(app_on_empty_database):
    """0008 makes one observation per booking and observer: observations started twice before it are
    kept, the later ones as unscheduled observations of the same week."""
    from datetime import date, datetime

    upgrade(directory=MIGRATIONS, revision="0007")
    tables = db.metadata.tables
    with db.engine.begin() as connection:
        user_id = connection.execute(
            tables["user"].insert().values(email="m@example.org", display_name="M", password_hash="x")
        ).inserted_primary_key[0]
        week_id = connection.execute(
            tables["practice_week"]
            .insert()
            .values(title="Week", starts_on=date(2021, 10, 4), ends_on=date(2021, 10, 8))
        ).inserted_primary_key[0]
        activity_id = connection.execute(
            tables["activity"]
            .insert()
            .values(
                week_id=week_id,
                starts_at=datetime(2021, 10, 5, 9, tzinfo=UTC),
                activity_type="icpc",
                observer_id=user_id,
            )
        ).inserted_primary_key[0]
        for text_written in ("First start", "Second start"):
            connection.execute(
                tables["observation"]
                .insert()
                .values(
                    practice_week_id=week_id,
                    activity_id=activity_id,
                    observer_id=user_id,
                    activity_type="icpc",
                    observed_on=date(2021, 10, 5),
                    working_well=text_written,
                )
            )
    upgrade(directory=MIGRATIONS)
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT working_well, activity_id FROM observation ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("First start", activity_id), ("Second start", None)]
    downgrade(directory=MIGRATIONS, revision="base")
