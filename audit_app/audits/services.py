"""Case audits: My audits, the audit form (one domain per page, autosaved), check your answers,
submit, and the audit's history. Plain functions over db.session; routes call them.

Form field names (the same in the page, the autosave POST and the conflict message):
    q<question id>-grade     "1".."4" or "na"          (grade questions)
    q<question id>-answer    "yes" / "no" / "not_applicable"
    q<question id>-text      free text                 (text questions)
    q<question id>-evidence  the evidence behind the judgement
    q<question id>-themes    theme ids (checkboxes)
    and on the last page ("overall"): overall_grade, strengths, areas_for_improvement,
    audited_alongside_worker, child_and_family_feedback, child_not_safe
"""
from dataclasses import dataclass, field
from datetime import date

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..changelog import log_change
from ..extensions import db
from ..history import HistoryRow, field_words, record_history
from ..models import (
    AuditStatus,
    Case,
    CaseAudit,
    ChangeLog,
    Domain,
    FollowUp,
    Grade,
    Judgement,
    ModeratedGrade,
    Moderation,
    ModerationOutcome,
    Question,
    ResponseType,
    Theme,
    ToolVersion,
)
from ..models.base import utcnow
from ..models.grades import GRADE_LABELS
from ..parsing import parse_ids
from ..permissions import Permission
from ..followups import services as followups
from .conflicts import SaveResult, save_with_version

OVERALL = "overall"
EVIDENCE_MAX = 3000
TEXT_MAX = 5000
EDITABLE = {AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS, AuditStatus.RETURNED}

GRADE_DESCRIPTORS = {
    Grade.OUTSTANDING: "Practice is consistently strong and makes a real difference; it could be shared as an example.",
    Grade.GOOD: "Practice meets the expected standard: the child's needs are understood and met in a timely way.",
    Grade.REQUIRES_IMPROVEMENT: "Practice is not yet good: there are gaps, but the child is not left at risk of harm.",
    Grade.INADEQUATE: "Practice is weak and the child may be at risk or left without help: needs immediate follow-up.",
}
ANSWER_LABELS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"}
OVERALL_FIELDS = {
    "overall_grade": "Overall grade",
    "strengths": "Strengths",
    "areas_for_improvement": "Areas for improvement",
    "audited_alongside_worker": "Was the audit done alongside the worker?",
    "child_and_family_feedback": "What the child and family said",
    "child_not_safe": "Is the child safe?",
}


# --- Access -------------------------------------------------------------------------------


def get_audit(audit_id: int, user, *, edit: bool = False) -> CaseAudit:
    """The audit, if this person may open it: the assigned auditor always; to read, anyone who sees
    all audits. Otherwise 403 (404 when there is no such audit)."""
    audit = db.get_or_404(CaseAudit, audit_id)
    if audit.auditor_id == user.id:
        if edit and not is_editable(audit):
            raise NotEditable(audit)
        return audit
    if not edit and user.can(Permission.VIEW_ALL_AUDITS):
        return audit
    abort(403)


class NotEditable(Exception):
    """The auditor opened the form of an audit already submitted (routes show the audit instead)."""

    def __init__(self, audit):
        super().__init__(f"Audit {audit.id} is {audit.status}")
        self.audit = audit


def is_editable(audit: CaseAudit) -> bool:
    return audit.status in EDITABLE


# --- My audits ----------------------------------------------------------------------------


@dataclass
class MyAudits:
    to_do: list = field(default_factory=list)
    in_progress: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    submitted: list = field(default_factory=list)


def my_audits(user) -> MyAudits:
    rows = db.session.scalars(
        select(CaseAudit)
        .where(CaseAudit.auditor_id == user.id)
        .options(  # everything the list shows, in a few queries rather than a few per audit
            selectinload(CaseAudit.case).selectinload(Case.team),
            selectinload(CaseAudit.programme),
            selectinload(CaseAudit.tool_version).selectinload(ToolVersion.domains).selectinload(Domain.questions),
            selectinload(CaseAudit.judgements).selectinload(Judgement.themes),  # for where each one resumes
        )
        .order_by(CaseAudit.due_date.is_(None), CaseAudit.due_date, CaseAudit.id)
    ).all()
    result = MyAudits()
    groups = {
        AuditStatus.NOT_STARTED: result.to_do,
        AuditStatus.IN_PROGRESS: result.in_progress,
        AuditStatus.RETURNED: result.returned,
        AuditStatus.SUBMITTED: result.submitted,
        AuditStatus.MODERATED: result.submitted,
    }
    for audit in rows:
        groups[AuditStatus(audit.status)].append(audit)
    result.submitted.sort(key=lambda a: a.submitted_at or utcnow(), reverse=True)
    return result


