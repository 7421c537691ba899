"""Which sections and questions of the tool apply to an audit: those for its case type, less the
sections its auditor marked not applicable (with a reason, change-logged)."""

from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...forms import too_long
from ...idempotency import create_once
from ...models import CaseAudit, Domain, Question, SectionNotApplicable
from .limits import NOT_APPLICABLE_REASON_MAX


@dataclass
class Section:
    domain: Domain
    questions: list[Question]
    not_applicable: SectionNotApplicable | None = None


def sections(audit: CaseAudit) -> list[Section]:
    """The tool's sections for the audit's case type, each with the questions for it (a section left
    with none is not shown), marked or not as not applicable for this audit. A supervision audit has no
    case type: every section applies."""
    case_type = audit.case.case_type if audit.case else None
    marked = {s.domain_key: s for s in audit.sections_not_applicable}
    result = []
    for domain in audit.tool_version.domains:
        if case_type and not domain.applies_to(case_type):
            continue
        questions = [q for q in domain.questions if not case_type or q.applies_to(case_type)]
        if questions:
            result.append(Section(domain, questions, marked.get(domain.key)))
    return result


def answered_sections(audit: CaseAudit) -> list[Section]:
    """The sections whose questions are asked, checked and counted: not those marked not applicable."""
    return [s for s in sections(audit) if s.not_applicable is None]


def answerable_questions(audit: CaseAudit) -> list[Question]:
    return [q for s in answered_sections(audit) for q in s.questions]


def mark_not_applicable(audit: CaseAudit, domain_key: str, reason: str, user) -> str | None:
    """Mark a section not applicable for this audit; returns the problem with the reason, if any.
    Answers already given in it are kept (not counted), so undoing the mark brings them back."""
    reason = (reason or "").strip()
    if not reason:
        return "Enter why this section does not apply to this case"
    if len(reason) > NOT_APPLICABLE_REASON_MAX:  # refused, the page shown again with the reason as typed
        return too_long("The reason", NOT_APPLICABLE_REASON_MAX)
    if not any(s.domain.key == domain_key and s.not_applicable is None for s in sections(audit)):
        return None  # already marked (a second tap), or not a section of this audit

    def add() -> SectionNotApplicable:
        record = SectionNotApplicable(audit_id=audit.id, domain_key=domain_key, reason=reason, marked_by_id=user.id)
        db.session.add(record)
        return record

    def marked_at_the_same_moment() -> SectionNotApplicable | None:
        return db.session.scalar(select(SectionNotApplicable).filter_by(audit_id=audit.id, domain_key=domain_key))

    create_once(SectionNotApplicable, add, find_existing=marked_at_the_same_moment)
    db.session.expire(audit, ["sections_not_applicable"])
    return None


def unmark_not_applicable(audit: CaseAudit, domain_key: str) -> None:
    """The section applies after all: its questions are asked again, with any answers given before."""
    for record in list(audit.sections_not_applicable):
        if record.domain_key == domain_key:
            db.session.delete(record)  # explicitly, so the change log records it
    db.session.commit()
    db.session.expire(audit, ["sections_not_applicable"])
