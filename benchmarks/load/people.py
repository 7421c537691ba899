"""The load test's simulated people, made in the database DATABASE_URL names (run with the app's .venv):
auditors each with an audit in progress, senior managers each with a draft observation in a practice
week, and QA leads. Writes their sign-ins and records as JSON for the locustfile. Running it again
reuses what it made.

    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/load/people.py people.json
"""

import argparse
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSWORD = "load-test-password-2021"


def _user(email: str, role, password_hash: str):
    from sqlalchemy import select

    from audit_app.extensions import db
    from audit_app.models import User

    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=email.split("@")[0], is_enabled=True, password_hash=password_hash)
        user.roles = [role]
        db.session.add(user)
        db.session.flush()
    return user


def _audit_for(auditor, number: int, version, team):
    """An audit in progress of a case of its own, on the demo's published tool (every section)."""
    from sqlalchemy import select

    from audit_app.extensions import db
    from audit_app.models import AuditStatus, Case, CaseAudit

    reference = f"LOAD{number:05d}"
    case = db.session.scalar(select(Case).where(Case.case_reference == reference))
    if case is None:
        case = Case(case_reference=reference, case_type="cp", locality_id=team.locality_id, team_id=team.id)
        db.session.add(case)
    audit = db.session.scalar(select(CaseAudit).where(CaseAudit.case == case))
    if audit is None:
        audit = CaseAudit(
            case=case,
            tool_version=version,
            auditor=auditor,
            status=AuditStatus.IN_PROGRESS.value,
            started_at=datetime.now(UTC),
            due_date=date.today() + timedelta(days=28),
        )
        db.session.add(audit)
        db.session.flush()
    return audit


def make_people(auditors: int, managers: int, qa_leads: int) -> dict:
    from sqlalchemy import select

    from audit_app.extensions import db
    from audit_app.models import AuditTool, PracticeWeek, Team, ToolVersion, User
    from audit_app.permissions import Role
    from audit_app.practice_week.services import start_observation

    hashed = User()
    hashed.set_password(PASSWORD)  # one scrypt hash for everyone: hundreds would take minutes
    version = db.session.scalar(
        select(ToolVersion)
        .join(AuditTool)
        .where(ToolVersion.status == "published", AuditTool.name != "Generated case audit tool")
        .order_by(ToolVersion.id)
    )
    week = db.session.scalar(select(PracticeWeek).order_by(PracticeWeek.ends_on.desc()))
    team = db.session.scalar(select(Team).order_by(Team.id))
    people = {"password": PASSWORD, "auditors": [], "managers": [], "qa_leads": []}
    for i in range(auditors):
        user = _user(f"load-auditor-{i}@example.org", Role.AUDITOR, hashed.password_hash)
        audit = _audit_for(user, i, version, team)
        pages = [domain.key for domain in version.domains]
        people["auditors"].append({"email": user.email, "audit": audit.id, "pages": pages})
    for i in range(managers):
        user = _user(f"load-manager-{i}@example.org", Role.SENIOR_MANAGER, hashed.password_hash)
        observation = start_observation(user, week, None, form_token=f"load-test-observation-{i}")
        people["managers"].append({"email": user.email, "observation": observation.id})
    for i in range(qa_leads):
        people["qa_leads"].append(_user(f"load-qa-{i}@example.org", Role.QA_LEAD, hashed.password_hash).email)
    db.session.commit()
    return people


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--auditors", type=int, default=300)
    parser.add_argument("--managers", type=int, default=100)
    parser.add_argument("--qa-leads", type=int, default=50)
    args = parser.parse_args()
    from audit_app import create_app

    app = create_app("development")
    with app.app_context():
        people = make_people(args.auditors, args.managers, args.qa_leads)
    Path(args.out).write_text(json.dumps(people, indent=1))
    print(f"{len(people['auditors'])} auditors, {len(people['managers'])} managers, {len(people['qa_leads'])} QA leads")


if __name__ == "__main__":
    main()