def is_overdue(audit: CaseAudit, today: date | None = None) -> bool:
    return audit.status in EDITABLE and audit.due_date is not None and audit.due_date < (today or date.today())


def returned_comments(audit: CaseAudit) -> Moderation | None:
    """The moderation that returned the audit to its auditor, with the moderator's comments."""
    return db.session.scalar(
        select(Moderation)
        .where(Moderation.audit_id == audit.id, Moderation.outcome == ModerationOutcome.RETURNED.value)
        .order_by(Moderation.id.desc())
        .limit(1)
    )


def returned_about(moderation: Moderation | None) -> list["Problem"]:
    """The questions a returning moderator's comments are about (moderated grades without a grade), in the
    tool's order, each with its page and field so the auditor can go straight to it."""
    judgements = sorted(
        (g.judgement for g in (moderation.grades if moderation else []) if g.grade is None),
        key=lambda j: (j.question.domain.position, j.question.position),
    )
    return [
        Problem(j.question.domain.key, question_fields(j.question)[0], f"{j.question.domain.title}: {j.question.text}")
        for j in judgements
    ]


# --- Pages and fields ---------------------------------------------------------------------


@dataclass
class Page:
    key: str
    title: str
    description: str | None
    questions: list
    status: str = "not_started"  # not_started / in_progress / completed


def pages(audit: CaseAudit) -> list[Page]:
    result = [Page(d.key, d.title, d.description, list(d.questions)) for d in audit.tool_version.domains]
    result.append(Page(OVERALL, "Overall judgement", "Strengths, areas for improvement, the family's views and the overall grade.", []))
    problems = validate(audit, include_follow_up=False)
    by_page = {}
    for p in problems:
        by_page.setdefault(p.page, []).append(p)
    values = current_values(audit)
    for page in result:
        names = page_fields(page)
        answered = any(values.get(n) for n in names if not n.endswith("-themes") and n != "child_not_safe")
        if not answered:
            page.status = "not_started"
        elif by_page.get(page.key):
            page.status = "in_progress"
        else:
            page.status = "completed"
    return result


def page_for(audit: CaseAudit, key: str) -> Page | None:
    return next((p for p in pages(audit) if p.key == key), None)


def next_page_key(audit: CaseAudit, key: str) -> str | None:
    keys = [d.key for d in audit.tool_version.domains] + [OVERALL]
    index = keys.index(key) if key in keys else -1
    return keys[index + 1] if 0 <= index < len(keys) - 1 else None


def question_fields(question: Question) -> list[str]:
    q = f"q{question.id}"
    if question.response_type == ResponseType.TEXT:
        return [f"{q}-text"]
    first = f"{q}-grade" if question.response_type == ResponseType.GRADE else f"{q}-answer"
    return [first, f"{q}-evidence", f"{q}-themes"]


def page_fields(page: Page) -> list[str]:
    if page.key == OVERALL:
        return list(OVERALL_FIELDS)
    return [name for q in page.questions for name in question_fields(q)]


def _judgements(audit: CaseAudit) -> dict[int, Judgement]:
    return {j.question_id: j for j in audit.judgements}


