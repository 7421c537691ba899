"""Audit programmes: a cycle of audits with a tool version and a due date; cases assigned to auditors
by filter, in bulk or from a CSV file (all or nothing, errors by row)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from ..csv_import import RowError, read_csv
from ..extensions import db
from ..models import AuditProgramme, AuditStatus, Case, CaseAudit, ProgrammeKind, ToolVersion, User, VersionStatus
from ..models.users import UserRole
from ..parsing import parse_ids
from ..permissions import ROLE_PERMISSIONS, Permission, Role
from ..reaudits.services import visible_condition

FILTER_LIMIT = 100


NO_RECURRING_SUPERVISION = (
    "A supervision programme cannot recur: its pairs are chosen by hand, not drawn by a rule. "
    "Create next month's programme and add its pairs"
)


def recurrence_problem(tool_version_id, recurs_monthly) -> str | None:
    """Why the programme cannot recur, or None: a supervision tool's would recur empty every month."""
    version = db.session.get(ToolVersion, tool_version_id) if tool_version_id else None
    if recurs_monthly and version is not None and version.tool.is_supervision:
        return NO_RECURRING_SUPERVISION
    return None


def create_programme(
    *,
    name,
    focus,
    period_start,
    period_end,
    due_date,
    tool_version_id,
    kind=ProgrammeKind.MONTHLY_DIP_SAMPLE.value,
    recurs_monthly=False,
    created_by=None,
) -> AuditProgramme:
    version = db.session.get(ToolVersion, tool_version_id)
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise ValueError("Choose a published tool version")
    if problem := recurrence_problem(version.id, recurs_monthly):
        raise ValueError(problem)
    programme = AuditProgramme(
        name=name.strip(),
        kind=ProgrammeKind(kind).value,
        recurs_monthly=bool(recurs_monthly),
        focus=(focus or "").strip() or None,
        period_start=period_start,
        period_end=period_end,
        due_date=due_date,
        tool_version_id=version.id,
        created_by_id=created_by.id if created_by is not None else None,
    )
    db.session.add(programme)
    db.session.commit()
    return programme


def list_programmes(kind: str | None = None) -> list[tuple[AuditProgramme, int, int]]:
    """Each programme (of the kind, if given) with its number of audits and of submitted (or moderated)
    audits, counted in SQL."""
    done = func.sum(
        case((CaseAudit.status.in_([AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value]), 1), else_=0)
    )
    rows = db.session.execute(
        select(AuditProgramme, func.count(CaseAudit.id), func.coalesce(done, 0))
        .outerjoin(CaseAudit, and_(CaseAudit.programme_id == AuditProgramme.id, visible_condition()))
        .where(*([AuditProgramme.kind == kind] if kind else []))
        .group_by(AuditProgramme.id)
        .order_by(AuditProgramme.period_start.desc(), AuditProgramme.name)
        .options(selectinload(AuditProgramme.tool_version).selectinload(ToolVersion.tool))  # is_supervision
    ).all()
    return [(p, total, int(submitted)) for p, total, submitted in rows]


def auditor_choices(programme: AuditProgramme | None = None) -> list[tuple[int, str]]:
    """Who may be given the programme's audits: external auditors only on a multi-agency programme."""
    roles = [r.value for r, perms in ROLE_PERMISSIONS.items() if Permission.CONDUCT_AUDITS in perms]
    if programme is None or programme.kind != ProgrammeKind.MULTI_AGENCY:
        roles.remove(Role.EXTERNAL_AUDITOR.value)
    people = db.session.execute(
        select(User.id, User.display_name)
        .where(User.is_enabled.is_(True), User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(roles))))
        .order_by(User.display_name)
    ).all()
    return [(p.id, p.display_name) for p in people]


