"""Moderation: the submitted audits, random samples, moderating or returning an audit, and the
agreement figures between auditors and moderators. Plain functions over db.session."""

import math
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import case, exists, extract, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..autosave import normalise, save_with_version
from ..changelog import log_change
from ..extensions import db
from ..idempotency import create_once
from ..models import (
    AuditProgramme,
    AuditStatus,
    Case,
    CaseAudit,
    Domain,
    Judgement,
    Locality,
    ModeratedGrade,
    Moderation,
    ModerationDraft,
    ModerationDraftGrade,
    ModerationOutcome,
    ModerationSample,
    User,
)
from ..models.audits import moderation_sample_audit
from ..models.base import utcnow
from ..models.grades import GRADE_LABELS, Grade
from ..parsing import parse_id
from ..permissions import Permission
from ..reporting.queries import domain_labels, domain_order
from .agreement import (
    Agreement,
    add_matrices,
    agreement,
    empty_matrix,
    matrix_from_counts,
)

# --- The list of submitted audits --------------------------------------------------------

STATUS_FILTERS = {
    "submitted": ("Awaiting moderation", [AuditStatus.SUBMITTED.value]),
    "moderated": ("Moderated", [AuditStatus.MODERATED.value]),
    "returned": ("Returned to the auditor", [AuditStatus.RETURNED.value]),
    "all": ("All", [AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value, AuditStatus.RETURNED.value]),
}


@dataclass
class AuditFilters:
    programme_id: int | None = None
    locality_id: int | None = None
    auditor_id: int | None = None
    status: str = "submitted"
    sampled_only: bool = False

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        status = args.get("status", "submitted")
        return cls(
            programme_id=args.get("programme_id", type=parse_id),
            locality_id=args.get("locality_id", type=parse_id),
            auditor_id=args.get("auditor_id", type=parse_id),
            status=status if status in STATUS_FILTERS else "submitted",
            sampled_only=args.get("sampled") == "yes",
        )

    def as_args(self) -> dict:
        args = {
            "programme_id": self.programme_id,
            "locality_id": self.locality_id,
            "auditor_id": self.auditor_id,
            "status": self.status,
            "sampled": "yes" if self.sampled_only else None,
        }
        return {k: v for k, v in args.items() if v}


def _in_a_sample():
    return exists().where(moderation_sample_audit.c.audit_id == CaseAudit.id)


def _filtered(query, filters: AuditFilters, statuses=None):
    query = query.join(Case, CaseAudit.case_id == Case.id).where(
        CaseAudit.status.in_(statuses or STATUS_FILTERS[filters.status][1])
    )
    if filters.programme_id:
        query = query.where(CaseAudit.programme_id == filters.programme_id)
    if filters.locality_id:
        query = query.where(Case.locality_id == filters.locality_id)
    if filters.auditor_id:
        query = query.where(CaseAudit.auditor_id == filters.auditor_id)
    if filters.sampled_only:
        query = query.where(_in_a_sample())
    return query


