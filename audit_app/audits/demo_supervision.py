"""Demo supervision audits: the supervision tool, a programme of supervisor-supervisee pairs over a quarter
of supervision records, two audits submitted (one of them moderated), one in progress and one not started.
Staff are named; any child only by case reference. Deterministic and idempotent."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from ..changelog import acting_as, stamped_at
from ..demo import add_dated, demo_user
from ..extensions import db
from ..models import AuditProgramme, AuditStatus, CaseAudit, Judgement, ProgrammeKind, Theme, ToolVersion
from ..tools.services import seed_supervision_tool

PROGRAMME = {
    "name": "Supervision audit, summer 2021",
    "kind": ProgrammeKind.THEMATIC.value,
    "focus": "Quality of supervision and management oversight",
    "period_start": date(2021, 10, 1),
    "period_end": date(2021, 10, 31),
    "due_date": date(2021, 11, 15),
}
PERIOD = (date(2021, 7, 1), date(2021, 9, 30))  # the supervision records looked at
# (supervisor, supervisee, auditor, status, grade per answer, overall, day submitted in October 2021)
PAIRS = [
    ("teammanager", "worker", "auditor", AuditStatus.SUBMITTED, 2, 2, 12),
    ("manager", "teammanager", "auditor", AuditStatus.SUBMITTED, 3, 3, 19),
    ("teammanager", "worker", "manager", AuditStatus.IN_PROGRESS, 2, None, None),
    ("manager", "teammanager", "qa", AuditStatus.NOT_STARTED, None, None, None),
]
EVIDENCE = {
    2: "Supervision notes for the period show {topic}; direction for CR-100231 is recorded with reasons.",
    3: "Some evidence of {topic}, but gaps between sessions and actions carried over without review.",
}


def seed_supervision_audits(password: str) -> None:
    version = seed_supervision_tool()
    if db.session.scalar(select(AuditProgramme.id).where(AuditProgramme.name == PROGRAMME["name"])):
        return
    people = {who: demo_user(f"{who}@example.org") for who in ("qa", "auditor", "manager", "teammanager", "worker")}
    if None in people.values():
        return
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    with acting_as(people["qa"]):
        programme = AuditProgramme(**PROGRAMME, tool_version_id=version.id, created_by_id=people["qa"].id)
        add_dated(programme, datetime(2021, 9, 24, 9, tzinfo=UTC))
    for supervisor, supervisee, auditor, status, grade, overall, day in PAIRS:
        audit = CaseAudit(
            tool_version_id=version.id,
            programme_id=programme.id,
            auditor_id=people[auditor].id,
            supervisor_id=people[supervisor].id,
            supervisee_id=people[supervisee].id,
            supervision_from=PERIOD[0],
            supervision_to=PERIOD[1],
            status=status.value,
            due_date=programme.due_date,
            overall_grade=overall,
        )
        when = datetime(2021, 10, day or 5, 15, tzinfo=UTC)
        with acting_as(people[auditor]), stamped_at(when):
            db.session.add(audit)
            if grade is not None:
                _answer(audit, version, grade, themes)
            if day is not None:
                audit.started_at, audit.submitted_at = when - timedelta(days=2), when
                audit.strengths = "Supervision is regular and the supervisee's wellbeing is discussed."
                audit.areas_for_improvement = "Record case direction on each child's file, not only in the notes."
            db.session.flush()
        if day == PAIRS[0][-1]:
            _moderate(audit, people["qa"], when + timedelta(days=4))
    db.session.commit()


def _moderate(audit: CaseAudit, moderator, when: datetime) -> None:
    """The QA lead agrees every grade: the same moderation form as a case audit's."""
    from ..moderation import services as moderation  # moderation builds on audits: imported when used

    with acting_as(moderator), stamped_at(when):
        decisions = {j.id: moderation.GradeDecision(j.grade) for j in moderation.graded_judgements(audit)}
        moderation.moderate(audit, moderator, decisions, moderation.GradeDecision(audit.overall_grade))
        db.session.flush()


def _answer(audit: CaseAudit, version: ToolVersion, grade: int, themes: dict) -> None:
    """Every question answered at the grade (yes where it asks yes or no), with evidence and its themes."""
    for domain in version.domains:
        for q in domain.questions:
            topic = domain.title.lower()
            db.session.add(
                Judgement(
                    audit=audit,
                    question=q,
                    domain_key=domain.key,
                    grade=grade if q.response_type == "grade" else None,
                    answer="yes" if q.response_type == "yes_no" else None,
                    evidence=EVIDENCE[grade].format(topic=topic),
                    themes=[t for t in q.default_themes if t.name in themes],
                )
            )
