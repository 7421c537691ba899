"""Administration: users and roles, the organisation, and cases (including CSV import)."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..case_references import CASE_REFERENCE_PATTERN
from ..changelog import log_change
from ..csv_import import RowError, read_csv
from ..extensions import db
from ..forms import too_long
from ..history import HistoryRow, field_words, record_history
from ..models import Case, CaseType, Locality, Service, Team, User
from ..models.cases import CASE_TYPE_LABELS
from ..permissions import Role
from ..security import log_security_event

WORKER_REF_MAX = 40  # a user's worker reference and the allocated worker reference a case is shared by


def case_reference_problem(reference: str) -> str | None:
    if not reference:
        return "Enter a case reference"
    if not CASE_REFERENCE_PATTERN.match(reference):
        return (
            "Case reference must be the reference from the case-management system: 3 to 40 letters, "
            "digits, hyphens or slashes, with at least one digit (never a child's name)"
        )
    return None


def set_roles(user: User, roles, field: str = "roles") -> None:
    old = ", ".join(sorted(r.value for r in user.roles))
    user.roles = roles
    new = ", ".join(sorted(Role(r).value for r in roles))
    if user.id is not None:
        log_change(db.session, user, field, old, new)


def save_user(
    user: User, *, email, display_name, roles, is_enabled, password=None, worker_ref=None, team_id=None
) -> User:
    was_enabled = user.is_enabled if user.id else True
    reset = bool(password) and user.id is not None
    user.email = email.strip().lower()
    user.display_name = display_name.strip()
    user.worker_ref = worker_ref or None
    user.team_id = team_id or None
    user.is_enabled = is_enabled
    if password:
        user.set_password(password)
    if user.id is None:
        db.session.add(user)
        db.session.flush()
    set_roles(user, roles)
    if reset:
        # Who reset whose password and when: never the password, nor its hash.
        log_change(db.session, user, "password", None, "reset")
    if was_enabled and not is_enabled or password:
        user.end_all_sessions()  # a disabled user, or a reset password, ends every session
    db.session.commit()
    if reset:
        log_security_event("password_reset", "success", target=user.email)
    return user


def add_named(model, name: str):
    """A new locality or service."""
    item = model(name=name.strip())
    db.session.add(item)
    db.session.commit()
    return item


def rename(item, name: str):
    """A locality or service, renamed."""
    item.name = name.strip()
    db.session.commit()
    return item


def save_team(team: Team, *, name: str, locality_id: int, service_id: int) -> Team:
    team.name = name.strip()
    team.locality_id, team.service_id = locality_id, service_id
    db.session.add(team)
    db.session.commit()
    return team


def save_case(case: Case, *, case_reference, case_type, locality_id, team_id, allocated_worker_ref) -> Case:
    case.case_reference = case_reference
    case.case_type = case_type
    case.locality_id, case.team_id = locality_id, team_id
    case.allocated_worker_ref = allocated_worker_ref or None
    db.session.add(case)
    db.session.commit()
    return case


def by_name(model) -> list:
    """Every locality, service or team, in order of name."""
    return db.session.scalars(select(model).order_by(model.name)).all()


def find_cases(reference: str, case_type: str, locality_id: int | None, page: int, per_page: int):
    """One page of cases whose reference contains `reference`, of the case type and in the locality, if given."""
    query = select(Case).order_by(Case.case_reference)
    if reference:
        query = query.where(Case.case_reference.contains(reference, autoescape=True))
    if case_type in CASE_TYPE_LABELS:
        query = query.where(Case.case_type == case_type)
    if locality_id:
        query = query.where(Case.locality_id == locality_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def case_team_problem(locality_id: int | None, team_id: int | None) -> str | None:
    """What is wrong with a case's team: none chosen, or one outside the case's locality."""
    team = db.session.get(Team, team_id) if team_id else None
    if not team:
        return "Select a team"
    if locality_id and team.locality_id != locality_id:
        return f"{team.name} is not in the locality you selected"
    return None


def reference_taken(reference: str, except_id: int | None = None) -> bool:
    query = select(Case.id).where(Case.case_reference == reference)
    if except_id:
        query = query.where(Case.id != except_id)
    return db.session.scalar(query) is not None


USER_FIELDS = {"is_enabled": "account is active", "display_name": "full name", "email": "email address"}


def user_history(user: User) -> list[HistoryRow]:
    """Every recorded change to a person's account (roles, password resets, enabling), newest first."""
    return record_history(
        [(User.__tablename__, user.id)], lambda change: USER_FIELDS.get(change.field) or field_words(change)
    )


