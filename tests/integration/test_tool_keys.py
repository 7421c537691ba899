"""Domains and questions with the same words in one draft each get their own key (summaries group by key)."""

from audit_app.models import VersionStatus
from audit_app.tools import services
from tests.factories import DomainFactory, ToolVersionFactory


def test_a_second_domain_or_question_with_the_same_words_gets_the_next_free_key(app):
    version = ToolVersionFactory(status=VersionStatus.DRAFT.value)
    domains = [services.save_domain(version, None, title="Voice of the child", description=None) for _ in range(3)]
    assert [d.key for d in domains] == ["voice_of_the_child", "voice_of_the_child_2", "voice_of_the_child_3"]
    domain = DomainFactory(version=version)
    words = {"guidance": None, "response_type": "grade", "allow_not_applicable": False, "evidence_required": False}
    questions = [services.save_question(domain, None, text="Is the plan SMART?", **words) for _ in range(2)]
    assert [q.key for q in questions] == ["is_the_plan_smart", "is_the_plan_smart_2"]
