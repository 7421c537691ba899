"""A record named in a URL under its parent (a tool version's domain, a domain's question, a practice
week's activity) opens only under that parent: another parent's id in the URL is "Page not found"."""

from audit_app.models import VersionStatus
from audit_app.permissions import Role
from tests.conftest import get, sign_in_as
from tests.factories import ActivityFactory, DomainFactory, PracticeWeekFactory, QuestionFactory, user_with


def test_a_domain_or_question_opens_only_under_its_own_version_or_domain(client):
    sign_in_as(client, user_with(Role.QA_LEAD))
    domain = DomainFactory(version__status=VersionStatus.DRAFT.value)
    other = DomainFactory(version__status=VersionStatus.DRAFT.value)
    question = QuestionFactory(domain=domain)
    assert get(client, "tools.domain", version_id=domain.version_id, domain_id=domain.id).status_code == 200
    assert get(client, "tools.domain", version_id=other.version_id, domain_id=domain.id).status_code == 404
    assert get(client, "tools.question", domain_id=domain.id, question_id=question.id).status_code == 200
    assert get(client, "tools.question", domain_id=other.id, question_id=question.id).status_code == 404


def test_an_activity_opens_only_under_its_own_practice_week(client):
    sign_in_as(client, user_with(Role.QA_LEAD))
    booking = ActivityFactory()
    other_week = PracticeWeekFactory()
    assert get(client, "practice_week.activity", week_id=booking.week_id, activity_id=booking.id).status_code == 200
    assert get(client, "practice_week.activity", week_id=other_week.id, activity_id=booking.id).status_code == 404
