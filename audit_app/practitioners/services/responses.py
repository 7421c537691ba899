"""The allocated worker's response: a reflection and, for each graded domain, agree / partly / disagree."""

from dataclasses import dataclass

from sqlalchemy import select

from ...audits.services.sharing import is_shared_with
from ...changelog import change_time
from ...extensions import db
from ...idempotency import create_once
from ...models import Agreement, AuditResponse, CaseAudit, DomainResponse, Judgement, User
from ...models.grades import GRADE_LABELS
from ...moderation.services import completed_moderation
from ...permissions import Permission
from .sharing import notify_moderators, response_due_on, shared_on


@dataclass
class GradedDomain:
    key: str
    title: str
    position: int
    grades: list[int]  # the grade of each graded question, moderated where a moderator changed it

    @property
    def grade_text(self) -> str:
        return ", ".join(GRADE_LABELS[grade] for grade in self.grades)


def effective_grades(audit: CaseAudit) -> dict[int, int]:
    """Judgement id -> the grade it counts with: the latest moderation's, else the auditor's."""
    grades = {j.id: j.grade for j in audit.judgements if j.grade is not None}
    moderation = completed_moderation(audit) if audit.status == "moderated" else None
    for moderated in moderation.grades if moderation else []:
        if moderated.grade is not None and moderated.judgement_id in grades:
            grades[moderated.judgement_id] = moderated.grade
    return grades


def graded_domains(audit: CaseAudit) -> list[GradedDomain]:
    """The audit's domains with at least one graded question, in the tool's order."""
    grades = effective_grades(audit)
    by_question = {j.question_id: j for j in audit.judgements}
    result = []
    for domain in audit.tool_version.domains:
        judged = [by_question[q.id] for q in domain.questions if q.id in by_question]
        domain_grades = [grades[j.id] for j in judged if j.id in grades]
        if domain_grades:
            result.append(GradedDomain(domain.key, domain.title, domain.position, domain_grades))
    return result


def response_for(audit: CaseAudit) -> AuditResponse | None:
    return db.session.scalar(select(AuditResponse).where(AuditResponse.audit_id == audit.id))


def may_respond(audit: CaseAudit, user: User) -> bool:
    """Only the case's allocated worker, and only on an audit shared with them."""
    return (
        user.can(Permission.RESPOND_TO_AUDITS)
        and bool(user.worker_ref)
        and audit.case is not None  # a supervision audit has no allocated worker to respond
        and audit.case.allocated_worker_ref == user.worker_ref
        and is_shared_with(audit, user)
    )


def submit_response(
    audit: CaseAudit, worker: User, reflection: str, answers: dict[str, tuple[str, str]], token=None
) -> tuple[AuditResponse, bool]:
    """Record the worker's response once: (response, created). `answers` maps each graded domain's key to
    (agreement, reason). A repeated post, or a response already sent, returns the one already there."""

    def create() -> AuditResponse:
        response = response_for(audit)
        if response is not None and response.submitted_at is not None:
            return response
        if response is None:
            response = AuditResponse(audit=audit, due_on=response_due_on(shared_on(audit)))
            db.session.add(response)
        response.reflection = reflection.strip()
        response.responded_by = worker
        response.submitted_at = change_time()
        for domain in graded_domains(audit):
            agreement, reason = answers[domain.key]
            response.domains.append(
                DomainResponse(
                    domain_key=domain.key,
                    domain_title=domain.title,
                    position=domain.position,
                    agreement=Agreement(agreement).value,
                    reason=(reason or "").strip() or None,
                )
            )
        _tell_moderators_of_disagreement(response)
        return response

    # The row made when the audit was shared (its due date) is not a response until the worker sends one.
    return create_once(AuditResponse, create, token=token, find_existing=lambda: _sent_response(audit))


def _sent_response(audit: CaseAudit) -> AuditResponse | None:
    response = response_for(audit)
    return response if response is not None and response.submitted_at is not None else None


def _tell_moderators_of_disagreement(response: AuditResponse) -> None:
    if any(d.agreement == Agreement.DISAGREE for d in response.domains):
        notify_moderators(response)


def judgements_in(audit: CaseAudit, domain_key: str) -> list[Judgement]:
    return [j for j in audit.judgements if j.domain_key == domain_key and j.grade is not None]


def response_summary(audit: CaseAudit, user: User) -> dict:
    response = response_for(audit)
    return {
        "response": response,
        "due_on": response.due_on if response else None,
        "may_respond": may_respond(audit, user),
        "agreement_labels": {a.value: a.label for a in Agreement},
    }