def audits_for_moderation(filters: AuditFilters, page: int = 1, per_page: int = 50):
    query = (
        _filtered(select(CaseAudit), filters)
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


# --- Samples -----------------------------------------------------------------------------


class SampleError(ValueError):
    pass


def _eligible_query(filters: AuditFilters):
    """Submitted audits not yet in any sample, within the filters."""
    return _filtered(select(CaseAudit.id, CaseAudit.auditor_id), filters, [AuditStatus.SUBMITTED.value]).where(
        ~_in_a_sample()
    )


def sample_size(count: int, share_percent: int) -> int:
    """How many of an auditor's audits a share draws: rounded up, so every auditor is moderated."""
    return min(count, math.ceil(count * share_percent / 100)) if count else 0


def sample_preview(filters: AuditFilters, share_percent: int) -> list[dict]:
    """Per auditor: how many submitted audits could be drawn, and how many the share would draw."""
    eligible = _eligible_query(filters).subquery()
    rows = db.session.execute(
        select(User.id, User.display_name, func.count(eligible.c.id))
        .join(eligible, eligible.c.auditor_id == User.id)
        .group_by(User.id, User.display_name)
        .order_by(User.display_name)
    ).all()
    return [
        {"auditor_id": uid, "auditor": name, "eligible": count, "drawn": sample_size(count, share_percent)}
        for uid, name, count in rows
    ]


def take_sample(share_percent: int, drawn_by: User, filters: AuditFilters, seed: int | None = None) -> ModerationSample:
    """Draw share_percent of each auditor's submitted, unsampled audits at random, and record
    the seed, the share, who drew it and which audits. The same seed over the same audits draws
    the same sample again."""
    if not 1 <= share_percent <= 100:
        raise SampleError("Enter a share between 1 and 100")
    candidates = db.session.execute(_eligible_query(filters).order_by(CaseAudit.auditor_id, CaseAudit.id)).all()
    if not candidates:
        raise SampleError("There are no submitted audits waiting for a sample with these filters")
    seed = secrets.randbelow(2**31) if seed is None else seed
    rng = random.Random(seed)
    by_auditor: dict[int, list[int]] = {}
    for audit_id, auditor_id in candidates:
        by_auditor.setdefault(auditor_id, []).append(audit_id)
    chosen: list[int] = []
    for auditor_id in sorted(by_auditor):
        ids = by_auditor[auditor_id]
        chosen += rng.sample(ids, sample_size(len(ids), share_percent))
    sample = ModerationSample(
        share_percent=share_percent, random_seed=seed, drawn_by_id=drawn_by.id, programme_id=filters.programme_id
    )
    sample.audits = db.session.scalars(select(CaseAudit).where(CaseAudit.id.in_(chosen))).all()
    db.session.add(sample)
    db.session.flush()
    log_change(db.session, sample, "audits", None, ", ".join(str(a) for a in sample.audits))
    db.session.commit()
    return sample


def samples() -> list:
    """Every sample with how many of its audits are still awaiting moderation (counted in SQL)."""
    counts = (
        select(
            moderation_sample_audit.c.sample_id,
            func.count().label("drawn"),
            func.sum(case((CaseAudit.status == AuditStatus.SUBMITTED.value, 1), else_=0)).label("waiting"),
        )
        .join(CaseAudit, CaseAudit.id == moderation_sample_audit.c.audit_id)
        .group_by(moderation_sample_audit.c.sample_id)
        .subquery()
    )
    return db.session.execute(
        select(ModerationSample, counts.c.drawn, counts.c.waiting)
        .outerjoin(counts, counts.c.sample_id == ModerationSample.id)
        .options(joinedload(ModerationSample.drawn_by))
        .order_by(ModerationSample.created_at.desc(), ModerationSample.id.desc())
    ).all()


def sample_audits(sample: ModerationSample) -> list[CaseAudit]:
    return db.session.scalars(
        select(CaseAudit)
        .join(moderation_sample_audit, moderation_sample_audit.c.audit_id == CaseAudit.id)
        .where(moderation_sample_audit.c.sample_id == sample.id)
        .options(joinedload(CaseAudit.case), joinedload(CaseAudit.auditor))
        .order_by(CaseAudit.id)
    ).all()


def awaiting_in_samples(user: User, limit: int = 5):
    """Sampled audits still waiting for moderation by this person: how many, and the oldest few. Their own
    audits are left out: moderators never moderate their own (check_may_moderate)."""
    query = select(CaseAudit).where(
        CaseAudit.status == AuditStatus.SUBMITTED.value, _in_a_sample(), CaseAudit.auditor_id != user.id
    )
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    first = db.session.scalars(
        query.options(joinedload(CaseAudit.case), joinedload(CaseAudit.auditor))
        .order_by(CaseAudit.submitted_at, CaseAudit.id)
        .limit(limit)
    ).all()
    return count, first


# --- Moderating one audit ------------------------------------------------------------------


class ModerationConflict(Exception):
    """The audit is no longer waiting for moderation (someone else moderated or returned it)."""


def check_may_moderate(audit: CaseAudit, user: User) -> None:
    """Moderators never moderate their own audits."""
    if not user.can(Permission.MODERATE_AUDITS) or audit.auditor_id == user.id:
        abort(403)


def graded_judgements(audit: CaseAudit) -> list[Judgement]:
    """The auditor's graded judgements in the tool's order (domain, then question)."""
    from ..models import Question

    return db.session.scalars(
        select(Judgement)
        .join(Question, Judgement.question_id == Question.id)
        .join(Domain, Question.domain_id == Domain.id)
        .where(Judgement.audit_id == audit.id, Judgement.grade.is_not(None))
        .options(joinedload(Judgement.question).joinedload(Question.domain))
        .order_by(Domain.position, Question.position, Judgement.id)
    ).all()


def completed_moderation(audit: CaseAudit) -> Moderation | None:
    return db.session.scalar(
        select(Moderation)
        .where(Moderation.audit_id == audit.id, Moderation.completed_at.is_not(None))
        .options(selectinload(Moderation.grades), joinedload(Moderation.moderator))
        .order_by(Moderation.completed_at.desc(), Moderation.id.desc())
        .limit(1)
    )


def moderations_of(audit: CaseAudit) -> list[Moderation]:
    return db.session.scalars(
        select(Moderation)
        .where(Moderation.audit_id == audit.id, Moderation.completed_at.is_not(None))
        .options(joinedload(Moderation.moderator))
        .order_by(Moderation.completed_at, Moderation.id)
    ).all()


def _latest_sample_id(audit: CaseAudit) -> int | None:
    return db.session.scalar(
        select(func.max(moderation_sample_audit.c.sample_id)).where(moderation_sample_audit.c.audit_id == audit.id)
    )


@dataclass
class GradeDecision:
    grade: int | None
    rationale: str | None = None


def moderation_errors(audit: CaseAudit, decisions: dict[int, GradeDecision], overall: GradeDecision) -> dict[str, str]:
    """Every graded judgement needs the moderator's grade, and a rationale where it differs.
    Keys are the form's field names."""
    errors: dict[str, str] = {}
    for judgement in graded_judgements(audit):
        decision = decisions.get(judgement.id) or GradeDecision(None)
        title = judgement.question.domain.title
        if decision.grade not in {g.value for g in Grade}:
            errors[f"grade_{judgement.id}"] = f"Select your grade for {title}"
        elif decision.grade != judgement.grade and not (decision.rationale or "").strip():
            errors[f"rationale_{judgement.id}"] = f"Explain why you changed the grade for {title}"
    if overall.grade not in {g.value for g in Grade}:
        errors["overall_grade"] = "Select your overall grade"
    elif overall.grade != audit.overall_grade and not (overall.rationale or "").strip():
        errors["overall_rationale"] = "Explain why you changed the overall grade"
    return errors


# --- The draft: what the moderator has typed so far, saved by autosave ----------------------

DRAFT_FIELDS = ("overall_grade", "overall_rationale", "comments_for_auditor")


def draft_for(audit: CaseAudit, moderator: User) -> ModerationDraft | None:
    return db.session.scalar(
        select(ModerationDraft)
        .where(ModerationDraft.audit_id == audit.id, ModerationDraft.moderator_id == moderator.id)
        .options(selectinload(ModerationDraft.grades))
    )


def draft_values(draft: ModerationDraft) -> dict:
    """The draft in the moderation form's field names."""
    values = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    for grade in draft.grades:
        values[f"grade_{grade.judgement_id}"] = grade.grade
        values[f"rationale_{grade.judgement_id}"] = grade.rationale
    return values


def _grade_or_none(value) -> int | None:
    """A grade the form offers, or None: autosave keeps everything else typed when one value is not a grade."""
    grade = parse_id(value)
    return grade if grade in {g.value for g in Grade} else None


def draft_changes(judgements: list[Judgement], form) -> dict:
    """What the form sent, in its field names: grades as numbers, text as typed ("" is None)."""
    changes = {
        "overall_grade": _grade_or_none(form.get("overall_grade")),
        "overall_rationale": form.get("overall_rationale") or None,
        "comments_for_auditor": form.get("comments_for_auditor") or None,
    }
    for judgement in judgements:
        changes[f"grade_{judgement.id}"] = _grade_or_none(form.get(f"grade_{judgement.id}"))
        changes[f"rationale_{judgement.id}"] = form.get(f"rationale_{judgement.id}") or None
    return changes


def _apply_draft(draft: ModerationDraft, changes: dict) -> None:
    for name in DRAFT_FIELDS:
        setattr(draft, name, changes[name])
    by_judgement = {g.judgement_id: g for g in draft.grades}
    for name, value in changes.items():
        prefix, _, judgement_id = name.partition("_")
        if prefix not in ("grade", "rationale"):
            continue
        row = by_judgement.get(int(judgement_id))
        if row is None:
            row = by_judgement[int(judgement_id)] = ModerationDraftGrade(judgement_id=int(judgement_id))
            draft.grades.append(row)
        setattr(row, prefix, value)


def draft_labels(judgements: list[Judgement]) -> dict[str, str]:
    labels = {
        "overall_grade": "Your overall grade",
        "overall_rationale": "Rationale for the overall grade",
        "comments_for_auditor": "Comments for the auditor",
    }
    for judgement in judgements:
        title = f"{judgement.question.domain.title}: {judgement.question.text}"
        labels[f"grade_{judgement.id}"] = f"Your grade for {title}"
        labels[f"rationale_{judgement.id}"] = f"Rationale for {title}"
    return labels


def _display_draft(name: str, value) -> str:
    if name.endswith("grade") or name.startswith("grade_"):
        return GRADE_LABELS.get(value, "(blank)") if value is not None else "(blank)"
    return normalise(value) or "(blank)"


def save_draft(audit: CaseAudit, moderator: User, judgements: list[Judgement], form, client_version):
    """Save what the moderator has typed into their draft of this audit's moderation, through the audit
    form's optimistic-locking save: a copy older than the stored draft (another tab) is refused with
    both values (audit_app/autosave.py). The first save makes the draft."""
    check_may_moderate(audit, moderator)
    if audit.status != AuditStatus.SUBMITTED:
        raise ModerationConflict(audit.status)
    draft = draft_for(audit, moderator)
    if draft is None:
        draft, created = create_once(
            ModerationDraft,
            lambda: _new_draft(audit, moderator),
            find_existing=lambda: draft_for(audit, moderator),
        )
        if created and normalise(client_version) in ("", "0"):
            client_version = draft.version  # the page was opened before any draft: this save is the first
    changes = draft_changes(judgements, form)
    return save_with_version(
        draft,
        client_version,
        changes,
        apply=_apply_draft,
        current=lambda record: {name: draft_values(record).get(name) for name in changes},
        labels=draft_labels(judgements),
        display=_display_draft,
    )


def _new_draft(audit: CaseAudit, moderator: User) -> ModerationDraft:
    draft = ModerationDraft(audit=audit, moderator=moderator)
    db.session.add(draft)
    return draft


def discard_drafts(audit: CaseAudit) -> None:
    """Once the audit is moderated or returned, every draft of its moderation goes (each in the change log)."""
    for draft in db.session.scalars(select(ModerationDraft).where(ModerationDraft.audit_id == audit.id)):
        db.session.delete(draft)


def moderate(
    audit: CaseAudit,
    moderator: User,
    decisions: dict[int, GradeDecision],
    overall: GradeDecision,
    comments_for_auditor: str | None = None,
) -> Moderation:
    """Record the moderator's grades beside the auditor's (never over them). The outcome is
    'agreed' when every grade matches, otherwise 'changed'. The audit becomes 'moderated'."""
    check_may_moderate(audit, moderator)
    if audit.status != AuditStatus.SUBMITTED:
        raise ModerationConflict(audit.status)
    errors = moderation_errors(audit, decisions, overall)
    if errors:
        raise ValueError(errors)
    judgements = graded_judgements(audit)
    changed = overall.grade != audit.overall_grade or any(decisions[j.id].grade != j.grade for j in judgements)
    moderation = Moderation(
        audit=audit,
        moderator=moderator,
        sample_id=_latest_sample_id(audit),
        outcome=(ModerationOutcome.CHANGED if changed else ModerationOutcome.AGREED).value,
        overall_grade=overall.grade,
        overall_rationale=(overall.rationale or "").strip() or None,
        comments_for_auditor=(comments_for_auditor or "").strip() or None,
        completed_at=utcnow(),
    )
    for judgement in judgements:
        decision = decisions[judgement.id]
        moderation.grades.append(
            ModeratedGrade(
                judgement=judgement, grade=decision.grade, rationale=(decision.rationale or "").strip() or None
            )
        )
    db.session.add(moderation)
    discard_drafts(audit)
    audit.status = AuditStatus.MODERATED.value
    from ..practitioners.services import share_audit  # imported when used: practitioners build on moderation

    share_audit(audit)  # shared once moderated when SHARE_AUDITS_WHEN=moderated (once per audit either way)
    db.session.commit()  # the audit's version column refuses a concurrent moderation (StaleDataError)
    return moderation


def return_to_auditor(audit: CaseAudit, moderator: User, comments: str, about: Iterable[int] = ()) -> Moderation:
    """Send the audit back to its auditor with comments; they edit it and submit it again. `about`: the ids of
    the judgements the comments are about, kept as moderated grades without a grade (returned_about reads them)."""
    check_may_moderate(audit, moderator)
    if audit.status != AuditStatus.SUBMITTED:
        raise ModerationConflict(audit.status)
    if not (comments or "").strip():
        raise ValueError({"comments": "Tell the auditor what to change"})
    moderation = Moderation(
        audit=audit,
        moderator=moderator,
        sample_id=_latest_sample_id(audit),
        outcome=ModerationOutcome.RETURNED.value,
        comments_for_auditor=comments.strip(),
        completed_at=utcnow(),
        grades=[ModeratedGrade(judgement=j) for j in graded_judgements(audit) if j.id in set(about)],
    )
    db.session.add(moderation)
    discard_drafts(audit)
    audit.status = AuditStatus.RETURNED.value
    db.session.commit()
    return moderation


# --- Agreement -------------------------------------------------------------------------------

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

    @classmethod
    def from_args(cls, args) -> "AgreementFilters":
        period = args.get("period", "quarter")
        return cls(
            programme_id=args.get("programme_id", type=parse_id),
            locality_id=args.get("locality_id", type=parse_id),
            period=period if period in PERIODS else "quarter",
        )


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
        )
    )
    return _agreement_filtered(query, filters)


