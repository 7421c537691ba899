"""Demo data for sections by case type and good practice: a published tool with a section for care
leavers only ("Pathway planning") and a question for children in care only, a programme auditing care
leavers with it (one audit submitted, one for auditor@example.org to start), and judgements of the demo
audits flagged as good practice. Deterministic and idempotent; case references only."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from ..changelog import acting_as, stamped_at
from ..demo import add_dated, demo_user
from ..extensions import db
from ..models import (
    AuditProgramme,
    AuditStatus,
    AuditTool,
    Case,
    CaseAudit,
    CaseType,
    Judgement,
    ToolVersion,
    VersionStatus,
)
from ..tools.services.transfer import _fill

TOOL_NAME = "Care leavers and children in care audit"
GRADE = "grade"
DOMAINS = [
    {
        "key": "relationships",
        "title": "Relationships and the young person's voice",
        "description": "Whether the worker knows the young person and their views shape the work.",
        "questions": [
            {
                "key": "knows_young_person",
                "text": "Does the worker know the young person well?",
                "response_type": GRADE,
            },
            {
                "key": "care_plan_reviewed",
                "text": "Is the care plan reviewed on time by the independent reviewing officer?",
                "response_type": GRADE,
                "case_types": [CaseType.CHILD_IN_CARE.value],
            },
        ],
    },
    {
        "key": "pathway_planning",
        "title": "Pathway planning",
        "description": "The pathway plan for leaving care: housing, education, work, health and money.",
        "case_types": [CaseType.CARE_LEAVER.value],
        "questions": [
            {"key": "pathway_plan", "text": "Is there an up-to-date pathway plan?", "response_type": GRADE},
            {"key": "accommodation", "text": "Is the young person in suitable accommodation?", "response_type": GRADE},
        ],
    },
    {
        "key": "placement_stability",
        "title": "Placement stability",
        "description": "Whether the child's home is stable and meets their needs.",
        "case_types": [CaseType.CHILD_IN_CARE.value],
        "questions": [
            {
                "key": "placement_meets_needs",
                "text": "Does the placement meet the child's needs?",
                "response_type": GRADE,
            }
        ],
    },
]
GOOD_PRACTICE_FLAGS = 8  # Outstanding judgements of the demo audits flagged as examples to share


def seed_case_type_sections(password: str) -> None:
    if db.session.scalar(select(AuditTool.id).where(AuditTool.name == TOOL_NAME)):
        return
    auditor, qa = demo_user("auditor@example.org"), demo_user("qa@example.org")
    care_leavers = db.session.scalars(
        select(Case).where(Case.case_type == CaseType.CARE_LEAVER.value).order_by(Case.case_reference.desc()).limit(2)
    ).all()
    if auditor is None or qa is None or len(care_leavers) < 2:
        return
    with acting_as(qa):
        version = _published_tool()
        start = date.today().replace(day=1)
        programme = add_dated(
            AuditProgramme(
                name="Care leavers deep dive",
                focus="Pathway planning",
                period_start=start,
                period_end=start + timedelta(days=27),
                due_date=date.today() + timedelta(days=21),
                tool_version_id=version.id,
                created_by_id=qa.id,
            ),
            None,
        )
    _submitted_audit(version, programme, care_leavers[0], auditor)
    with acting_as(qa):
        db.session.add(
            CaseAudit(
                case=care_leavers[1],
                tool_version=version,
                programme=programme,
                auditor=auditor,
                due_date=programme.due_date,
                status=AuditStatus.NOT_STARTED.value,
            )
        )
    _flag_good_practice()
    db.session.commit()


def _published_tool() -> ToolVersion:
    tool = AuditTool(name=TOOL_NAME, description="For care leavers and children in care: only what applies is asked.")
    version = ToolVersion(tool=tool, number=1, status=VersionStatus.DRAFT.value)
    db.session.add_all([tool, version])
    _fill(version, DOMAINS)
    db.session.flush()
    version.status = VersionStatus.PUBLISHED.value
    version.published_at = datetime.now(UTC)
    db.session.flush()
    return version


def _submitted_audit(version: ToolVersion, programme: AuditProgramme, case: Case, auditor) -> None:
    submitted_at = datetime.combine(programme.period_start, datetime.min.time(), UTC) + timedelta(hours=10)
    with acting_as(auditor), stamped_at(submitted_at):
        audit = CaseAudit(case=case, tool_version=version, programme=programme, auditor=auditor)
        audit.status, audit.started_at, audit.submitted_at = AuditStatus.SUBMITTED.value, submitted_at, submitted_at
        audit.overall_grade, audit.audited_alongside_worker = 2, True
        db.session.add(audit)
        for domain in version.domains:
            for question in domain.questions:
                if domain.applies_to(case.case_type) and question.applies_to(case.case_type):
                    grade = 1 if question.key == "pathway_plan" else 2
                    evidence = "Pathway plan written with the young person, with clear next steps for housing."
                    db.session.add(
                        Judgement(
                            audit=audit,
                            question=question,
                            domain_key=domain.key,
                            grade=grade,
                            evidence=evidence if grade == 1 else "Seen on the file and in the latest review.",
                            good_practice=grade == 1,
                        )
                    )
        db.session.flush()


def _flag_good_practice() -> None:
    """The demo audits' first Outstanding judgements with evidence, flagged by their auditors."""
    judgements = db.session.scalars(
        select(Judgement)
        .join(CaseAudit, CaseAudit.id == Judgement.audit_id)
        .where(CaseAudit.status.in_(["submitted", "moderated"]), Judgement.grade == 1, Judgement.evidence.is_not(None))
        .order_by(Judgement.id)
        .limit(GOOD_PRACTICE_FLAGS)
    ).all()
    for judgement in judgements:
        with acting_as(judgement.audit.auditor), stamped_at(judgement.audit.submitted_at or datetime.now(UTC)):
            judgement.good_practice = True
            db.session.flush()
