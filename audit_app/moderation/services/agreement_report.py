"""The agreement page: auditor against moderator grades, counted in SQL, and the grades moderators changed."""

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Case, CaseAudit, Judgement, ModeratedGrade, Moderation, ModerationOutcome, User
from ...reporting.filters import SUBJECTS
from ...reporting.queries import applies_to_audit, domain_labels, domain_order
from ..agreement import Agreement, add_matrices, agreement, empty_matrix, matrix_from_counts
from .queue import choice_from_args, place_from_args

PERIODS = {"month": "Month", "quarter": "Quarter"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass
class AgreementFilters:
    programme_id: int | None = None
    locality_id: int | None = None
    period: str = "quarter"
    # Audits submitted in [submitted_from, submitted_before): the inspection pack's chosen period.
    submitted_from: datetime | None = None
    submitted_before: datetime | None = None
    # "" case audits, "supervision" supervision audits: their grades are never pooled (as the summary's subject).
    subject: str = ""

    @classmethod
    def from_args(cls, args) -> "AgreementFilters":
        return cls(
            **place_from_args(args),
            period=choice_from_args(args, "period", PERIODS, "quarter"),
            subject=choice_from_args(args, "subject", SUBJECTS, ""),
        )

    @property
    def supervision(self) -> bool:
        return self.subject == "supervision"


def _agreement_filtered(query, filters: AgreementFilters):
    query = query.where(CaseAudit.case_id.is_(None) if filters.supervision else CaseAudit.case_id.is_not(None))
    if filters.programme_id:
        query = query.where(CaseAudit.programme_id == filters.programme_id)
    if filters.locality_id:
        query = query.where(CaseAudit.case_id.in_(select(Case.id).where(Case.locality_id == filters.locality_id)))
    if filters.submitted_from:
        query = query.where(CaseAudit.submitted_at >= filters.submitted_from)
    if filters.submitted_before:
        query = query.where(CaseAudit.submitted_at < filters.submitted_before)
    return query


def _pairs(columns, filters: AgreementFilters):
    """Auditor's judgement joined to the moderator's grade for it, in completed moderations."""
    query = (
        select(*columns)
        .select_from(ModeratedGrade)
        .join(Judgement, ModeratedGrade.judgement_id == Judgement.id)
        .join(Moderation, ModeratedGrade.moderation_id == Moderation.id)
        .join(CaseAudit, Judgement.audit_id == CaseAudit.id)
        .where(
            Judgement.grade.is_not(None),
            ModeratedGrade.grade.is_not(None),
            Moderation.completed_at.is_not(None),
            applies_to_audit(),
        )
    )
    return _agreement_filtered(query, filters)


def _completed_moderations(columns, filters: AgreementFilters, *conditions):
    """Completed moderations joined to their audit, within the filters."""
    query = (
        select(*columns)
        .select_from(Moderation)
        .join(CaseAudit, Moderation.audit_id == CaseAudit.id)
        .where(Moderation.completed_at.is_not(None), *conditions)
    )
    return _agreement_filtered(query, filters)


def _grouped_matrices(group_columns, filters: AgreementFilters) -> dict:
    """{group key: 4x4 matrix}, counted in SQL: GROUP BY group, auditor grade, moderator grade."""
    count = func.count()
    query = _pairs([*group_columns, Judgement.grade, ModeratedGrade.grade, count], filters).group_by(
        *group_columns, Judgement.grade, ModeratedGrade.grade
    )
    matrices: dict = {}
    width = len(group_columns)
    for row in db.session.execute(query):
        key = tuple(row[:width]) if width > 1 else (row[0] if width else None)
        auditor_grade, moderator_grade, n = row[width:]
        matrix = matrices.setdefault(key, empty_matrix())
        matrices[key] = add_matrices(matrix, matrix_from_counts([(auditor_grade, moderator_grade, n)]))
    return matrices


def _period_columns(period: str):
    year = extract("year", CaseAudit.submitted_at)
    month = extract("month", CaseAudit.submitted_at)
    if period == "month":
        return [year, month]
    quarter = case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)
    return [year, quarter]


def period_label(period: str, year, part) -> str:
    year, part = int(year), int(part)
    if period == "month":
        return f"{MONTHS[part - 1]} {year}"
    first, last = MONTHS[(part - 1) * 3], MONTHS[(part - 1) * 3 + 2]
    return f"{first} to {last} {year}"


@dataclass
class AgreementReport:
    overall: Agreement
    overall_grade: Agreement
    by_domain: list[Agreement] = field(default_factory=list)
    by_auditor: list[Agreement] = field(default_factory=list)
    by_period: list[Agreement] = field(default_factory=list)
    audits_moderated: int = 0


def _by_domain(filters: AgreementFilters) -> list[Agreement]:
    """In the tool's order of domains."""
    titles, positions = domain_labels(), domain_order()
    matrices = _grouped_matrices([Judgement.domain_key], filters)
    return [
        agreement(titles.get(key, key), matrix)
        for key, matrix in sorted(matrices.items(), key=lambda item: (positions.get(item[0], 999), item[0]))
    ]


def _by_auditor(filters: AgreementFilters) -> list[Agreement]:
    """By the auditor's name."""
    matrices = _grouped_matrices([CaseAudit.auditor_id], filters)
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(list(matrices)))).all())
    return sorted((agreement(names.get(uid, "Unknown"), m) for uid, m in matrices.items()), key=lambda a: a.label)