def _held_by_another_user(column, value, except_user_id: int | None) -> bool:
    query = select(User.id).where(column == value)
    if except_user_id:
        query = query.where(User.id != except_user_id)
    return db.session.scalar(query.limit(1)) is not None


def email_taken(email: str, except_user_id: int | None = None) -> bool:
    return _held_by_another_user(User.email, email.strip().lower(), except_user_id)


def worker_ref_taken(worker_ref: str | None, except_user_id: int | None = None) -> bool:
    return bool(worker_ref) and _held_by_another_user(User.worker_ref, worker_ref, except_user_id)


def case_type_from_text(text: str) -> CaseType | None:
    text = (text or "").strip().lower()
    for case_type, label in CASE_TYPE_LABELS.items():
        if text in (case_type.value, label.lower()):
            return case_type
    aliases = {"cin": CaseType.CIN, "cp": CaseType.CP, "cla": CaseType.CHILD_IN_CARE, "cic": CaseType.CHILD_IN_CARE}
    return aliases.get(text)


@dataclass
class CaseImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0


def import_cases(stream) -> CaseImportResult:
    """All or nothing: a file with any error imports no row. Existing references are updated."""
    parsed = read_csv(
        stream, required=["case_reference", "case_type", "locality", "team"], optional=["allocated_worker_ref"]
    )
    result = CaseImportResult(errors=list(parsed.errors))
    if result.errors:
        return result
    localities = {l.name.lower(): l for l in db.session.scalars(select(Locality))}
    teams = {t.name.lower(): t for t in db.session.scalars(select(Team))}
    seen: dict[str, int] = {}
    valid = []
    for number, row in parsed.rows:
        problems, values = _case_row(row, number, seen, localities, teams)
        if problems:
            result.errors.append(RowError(number, "; ".join(problems)))
        else:
            valid.append(values)
    if not result.errors:
        _save_imported_cases(valid, result)
    return result


def _case_row(row: dict, number: int, seen: dict[str, int], localities: dict, teams: dict) -> tuple[list[str], tuple]:
    """What is wrong with one row of a cases file (`seen`: the rows' references so far), and its values."""
    reference = row["case_reference"]
    problems = []
    if problem := case_reference_problem(reference):
        problems.append(problem)
    elif reference.upper() in seen:
        problems.append(f"Case reference {reference} is also on row {seen[reference.upper()]}")
    else:
        seen[reference.upper()] = number
    case_type = case_type_from_text(row["case_type"])
    if not case_type:
        problems.append(f"Case type '{row['case_type']}' is not one of: {', '.join(CASE_TYPE_LABELS.values())}")
    locality = localities.get(row["locality"].lower())
    if not locality:
        problems.append(f"Locality '{row['locality']}' does not exist")
    team = teams.get(row["team"].lower())
    if not team:
        problems.append(f"Team '{row['team']}' does not exist")
    elif locality and team.locality_id != locality.id:
        problems.append(f"Team '{team.name}' is not in {locality.name}")
    worker = row.get("allocated_worker_ref", "")
    if len(worker) > WORKER_REF_MAX:
        problems.append(too_long("Allocated worker reference", WORKER_REF_MAX))
    return problems, (reference.upper(), case_type, locality, team, worker or None)


def _save_imported_cases(valid: list[tuple], result: CaseImportResult) -> None:
    """Add the new references and update the known ones, counting each in `result`; one commit."""
    existing = {
        c.case_reference: c
        for c in db.session.scalars(select(Case).where(Case.case_reference.in_([v[0] for v in valid])))
    }
    for reference, case_type, locality, team, worker in valid:
        case = existing.get(reference)
        if case is None:
            case = Case(case_reference=reference)
            db.session.add(case)
            result.created += 1
        else:
            result.updated += 1
        case.case_type, case.locality, case.team, case.allocated_worker_ref = case_type.value, locality, team, worker
    db.session.commit()


def organisation_counts() -> dict[str, int]:
    return {
        "users": db.session.scalar(select(func.count(User.id))),
        "localities": db.session.scalar(select(func.count(Locality.id))),
        "services": db.session.scalar(select(func.count(Service.id))),
        "teams": db.session.scalar(select(func.count(Team.id))),
        "cases": db.session.scalar(select(func.count(Case.id))),
    }