def current_values(audit: CaseAudit) -> dict:
    """Every form field's value as stored, in the form's own terms."""
    values = {}
    judgements = _judgements(audit)
    for domain in audit.tool_version.domains:
        for question in domain.questions:
            j = judgements.get(question.id)
            q = f"q{question.id}"
            if question.response_type == ResponseType.GRADE:
                values[f"{q}-grade"] = (str(j.grade) if j and j.grade else ("na" if j and j.answer == "not_applicable" else ""))
            elif question.response_type == ResponseType.YES_NO:
                values[f"{q}-answer"] = (j.answer if j else "") or ""
            if question.response_type == ResponseType.TEXT:
                values[f"{q}-text"] = (j.text if j else "") or ""
            else:
                values[f"{q}-evidence"] = (j.evidence if j else "") or ""
                values[f"{q}-themes"] = [str(t.id) for t in j.themes] if j else []
    values["overall_grade"] = str(audit.overall_grade) if audit.overall_grade else ""
    values["strengths"] = audit.strengths or ""
    values["areas_for_improvement"] = audit.areas_for_improvement or ""
    values["audited_alongside_worker"] = "" if audit.audited_alongside_worker is None else ("yes" if audit.audited_alongside_worker else "no")
    values["child_and_family_feedback"] = audit.child_and_family_feedback or ""
    values["child_not_safe"] = "yes" if audit.child_not_safe else ""
    return values


def changes_from_form(page: Page, form) -> dict:
    """The page's fields from a submitted form (a MultiDict); missing radios and checkboxes are empty."""
    changes = {}
    for name in page_fields(page):
        if name.endswith("-themes"):
            changes[name] = [str(v) for v in parse_ids(form.getlist(name))]
        else:
            changes[name] = (form.get(name) or "").replace("\r\n", "\n").strip()
    return changes


def _grade(value: str) -> int | None:
    return int(value) if value in {"1", "2", "3", "4"} else None


def apply_changes(audit: CaseAudit, changes: dict) -> None:
    judgements = _judgements(audit)
    questions = {q.id: q for d in audit.tool_version.domains for q in d.questions}
    theme_ids = {v for name, values in changes.items() if name.endswith("-themes") for v in parse_ids(values)}
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids or {0})))}
    for name, value in changes.items():
        if name in OVERALL_FIELDS:
            if name == "overall_grade":
                audit.overall_grade = _grade(value)
            elif name == "audited_alongside_worker":
                audit.audited_alongside_worker = {"yes": True, "no": False}.get(value)
            elif name == "child_not_safe":
                audit.child_not_safe = value == "yes"
            else:
                setattr(audit, name, value[:TEXT_MAX] or None)
            continue
        prefix, kind = name.split("-", 1)
        question = questions.get(int(prefix[1:]))
        if question is None:
            continue
        j = judgements.get(question.id)
        if j is None:
            if not (value if not isinstance(value, list) else value):
                continue
            j = Judgement(audit=audit, question=question, domain_key=question.domain.key)
            db.session.add(j)
            judgements[question.id] = j
        if kind == "grade":
            j.grade = _grade(value)
            j.answer = "not_applicable" if value == "na" and question.allow_not_applicable else None
        elif kind == "answer":
            j.answer = value if value in ANSWER_LABELS and (value != "not_applicable" or question.allow_not_applicable) else None
        elif kind == "text":
            j.text = value[:TEXT_MAX] or None
        elif kind == "evidence":
            j.evidence = value[:TEXT_MAX] or None
        elif kind == "themes":
            wanted = [themes[v] for v in parse_ids(value) if v in themes]
            old = ", ".join(sorted(t.name for t in j.themes))
            new = ", ".join(sorted(t.name for t in wanted))
            if old != new:
                if j.id is None:
                    db.session.flush()
                log_change(db.session, j, "themes", old or None, new or None)
                j.themes = sorted(wanted, key=lambda t: t.name)


def labels_for(audit: CaseAudit) -> dict[str, str]:
    labels = dict(OVERALL_FIELDS)
    for domain in audit.tool_version.domains:
        for q in domain.questions:
            base = f"{domain.title}: {q.text}"
            for name in question_fields(q):
                kind = name.split("-", 1)[1]
                labels[name] = base if kind in ("grade", "answer", "text") else f"{base} ({kind})"
    return labels


def display_value(name: str, value) -> str:
    if isinstance(value, list):
        ids = parse_ids(value)
        names = db.session.scalars(select(Theme.name).where(Theme.id.in_(ids or [0])).order_by(Theme.name)).all()
        return ", ".join(names) or "(none)"
    if name.endswith("-grade") or name == "overall_grade":
        return GRADE_LABELS.get(_grade(str(value or "")), "Not applicable" if value == "na" else "(blank)")
    if name.endswith("-answer") or name in ("audited_alongside_worker",):
        return ANSWER_LABELS.get(value or "", "(blank)")
    if name == "child_not_safe":
        return "Not safe" if value == "yes" else "No safety concern flagged"
    return str(value or "") or "(blank)"