def _agreement_filtered(query, filters: AgreementFilters):
    if filters.programme_id:
        query = query.where(CaseAudit.programme_id == filters.programme_id)
    if filters.locality_id:
        query = query.where(CaseAudit.case_id.in_(select(Case.id).where(Case.locality_id == filters.locality_id)))
    return query


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


def agreement_report(filters: AgreementFilters) -> AgreementReport:
    overall = _grouped_matrices([], filters).get(None, empty_matrix())

    titles, positions = domain_labels(), domain_order()
    by_domain = _grouped_matrices([Judgement.domain_key], filters)
    domains = [
        agreement(titles.get(key, key), matrix)
        for key, matrix in sorted(by_domain.items(), key=lambda item: (positions.get(item[0], 999), item[0]))
    ]

    by_auditor = _grouped_matrices([CaseAudit.auditor_id], filters)
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(list(by_auditor)))).all())
    auditors = sorted((agreement(names.get(uid, "Unknown"), m) for uid, m in by_auditor.items()), key=lambda a: a.label)

    by_period = _grouped_matrices(_period_columns(filters.period), filters)
    periods = [
        agreement(period_label(filters.period, year, part), matrix)
        for (year, part), matrix in sorted(by_period.items(), key=lambda item: (int(item[0][0]), int(item[0][1])))
        if year is not None
    ]

    overall_counts = db.session.execute(
        _agreement_filtered(
            select(CaseAudit.overall_grade, Moderation.overall_grade, func.count())
            .select_from(Moderation)
            .join(CaseAudit, Moderation.audit_id == CaseAudit.id)
            .where(
                Moderation.completed_at.is_not(None),
                CaseAudit.overall_grade.is_not(None),
                Moderation.overall_grade.is_not(None),
            ),
            filters,
        ).group_by(CaseAudit.overall_grade, Moderation.overall_grade)
    ).all()
    audits_moderated = db.session.scalar(
        _agreement_filtered(
            select(func.count(func.distinct(Moderation.audit_id)))
            .select_from(Moderation)
            .join(CaseAudit, Moderation.audit_id == CaseAudit.id)
            .where(
                Moderation.completed_at.is_not(None),
                Moderation.outcome.in_([ModerationOutcome.AGREED.value, ModerationOutcome.CHANGED.value]),
            ),
            filters,
        )
    )
    return AgreementReport(
        overall=agreement("All graded judgements", overall),
        overall_grade=agreement("Overall grade of the audit", matrix_from_counts(overall_counts)),
        by_domain=domains,
        by_auditor=auditors,
        by_period=periods,
        audits_moderated=audits_moderated or 0,
    )


