"""Samples drawn by rule on a programme: preview, confirm (rule and seed recorded), repeat, swap."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, ChangeLog
from audit_app.permissions import Role
from audit_app.programmes import samples
from audit_app.programmes.samples import SampleRule
from audit_app.tools.services import seed_tool
from tests.conftest import get, post
from tests.factories import AuditProgrammeFactory, CaseAuditFactory, CaseFactory, TeamFactory, user_with


def _cases_in_teams(*sizes):
    teams = [TeamFactory(name=f"Team {chr(65 + i)}") for i in range(len(sizes))]
    return [CaseFactory(team=team) for team, size in zip(teams, sizes, strict=True) for _ in range(size)]


def _drawn(programme):
    return sorted(db.session.scalars(select(CaseAudit.case_id).where(CaseAudit.programme_id == programme.id)))


def test_a_stratified_sample_drawn_twice_with_its_recorded_seed_gives_the_same_cases(app):
    version = seed_tool()
    _cases_in_teams(12, 8, 4)
    auditors = [user_with(Role.AUDITOR, display_name=name) for name in ("Ash", "Bo")]
    rule = SampleRule("stratified", size=6, seed=48213, stratify_by="team")
    first, second = AuditProgrammeFactory(tool_version=version), AuditProgrammeFactory(tool_version=version)
    assert samples.confirm(first, rule, [a.id for a in auditors], "round_robin", date.today()) == 6
    teams = [db.session.get(CaseAudit, i).case.team.name for i in db.session.scalars(select(CaseAudit.id))]
    assert (teams.count("Team A"), teams.count("Team B"), teams.count("Team C")) == (3, 2, 1)
    drawn = _drawn(first)
    # Repeating the draw from what is recorded on the programme gives the same cases.
    recorded = SampleRule.of(first)
    assert (recorded.seed, recorded.stratify_by, recorded.size) == (48213, "team", 6)
    # While the first programme's audits are open, its cases are not eligible.
    assert not {c.id for c in samples.preview(second, recorded, date.today())} & set(drawn)
    db.session.execute(CaseAudit.__table__.delete())
    assert sorted(c.id for c in samples.preview(second, recorded, date.today())) == drawn
    # Shared round-robin: three each.
    assert samples.confirm(second, recorded, [a.id for a in auditors], "round_robin", date.today()) == 6
    assert sorted(n for _, n, _ in samples.auditor_loads(second)) == [3, 3]


def test_no_case_audited_in_the_last_twelve_months_is_drawn(app):
    version = seed_tool()
    recent, old = CaseFactory(), CaseFactory()
    fresh = CaseFactory()
    eleven_months_ago = datetime.now(UTC) - timedelta(days=330)
    CaseAuditFactory(case=recent, status=AuditStatus.SUBMITTED.value, submitted_at=eleven_months_ago)
    CaseAuditFactory(case=old, status=AuditStatus.SUBMITTED.value, submitted_at=eleven_months_ago - timedelta(days=60))
    programme = AuditProgrammeFactory(tool_version=version)
    drawn = samples.preview(programme, SampleRule("random", size=10, seed=1), date.today())
    assert sorted(c.id for c in drawn) == sorted([old.id, fresh.id])
    assert recent.id not in [c.id for c in drawn]


def test_preview_then_confirm_through_the_pages_records_the_rule_once(qa_client):
    programme = AuditProgrammeFactory(tool_version=seed_tool())
    _cases_in_teams(5, 5)
    auditor = user_with(Role.AUDITOR, display_name="Alex Auditor")
    rule = {
        "method": "stratified",
        "stratify_by": "team",
        "size": "4",
        "exclude_months": "12",
        "auditor_ids": [str(auditor.id)],
        "assign_by": "round_robin",
    }
    preview = post(qa_client, "programmes.sample", data=rule, programme_id=programme.id)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Cases drawn (4)" in html and _drawn(programme) == []
    seed = html.split('name="seed" value="')[1].split('"')[0]
    assert f"Stratified by team, 4 cases, seed {seed}, leaving out cases audited since" in html
    confirm = {**rule, "seed": seed, "confirm": "yes"}
    for _ in range(2):  # a double tap records the rule once
        assert post(qa_client, "programmes.sample", data=confirm, programme_id=programme.id).status_code == 302
    assert len(_drawn(programme)) == 4 and programme.sample_seed == int(seed)
    page = get(qa_client, "programmes.programme", programme_id=programme.id).get_data(as_text=True)
    assert f"seed {seed}" in page and "Alex Auditor" in page


def test_the_sample_form_is_checked_on_the_server(qa_client):
    programme = AuditProgrammeFactory(tool_version=seed_tool())
    bad = {"method": "stratified", "size": "²", "exclude_months": "-1"}
    response = post(qa_client, "programmes.sample", data=bad, programme_id=programme.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Select what to stratify the sample by" in html
    assert "Number of cases must be a whole number from 1 to 500" in html
    assert "Months must be a whole number from 0 to 60" in html
    assert "Select at least one auditor" in html and "govuk-error-summary" in html


def test_a_swap_is_recorded_with_its_reason(qa_client):
    programme = AuditProgrammeFactory(tool_version=seed_tool())
    _cases_in_teams(4, 4)
    auditor = user_with(Role.AUDITOR)
    rule = SampleRule("stratified", size=2, seed=7, stratify_by="team")
    samples.confirm(programme, rule, [auditor.id], "round_robin", date.today())
    audit = db.session.scalars(select(CaseAudit).where(CaseAudit.programme_id == programme.id)).first()
    old_reference, old_team = audit.case.case_reference, audit.case.team_id
    empty = post(qa_client, "programmes.swap", data={"reason": " "}, programme_id=programme.id, audit_id=audit.id)
    assert empty.status_code == 400 and "Enter why this case is swapped" in empty.get_data(as_text=True)
    reason = "Case closed before the audit period"
    response = post(qa_client, "programmes.swap", data={"reason": reason}, programme_id=programme.id, audit_id=audit.id)
    assert response.status_code == 302
    db.session.refresh(audit)
    assert audit.case.case_reference != old_reference and audit.case.team_id == old_team
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.field == "case swapped in the sample"))
    assert (entry.old_value, entry.new_value) == (old_reference, f"{audit.case.case_reference}: {reason}")
    history = get(qa_client, "audits.view", audit_id=audit.id).get_data(as_text=True)
    assert reason in history and old_reference in history