def filter_cases(programme: AuditProgramme, *, case_type=None, locality_id=None, team_id=None, reference=None):
    """Cases not yet in the programme that match the filters (at most FILTER_LIMIT), and how many match."""
    # Not NULL: a supervision audit's NULL in a NOT IN list would leave no case to match.
    already = select(CaseAudit.case_id).where(CaseAudit.programme_id == programme.id, CaseAudit.case_id.is_not(None))
    query = select(Case).where(Case.id.not_in(already))
    if case_type:
        query = query.where(Case.case_type == case_type)
    if locality_id:
        query = query.where(Case.locality_id == locality_id)
    if team_id:
        query = query.where(Case.team_id == team_id)
    if reference:
        query = query.where(Case.case_reference.contains(reference.strip().upper(), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    cases = db.session.scalars(query.order_by(Case.case_reference).limit(FILTER_LIMIT)).all()
    return cases, total


def assign(programme: AuditProgramme, case_ids, auditor_id: int, due_date: date | None = None) -> int:
    """One audit per case in the programme, for the auditor. Cases already in it are left alone
    (so a repeated post assigns nothing twice). Returns how many were assigned."""
    if programme.is_supervision:
        raise ValueError("A supervision programme lists supervisor-supervisee pairs, not cases")
    if auditor_id not in {i for i, _ in auditor_choices(programme)}:
        raise ValueError("Choose an auditor")
    already = set(db.session.scalars(select(CaseAudit.case_id).where(CaseAudit.programme_id == programme.id)))
    wanted = [c for c in parse_ids(case_ids) if c not in already]
    existing = set(db.session.scalars(select(Case.id).where(Case.id.in_(wanted or [0]))))
    assigned = [case_id for case_id in wanted if case_id in existing]
    for case_id in assigned:
        _add_audit(programme, case_id, auditor_id, due_date or programme.due_date)
    db.session.commit()
    return len(assigned)


def _add_audit(programme: AuditProgramme, case_id: int, auditor_id: int, due_date: date) -> None:
    """A not-started audit of the case in the programme, on the programme's tool version."""
    db.session.add(
        CaseAudit(
            case_id=case_id,
            tool_version_id=programme.tool_version_id,
            programme_id=programme.id,
            auditor_id=auditor_id,
            status=AuditStatus.NOT_STARTED.value,
            due_date=due_date,
        )
    )


@dataclass
class AssignmentImport:
    assigned: int = 0
    errors: list[RowError] = field(default_factory=list)


def _parse_date(text: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def import_assignments(programme: AuditProgramme, stream) -> AssignmentImport:
    """CSV with case_reference, auditor_email and optional due_date. Every row is checked first; any
    error means nothing is imported."""
    parsed = read_csv(stream, required=["case_reference", "auditor_email"], optional=["due_date"])
    result = AssignmentImport(errors=list(parsed.errors))
    if result.errors:
        return result
    lookups = _ImportLookups.for_programme(programme)
    rows = [_check_row(programme, lookups, number, row, result.errors) for number, row in parsed.rows]
    if result.errors:
        return result
    for case_id, user_id, due in rows:
        _add_audit(programme, case_id, user_id, due)
    db.session.commit()
    result.assigned = len(rows)
    return result


@dataclass
class _ImportLookups:
    """What an import's rows are checked against, read once for the whole file."""

    auditors: set[int]
    emails: dict[str, int]
    cases: dict[str, int]
    already: set[int]  # cases in the programme before the import
    seen: set[int] = field(default_factory=set)  # cases on the rows checked so far

    @classmethod
    def for_programme(cls, programme: AuditProgramme) -> "_ImportLookups":
        return cls(
            auditors={i for i, _ in auditor_choices(programme)},
            emails={e.lower(): i for i, e in db.session.execute(select(User.id, User.email)).all()},
            cases=dict(db.session.execute(select(Case.case_reference, Case.id)).all()),
            already=set(db.session.scalars(select(CaseAudit.case_id).where(CaseAudit.programme_id == programme.id))),
        )


def _check_row(programme, lookups: _ImportLookups, number: int, row: dict, errors: list[RowError]):
    """One row as (case id, auditor id, due date), adding a RowError for each thing wrong with it."""
    reference = row["case_reference"].upper()
    due_text = row.get("due_date", "")
    case_id = lookups.cases.get(reference)
    user_id = lookups.emails.get(row["auditor_email"].lower())
    due = _parse_date(due_text) if due_text else programme.due_date
    problems = []
    if not reference:
        problems.append("Enter a case reference")
    elif case_id is None:
        problems.append(f"There is no case with the reference {reference}")
    elif case_id in lookups.already:
        problems.append(f"{reference} is already in this programme")
    elif case_id in lookups.seen:
        problems.append(f"{reference} appears more than once in the file")
    if user_id is None:
        problems.append(f"There is no user with the email address {row['auditor_email'] or '(blank)'}")
    elif user_id not in lookups.auditors:
        problems.append(f"{row['auditor_email']} is not an auditor")
    if due is None:
        problems.append(f"The due date {due_text} must be a date like 15/11/2021")
    if case_id is not None:
        lookups.seen.add(case_id)
    errors.extend(RowError(number, problem) for problem in problems)
    return case_id, user_id, due


def programme_audits(programme: AuditProgramme) -> list[CaseAudit]:
    return list(
        db.session.scalars(
            select(CaseAudit)
            .outerjoin(Case, Case.id == CaseAudit.case_id)  # outer: a supervision audit has no case
            .where(CaseAudit.programme_id == programme.id, visible_condition())
            .order_by(CaseAudit.status, Case.case_reference, CaseAudit.id)
        )
    )
