"""A programme of supervision audits lists supervisor-supervisee pairs and the period of supervision
records to look at, each with its auditor: the pairs are chosen from the organisation's staff."""

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import AuditProgramme, AuditStatus, CaseAudit, User
from ..models.users import UserRole
from ..permissions import Role
from .services import auditor_choices

SUPERVISOR_ROLES = (Role.TEAM_MANAGER, Role.SENIOR_MANAGER)
SUPERVISEE_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER)


def staff_choices(roles) -> list[tuple[int, str]]:
    """Enabled people with one of the roles, by name, with their worker reference where they have one."""
    people = db.session.execute(
        select(User.id, User.display_name, User.worker_ref)
        .where(
            User.is_enabled.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_([r.value for r in roles]))),
        )
        .order_by(User.display_name)
    ).all()
    return [(p.id, f"{p.display_name} ({p.worker_ref})" if p.worker_ref else p.display_name) for p in people]


def pair_problems(programme: AuditProgramme, pair: dict) -> list[tuple[str, str]]:
    """What is wrong with a pair for this programme, as (field, message): both people from the lists and
    not the same person, a period that runs forwards, an auditor who may audit (and is neither of them)."""
    problems = []
    if not programme.is_supervision:
        problems.append(("supervisor_id", "This programme audits case files: assign cases to it instead"))
    if pair["supervisor_id"] not in {i for i, _ in staff_choices(SUPERVISOR_ROLES)}:
        problems.append(("supervisor_id", "Select the supervisor"))
    if pair["supervisee_id"] not in {i for i, _ in staff_choices(SUPERVISEE_ROLES)}:
        problems.append(("supervisee_id", "Select the supervisee"))
    elif pair["supervisee_id"] == pair["supervisor_id"]:
        problems.append(("supervisee_id", "The supervisee must be someone other than the supervisor"))
    if pair["supervision_from"] and pair["supervision_to"] and pair["supervision_from"] > pair["supervision_to"]:
        problems.append(("supervision_to", "The end of the supervision period must be on or after its start"))
    if pair["auditor_id"] not in {i for i, _ in auditor_choices(programme)}:
        problems.append(("auditor_id", "Select an auditor"))
    elif pair["auditor_id"] in (pair["supervisor_id"], pair["supervisee_id"]):
        problems.append(("auditor_id", "The auditor must be someone other than the supervisor and the supervisee"))
    return problems


def pair_in_programme(programme: AuditProgramme, pair: dict) -> bool:
    """The same pair and period already has an audit in this programme."""
    return (
        db.session.scalar(
            select(CaseAudit.id).where(
                CaseAudit.programme_id == programme.id,
                CaseAudit.supervisor_id == pair["supervisor_id"],
                CaseAudit.supervisee_id == pair["supervisee_id"],
                CaseAudit.supervision_from == pair["supervision_from"],
                CaseAudit.supervision_to == pair["supervision_to"],
            )
        )
        is not None
    )


def add_pair(programme: AuditProgramme, pair: dict, due_date: date | None = None) -> CaseAudit:
    """A not-started supervision audit of the pair over the period, for its auditor, on the programme's tool."""
    problems = pair_problems(programme, pair)
    if problems:
        raise ValueError(problems[0][1])
    audit = CaseAudit(
        case_id=None,
        tool_version_id=programme.tool_version_id,
        programme_id=programme.id,
        status=AuditStatus.NOT_STARTED.value,
        due_date=due_date or programme.due_date,
        **pair,
    )
    db.session.add(audit)
    db.session.commit()
    return audit
