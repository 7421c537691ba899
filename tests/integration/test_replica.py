"""DATABASE_REPLICA_URL: the reporting pages read the replica; saves, and every write, go to the primary.

The replica here is a SQLite file holding an older copy of the data (one audit), while the primary
(SQLite or PostgreSQL) has moved on (four audits): which figures a page shows tells which database
answered it.
"""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, func, insert, select

from audit_app import create_app
from audit_app.api import tokens
from audit_app.extensions import db
from audit_app.models import ApiTokenUse, Theme, ToolVersion
from audit_app.permissions import Role
from audit_app.replica import REPLICA
from audit_app.reporting import exports
from audit_app.reporting.queries import drill_down
from tests.conftest import get, post, sign_in_as
from tests.factories import AuditProgrammeFactory, CaseFactory, published_tool, submitted_audit, user_with
from tests.integration.test_theme_summary import row_cells

PERIOD = "2021-Q4"


def _audit(version, grade):
    return submitted_audit(
        version,
        {"voice_of_child": grade},
        submitted_at=datetime(2021, 11, 15, 10, tzinfo=UTC),
        case=CaseFactory(case_type="cp"),
    )


def _copy_everything(engine) -> None:
    """Make the replica a copy of the primary as it is now (what streaming replication would do)."""
    db.metadata.create_all(engine)
    with engine.begin() as replica:
        for table in db.metadata.sorted_tables:
            rows = [dict(row) for row in db.session.execute(select(table)).mappings()]
            if rows:
                replica.execute(insert(table), rows)


@pytest.fixture
def qa_lead(app):
    return user_with(Role.QA_LEAD)


@pytest.fixture
def replica(app, qa_lead, monkeypatch, tmp_path):
    """A replica one audit behind... then three more audits on the primary only."""
    version = published_tool(("voice_of_child",))
    _audit(version, 2)
    db.session.commit()
    engine = create_engine(f"sqlite:///{tmp_path / 'replica.db'}")
    _copy_everything(engine)
    for _ in range(3):
        _audit(version, 4)
    db.session.commit()
    monkeypatch.setitem(db.engines, REPLICA, engine)
    yield engine
    engine.dispose()


def _exported_rows(client) -> int:
    answer = get(client, "themes.export", table="judgements", fmt="csv", period=PERIOD)
    assert answer.status_code == 200
    return sum(1 for row in csv.reader(io.StringIO(answer.get_data(as_text=True))) if row[:1] == ["Audit"])


def _drill_down(client) -> str:
    return get(client, "themes.evidence", period=PERIOD, domain="voice_of_child").get_data(as_text=True)


def _inadequate_voice(client) -> str:
    """The summary's count of Inadequate grades for the voice of the child."""
    page = get(client, "themes.summary", period=PERIOD).get_data(as_text=True)
    return row_cells(page, "table-domains", "voice_of_child")["4"]


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model.__table__))


def test_the_summary_and_the_export_read_the_replica(client, qa_lead, replica, monkeypatch):
    sign_in_as(client, qa_lead)
    assert _exported_rows(client) == 1  # the replica's one judgement, not the primary's four
    assert "1 judgement from audits" in _drill_down(client)
    assert _inadequate_voice(client) == "0"
    monkeypatch.delitem(db.engines, REPLICA)  # no replica: the same pages read the primary
    assert _exported_rows(client) == 4
    assert "4 judgements from audits" in _drill_down(client)
    assert _inadequate_voice(client) == "3"


def test_a_streamed_export_reads_the_replica_to_its_last_batch(client, qa_lead, replica, monkeypatch):
    # One row a batch: every batch after the first is read while the answer is sent, after the view returned.
    monkeypatch.setattr(drill_down, "EXPORT_BATCH", 1)
    monkeypatch.setattr(exports, "CSV_CHUNK_ROWS", 1)
    sign_in_as(client, qa_lead)
    assert _exported_rows(client) == 1
    monkeypatch.delitem(db.engines, REPLICA)
    assert _exported_rows(client) == 4


def test_a_save_goes_to_the_primary_while_a_replica_is_set(client, qa_lead, replica):
    sign_in_as(client, qa_lead)
    answer = post(client, "themes.manage", data={"name": "Drift and delay", "form_token": "a-token-for-the-replica"})
    assert answer.status_code == 302
    assert db.session.scalar(select(Theme.name).where(Theme.name == "Drift and delay")) == "Drift and delay"
    with replica.connect() as connection:
        assert connection.scalar(select(func.count()).where(Theme.name == "Drift and delay")) == 0


def test_an_api_read_comes_from_the_replica_and_its_use_is_logged_on_the_primary(client, replica):
    secret = tokens.create_token("Tests", ["judgements"], 30, None).secret
    db.session.commit()
    # The token was made after the copy: the replica has never seen it, so the check must be on the primary.
    answer = get(client, "api.judgements", headers={"Authorization": f"Bearer {secret}"}, period=PERIOD)
    assert answer.status_code == 200
    assert len(answer.get_json()["data"]) == 1
    assert db.session.scalar(select(func.count(ApiTokenUse.id))) == 1
    assert _count(replica, ApiTokenUse) == 0


def test_pages_not_marked_read_only_read_the_primary(client, qa_lead, replica):
    sign_in_as(client, qa_lead)
    # The theme list is managed, not reported: it shows a theme the replica does not have.
    db.session.add(Theme(name="Only on the primary"))
    db.session.commit()
    assert "Only on the primary" in get(client, "themes.manage").get_data(as_text=True)


def test_the_setting_adds_the_replica_as_a_bind(tmp_path):
    url = f"sqlite:///{tmp_path / 'replica.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", DATABASE_REPLICA_URL=url)
    with app.app_context():
        assert str(db.engines[REPLICA].url) == url
        assert db.engines[None].url != db.engines[REPLICA].url
    assert REPLICA not in create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://").config.get("SQLALCHEMY_BINDS", {})


def test_the_inspection_pack_reads_the_replica(client, qa_lead, replica, monkeypatch):
    version = db.session.scalar(select(ToolVersion))
    programme = AuditProgrammeFactory(tool_version=version, name="Dip sample only on the primary")
    submitted_audit(
        version, {"voice_of_child": 2}, submitted_at=datetime(2021, 10, 20, tzinfo=UTC), programme=programme
    )
    db.session.commit()
    sign_in_as(client, qa_lead)
    assert "Dip sample only on the primary" not in get(client, "inspection.index", period=PERIOD).get_data(as_text=True)
    monkeypatch.delitem(db.engines, REPLICA)
    assert "Dip sample only on the primary" in get(client, "inspection.index", period=PERIOD).get_data(as_text=True)
