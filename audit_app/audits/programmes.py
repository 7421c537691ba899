"""Audit programmes: a cycle of audits with a tool version and a due date; cases assigned to auditors
by filter, in bulk or from a CSV file (all or nothing, errors by row)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, select

from ..csv_import import RowError, read_csv
from ..extensions import db
from ..models import AuditProgramme, AuditStatus, Case, CaseAudit, ToolVersion, User, VersionStatus
from ..models.users import UserRole
from ..parsing import parse_ids
from ..permissions import ROLE_PERMISSIONS, Permission

FILTER_LIMIT = 100


def create_programme(
    *, name, focus, period_start, period_end, due_date, tool_version_id, created_by=None
) -> AuditProgramme:
    version = db.session.get(ToolVersion, tool_version_id)
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise ValueError("Choose a published tool version")
    programme = AuditProgramme(
        name=name.strip(),
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


def list_programmes() -> list[tuple[AuditProgramme, int, int]]:
    """Each programme with its number of audits and of submitted (or moderated) audits, counted in SQL."""
    done = func.sum(
        case((CaseAudit.status.in_([AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value]), 1), else_=0)
    )
    rows = db.session.execute(
        select(AuditProgramme, func.count(CaseAudit.id), func.coalesce(done, 0))
        .outerjoin(CaseAudit, CaseAudit.programme_id == AuditProgramme.id)
        .group_by(AuditProgramme.id)
        .order_by(AuditProgramme.period_start.desc(), AuditProgramme.name)
    ).all()
    return [(p, total, int(submitted)) for p, total, submitted in rows]


def auditor_choices() -> list[tuple[int, str]]:
    roles = [r.value for r, perms in ROLE_PERMISSIONS.items() if Permission.CONDUCT_AUDITS in perms]
    people = db.session.execute(
        select(User.id, User.display_name)
        .where(User.is_enabled.is_(True), User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(roles))))
        .order_by(User.display_name)
    ).all()
    return [(p.id, p.display_name) for p in people]


def filter_cases(programme: AuditProgramme, *, case_type=None, locality_id=None, team_id=None, reference=None):
    """Cases not yet in the programme that match the filters (at most FILTER_LIMIT), and how many match."""
    already = select(CaseAudit.case_id).where(CaseAudit.programme_id == programme.id)
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
    if auditor_id not in {i for i, _ in auditor_choices()}:
        raise ValueError("Choose an auditor")
    already = set(db.session.scalars(select(CaseAudit.case_id).where(CaseAudit.programme_id == programme.id)))
    wanted = [c for c in parse_ids(case_ids) if c not in already]
    existing = set(db.session.scalars(select(Case.id).where(Case.id.in_(wanted or [0]))))
    count = 0
    for case_id in wanted:
        if case_id in existing:
            db.session.add(
                CaseAudit(
                    case_id=case_id,
                    tool_version_id=programme.tool_version_id,
                    programme_id=programme.id,
                    auditor_id=auditor_id,
                    status=AuditStatus.NOT_STARTED.value,
                    due_date=due_date or programme.due_date,
                )
            )
            count += 1
    db.session.commit()
    return count


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
    auditors = {i for i, _ in auditor_choices()}
    emails = {e.lower(): i for i, e in db.session.execute(select(User.id, User.email)).all()}
    cases = dict(db.session.execute(select(Case.case_reference, Case.id)).all())
    already = set(db.session.scalars(select(CaseAudit.case_id).where(CaseAudit.programme_id == programme.id)))
    rows, seen = [], set()
    for number, row in parsed.rows:
        reference = row["case_reference"].upper()
        email = row["auditor_email"].lower()
        due_text = row.get("due_date", "")
        case_id = cases.get(reference)
        user_id = emails.get(email)
        due = _parse_date(due_text) if due_text else programme.due_date
        if not reference:
            result.errors.append(RowError(number, "Enter a case reference"))
        elif case_id is None:
            result.errors.append(RowError(number, f"There is no case with the reference {reference}"))
        elif case_id in already:
            result.errors.append(RowError(number, f"{reference} is already in this programme"))
        elif case_id in seen:
            result.errors.append(RowError(number, f"{reference} appears more than once in the file"))
        if user_id is None:
            result.errors.append(
                RowError(number, f"There is no user with the email address {row['auditor_email'] or '(blank)'}")
            )
        elif user_id not in auditors:
            result.errors.append(RowError(number, f"{row['auditor_email']} is not an auditor"))
        if due is None:
            result.errors.append(RowError(number, f"The due date {due_text} must be a date like 15/11/2021"))
        if case_id is not None:
            seen.add(case_id)
        rows.append((case_id, user_id, due))
    if result.errors:
        return result
    for case_id, user_id, due in rows:
        db.session.add(
            CaseAudit(
                case_id=case_id,
                tool_version_id=programme.tool_version_id,
                programme_id=programme.id,
                auditor_id=user_id,
                status=AuditStatus.NOT_STARTED.value,
                due_date=due,
            )
        )
    db.session.commit()
    result.assigned = len(rows)
    return result


def programme_audits(programme: AuditProgramme) -> list[CaseAudit]:
    return list(
        db.session.scalars(
            select(CaseAudit)
            .join(Case)
            .where(CaseAudit.programme_id == programme.id)
            .order_by(CaseAudit.status, Case.case_reference)
        )
    )
