"""The list of submitted audits for moderators, and the filters it and the agreement page read from a URL."""

from dataclasses import asdict, dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import AuditProgramme, AuditStatus, Case, CaseAudit, Locality, User
from ...models.audits import moderation_sample_audit
from ...parsing import parse_id

STATUS_FILTERS = {
    "submitted": ("Awaiting moderation", [AuditStatus.SUBMITTED.value]),
    "moderated": ("Moderated", [AuditStatus.MODERATED.value]),
    "returned": ("Returned to the auditor", [AuditStatus.RETURNED.value]),
    "all": ("All", [AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value, AuditStatus.RETURNED.value]),
}


def place_from_args(args) -> dict:
    """The programme and locality a moderation page is narrowed to: ids, or None for anything else typed."""
    return {
        "programme_id": args.get("programme_id", type=parse_id),
        "locality_id": args.get("locality_id", type=parse_id),
    }


def choice_from_args(args, name: str, choices, default: str) -> str:
    """One of the keys of `choices`, or the default when the URL holds anything else."""
    value = args.get(name, default)
    return value if value in choices else default


@dataclass
class AuditFilters:
    programme_id: int | None = None
    locality_id: int | None = None
    auditor_id: int | None = None
    status: str = "submitted"
    sampled_only: bool = False

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        return cls(
            **place_from_args(args),
            auditor_id=args.get("auditor_id", type=parse_id),
            status=choice_from_args(args, "status", STATUS_FILTERS, "submitted"),
            sampled_only=args.get("sampled") == "yes",
        )

    def as_args(self) -> dict:
        """The filters in use as query-string arguments (sampled_only is written "sampled=yes")."""
        args = asdict(self) | {"sampled_only": None, "sampled": "yes" if self.sampled_only else None}
        return {k: v for k, v in args.items() if v}


def in_a_sample():
    return exists().where(moderation_sample_audit.c.audit_id == CaseAudit.id)


def filtered(query, filters: AuditFilters, statuses=None):
    query = query.outerjoin(Case, CaseAudit.case_id == Case.id).where(  # outer: supervision audits have none
        CaseAudit.status.in_(statuses or STATUS_FILTERS[filters.status][1])
    )
    if filters.programme_id:
        query = query.where(CaseAudit.programme_id == filters.programme_id)
    if filters.locality_id:
        query = query.where(Case.locality_id == filters.locality_id)
    if filters.auditor_id:
        query = query.where(CaseAudit.auditor_id == filters.auditor_id)
    if filters.sampled_only:
        query = query.where(in_a_sample())
    return query


def audits_for_moderation(filters: AuditFilters, page: int = 1, per_page: int = 50):
    query = (
        filtered(select(CaseAudit), filters)
        .options(
            joinedload(CaseAudit.case).joinedload(Case.locality),
            joinedload(CaseAudit.auditor),
            joinedload(CaseAudit.programme),
        )
        .order_by(CaseAudit.submitted_at.desc(), CaseAudit.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def sampled_audit_ids(audit_ids) -> set[int]:
    if not audit_ids:
        return set()
    return set(
        db.session.scalars(
            select(moderation_sample_audit.c.audit_id).where(moderation_sample_audit.c.audit_id.in_(audit_ids))
        )
    )


def filter_options() -> dict:
    """Programmes, localities and auditors to filter by (auditors: anyone who has submitted an audit)."""
    auditors = db.session.scalars(
        select(User)
        .where(User.id.in_(select(CaseAudit.auditor_id).where(CaseAudit.submitted_at.is_not(None))))
        .order_by(User.display_name)
    ).all()
    return {
        "programmes": db.session.scalars(select(AuditProgramme).order_by(AuditProgramme.period_start.desc())).all(),
        "localities": db.session.scalars(select(Locality).order_by(Locality.name)).all(),
        "auditors": auditors,
        "statuses": {key: label for key, (label, _) in STATUS_FILTERS.items()},
    }
