"""Recurring monthly programmes: `flask run-schedules` makes next month's programme and its audits once."""

from datetime import date

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import AuditProgramme, CaseAudit
from audit_app.permissions import Role
from audit_app.programmes import samples
from audit_app.programmes.samples import SampleRule
from audit_app.tools.services import seed_tool
from tests.factories import AuditProgrammeFactory, CaseFactory, TeamFactory, user_with


def _monthly_dip_sample():
    teams = [TeamFactory(name="North"), TeamFactory(name="South")]
    for team in teams:
        for _ in range(6):
            CaseFactory(team=team)
    ash = user_with(Role.AUDITOR, display_name="Ash", team=teams[0])
    bo = user_with(Role.AUDITOR, display_name="Bo", team=teams[1])
    programme = AuditProgrammeFactory(
        name="Dip sample October 2026",
        tool_version=seed_tool(),
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        due_date=date(2026, 11, 14),
        recurs_monthly=True,
    )
    rule = SampleRule("stratified", size=4, seed=111, stratify_by="team")
    samples.confirm(programme, rule, [ash.id, bo.id], "team", date(2026, 10, 1))
    return programme, ash, bo


def _count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_run_schedules_creates_next_months_programme_once(app):
    programme, ash, bo = _monthly_dip_sample()
    runner = app.test_cli_runner()
    early = runner.invoke(args=["run-schedules", "--date", "2026-10-20"])
    assert "0 programmes created" in early.output and _count(AuditProgramme) == 1

    result = runner.invoke(args=["run-schedules", "--date", "2026-11-01"])
    assert result.exit_code == 0 and "Created Dip sample November 2026: 4 audits" in result.output
    november = db.session.scalar(select(AuditProgramme).where(AuditProgramme.recurrence_of_id == programme.id))
    assert (november.period_start, november.period_end, november.due_date) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        date(2026, 12, 14),
    )
    assert november.sample_seed is not None and november.sample_stratify_by == "team"
    audits = db.session.scalars(select(CaseAudit).where(CaseAudit.programme_id == november.id)).all()
    # By team: each auditor has the cases of their own team.
    assert all(a.case.team_id == a.auditor.team_id for a in audits) and len(audits) == 4
    # October's cases are still open, so none is drawn again.
    october = set(db.session.scalars(select(CaseAudit.case_id).where(CaseAudit.programme_id == programme.id)))
    assert not october & {a.case_id for a in audits}

    before = (_count(AuditProgramme), _count(CaseAudit))
    again = runner.invoke(args=["run-schedules", "--date", "2026-11-01"])
    assert "0 programmes created" in again.output
    assert (_count(AuditProgramme), _count(CaseAudit)) == before


def test_the_demo_has_a_recurring_dip_sample_and_a_multi_agency_programme_with_an_external_auditor(app):
    from audit_app.demo import seed_demo
    from audit_app.models import User

    seed_demo("a-demo-password")
    recurring = db.session.scalar(select(AuditProgramme).where(AuditProgramme.recurs_monthly.is_(True)))
    assert recurring.kind == "monthly_dip_sample" and recurring.sample_seed == 48213
    multi = db.session.scalar(select(AuditProgramme).where(AuditProgramme.kind == "multi_agency"))
    external = db.session.scalar(select(User).where(User.email == "external@example.org"))
    assert [a.auditor_id for a in multi.audits] == [external.id] * 3
    assert external.check_password("a-demo-password")
