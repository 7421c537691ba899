"""Demo data for case audits: the seeded tool, programmes, and audits in every state for
auditor@example.org and manager@example.org (about 60 submitted, over several months and localities,
some Inadequate with follow-ups). Deterministic and idempotent."""

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from ..changelog import acting_as, stamped_at
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
    User,
)
from ..tools.services import seed_tool

PROGRAMMES = [
    # name, focus, period start, period end, due
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


def seed_audits(password: str) -> None:
    version = seed_tool()
    if db.session.scalar(select(AuditProgramme.id).where(AuditProgramme.name == PROGRAMMES[-1][0])):
        return
    auditor = db.session.scalar(select(User).where(User.email == "auditor@example.org"))
    manager = db.session.scalar(select(User).where(User.email == "manager@example.org"))
    qa = db.session.scalar(select(User).where(User.email == "qa@example.org"))
    if auditor is None or manager is None:
        return
    rng = random.Random(1021)
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    # Cases from every locality, in a fixed order.
    localities = db.session.scalars(select(Locality).order_by(Locality.name)).all()
    by_locality = {
        l.id: db.session.scalars(select(Case).where(Case.locality_id == l.id).order_by(Case.case_reference)).all()
        for l in localities
    }
    pools = [c for group in zip(*by_locality.values()) for c in group]
    cases = iter(pools)

    with acting_as(qa):
        programmes = []
        for name, focus, start, end, due in PROGRAMMES:
            p = AuditProgramme(
                name=name,
                focus=focus,
                period_start=start,
                period_end=end,
                due_date=due,
                tool_version_id=version.id,
                created_by_id=qa.id if qa else None,
            )
            with stamped_at(_at(start - timedelta(days=7), 9)):  # the history shows when it was set up
                db.session.add(p)
                db.session.flush()
            programmes.append(p)
        today = date.today()
        current = AuditProgramme(
            name=f"{today:%B %Y} monthly audit",
            focus="Voice of the child",
            period_start=today.replace(day=1),
            period_end=today.replace(day=28),
            due_date=today + timedelta(days=21),
            tool_version_id=version.id,
            created_by_id=qa.id if qa else None,
        )
        db.session.add(current)
        db.session.flush()

    # About 60 submitted audits over four months, 15 per programme.
    for p in programmes:
        for n in range(15):
            person = auditor if n % 3 else manager
            quality = rng.choices([1, 2, 3, 4], weights=[6, 42, 38, 14])[0]
            submitted_day = p.period_end + timedelta(days=rng.randint(1, 14))
            started_at = _at(submitted_day - timedelta(days=2), 9)
            with acting_as(person), stamped_at(started_at):
                audit = CaseAudit(
                    case=next(cases),
                    tool_version=version,
                    programme=p,
                    auditor=person,
                    due_date=p.due_date,
                    status=AuditStatus.IN_PROGRESS.value,
                    started_at=started_at,
                )
                db.session.add(audit)
                _answer(audit, rng, themes, quality)
                audit.overall_grade = quality
                audit.strengths = rng.choice(STRENGTHS)
                audit.areas_for_improvement = rng.choice(IMPROVE)
                audit.audited_alongside_worker = rng.random() < 0.6
                audit.child_and_family_feedback = rng.choice(FEEDBACK)
                audit.child_not_safe = quality == 4 and n % 2 == 0
                db.session.flush()
            with acting_as(person), stamped_at(_at(submitted_day, 10 + n % 6)):
                audit.status = AuditStatus.SUBMITTED.value
                audit.submitted_at = _at(submitted_day, 10 + n % 6)
                audit.last_domain_key = "overall"
                db.session.flush()
                if quality == 4:
                    owner = manager if n % 2 else (qa or manager)
                    due = submitted_day + timedelta(days=5)
                    done = p is not programmes[-1] and n % 3 == 0
                    db.session.add(
                        FollowUp(
                            audit_id=audit.id,
                            case_id=audit.case_id,
                            owner_id=owner.id,
                            due_date=due,
                            created_by_id=person.id,
                            action_required=rng.choice(
                                [
                                    "Team manager to review the safety plan and see the child within 24 hours.",
                                    "Convene a strategy discussion; check with the other local authority.",
                                    "Service manager to review drift and agree a plan with a timescale.",
                                ]
                            ),
                            status=FollowUpStatus.DONE.value if done else FollowUpStatus.OPEN.value,
                            done_at=_at(due, 15) if done else None,
                        )
                    )
                    db.session.flush()
    # Open work in October (overdue now) and this month (due soon): not started and in progress.
    october = programmes[-1]
    for _n, (person, programme, answered) in enumerate(
        [
            (auditor, october, 3),
            (auditor, current, 0),
            (auditor, current, 0),
            (auditor, current, 5),
            (auditor, october, 0),
            (manager, current, 0),
            (manager, current, 2),
            (manager, october, 0),
        ]
    ):
        with acting_as(person), stamped_at(_at(min(programme.period_start + timedelta(days=3), date.today()), 9)):
            audit = CaseAudit(
                case=next(cases),
                tool_version=version,
                programme=programme,
                auditor=person,
                due_date=programme.due_date,
                status=AuditStatus.NOT_STARTED.value,
            )
            db.session.add(audit)
            if answered:
                audit.status = AuditStatus.IN_PROGRESS.value
                audit.started_at = _at(programme.period_start + timedelta(days=3), 9)
                _answer(audit, rng, themes, 2, upto=answered)
                audit.last_domain_key = version.domains[answered].key
            db.session.flush()
    db.session.commit()
