"""Demo data for trying the service: realistic, deterministic and safe to load twice.

Each feature adds its seeder in its init_app; `flask seed-demo` runs them in the order of FEATURES.
Children appear only as case references, never names.
"""

import random
from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import select

from .changelog import stamped_at
from .extensions import db
from .models import Case, CaseType, Locality, Service, Team, Theme, User
from .models.base import utcnow
from .permissions import Role

DEMO_USERS = [
    ("auditor@example.org", "Alex Auditor", [Role.AUDITOR]),
    ("manager@example.org", "Morgan Manager", [Role.SENIOR_MANAGER, Role.AUDITOR]),
    ("qa@example.org", "Quinn QA Lead", [Role.QA_LEAD]),
    ("admin@example.org", "Ash Administrator", [Role.ADMIN]),
    ("worker@example.org", "Sam Social Worker", [Role.PRACTITIONER]),
    ("teammanager@example.org", "Taylor Team Manager", [Role.TEAM_MANAGER]),
    ("external@example.org", "Pat Police (external)", [Role.EXTERNAL_AUDITOR]),
]
# The demo social worker and their team manager: the worker holds the first cases of this team.
DEMO_PRACTICE_TEAM, DEMO_WORKER_REF, DEMO_WORKER_CASES = "North Children & Families 1", "SW2001", 12

# The demo administrator's second factor (demo data is refused in production): add it to an authenticator
# app by this key, or compute the code with pyotp.
DEMO_TOTP_SECRET = "DEMOADMINQASERVICEKEY234567ABCDE"

LOCALITIES = ["North", "South", "Mid & East", "Exeter"]

SERVICES = [
    "MASH",
    "Initial Response",
    "Children & Families",
    "Permanency & Transition",
    "Disabled Children",
    "Care Leavers",
    "Early Help",
]

# (team, locality, service); the seeds' front door and locality-based teams.
TEAMS = [
    ("MASH", "Exeter", "MASH"),
    ("Disabled Children's Service", "Mid & East", "Disabled Children"),
    ("Care Leavers Exeter", "Exeter", "Care Leavers"),
] + [
    (f"{locality} {suffix}", locality, service)
    for locality in LOCALITIES
    for suffix, service in [
        ("Initial Response", "Initial Response"),
        ("Children & Families 1", "Children & Families"),
        ("Children & Families 2", "Children & Families"),
        ("Permanency & Transition", "Permanency & Transition"),
        ("Early Help", "Early Help"),
    ]
]

THEMES = [
    ("Voice of the child", "The child's wishes, feelings and lived experience are recorded and shape the work."),
    ("Management oversight", "Managers give clear direction, recorded on the file, and check it is followed."),
    ("Supervision quality", "Reflective supervision that tests the plan and the analysis."),
    ("Analysis in assessments", "Assessments analyse risk and need, not only describe them."),
    ("History and chronology", "Previous history informs current risk analysis."),
    ("Fathers and wider family", "Fathers, partners and the wider family are seen and assessed."),
    ("Safety planning", "Clear safety plans that families and professionals understand."),
    ("SMART plans", "Plans are specific, measurable and linked to assessed risk."),
    ("Drift and delay", "Plans progress without drift; children get help at the right time."),
    ("Purposeful visits", "Visits are timely and purposeful and progress the plan."),
    ("Early help timeliness", "Families get early help support without delay."),
    ("Domestic abuse practice", "Risk from domestic abuse is assessed and planned for."),
    ("Parental participation", "Parents understand and take part in meetings and plans."),
    ("Multi-agency working", "Partners share information and contribute to plans."),
    ("Child seen and seen alone", "Children are seen, and seen alone where appropriate."),
    ("Thresholds and step-down", "Thresholds are applied consistently at the front door."),
]

# Share of each case type among demo cases, roughly as in the seeds' performance report.
CASE_TYPE_MIX = [
    (CaseType.EARLY_HELP, 60),
    (CaseType.CIN, 90),
    (CaseType.CP, 60),
    (CaseType.CHILD_IN_CARE, 80),
    (CaseType.CARE_LEAVER, 30),
]

