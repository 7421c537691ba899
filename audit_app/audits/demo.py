"""Demo data for case audits: the seeded tool, programmes, and audits in every state for
auditor@example.org and manager@example.org (about 60 submitted, over several months and localities,
some Inadequate with follow-ups). Deterministic and idempotent."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from ..changelog import acting_as, stamped_at
from ..demo import add_dated, demo_user
from ..extensions import db
from ..models import (
    AuditProgramme,
    AuditStatus,
    Case,
    CaseAudit,
    FollowUp,
    FollowUpStatus,
    Judgement,
    Locality,
    Theme,
    ToolVersion,
    User,
)
from ..tools.services import seed_tool

PROGRAMME_FIELDS = ("name", "focus", "period_start", "period_end", "due_date")
PROGRAMMES = [
    ("July 2021 monthly audit", "Children in Need plans", date(2021, 7, 1), date(2021, 7, 31), date(2021, 8, 16)),
    ("August 2021 monthly audit", "Child Protection", date(2021, 8, 1), date(2021, 8, 31), date(2021, 9, 15)),
    ("September 2021 monthly audit", "Children in Care", date(2021, 9, 1), date(2021, 9, 30), date(2021, 10, 15)),
    ("October 2021 monthly audit", "Front Door", date(2021, 10, 1), date(2021, 10, 31), date(2021, 11, 15)),
]

EVIDENCE = {
    1: [
        "Exceptional, child-centred work: {topic} is clear and drives the plan.",
        "Strong recorded evidence of {topic}; could be shared as practice example.",
    ],
    2: [
        "{topic} is evident on the file and informs the plan.",
        "Good recorded evidence of {topic}; the plan reflects it.",
    ],
    3: [
        "{topic} is inconsistent: some evidence, but gaps since the last review.",
        "Limited evidence of {topic}; not updated after the strategy meeting.",
    ],
    4: [
        "No evidence of {topic} on the file for several months.",
        "{topic} is missing and the risk to the child is not addressed.",
    ],
}
TOPIC = {
    "help_at_right_time": "timely help",
    "assessment_quality": "analysis of risk and history",
    "voice_of_child": "the child's voice",
    "plans": "a SMART plan linked to risk",
    "visits": "purposeful visits",
    "management_oversight": "management oversight",
    "multi_agency": "partner contribution",
    "impact": "positive impact for the child",
}
STRENGTHS = [
    "Worker knows the child well; relationship-based practice.",
    "Decisive early response to concerns.",
    "Good partnership with school and health.",
]
IMPROVE = [
    "Update the assessment with the family history.",
    "Make the plan SMART and share it with father.",
    "Record supervision and the manager's rationale.",
]
FEEDBACK = [
    "Parent said the worker listened and explained the plan.",
    "Young person said they did not know who their worker was.",
    "Family said meetings were long and hard to follow.",
]
FOLLOW_UP_ACTIONS = [
    "Team manager to review the safety plan and see the child within 24 hours.",
    "Convene a strategy discussion; check with the other local authority.",
    "Service manager to review drift and agree a plan with a timescale.",
]
# Open work in October (overdue now) and this month (due soon), not started and in progress:
# (who, "october" or "current", how many domains answered).
OPEN_WORK = [
    ("auditor", "october", 3),
    ("auditor", "current", 0),
    ("auditor", "current", 0),
    ("auditor", "current", 5),
    ("auditor", "october", 0),
    ("manager", "current", 0),
    ("manager", "current", 2),
    ("manager", "october", 0),
]


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def _answer(audit: CaseAudit, rng: random.Random, themes: dict, quality: int, upto: int | None = None) -> None:
    with db.session.no_autoflush:
        _answer_domains(audit, rng, themes, quality, audit.tool_version.domains[: upto if upto is not None else None])


def _answer_domains(audit, rng, themes, quality, domains) -> None:
    for domain in domains:
        for q in domain.questions:
            j = Judgement(audit=audit, question=q, domain_key=domain.key)
            grade = max(1, min(4, quality + rng.choice([-1, 0, 0, 0, 1])))
            if q.response_type == "yes_no":
                j.answer = "yes" if grade <= 2 else "no"
            else:
                j.grade = grade
            j.evidence = (
                rng.choice(EVIDENCE[grade]).format(topic=TOPIC.get(domain.key, domain.title.lower())).capitalize()
            )
            if grade >= 3 and q.default_themes and rng.random() < 0.7:
                j.themes = [themes[t.name] for t in q.default_themes[: rng.choice([1, 2])]]
            db.session.add(j)


@dataclass
class _Seeding:
    """What every step of the audits seeder works with: the tool, the people, the next demo case."""

    version: ToolVersion
    auditor: User
    manager: User
    qa: User | None
    rng: random.Random
    themes: dict[str, Theme]
    cases: Iterator[Case]  # the demo cases, every locality in turn


def seed_audits(password: str) -> None:
    version = seed_tool()
    if db.session.scalar(select(AuditProgramme.id).where(AuditProgramme.name == PROGRAMMES[-1][0])):
        return
    auditor, manager = demo_user("auditor@example.org"), demo_user("manager@example.org")
    qa = demo_user("qa@example.org")
    if auditor is None or manager is None:
        return
    rng = random.Random(1021)
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    seeding = _Seeding(version, auditor, manager, qa, rng, themes, iter(_cases_by_locality()))
    with acting_as(qa):
        programmes = []
        for row in PROGRAMMES:
            fields = dict(zip(PROGRAMME_FIELDS, row))
            set_up = _at(fields["period_start"] - timedelta(days=7), 9)  # the history shows when it was set up
            programmes.append(_add_programme(seeding, fields, set_up))
        today = date.today()
        current = _add_programme(
            seeding,
            {
                "name": f"{today:%B %Y} monthly audit",
                "focus": "Voice of the child",
                "period_start": today.replace(day=1),
                "period_end": today.replace(day=28),
                "due_date": today + timedelta(days=21),
            },
        )
    # About 60 submitted audits over four months, 15 per programme.
    for programme in programmes:
        for n in range(15):
            _seed_submitted_audit(seeding, programme, n, last=programme is programmes[-1])
    for who, which, answered in OPEN_WORK:
        _seed_open_audit(seeding, getattr(seeding, who), programmes[-1] if which == "october" else current, answered)
    db.session.commit()


def _cases_by_locality() -> list[Case]:
    """Cases from every locality in turn, in a fixed order."""
    localities = db.session.scalars(select(Locality).order_by(Locality.name)).all()
    by_locality = {
        l.id: db.session.scalars(select(Case).where(Case.locality_id == l.id).order_by(Case.case_reference)).all()
        for l in localities
    }
    return [c for group in zip(*by_locality.values()) for c in group]


def _add_programme(seeding: _Seeding, fields: dict, set_up: datetime | None = None) -> AuditProgramme:
    programme = AuditProgramme(
        **fields, tool_version_id=seeding.version.id, created_by_id=seeding.qa.id if seeding.qa else None
    )
    return add_dated(programme, set_up)


def _new_audit(seeding: _Seeding, programme: AuditProgramme, person: User, status: AuditStatus, **fields) -> CaseAudit:
    audit = CaseAudit(
        case=next(seeding.cases),
        tool_version=seeding.version,
        programme=programme,
        auditor=person,
        due_date=programme.due_date,
        status=status.value,
        **fields,
    )
    db.session.add(audit)
    return audit


def _seed_submitted_audit(seeding: _Seeding, programme: AuditProgramme, n: int, last: bool) -> None:
    rng = seeding.rng
    person = seeding.auditor if n % 3 else seeding.manager
    quality = rng.choices([1, 2, 3, 4], weights=[6, 42, 38, 14])[0]
    submitted_day = programme.period_end + timedelta(days=rng.randint(1, 14))
    started_at = _at(submitted_day - timedelta(days=2), 9)
    with acting_as(person), stamped_at(started_at):
        audit = _new_audit(seeding, programme, person, AuditStatus.IN_PROGRESS, started_at=started_at)
        _answer(audit, rng, seeding.themes, quality)
        audit.overall_grade = quality
        audit.strengths = rng.choice(STRENGTHS)
        audit.areas_for_improvement = rng.choice(IMPROVE)
        audit.audited_alongside_worker = rng.random() < 0.6
        audit.child_and_family_feedback = rng.choice(FEEDBACK)
        audit.child_not_safe = quality == 4 and n % 2 == 0
        db.session.flush()
    submitted_at = _at(submitted_day, 10 + n % 6)
    with acting_as(person), stamped_at(submitted_at):
        audit.status = AuditStatus.SUBMITTED.value
        audit.submitted_at = submitted_at
        audit.last_domain_key = "overall"
        db.session.flush()
        if quality == 4:
            _add_follow_up(seeding, audit, person, submitted_day, n, done=not last and n % 3 == 0)


def _add_follow_up(seeding: _Seeding, audit: CaseAudit, person: User, submitted_day: date, n: int, done: bool) -> None:
    """Inadequate audits get a follow-up: some done, the rest open."""
    due = submitted_day + timedelta(days=5)
    db.session.add(
        FollowUp(
            audit_id=audit.id,
            case_id=audit.case_id,
            owner_id=(seeding.manager if n % 2 else (seeding.qa or seeding.manager)).id,
            due_date=due,
            created_by_id=person.id,
            action_required=seeding.rng.choice(FOLLOW_UP_ACTIONS),
            status=FollowUpStatus.DONE.value if done else FollowUpStatus.OPEN.value,
            done_at=_at(due, 15) if done else None,
        )
    )
    db.session.flush()


def _seed_open_audit(seeding: _Seeding, person: User, programme: AuditProgramme, answered: int) -> None:
    started_on = programme.period_start + timedelta(days=3)
    with acting_as(person), stamped_at(_at(min(started_on, date.today()), 9)):
        audit = _new_audit(seeding, programme, person, AuditStatus.NOT_STARTED)
        if answered:
            audit.status = AuditStatus.IN_PROGRESS.value
            audit.started_at = _at(started_on, 9)
            _answer(audit, seeding.rng, seeding.themes, 2, upto=answered)
            audit.last_domain_key = seeding.version.domains[answered].key
        db.session.flush()
