"""Demo re-audits of the demo's Inadequate audits: two done and improved, one due now for auditor@example.org
and one scheduled for later. Idempotent: nothing is added once any re-audit exists."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ..audits.demo import EVIDENCE, TOPIC
from ..changelog import acting_as, stamped_at
from ..demo import demo_user
from ..extensions import db
from ..models import AuditStatus, CaseAudit, Judgement
from ..models.grades import Grade
from . import services


def seed_reaudits(password: str) -> None:
    auditor = demo_user("auditor@example.org")
    if auditor is None or db.session.scalar(select(CaseAudit.id).where(CaseAudit.reaudit_of_id.is_not(None)).limit(1)):
        return
    originals = db.session.scalars(
        select(CaseAudit)
        .where(CaseAudit.overall_grade == Grade.INADEQUATE, CaseAudit.status.in_(services.COUNTED))
        .order_by(CaseAudit.submitted_at, CaseAudit.id)
        .limit(4)
    ).all()
    if len(originals) < 4:
        return
    for original in originals[:2]:
        _seed_improved(original)
    today = services.today()
    _schedule(originals[3], auditor, due=today + timedelta(weeks=8))  # scheduled: only QA leads see it yet
    _schedule(originals[2], auditor, due=today + timedelta(days=7))  # due: in the auditor's list now
    db.session.commit()


def _schedule(original: CaseAudit, auditor, due) -> CaseAudit:
    with acting_as(auditor), stamped_at(original.submitted_at):
        reaudit = services.schedule_reaudit(original)
        reaudit.auditor_id = auditor.id
        reaudit.due_date = due
        db.session.flush()
    return reaudit


def _seed_improved(original: CaseAudit) -> None:
    """A re-audit done twelve weeks on, every judgement a grade better (Good at worst)."""
    submitted_at = original.submitted_at + timedelta(weeks=12)
    reaudit = _schedule(original, original.auditor, due=submitted_at.date())
    with acting_as(original.auditor), stamped_at(submitted_at):
        before = {j.question_id: j for j in original.judgements}
        for domain in reaudit.tool_version.domains:
            for question in domain.questions:
                _improved_judgement(reaudit, domain, question, before.get(question.id))
        reaudit.overall_grade = Grade.GOOD
        reaudit.strengths = "The plan now addresses the risks found at the last audit."
        reaudit.areas_for_improvement = "Keep the child's own words in each review."
        reaudit.audited_alongside_worker = True
        reaudit.started_at = datetime.combine(submitted_at.date(), datetime.min.time(), tzinfo=UTC)
        reaudit.status = AuditStatus.SUBMITTED.value
        reaudit.submitted_at = submitted_at
        reaudit.last_domain_key = "overall"
        db.session.flush()


def _improved_judgement(reaudit, domain, question, before: Judgement | None) -> None:
    judgement = Judgement(audit=reaudit, question=question, domain_key=domain.key)
    if question.response_type == "yes_no":
        judgement.answer = "yes"
    grade = min(Grade.GOOD, max(Grade.OUTSTANDING, (before.grade or Grade.GOOD) - 1)) if before else Grade.GOOD
    if question.response_type == "grade":
        judgement.grade = grade
    judgement.evidence = EVIDENCE[grade][0].format(topic=TOPIC.get(domain.key, domain.title.lower())).capitalize()
    db.session.add(judgement)