def _by_period(filters: AgreementFilters) -> list[Agreement]:
    """Month or quarter of submission, oldest first."""
    matrices = _grouped_matrices(_period_columns(filters.period), filters)
    return [
        agreement(period_label(filters.period, year, part), matrix)
        for (year, part), matrix in sorted(matrices.items(), key=lambda item: (int(item[0][0]), int(item[0][1])))
        if year is not None
    ]


def _overall_grade_matrix(filters: AgreementFilters):
    counts = db.session.execute(
        _completed_moderations(
            [CaseAudit.overall_grade, Moderation.overall_grade, func.count()],
            filters,
            CaseAudit.overall_grade.is_not(None),
            Moderation.overall_grade.is_not(None),
        ).group_by(CaseAudit.overall_grade, Moderation.overall_grade)
    ).all()
    return matrix_from_counts(counts)


def _audits_moderated(filters: AgreementFilters) -> int:
    """Audits with a completed moderation that graded them (returned ones are not counted)."""
    graded = [ModerationOutcome.AGREED.value, ModerationOutcome.CHANGED.value]
    count = db.session.scalar(
        _completed_moderations(
            [func.count(func.distinct(Moderation.audit_id))], filters, Moderation.outcome.in_(graded)
        )
    )
    return count or 0


def agreement_report(filters: AgreementFilters) -> AgreementReport:
    return AgreementReport(
        overall=agreement("All graded judgements", _grouped_matrices([], filters).get(None, empty_matrix())),
        overall_grade=agreement("Overall grade of the audit", _overall_grade_matrix(filters)),
        by_domain=_by_domain(filters),
        by_auditor=_by_auditor(filters),
        by_period=_by_period(filters),
        audits_moderated=_audits_moderated(filters),
    )


@dataclass
class ChangedGrade:
    audit_id: int
    case_reference: str  # or, for a supervision audit, the pair (subject_label)
    domain: str
    auditor: str
    moderator: str
    auditor_grade: int
    moderator_grade: int
    rationale: str | None
    moderated_at: object


def _with_people(query, auditor, moderator):
    """The case (none for a supervision audit), and the auditor and moderator (aliases of User)."""
    return (
        query.outerjoin(Case, CaseAudit.case_id == Case.id)
        .join(auditor, CaseAudit.auditor_id == auditor.id)
        .join(moderator, Moderation.moderator_id == moderator.id)
    )


def _changed_domain_grades(filters: AgreementFilters, limit: int) -> list[ChangedGrade]:
    auditor, moderator = db.aliased(User), db.aliased(User)
    titles = domain_labels()
    who = [CaseAudit.id, Case.case_reference, Judgement.domain_key, auditor.display_name, moderator.display_name]
    grades = [Judgement.grade, ModeratedGrade.grade, ModeratedGrade.rationale, Moderation.completed_at]
    rows = db.session.execute(
        _with_people(_pairs([*who, *grades], filters), auditor, moderator)
        .where(Judgement.grade != ModeratedGrade.grade)
        .order_by(Moderation.completed_at.desc(), Judgement.id)
        .limit(limit)
    ).all()
    return [
        ChangedGrade(a, ref, titles.get(key, key), who, mod, ag, mg, why, when)
        for a, ref, key, who, mod, ag, mg, why, when in rows
    ]


def _changed_overall_grades(filters: AgreementFilters, limit: int) -> list[ChangedGrade]:
    auditor, moderator = db.aliased(User), db.aliased(User)
    who = [CaseAudit.id, Case.case_reference, auditor.display_name, moderator.display_name]
    grades = [CaseAudit.overall_grade, Moderation.overall_grade, Moderation.overall_rationale, Moderation.completed_at]
    changed = CaseAudit.overall_grade != Moderation.overall_grade
    query = _completed_moderations([*who, *grades], filters, changed)
    rows = db.session.execute(
        _with_people(query, auditor, moderator).order_by(Moderation.completed_at.desc()).limit(limit)
    ).all()
    return [
        ChangedGrade(a, ref, "Overall grade", who, mod, ag, mg, why, when)
        for a, ref, who, mod, ag, mg, why, when in rows
    ]


def _named_by_subject(changes: list[ChangedGrade]) -> list[ChangedGrade]:
    """Supervision audits (no case reference) named by their pair, in one query for all of them."""
    ids = {c.audit_id for c in changes if c.case_reference is None}
    if not ids:
        return changes
    audits = db.session.scalars(
        select(CaseAudit)
        .where(CaseAudit.id.in_(ids))
        .options(selectinload(CaseAudit.supervisor), selectinload(CaseAudit.supervisee))
    )
    labels = {audit.id: audit.subject_label for audit in audits}
    return [replace(c, case_reference=labels[c.audit_id]) if c.audit_id in labels else c for c in changes]


def changed_grades(filters: AgreementFilters, limit: int = 200) -> list[ChangedGrade]:
    """Grades the moderator changed, with the rationale, most recent first (domains and overall)."""
    changes = _changed_domain_grades(filters, limit) + _changed_overall_grades(filters, limit)
    return _named_by_subject(sorted(changes, key=lambda c: (c.moderated_at, -c.audit_id), reverse=True)[:limit])