def save_page(audit: CaseAudit, page_key: str, form, client_version) -> SaveResult:
    """Save one page of the audit with the version the person's form was rendered with."""
    page = page_for(audit, page_key)
    if page is None:
        abort(404)
    changes = changes_from_form(page, form)

    def apply(record, values):
        apply_changes(record, values)
        if record.status == AuditStatus.NOT_STARTED:
            record.status = AuditStatus.IN_PROGRESS.value
            record.started_at = utcnow()
        record.last_domain_key = page_key

    def read(record):
        values = current_values(record)
        return {name: values.get(name) for name in changes}

    return save_with_version(audit, client_version, changes, apply=apply, current=read, labels=labels_for(audit), display=display_value)


def remember_page(audit: CaseAudit, page_key: str) -> None:
    """Where the person is, so coming back resumes there (no version change: it is not an answer)."""
    if audit.last_domain_key != page_key and is_editable(audit):
        db.session.execute(
            CaseAudit.__table__.update().where(CaseAudit.id == audit.id).values(last_domain_key=page_key)
        )
        db.session.commit()
        db.session.refresh(audit)


def resume_page_key(audit: CaseAudit) -> str | None:
    """Where coming back to the audit starts: the first section not yet completed (None when all are)."""
    return next((page.key for page in pages(audit) if page.status != "completed"), None)


def themes_for_form() -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(Theme.is_active.is_(True), Theme.merged_into_id.is_(None)).order_by(Theme.name)))


# --- Validation and submission --------------------------------------------------------------


@dataclass
class Problem:
    page: str
    field: str  # the id of the field on its page
    message: str


def validate(audit: CaseAudit, include_follow_up: bool = True) -> list[Problem]:
    problems = []
    judgements = _judgements(audit)
    for domain in audit.tool_version.domains:
        for q in domain.questions:
            j = judgements.get(q.id)
            field = f"q{q.id}"
            short = q.text.rstrip("?")
            if q.response_type == ResponseType.GRADE:
                na = j is not None and j.answer == "not_applicable"
                if q.required and (j is None or (j.grade is None and not na)):
                    problems.append(Problem(domain.key, f"{field}-grade", f"{domain.title}: select a grade for “{short}”"))
                needs_evidence = j is not None and (j.grade in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE) or (q.evidence_required and j.grade))
                if needs_evidence and not (j.evidence or "").strip():
                    problems.append(Problem(domain.key, f"{field}-evidence", f"{domain.title}: enter the evidence for the grade given to “{short}”"))
            elif q.response_type == ResponseType.YES_NO:
                if q.required and (j is None or not j.answer):
                    problems.append(Problem(domain.key, f"{field}-answer", f"{domain.title}: answer “{short}”"))
                if j is not None and q.evidence_required and j.answer in ("yes", "no") and not (j.evidence or "").strip():
                    problems.append(Problem(domain.key, f"{field}-evidence", f"{domain.title}: enter the evidence for “{short}”"))
            elif q.required and (j is None or not (j.text or "").strip()):
                problems.append(Problem(domain.key, f"{field}-text", f"{domain.title}: answer “{short}”"))
            if j is not None and len(j.evidence or "") > EVIDENCE_MAX:
                problems.append(Problem(domain.key, f"{field}-evidence", f"{domain.title}: evidence must be {EVIDENCE_MAX} characters or fewer"))
    if audit.overall_grade is None:
        problems.append(Problem(OVERALL, "overall_grade", "Select an overall grade"))
    elif audit.overall_grade in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE) and not (audit.areas_for_improvement or "").strip():
        problems.append(Problem(OVERALL, "areas_for_improvement", "Enter the areas for improvement behind the overall grade"))
    if audit.audited_alongside_worker is None:
        problems.append(Problem(OVERALL, "audited_alongside_worker", "Select whether the audit was done alongside the worker"))
    if include_follow_up and followups.missing_follow_up(audit):
        problems.append(Problem("follow_up", "follow_up-action_required", "Add a follow-up: an Inadequate judgement or a child not safe cannot be submitted without one"))
    return problems


