"""Validation and submission, and the questions a moderator returned the audit about."""

from datetime import date

from sqlalchemy import select

from ...autosave import Problem, save_with_version
from ...extensions import db
from ...followups import services as followups
from ...models import AuditStatus, CaseAudit, Grade, Moderation, ModerationOutcome, ResponseType
from ...models.base import utcnow
from ...reaudits import services as reaudits
from . import family_voice
from .applicability import answered_sections
from .fields import OVERALL, OVERALL_FIELDS, Page, _judgements, page_fields, question_fields
from .limits import OVERALL_TEXT, TooLong, limit_for, over_limit


def returned_comments(audit: CaseAudit) -> Moderation | None:
    """The moderation that returned the audit to its auditor, with the moderator's comments."""
    return db.session.scalar(
        select(Moderation)
        .where(Moderation.audit_id == audit.id, Moderation.outcome == ModerationOutcome.RETURNED.value)
        .order_by(Moderation.id.desc())
        .limit(1)
    )


def returned_about(moderation: Moderation | None) -> list[Problem]:
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


def validate(audit: CaseAudit, include_follow_up: bool = True) -> list[Problem]:
    judgements = _judgements(audit)
    problems = [  # what does not apply to the case is never required
        problem for section in answered_sections(audit) for problem in _section_problems(section, judgements)
    ]
    problems += family_voice.problems(audit)
    problems += _overall_problems(audit)
    if include_follow_up and followups.missing_follow_up(audit):
        problems.append(
            Problem(
                "follow_up",
                "follow_up-action_required",
                "Add a follow-up: an Inadequate judgement or a child not safe cannot be submitted without one",
            )
        )
    return problems


def _answer_problems(domain, q, j) -> list[Problem]:
    """What is wrong with the answer `j` (None when not answered) to the question `q`, in page order."""
    problems = []
    field = f"q{q.id}"
    short = q.text.rstrip("?")
    if q.response_type == ResponseType.GRADE:
        na = j is not None and j.answer == "not_applicable"
        if q.required and (j is None or (j.grade is None and not na)):
            problems.append(Problem(domain.key, f"{field}-grade", f"{domain.title}: select a grade for “{short}”"))
        needs_evidence = j is not None and (
            j.grade in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE) or (q.evidence_required and j.grade)
        )
        if needs_evidence and not (j.evidence or "").strip():
            problems.append(
                Problem(
                    domain.key,
                    f"{field}-evidence",
                    f"{domain.title}: enter the evidence for the grade given to “{short}”",
                )
            )
    elif q.response_type == ResponseType.YES_NO:
        if q.required and (j is None or not j.answer):
            problems.append(Problem(domain.key, f"{field}-answer", f"{domain.title}: answer “{short}”"))
        if j is not None and q.evidence_required and j.answer in ("yes", "no") and not (j.evidence or "").strip():
            problems.append(
                Problem(domain.key, f"{field}-evidence", f"{domain.title}: enter the evidence for “{short}”")
            )
    elif q.required and (j is None or not (j.text or "").strip()):
        problems.append(Problem(domain.key, f"{field}-text", f"{domain.title}: answer “{short}”"))
    if j is not None:
        problems += over_limit(domain.key, f"{field}-text", j.text, f"{domain.title}: the answer to “{short}”")
        problems += over_limit(domain.key, f"{field}-evidence", j.evidence, f"{domain.title}: evidence")
    return problems


def _overall_problems(audit: CaseAudit) -> list[Problem]:
    """What is wrong on the audit's overall page: what is missing, then text over its limit."""
    too_long = [
        p for name in OVERALL_TEXT for p in over_limit(OVERALL, name, getattr(audit, name), OVERALL_FIELDS[name])
    ]
    return _overall_missing(audit) + too_long


def _overall_missing(audit: CaseAudit) -> list[Problem]:
    """What is missing from the audit's overall page: the grade, the areas behind a low grade, "alongside"."""
    problems = []
    if audit.overall_grade is None:
        problems.append(Problem(OVERALL, "overall_grade", "Select an overall grade"))
    elif (
        audit.overall_grade in (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)
        and not (audit.areas_for_improvement or "").strip()
    ):
        problems.append(
            Problem(OVERALL, "areas_for_improvement", "Enter the areas for improvement behind the overall grade")
        )
    if audit.is_supervision:  # no allocated worker, no conversation with them to date
        return problems
    if audit.audited_alongside_worker is None:
        problems.append(
            Problem(OVERALL, "audited_alongside_worker", "Select whether the audit was done alongside the worker")
        )
    problems += _conversation_date_problems(audit)
    return problems


def _conversation_date_problems(audit: CaseAudit) -> list[Problem]:
    """Done alongside the worker: when they talked it through (a real date, not in the future)."""
    field = "alongside_conversation_on"
    if audit.audited_alongside_worker and audit.alongside_conversation_on is None:
        return [Problem(OVERALL, field, "Enter the date you talked the audit through with the worker, as a real date")]
    if audit.alongside_conversation_on and audit.alongside_conversation_on > date.today():
        return [Problem(OVERALL, field, "The date you talked the audit through must be today or in the past")]
    return []


def answered_page_problems(audit: CaseAudit, page_key: str) -> list[Problem]:
    """What is wrong with answers already given on one page (evidence missing for a grade, areas
    for improvement missing for the overall grade), said as the auditor saves rather than at
    submission, and text over its limit. Questions not yet answered are left to "Check your answers"."""
    return [p for p in _page_problems(audit, page_key) if isinstance(p, TooLong) or _says_inline(p.field)]


def too_long_on_page(audit: CaseAudit, page_key: str) -> list[TooLong]:
    """The page's text over its limit: the fields' errors whenever the page is shown, since it was kept."""
    return [p for p in _page_problems(audit, page_key) if isinstance(p, TooLong)]


def _page_problems(audit: CaseAudit, page_key: str) -> list[Problem]:
    """validate()'s problems on one page, reading nothing of the other pages (an autosave's status)."""
    if page_key == OVERALL:
        return _overall_problems(audit)
    if page_key == family_voice.FAMILY_VOICE:
        return family_voice.problems(audit)
    judgements = _judgements(audit)
    section = next((s for s in answered_sections(audit) if s.domain.key == page_key), None)
    return _section_problems(section, judgements) if section else []


def _section_problems(section, judgements: dict) -> list[Problem]:
    return [problem for q in section.questions for problem in _answer_problems(section.domain, q, judgements.get(q.id))]


def _says_inline(name: str) -> bool:
    return (
        name.endswith("-evidence")
        or name in ("areas_for_improvement", "alongside_conversation_on")
        or family_voice.says_inline(name)
    )


def inline_hint_fields(page: Page) -> list[str]:
    """The page's fields that say beside them what they still need (answered_page_problems)."""
    return [name for name in page_fields(page) if _says_inline(name) or limit_for(name)]


def _mark_submitted(record: CaseAudit, _changes) -> None:
    from ...practitioners.services import share_audit  # practitioners build on audits: imported when used

    record.status = AuditStatus.SUBMITTED.value
    record.submitted_at = utcnow()
    # In the submit's own transaction: a re-audit of Inadequate practice is scheduled, and the worker and
    # team manager are told.
    with db.session.no_autoflush:  # one write of the audit: its version moves by one
        share_audit(record)
        reaudits.schedule_reaudit(record)


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
        apply=_mark_submitted,
        labels={"status": "Status"},
    )
    if not result.saved:
        return [
            Problem(
                "check",
                "submit",
                "This audit was changed somewhere else after you opened this page. Check the answers below, then submit again.",
            )
        ]
    return []
