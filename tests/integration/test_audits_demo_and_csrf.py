"""The audits demo data, and CSRF on every form of the audit pages."""

from flask import url_for
from sqlalchemy import func, select

from audit_app.audits.demo import seed_audits
from audit_app.demo import seed_organisation
from audit_app.extensions import db
from audit_app.models import AuditProgramme, AuditStatus, CaseAudit, FollowUp, Judgement, User
from audit_app.permissions import Role
from tests.conftest import sign_in_as
from tests.factories import user_with
from tests.permission_matrix import make_route_objects, url_values


def test_demo_audits_cover_every_state_over_months_and_localities(app):
    seed_organisation("a-demo-password")
    seed_audits("a-demo-password")
    october = db.session.scalar(select(AuditProgramme).where(AuditProgramme.name == "October 2021 monthly audit"))
    assert october.focus == "Front Door" and october.tool_version.status == "published"
    counts = dict(db.session.execute(select(CaseAudit.status, func.count()).group_by(CaseAudit.status)).all())
    assert counts[AuditStatus.SUBMITTED] == 60
    assert counts[AuditStatus.NOT_STARTED] >= 3 and counts[AuditStatus.IN_PROGRESS] >= 3
    for email in ("auditor@example.org", "manager@example.org"):
        statuses = set(
            db.session.scalars(
                select(CaseAudit.status).join(User, CaseAudit.auditor_id == User.id).where(User.email == email)
            )
        )
        assert {AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS, AuditStatus.SUBMITTED} <= statuses
    months = db.session.scalar(
        select(func.count(func.distinct(CaseAudit.programme_id))).where(CaseAudit.status == AuditStatus.SUBMITTED)
    )
    assert months == 4
    from audit_app.models import Case

    localities = db.session.scalar(
        select(func.count(func.distinct(Case.locality_id)))
        .join(CaseAudit, CaseAudit.case_id == Case.id)
        .where(CaseAudit.status == AuditStatus.SUBMITTED)
    )
    assert localities == 4
    grades = dict(
        db.session.execute(
            select(Judgement.grade, func.count()).where(Judgement.grade.is_not(None)).group_by(Judgement.grade)
        ).all()
    )
    assert set(grades) == {1, 2, 3, 4}
    inadequate = db.session.scalar(
        select(func.count(CaseAudit.id)).where(CaseAudit.overall_grade == 4, CaseAudit.status == AuditStatus.SUBMITTED)
    )
    assert inadequate >= 3
    assert db.session.scalar(select(func.count(FollowUp.id))) == inadequate  # every Inadequate audit has its follow-up
    assert (
        db.session.scalar(
            select(func.count(Judgement.id)).where(Judgement.evidence.is_(None), Judgement.grade.is_not(None))
        )
        == 0
    )
    before = db.session.scalar(select(func.count(CaseAudit.id)))
    seed_audits("a-demo-password")
    assert db.session.scalar(select(func.count(CaseAudit.id))) == before


def test_every_form_on_the_audit_pages_needs_the_csrf_token(csrf_app):
    objects = make_route_objects()
    auditor = objects["audit"].auditor
    people = {Role.QA_LEAD: user_with(Role.QA_LEAD), Role.SENIOR_MANAGER: user_with(Role.SENIOR_MANAGER)}
    checked = []
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods or not rule.endpoint.startswith(
            ("audits.", "programmes.", "tools.", "followups.")
        ):
            continue
        person = (
            people[Role.QA_LEAD]
            if rule.endpoint.startswith(("programmes.", "tools."))
            else (people[Role.SENIOR_MANAGER] if rule.endpoint.startswith("followups.") else auditor)
        )
        client = csrf_app.test_client()
        sign_in_as(client, person)
        with csrf_app.test_request_context():
            url = url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, objects))
        response = client.post(url, data={"name": "x"})
        assert response.status_code == 400, f"{rule.endpoint} accepted a POST without the CSRF token"
        assert "did not come from this service" in response.get_data(as_text=True)
        checked.append(rule.endpoint)
    assert len(checked) >= 10