SERVICE_FOR_CASE_TYPE = {
    CaseType.EARLY_HELP: ["Early Help"],
    CaseType.CIN: ["Initial Response", "Children & Families", "Disabled Children"],
    CaseType.CP: ["Initial Response", "Children & Families"],
    CaseType.CHILD_IN_CARE: ["Permanency & Transition", "Children & Families"],
    CaseType.CARE_LEAVER: ["Care Leavers", "Permanency & Transition"],
}


def add_demo_seeder(app: Flask, seeder: Callable) -> None:
    """Add a function(password) that adds a feature's demo data, if it is not there yet.

    `flask seed-demo` runs them in the order the features are listed in FEATURES (audit_app/__init__.py).
    """
    app.extensions.setdefault("demo_seeders", []).append(seeder)


def get_or_create(model, defaults=None, **keys):
    item = db.session.scalar(select(model).filter_by(**keys))
    if item is None:
        item = model(**keys, **(defaults or {}))
        db.session.add(item)
        db.session.flush()
    return item


def demo_user(email: str) -> User | None:
    """A demo user by email: None when the organisation seeder has not run."""
    return db.session.scalar(select(User).where(User.email == email))


def ensure_demo_user(email: str, name: str, roles: list[Role], password: str) -> User:
    user = demo_user(email)
    if user is None:
        user = User(email=email, display_name=name, is_enabled=True)
        user.set_password(password)
        user.roles = roles
        db.session.add(user)
        db.session.flush()
    return user


def add_flushed(record):
    """Add a record and flush, so that it has its id for the rows that refer to it."""
    db.session.add(record)
    db.session.flush()
    return record


def add_dated(record, when: datetime | None):
    """Add a record whose history carries the date of the event it stands for (None: now)."""
    with stamped_at(when):
        return add_flushed(record)


def seed_organisation(password: str) -> None:
    for email, name, roles in DEMO_USERS:
        user = ensure_demo_user(email, name, roles, password)
        if Role.ADMIN in roles and user.totp_secret is None:
            user.totp_secret, user.totp_confirmed_at = DEMO_TOTP_SECRET, utcnow()
    localities = {name: get_or_create(Locality, name=name) for name in LOCALITIES}
    services = {name: get_or_create(Service, name=name) for name in SERVICES}
    teams = {}
    for name, locality, service in TEAMS:
        teams[name] = get_or_create(
            Team, name=name, defaults={"locality": localities[locality], "service": services[service]}
        )
    for name, description in THEMES:
        get_or_create(Theme, name=name, defaults={"description": description})
    db.session.flush()
    if db.session.scalar(select(Case.id).limit(1)) is None:
        _seed_cases(teams)
        db.session.flush()
        _allocate_demo_worker(teams[DEMO_PRACTICE_TEAM])
    _place_practice_users(teams[DEMO_PRACTICE_TEAM])
    db.session.commit()


def _seed_cases(teams: dict[str, Team]) -> None:
    rng = random.Random(2021)
    number = 104000
    for case_type, count in CASE_TYPE_MIX:
        for _ in range(count):
            number += rng.randint(3, 40)
            service = rng.choice(SERVICE_FOR_CASE_TYPE[case_type])
            team = rng.choice([teams[n] for n, _, s in TEAMS if s == service])
            db.session.add(
                Case(
                    case_reference=f"CMS{number}",
                    case_type=case_type.value,
                    locality=team.locality,
                    team=team,
                    allocated_worker_ref=f"SW{rng.randint(1000, 1299)}",
                )
            )


def _allocate_demo_worker(team: Team) -> None:
    cases = db.session.scalars(
        select(Case).where(Case.team_id == team.id).order_by(Case.case_reference).limit(DEMO_WORKER_CASES)
    )
    for case in cases:
        case.allocated_worker_ref = DEMO_WORKER_REF


def _place_practice_users(team: Team) -> None:
    for email, worker_ref in [("worker@example.org", DEMO_WORKER_REF), ("teammanager@example.org", None)]:
        user = demo_user(email)
        if user is not None and user.team_id is None:
            user.team, user.worker_ref = team, worker_ref


def seed_demo(password: str) -> None:
    for seeder in current_app.extensions.get("demo_seeders", []):
        seeder(password)
    db.session.commit()