def answered_page_problems(audit: CaseAudit, page_key: str) -> list[Problem]:
    """What is wrong with answers already given on one page (evidence missing for a grade, areas
    for improvement missing for the overall grade), said as the auditor saves rather than at
    submission. Questions not yet answered are left to "Check your answers"."""
    return [p for p in validate(audit, include_follow_up=False) if p.page == page_key and _says_inline(p.field)]


def _says_inline(name: str) -> bool:
    return name.endswith("-evidence") or name == "areas_for_improvement"


def inline_hint_fields(page: Page) -> list[str]:
    """The page's fields that say beside them what they still need (answered_page_problems)."""
    return [name for name in page_fields(page) if _says_inline(name)]


def submit(audit: CaseAudit, client_version) -> list[Problem]:
    """Submit, if every check passes. A repeated submit (double tap, retry) changes nothing."""
    if audit.status in (AuditStatus.SUBMITTED, AuditStatus.MODERATED):
        return []
    problems = validate(audit)
    if problems:
        return problems
    result = save_with_version(
        audit,
        client_version,
        {"status": AuditStatus.SUBMITTED.value},
        apply=lambda record, _: (setattr(record, "status", AuditStatus.SUBMITTED.value), setattr(record, "submitted_at", utcnow())),
        labels={"status": "Status"},
    )
    if not result.saved:
        return [Problem("check", "submit", "This audit was changed somewhere else after you opened this page. Check the answers below, then submit again.")]
    return []


# --- Check your answers ---------------------------------------------------------------------


def answers(audit: CaseAudit) -> list[dict]:
    """Per page, each question with its answer as people read it, for check-your-answers and the view."""
    values = current_values(audit)
    result = []
    judgements = _judgements(audit)
    for domain in audit.tool_version.domains:
        rows = []
        for q in domain.questions:
            j = judgements.get(q.id)
            name = question_fields(q)[0]
            rows.append(
                {
                    "question": q,
                    "field": name,
                    "answer": display_value(name, values.get(name)) if values.get(name) else "Not answered",
                    "evidence": (j.evidence if j else None),
                    "themes": [t.name for t in j.themes] if j else [],
                    "grade": j.grade if j else None,
                }
            )
        result.append({"key": domain.key, "title": domain.title, "rows": rows})
    return result


# --- History ---------------------------------------------------------------------------------

AUDIT_RECORD_LABELS = {"case_audit": "Audit", "follow_up": "Follow-up", "moderation": "Moderation", "moderated_grade": "Moderated grade"}


def history(audit: CaseAudit) -> list[HistoryRow]:
    """Every recorded change to the audit, its judgements, follow-ups and moderations, newest first.
    The audit page and the moderation page both show this."""
    moderation_ids = select(Moderation.id).where(Moderation.audit_id == audit.id)
    sources = [
        ("case_audit", audit.id),
        ("judgement", select(Judgement.id).where(Judgement.audit_id == audit.id)),
        ("follow_up", select(FollowUp.id).where(FollowUp.audit_id == audit.id)),
        ("moderation", moderation_ids),
        ("moderated_grade", select(ModeratedGrade.id).where(ModeratedGrade.moderation_id.in_(moderation_ids))),
    ]
    # A judgement is named by its question, so a reader knows which of many judgements changed.
    questions = {
        judgement_id: f"{domain}: {question}"
        for judgement_id, domain, question in db.session.execute(
            select(Judgement.id, Domain.title, Question.text)
            .select_from(Judgement)
            .join(Question, Question.id == Judgement.question_id)
            .join(Domain, Domain.id == Question.domain_id)
            .where(Judgement.audit_id == audit.id)
        )
    }

    def describe(change: ChangeLog) -> str:
        if change.record_type == "judgement":
            record = questions.get(change.record_id, "Judgement")
        else:
            record = AUDIT_RECORD_LABELS.get(change.record_type, change.record_type)
        return f"{record}: {field_words(change)}"

    return record_history(sources, describe)


def status_counts(programme_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(CaseAudit.status, func.count(CaseAudit.id)).where(CaseAudit.programme_id == programme_id).group_by(CaseAudit.status)
    ).all()
    return {status: count for status, count in rows}
