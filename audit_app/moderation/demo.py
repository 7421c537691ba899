"""Demo data: a QA lead's sample of the demo submitted audits, moderated by a senior manager and
the QA lead, mostly agreed with some grades changed, so the agreement page shows real figures.

Runs after the audits seeder (create_app imports moderation last). Does nothing when there are
no submitted audits, or when a sample already exists (so running it twice changes nothing).
"""

import random
from datetime import timedelta

from sqlalchemy import func, select

from ..changelog import acting_as, stamped_at
from ..extensions import db
from ..models import AuditStatus, CaseAudit, ModerationSample, User
from . import services

DEMO_SHARE_PERCENT = 35
DEMO_SEED = 2021
AGREE_CHANCE = 0.8

LOWER_RATIONALES = [
    "The assessment describes the risks but does not analyse them or say what they mean for the child.",
    "Visits are recorded but their purpose and how they progress the plan are not clear.",
    "The child's views are noted once; there is no sense of their lived experience over time.",
    "Management oversight records a decision without the reasons or the actions that follow.",
    "The plan's actions have no timescales, so drift is not picked up.",
]
RAISE_RATIONALES = [
    "The evidence shows the child was seen alone and their words shaped the plan: this is Good practice.",
    "Supervision notes show reflective challenge that changed the plan; the grade undersells it.",
    "Partners contributed to the plan and the record shows the impact for the child.",
]
RETURN_COMMENT = (
    "Evidence is missing for two Requires improvement judgements. Please add what you saw on the file "
    "for each, then submit the audit again."
)


def _decide(rng: random.Random, grade: int) -> services.GradeDecision:
    if rng.random() < AGREE_CHANCE:
        return services.GradeDecision(grade)
    if grade == 4 or (grade > 1 and rng.random() < 0.35):
        return services.GradeDecision(grade - 1, rng.choice(RAISE_RATIONALES))
    return services.GradeDecision(grade + 1, rng.choice(LOWER_RATIONALES))


def seed_moderation(password: str) -> None:
    if db.session.scalar(select(ModerationSample.id).limit(1)) is not None:
        return
    submitted = db.session.scalar(
        select(CaseAudit.id)
        .where(CaseAudit.status == AuditStatus.SUBMITTED.value, CaseAudit.overall_grade.is_not(None))
        .limit(1)
    )
    qa = db.session.scalar(select(User).where(User.email == "qa@example.org"))
    manager = db.session.scalar(select(User).where(User.email == "manager@example.org"))
    if submitted is None or qa is None or manager is None:
        return
    latest = db.session.scalar(select(func.max(CaseAudit.submitted_at)))
    with acting_as(qa), stamped_at(latest + timedelta(days=1)):  # demo history: dated as the events, not today
        sample = services.take_sample(DEMO_SHARE_PERCENT, qa, services.AuditFilters(), seed=DEMO_SEED)
        db.session.flush()
    rng = random.Random(DEMO_SEED)
    audits = [a for a in sample.audits if a.overall_grade is not None]
    # Leave a few waiting (the home panel shows them), return one, and moderate the rest.
    to_return, to_moderate = audits[3:4], audits[4:]
    for audit in to_return:
        with acting_as(qa), stamped_at(audit.submitted_at + timedelta(days=3)):
            weakest = sorted(services.graded_judgements(audit), key=lambda j: -j.grade)[:2]  # what the comment is about
            services.return_to_auditor(audit, qa, RETURN_COMMENT, about=[j.id for j in weakest])
            db.session.flush()
    for index, audit in enumerate(to_moderate):
        moderator = manager if index % 2 == 0 and audit.auditor_id != manager.id else qa
        judgements = services.graded_judgements(audit)
        decisions = {j.id: _decide(rng, j.grade) for j in judgements}
        changed = sum(1 for j in judgements if decisions[j.id].grade != j.grade)
        overall = services.GradeDecision(audit.overall_grade)
        if changed >= 2:
            overall = _decide(random.Random(audit.id), audit.overall_grade)
            if overall.grade == audit.overall_grade:
                overall = services.GradeDecision(audit.overall_grade)
        with acting_as(moderator), stamped_at(audit.submitted_at + timedelta(days=5)):
            services.moderate(audit, moderator, decisions, overall)
            db.session.flush()
    db.session.commit()
