"""Demo data: responses from the demo social worker (SW2001) to audits of their cases: agreement, a
disagreement a moderator resolved by changing the grade, one awaiting resolution, and one overdue.

Runs after moderation's seeder. The audits seeder audits other teams, so this one submits five audits of
SW2001's cases (dated before today) and responds to them. Does nothing once SW2001 has responded.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from ..audits.demo import IMPROVE, STRENGTHS
from ..audits.demo import _answer as answer_demo_audit
from ..changelog import acting_as, stamped_at
from ..demo import DEMO_WORKER_REF, demo_user
from ..extensions import db
from ..models import Agreement, AuditResponse, AuditStatus, Case, CaseAudit, Resolution, Theme, User
from ..tools.services import seed_tool
from . import services

REFLECTION = (
    "I can see the assessment describes what happened without saying what it means for the child. I will "
    "use the analysis prompts in supervision and make sure the child's own words shape the plan."
)
AGREE_REASON = "The plan did drift over the summer while I covered a second caseload."
DISAGREE_REASON = (
    "The child was seen alone on every visit; it is recorded in the visit notes rather than the assessment."
)
RESOLUTION_REASON = "The visit notes show the child was seen alone and their views were acted on."


# Audits of SW2001's cases, submitted this many days ago, and what the worker did with each: the newest is
# still within its ten working days, the one before is overdue.
AUDITS = [(40, "agree"), (30, "disagree, resolved"), (22, "disagree"), (16, None), (3, None)]
QUALITY = [2, 3, 3, 2, 3]


def seed_responses(password: str) -> None:
    worker = db.session.scalar(select(User).where(User.worker_ref == DEMO_WORKER_REF))
    auditor = demo_user("auditor@example.org")
    moderators = [demo_user("qa@example.org"), demo_user("manager@example.org")]
    if worker is None or auditor is None or None in moderators or _responded_already(worker):
        return
    # Its own audits, whatever other seeders submitted: each response below needs a graded domain to disagree with.
    audits = _submit_audits(worker, auditor)
    for audit, (_, what) in zip(audits, AUDITS):
        if what is None:
            continue
        with acting_as(worker), stamped_at(audit.submitted_at + timedelta(days=6)):
            _respond(audit, worker, disagree=what.startswith("disagree"))
        if what == "disagree, resolved":  # by a moderator who did not carry out the audit
            moderator = next(m for m in moderators if m.id != audit.auditor_id)
            disagreement = next(d for d in services.response_for(audit).domains if d.agreement == Agreement.DISAGREE)
            domain = next(d for d in services.graded_domains(audit) if d.key == disagreement.domain_key)
            with acting_as(moderator), stamped_at(audit.submitted_at + timedelta(days=9)):
                services.resolve(
                    disagreement, moderator, Resolution.CHANGED, max(1, min(domain.grades) - 1), RESOLUTION_REASON
                )
    db.session.commit()


def _submit_audits(worker: User, auditor: User) -> list[CaseAudit]:
    """Submitted audits of the worker's cases (the audits seeder audits other teams), shared as submitted."""
    cases = db.session.scalars(
        select(Case).where(Case.allocated_worker_ref == worker.worker_ref).order_by(Case.case_reference)
    ).all()
    version = seed_tool()
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    rng = random.Random(2001)
    audits = []
    for case, (days_ago, _), quality in zip(cases, AUDITS, QUALITY):
        submitted_at = datetime.combine(date.today() - timedelta(days=days_ago), time(11), tzinfo=UTC)
        with acting_as(auditor), stamped_at(submitted_at):
            audit = CaseAudit(case=case, tool_version=version, auditor=auditor, status=AuditStatus.IN_PROGRESS.value)
            db.session.add(audit)
            answer_demo_audit(audit, rng, themes, quality)
            audit.overall_grade, audit.strengths, audit.areas_for_improvement = quality, STRENGTHS[0], IMPROVE[0]
            audit.audited_alongside_worker = True
            audit.alongside_conversation_on = submitted_at.date() - timedelta(days=1)
            audit.status, audit.submitted_at = AuditStatus.SUBMITTED.value, submitted_at
            services.share_audit(audit)
            db.session.flush()
        audits.append(audit)
    return audits


def _responded_already(worker: User) -> bool:
    return (
        db.session.scalar(select(AuditResponse.id).where(AuditResponse.responded_by_id == worker.id).limit(1))
        is not None
    )


def _respond(audit, worker: User, disagree: bool) -> None:
    domains = services.graded_domains(audit)
    worst = max(domains, key=lambda d: max(d.grades))  # the lowest-graded domain is the one questioned
    answers = {}
    for domain in domains:
        if disagree and domain is worst:
            answers[domain.key] = (Agreement.DISAGREE.value, DISAGREE_REASON)
        elif max(domain.grades) >= 3 and not disagree:
            answers[domain.key] = (Agreement.PARTLY.value, AGREE_REASON)
        else:
            answers[domain.key] = (Agreement.AGREE.value, "")
    services.submit_response(audit, worker, REFLECTION, answers)
