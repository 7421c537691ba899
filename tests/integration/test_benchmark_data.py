"""Volume data for the benchmark (audit_app/benchmark_data.py), loaded by `flask generate-data`."""

from datetime import date

from sqlalchemy import func, select

from audit_app import benchmark_data
from audit_app.benchmark_data import generate
from audit_app.extensions import db
from audit_app.models import Case, CaseAudit, Judgement, Observation
from audit_app.reporting import queries
from audit_app.reporting.filters import Filters
from tests.factories import CaseFactory


def test_flask_generate_data_adds_the_audits_and_observations_asked_for(app):
    result = app.test_cli_runner().invoke(args=["generate-data", "--audits", "6", "--observations", "2"])
    assert result.exit_code == 0, result.output
    assert "audits: 6" in result.output and "observations: 2" in result.output
    assert db.session.scalar(select(func.count(CaseAudit.id))) == 6


def test_generate_data_adds_audits_that_the_summary_counts(app):
    counts = generate(audits=40, observations=12, seed=7)
    assert counts["audits"] == 40 and counts["judgements"] == 320 and counts["observations"] == 12
    everything = Filters(period="2000")  # a year with nothing, then the whole span by year
    assert queries.domain_spread(everything) == []
    years = {d.year for d in [date.today()]} | {date.today().year - y for y in range(4)}
    total = sum(r.total for y in years for r in queries.domain_spread(Filters(period=str(y))))
    assert total == 320
    observations = sum(r.total for y in years for r in queries.lens_spread(Filters(period=str(y))))
    assert observations == 12 * 6
    # Running it again adds more, with fresh ids and case references.
    assert generate(audits=5, observations=0, seed=8)["audits"] == 5


def test_generated_data_leaves_room_for_new_records(app):
    """After bulk inserts with explicit ids, PostgreSQL's sequences are moved past them, so a case
    added through the service afterwards gets a fresh id instead of a duplicate-key error."""
    generate(audits=3, observations=1, seed=9)
    highest = db.session.scalar(select(func.max(Case.id)))
    case = CaseFactory()
    assert case.id > highest


def _choices_after(audit_id: int) -> list[tuple]:
    """What the generator chose for the audits after audit_id: case, auditor, grades and judgements."""
    audits = db.session.execute(
        select(Case.case_type, Case.team_id, CaseAudit.auditor_id, CaseAudit.status, CaseAudit.overall_grade)
        .join(Case, CaseAudit.case_id == Case.id)
        .where(CaseAudit.id > audit_id)
        .order_by(CaseAudit.id)
    ).all()
    judgements = db.session.execute(
        select(Judgement.domain_key, Judgement.grade).where(Judgement.audit_id > audit_id).order_by(Judgement.id)
    ).all()
    return [tuple(row) for row in audits + judgements]


def test_the_same_seed_gives_the_same_data_for_the_benchmark_to_compare(app):
    generate(audits=30, observations=0, seed=11)
    first = _choices_after(0)
    highest = db.session.scalar(select(func.max(CaseAudit.id)))
    generate(audits=30, observations=0, seed=11)
    assert _choices_after(highest) == first
    highest = db.session.scalar(select(func.max(CaseAudit.id)))
    generate(audits=30, observations=0, seed=12)
    assert _choices_after(highest) != first


def test_rows_are_written_batch_by_batch_and_the_batches_change_nothing(app, monkeypatch):
    """A million audits are made and written a batch at a time (constant memory): every row of every
    batch arrives, the last part-batch too, and the data are the same as in one batch."""
    monkeypatch.setattr(benchmark_data, "AUDITS_PER_BATCH", 7)
    counts = generate(audits=30, observations=9, seed=11)
    assert (counts["cases"], counts["audits"], counts["judgements"], counts["observations"]) == (30, 30, 240, 9)
    assert db.session.scalar(select(func.count(Observation.id))) == 9
    batched = _choices_after(0)
    highest = db.session.scalar(select(func.max(CaseAudit.id)))
    monkeypatch.setattr(benchmark_data, "AUDITS_PER_BATCH", 5000)
    generate(audits=30, observations=0, seed=11)
    assert _choices_after(highest) == batched
