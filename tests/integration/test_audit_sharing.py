"""An audit is shared with the case's allocated social worker and the team's manager, and no one else."""

import pytest
from werkzeug.exceptions import Forbidden

from audit_app.audits.services import get_audit, is_shared_with, shared_audits
from audit_app.extensions import db
from audit_app.models import AuditStatus
from audit_app.permissions import Role
from tests.factories import CaseAuditFactory, CaseFactory, TeamFactory, user_with


@pytest.fixture
def worker_and_manager():
    team = TeamFactory()
    worker = user_with(Role.PRACTITIONER, worker_ref="SW7001", team=team)
    manager = user_with(Role.TEAM_MANAGER, team=team)
    return worker, manager, team


def _audit(team, worker_ref, status=AuditStatus.SUBMITTED):
    return CaseAuditFactory(case=CaseFactory(team=team, allocated_worker_ref=worker_ref), status=status.value)


def _shared_ids(user):
    return {audit.id for audit in db.session.scalars(shared_audits(user))}


def test_the_worker_sees_their_cases_and_the_manager_their_team(app, worker_and_manager):
    worker, manager, team = worker_and_manager
    own = _audit(team, "SW7001")
    colleague = _audit(team, "SW7002")
    other_team = _audit(TeamFactory(), "SW7001X")
    assert _shared_ids(worker) == {own.id}
    assert _shared_ids(manager) == {own.id, colleague.id}
    assert not is_shared_with(other_team, worker) and not is_shared_with(other_team, manager)
    assert get_audit(own.id, worker) is own
    with pytest.raises(Forbidden):
        get_audit(colleague.id, worker)


def test_an_audit_in_progress_is_not_shared(app, worker_and_manager):
    worker, manager, team = worker_and_manager
    draft = _audit(team, "SW7001", AuditStatus.IN_PROGRESS)
    assert not is_shared_with(draft, worker)
    assert _shared_ids(manager) == set()


def test_sharing_can_wait_for_moderation(app, worker_and_manager, monkeypatch):
    worker, _, team = worker_and_manager
    submitted = _audit(team, "SW7001")
    moderated = _audit(team, "SW7001", AuditStatus.MODERATED)
    monkeypatch.setitem(app.config, "SHARE_AUDITS_WHEN", "moderated")
    assert _shared_ids(worker) == {moderated.id}
    assert not is_shared_with(submitted, worker)


def test_the_role_shares_not_the_reference(app):
    team = TeamFactory()
    audit = _audit(team, "SW7003")
    qa = user_with(Role.QA_LEAD, worker_ref="SW7003", team=team)  # a reference and team without the roles
    assert _shared_ids(qa) == set()
    assert not is_shared_with(audit, qa)
