"""The shared factories build valid records on both databases (other tests rely on them)."""

from audit_app.extensions import db
from audit_app.models import AuditStatus, ChangeLog
from tests.factories import FollowUpFactory, LensJudgementFactory, QuickWinFactory, published_tool, submitted_audit


def test_submitted_audit_has_a_judgement_per_domain(app):
    version = published_tool()
    audit = submitted_audit(version, {"assessment_quality": 3, "voice_of_child": 4, "management_oversight": 2})
    assert audit.status == AuditStatus.SUBMITTED
    assert sorted((j.domain_key, j.grade) for j in audit.judgements) == [
        ("assessment_quality", 3),
        ("management_oversight", 2),
        ("voice_of_child", 4),
    ]


def test_observation_factories_and_follow_ups(app):
    judgement = LensJudgementFactory(grade=4)
    QuickWinFactory(observation=judgement.observation)
    follow_up = FollowUpFactory()
    assert judgement.observation.quick_wins and follow_up.audit.case == follow_up.case


def test_changes_to_an_audit_are_in_the_change_log(app):
    version = published_tool(("voice_of_child",))
    audit = submitted_audit(version, {"voice_of_child": 3})
    audit.overall_grade = 4
    db.session.commit()
    row = db.session.scalars(
        db.select(ChangeLog)
        .where(ChangeLog.record_type == "case_audit", ChangeLog.field == "overall_grade")
        .order_by(ChangeLog.id.desc())
    ).first()
    assert (row.old_value, row.new_value) == ("2", "4")
