"""The judgements export is streamed: read from one cursor in batches (each row with its themes' ids, named
from one query for every theme, never a query per batch or row) and sent as it is read, with the same bytes
as the file made in one piece.
SQLite and PostgreSQL."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import OperationalError

from audit_app.extensions import db
from audit_app.reporting import exports
from audit_app.reporting.queries import drill_down
from tests.conftest import get, statements
from tests.factories import (
    CaseFactory,
    LensJudgementFactory,
    ObservationFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
)

PERIOD = "2021-Q4"
# Two audits submitted at the same moment: the file orders them by judgement, as it always has.
SUBMITTED = [datetime(2021, 10, day, 10, tzinfo=UTC) for day in (20, 3, 11, 11, 28, 15)]


@pytest.fixture
def judgements(app):
    """Six audits of two domains (12 judgements, themed) and three observations of two lenses (6 rows)."""
    version = published_tool(("voice_of_child", "management_oversight"))
    voice, drift = ThemeFactory(name="Voice of the child"), ThemeFactory(name="Drift and delay")
    for n, submitted_at in enumerate(SUBMITTED):
        audit = submitted_audit(
            version,
            {"voice_of_child": 1 + n % 4, "management_oversight": None},
            submitted_at=submitted_at,
            case=CaseFactory(case_reference=f"CR{n:04}"),
        )
        audit.judgements[0].themes = [voice, drift][: n % 3]
        audit.judgements[1].evidence = f"=Evidence {n}" if n % 2 else f"Evidence {n}, with a comma"
    for day in (5, 2, 5):
        observation = ObservationFactory(observed_on=datetime(2021, 11, day).date())
        observation.themes = [drift]
        for lens in ("voice_of_child", "management_oversight"):
            LensJudgementFactory(observation=observation, lens=lens)
    db.session.commit()


def _export(client):
    return get(client, "themes.export", table="judgements", fmt="csv", period=PERIOD)


def _exported(client, monkeypatch, batch: int) -> tuple[bool, str]:
    monkeypatch.setattr(drill_down, "EXPORT_BATCH", batch)
    monkeypatch.setattr(exports, "CSV_CHUNK_ROWS", batch)
    answer = _export(client)
    assert answer.status_code == 200
    return answer.is_streamed, answer.get_data(as_text=True)


def test_a_streamed_export_in_small_batches_is_the_file_made_in_one_piece(qa_client, judgements, monkeypatch):
    streamed, in_batches = _exported(qa_client, monkeypatch, 4)
    assert streamed
    _, whole = _exported(qa_client, monkeypatch, 1000)
    assert in_batches == whole
    rows = list(csv.reader(io.StringIO(in_batches)))
    body = rows[rows.index(exports.JUDGEMENT_COLUMNS) + 1 :]
    assert len(body) == 12 + 6
    # By date submitted; the two audits of 11 October by judgement; then observations by date.
    assert [r[1] for r in body if r[0] == "Audit"][::2] == ["CR0001", "CR0002", "CR0003", "CR0005", "CR0000", "CR0004"]
    assert [r[2] for r in body if r[0] == "Observation"] == ["2021-11-02"] * 2 + ["2021-11-05"] * 4
    assert list({r[10] for r in body if r[1] == "CR0002" and r[10]}) == ["Drift and delay; Voice of the child"]
    assert "'=Evidence 1" in [r[11] for r in body]  # formulas still neutralised


def test_the_export_keeps_its_name_and_type(qa_client, judgements):
    answer = _export(qa_client)
    assert answer.headers["Content-Disposition"] == f'attachment; filename="judgements-{PERIOD}.csv"'
    assert answer.mimetype == "text/csv"


def _statement_count(client, monkeypatch, batch: int) -> int:
    db.session.commit()
    db.session.expunge_all()
    with statements() as seen:
        _exported(client, monkeypatch, batch)
    return len(seen)


def test_statements_grow_with_batches_not_rows(qa_client, judgements, monkeypatch):
    one_batch = _statement_count(qa_client, monkeypatch, 1000)
    # 12 audit rows in batches of 5 (5, 5, 2) and 6 observation rows (5, 1): three more batches, no more
    # statements (the rows of every batch, with their themes' ids, come from one statement's cursor).
    assert _statement_count(qa_client, monkeypatch, 5) == one_batch
    # Twice the rows in one batch each: no more statements.
    version = published_tool(("voice_of_child",))
    for day in range(1, 13):
        submitted_audit(version, {"voice_of_child": 2}, submitted_at=datetime(2021, 12, day, tzinfo=UTC))
    LensJudgementFactory(observation=ObservationFactory(observed_on=datetime(2021, 11, 9).date()))
    assert _statement_count(qa_client, monkeypatch, 1000) == one_batch


def test_a_database_failure_before_the_first_row_is_an_error_page_not_a_half_sent_file(
    qa_client, judgements, monkeypatch
):
    def unreachable(filters):
        raise OperationalError("SELECT", {}, Exception("the server closed the connection"))
        yield

    monkeypatch.setattr(exports, "judgement_batches", unreachable)
    answer = _export(qa_client)
    assert answer.status_code == 503
    assert "Content-Disposition" not in answer.headers
    assert "Sorry, the service is unavailable" in answer.get_data(as_text=True)
