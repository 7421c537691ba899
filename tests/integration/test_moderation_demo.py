"""The moderation demo data: a sample of the submitted demo audits, mostly agreed, some changed."""

import random

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, ChangeLog, Moderation, ModerationSample
from audit_app.moderation import services
from audit_app.moderation.demo import seed_moderation
from audit_app.permissions import Role
from tests.factories import published_tool, submitted_audit, user_with

KEYS = ("help_at_the_right_time", "assessment_quality", "voice_of_child", "plans", "visits", "management_oversight")


def demo_people():
    user_with(Role.QA_LEAD, email="qa@example.org")
    return user_with(Role.SENIOR_MANAGER, Role.AUDITOR, email="manager@example.org")


def test_the_seeder_does_nothing_without_submitted_audits(app):
    demo_people()
    seed_moderation("pw")
    assert db.session.scalar(select(func.count(ModerationSample.id))) == 0


def test_the_seeder_moderates_a_sample_once(app):
    manager = demo_people()
    version = published_tool(KEYS)
    rng = random.Random(5)
    auditors = [user_with(Role.AUDITOR), manager]
    for auditor in auditors:
        for _ in range(10):
            submitted_audit(
                version, {k: rng.choice([2, 2, 3, 3, 1, 4]) for k in KEYS}, overall=rng.choice([2, 3]), auditor=auditor
            )

    seed_moderation("pw")

    sample = db.session.scalar(select(ModerationSample))
    assert (sample.share_percent, sample.random_seed) == (35, 2021)
    assert len(sample.audits) == 8  # 35% of 10, rounded up, for each auditor
    statuses = [a.status for a in sample.audits]
    assert statuses.count(AuditStatus.SUBMITTED) == 3  # waiting: the home panel shows them
    assert statuses.count(AuditStatus.RETURNED) == 1
    assert statuses.count(AuditStatus.MODERATED) == 4
    # Nobody moderated their own audit, and every change is in the change log under the moderator.
    for moderation in db.session.scalars(select(Moderation)):
        assert moderation.moderator_id != moderation.audit.auditor_id
        assert (
            db.session.scalar(
                select(ChangeLog.user_id)
                .where(ChangeLog.record_type == "moderation", ChangeLog.record_id == moderation.id)
                .limit(1)
            )
            == moderation.moderator_id
        )

    report = services.agreement_report(services.AgreementFilters())
    assert report.overall.n == 4 * len(KEYS)
    assert 0.5 < report.overall.exact < 1  # mostly agreed, some changed
    assert report.overall.kappa is not None
    assert all(c.rationale for c in services.changed_grades(services.AgreementFilters()))

    before = db.session.scalar(select(func.count(ChangeLog.id)))
    seed_moderation("pw")
    assert db.session.scalar(select(func.count(ChangeLog.id))) == before
    assert db.session.scalar(select(func.count(CaseAudit.id)).where(CaseAudit.status == AuditStatus.MODERATED)) == 4
