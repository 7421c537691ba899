"""The database going away while people autosave (PostgreSQL only).

A PostgreSQL restart is played out for real: every backend of the app is terminated from a second
connection, and while the "restart" lasts new connections are refused (they are pointed at a closed port).
Requests then answer a clear 503 quickly, the app recovers by itself when the database is back, and every
save that was acknowledged (200) is in the database; a save that answered 503 was not made, so the page's
retry is what saves it.
"""

import re
import time

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.pool import NullPool

from audit_app.audits import services as audit_services
from audit_app.extensions import db
from audit_app.models import ChangeLog, Judgement
from audit_app.permissions import Role
from audit_app.tools.services import seed_tool
from tests.conftest import POSTGRES_URL, path_for, sign_in_as
from tests.factories import AuditProgrammeFactory, CaseAuditFactory, user_with

TERMINATE = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


@pytest.fixture
def postgresql_app(app):
    if app.config["DATABASE_NAME"] != "postgresql":
        pytest.skip("PostgreSQL only: the test terminates database backends")
    return app


def terminate_app_connections() -> int:
    """From a second connection, as a database restart would: end every other backend of this database."""
    admin = create_engine(POSTGRES_URL, poolclass=NullPool)
    try:
        with admin.connect() as connection:
            return len(connection.execute(text(TERMINATE)).all())
    finally:
        admin.dispose()


class Outage:
    """While on, the app's new connections go to a closed port, as during a restart."""

    def __init__(self, engine):
        self.on = False
        self.engine = engine
        event.listen(engine, "do_connect", self._connect)

    def _connect(self, dialect, connection_record, cargs, cparams):
        if self.on:
            cparams.update(host="127.0.0.1", port=1)

    def close(self):
        event.remove(self.engine, "do_connect", self._connect)


class KillMidTransaction:
    """Terminate the app's backends just before its next write to the judgements table."""

    def __init__(self, engine):
        self.armed = False
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, connection, cursor, statement, parameters, context, executemany):
        if (
            self.armed
            and Judgement.__tablename__ in statement
            and statement.lstrip().upper().startswith(("UPDATE", "INSERT"))
        ):
            self.armed = False
            assert terminate_app_connections() >= 1

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._before)


def test_requests_get_503_during_a_restart_recover_after_it_and_lose_no_acknowledged_save(postgresql_app, client):
    version = seed_tool()
    auditor = user_with(Role.AUDITOR, display_name="Alex Auditor")
    audit = CaseAuditFactory(
        tool_version=version, programme=AuditProgrammeFactory(tool_version=version), auditor=auditor
    )
    key = version.domains[0].key
    question = audit_services.page_for(audit, key).questions[0]
    sign_in_as(client, auditor)
    # Plain values: the test shares the app's session, which the outage empties.
    url, field, audit_id, question_id = (
        path_for("audits.page", audit_id=audit.id, page_key=key),
        f"q{question.id}-evidence",
        audit.id,
        question.id,
    )
    outage, killer = Outage(db.engine), KillMidTransaction(db.engine)
    page_version, answers, slowest = str(audit.version), {}, 0.0
    try:
        for i in range(14):
            if i == 4:  # the restart begins: every connection dies, and no new one can be made
                terminate_app_connections()
                outage.on = True
            if i == 8:  # the database is back
                outage.on = False
            if i == 11:  # a connection dies in the middle of a save
                killer.armed = True
            evidence = f"Autosave number {i}"
            started = time.monotonic()
            response = client.post(
                url,
                data={"version": page_version, field: evidence},
                headers={"HX-Request": "true"},
            )
            slowest = max(slowest, time.monotonic() - started)
            answers[evidence] = response.status_code
            if response.status_code == 200:
                page_version = re.search(r'id="autosave-version" value="(\d+)"', response.text).group(1)
            else:
                assert response.status_code == 503, (i, response.status_code)
                assert response.headers["Retry-After"] and "Sorry, the service is unavailable" in response.text
    finally:
        outage.close()
        killer.close()

    codes = list(answers.values())
    assert codes[:4] == [200] * 4  # before the restart
    assert codes[4:8] == [503] * 4  # during it: a clear answer, not a traceback
    assert codes[8:11] == [200] * 3  # after it, with no restart of the app
    assert codes[11:] == [503, 200, 200]  # a connection lost mid-save, then saving again
    assert slowest < 10  # nobody waits on a dead database

    db.session.rollback()
    logged = set(
        db.session.scalars(
            select(ChangeLog.new_value).where(
                ChangeLog.record_type == Judgement.__tablename__, ChangeLog.field == "evidence"
            )
        )
    )
    acknowledged = {evidence for evidence, code in answers.items() if code == 200}
    refused = {evidence for evidence, code in answers.items() if code == 503}
    assert acknowledged <= logged  # every acknowledged save is in the database
    assert not refused & logged  # a 503 saved nothing, so retrying it is right
    stored = db.session.scalar(
        select(Judgement.evidence).where(Judgement.audit_id == audit_id, Judgement.question_id == question_id)
    )
    assert stored == "Autosave number 13"


def wait_until_app_connections_have_ended() -> None:
    admin = create_engine(POSTGRES_URL, poolclass=NullPool)
    others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    try:
        with admin.connect() as connection:
            for _ in range(100):
                if connection.execute(text(others)).scalar() == 0:
                    return
                time.sleep(0.05)
    finally:
        admin.dispose()
    raise AssertionError("the app's connections outlived pg_terminate_backend")


def test_a_connection_the_database_ended_while_idle_is_replaced_before_a_request_meets_it(postgresql_app, client):
    """A restart that happened while nobody used the service costs nobody an error afterwards."""
    assert client.get(path_for("main.healthz")).status_code == 200
    db.session.rollback()  # the test shares the app's session: give its connection back to the pool, idle
    assert terminate_app_connections() >= 1
    wait_until_app_connections_have_ended()
    response = client.get(path_for("main.healthz"))
    assert (response.status_code, response.json) == (200, {"status": "ok", "database": "ok"})


def test_postgresql_connections_are_checked_recycled_and_time_out():
    """The settings the recovery above relies on, for every PostgreSQL app (production included)."""
    from audit_app import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    assert 0 < options["pool_recycle"] <= 3600
    assert 0 < options["connect_args"]["connect_timeout"] <= 10
    assert 0 < options["pool_timeout"] <= 30
