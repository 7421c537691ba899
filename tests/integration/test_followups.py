"""Follow-ups: who sees them, overdue, mark as done; and the service shared with observations."""

from datetime import date, timedelta

from audit_app.extensions import db
from audit_app.followups import services
from audit_app.models import FollowUpStatus
from audit_app.permissions import Role
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import CaseAuditFactory, FollowUpFactory, ObservationFactory, user_with


def test_owners_see_theirs_and_senior_managers_see_every_open_follow_up(client):
    owner = user_with(Role.AUDITOR)
    someone_else = user_with(Role.AUDITOR)
    manager = user_with(Role.SENIOR_MANAGER)
    late = FollowUpFactory(
        owner=owner, action_required="Review the safety plan", due_date=date.today() - timedelta(days=1)
    )
    FollowUpFactory(
        owner=someone_else, action_required="Hold a strategy discussion", due_date=date.today() + timedelta(days=3)
    )
    sign_in_as(client, owner)
    home = get(client, "main.home").get_data(as_text=True)
    assert "Your follow-ups" in home and "Review the safety plan" in home and "Overdue" in home
    assert "Hold a strategy discussion" not in home
    sign_in_as(client, manager)
    home = get(client, "main.home").get_data(as_text=True)
    assert "Open follow-ups" in home and "Review the safety plan" in home and "Hold a strategy discussion" in home
    assert "2 open, <strong" in home
    # Only the owner or a manager can mark one done.
    sign_in_as(client, someone_else)
    assert post(client, "followups.mark_done", follow_up_id=late.id).status_code == 403
    sign_in_as(client, owner)
    response = post(client, "followups.mark_done", follow_up_id=late.id, data={"next": path_for("main.home")})
    assert response.headers["Location"] == path_for("main.home")
    db.session.refresh(late)
    assert late.status == FollowUpStatus.DONE and late.done_at
    assert "Review the safety plan" not in get(client, "main.home").get_data(as_text=True)


def test_the_follow_up_service_takes_an_observation_as_its_source(app):
    observation = ObservationFactory(immediate_concern=True)
    owner = user_with(Role.SENIOR_MANAGER)
    assert services.missing_follow_up(observation)
    follow_up = services.add_follow_up(
        observation, action_required="See the child today", owner_id=owner.id, due_date=date(2021, 10, 6)
    )
    again = services.add_follow_up(
        observation, action_required="See the child today ", owner_id=owner.id, due_date=date(2021, 10, 6)
    )
    assert again.id == follow_up.id and follow_up.observation_id == observation.id and follow_up.audit_id is None
    assert not services.missing_follow_up(observation)
    assert services.follow_ups_for(observation) == [follow_up]


def test_an_audit_needs_a_follow_up_only_for_inadequate_or_not_safe(app):
    audit = CaseAuditFactory(overall_grade=2)
    assert not services.needs_follow_up(audit)
    audit.overall_grade = 4
    assert services.needs_follow_up(audit)
    audit.overall_grade, audit.child_not_safe = 2, True
    assert services.needs_follow_up(audit)
