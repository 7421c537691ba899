"""The people and the shared audit the practitioner tests work with (tests/integration/test_practitioner_*.py,
test_shared_audit_access.py, test_audited_alongside_worker.py), and the `scene` fixture that makes them."""

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import (
    AuditStatus,
    Notification,
)
from audit_app.permissions import Role
from audit_app.practitioners import services
from tests.conftest import sign_in_as
from tests.factories import (
    CaseAuditFactory,
    CaseFactory,
    JudgementFactory,
    TeamFactory,
    published_tool,
    submitted_audit,
    user_with,
)


def make_scene() -> dict:
    """A team with a worker (SW7001), a colleague and a manager, another team's manager, an auditor and two
    moderators, and a submitted audit of the worker's case (CMS700001) shared with them."""
    team = TeamFactory(name="North Children & Families 1")
    version = published_tool(domain_keys=("plans", "visits"))
    people = {
        "worker": user_with(Role.PRACTITIONER, worker_ref="SW7001", team=team, display_name="Sam Worker"),
        "colleague": user_with(Role.PRACTITIONER, worker_ref="SW7002", team=team, display_name="Kit Colleague"),
        "manager": user_with(Role.TEAM_MANAGER, team=team, display_name="Tam Manager"),
        "other_manager": user_with(Role.TEAM_MANAGER, team=TeamFactory()),
        "auditor": user_with(Role.AUDITOR, display_name="Alex Auditor"),
        "moderator": user_with(Role.SENIOR_MANAGER, display_name="Mo Moderator"),
        "qa": user_with(Role.QA_LEAD),
    }
    case = CaseFactory(team=team, allocated_worker_ref="SW7001", case_reference="CMS700001")
    audit = submitted_audit(version, {"plans": 2, "visits": 3}, overall=3, case=case, auditor=people["auditor"])
    services.share_audit(audit)
    db.session.commit()
    return {"team": team, "version": version, "audit": audit, **people}


@pytest.fixture
def scene(app):
    """The scene, made afresh for each test (a test module's own `scene` fixture takes its place)."""
    return make_scene()


def client_for(app, user):
    client = app.test_client()
    sign_in_as(client, user)
    return client


def response_form(**overrides) -> dict:
    form = {
        "reflection": "I will bring the analysis into supervision.",
        "agreement_0": "agree",
        "reason_0": "",
        "agreement_1": "disagree",
        "reason_1": "The child was seen alone at every visit.",
        "form_token": "respond-token-0123456789",
    }
    return form | overrides


def notified(user, kind, link_to=None) -> list[Notification]:
    """The person's notifications of this kind (about one audit, when given)."""
    query = select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    if link_to is not None:
        query = query.where(Notification.link.startswith(f"/audits/{link_to.id}/"))
    return list(db.session.scalars(query))


def ready_to_submit(scene):
    audit = CaseAuditFactory(
        case=scene["audit"].case,
        tool_version=scene["version"],
        auditor=scene["auditor"],
        status=AuditStatus.IN_PROGRESS.value,
        overall_grade=2,
        audited_alongside_worker=False,
    )
    for domain in scene["version"].domains:
        JudgementFactory(audit=audit, question=domain.questions[0], domain_key=domain.key, grade=2)
    db.session.commit()
    db.session.refresh(audit)
    return audit