@dataclass
class ChangedGrade:
    audit_id: int
    case_reference: str
    domain: str
    auditor: str
    moderator: str
    auditor_grade: int
    moderator_grade: int
    rationale: str | None
    moderated_at: object


def changed_grades(filters: AgreementFilters, limit: int = 200) -> list[ChangedGrade]:
    """Grades the moderator changed, with the rationale, most recent first (domains and overall)."""
    auditor, moderator = db.aliased(User), db.aliased(User)
    titles = domain_labels()
    domain_rows = db.session.execute(
        _pairs(
            [
                CaseAudit.id,
                Case.case_reference,
                Judgement.domain_key,
                auditor.display_name,
                moderator.display_name,
                Judgement.grade,
                ModeratedGrade.grade,
                ModeratedGrade.rationale,
                Moderation.completed_at,
            ],
            filters,
        )
        .join(Case, CaseAudit.case_id == Case.id)
        .join(auditor, CaseAudit.auditor_id == auditor.id)
        .join(moderator, Moderation.moderator_id == moderator.id)
        .where(Judgement.grade != ModeratedGrade.grade)
        .order_by(Moderation.completed_at.desc(), Judgement.id)
        .limit(limit)
    ).all()
    overall_rows = db.session.execute(
        _agreement_filtered(
            select(
                CaseAudit.id,
                Case.case_reference,
                auditor.display_name,
                moderator.display_name,
                CaseAudit.overall_grade,
                Moderation.overall_grade,
                Moderation.overall_rationale,
                Moderation.completed_at,
            )
            .select_from(Moderation)
            .join(CaseAudit, Moderation.audit_id == CaseAudit.id)
            .join(Case, CaseAudit.case_id == Case.id)
            .join(auditor, CaseAudit.auditor_id == auditor.id)
            .join(moderator, Moderation.moderator_id == moderator.id)
            .where(Moderation.completed_at.is_not(None), CaseAudit.overall_grade != Moderation.overall_grade)
            .order_by(Moderation.completed_at.desc())
            .limit(limit),
            filters,
        )
    ).all()
    changes = [
        ChangedGrade(a, ref, titles.get(key, key), who, mod, ag, mg, why, when)
        for a, ref, key, who, mod, ag, mg, why, when in domain_rows
    ] + [
        ChangedGrade(a, ref, "Overall grade", who, mod, ag, mg, why, when)
        for a, ref, who, mod, ag, mg, why, when in overall_rows
    ]
    return sorted(changes, key=lambda c: (c.moderated_at, -c.audit_id), reverse=True)[:limit]
