"""The audit's change history: its judgements, follow-ups, moderations and the social worker's response,
as a reader reads them."""

from sqlalchemy import select

from ...extensions import db
from ...history import HistoryRow, field_words, record_history
from ...models import (
    AuditResponse,
    CaseAudit,
    ChangeLog,
    Domain,
    DomainResponse,
    FamilyQuote,
    FamilyVoice,
    FollowUp,
    Judgement,
    ModeratedGrade,
    Moderation,
    Question,
)

AUDIT_RECORD_LABELS = {
    "case_audit": "Audit",
    "follow_up": "Follow-up",
    "moderation": "Moderation",
    "moderated_grade": "Moderated grade",
    "audit_response": "Social worker's response",
    "domain_response": "Social worker's response on a domain",
    "family_voice": "The child and family's voice",
    "family_quote": "A family's quote",
}


def history(audit: CaseAudit) -> list[HistoryRow]:
    """Every recorded change to the audit, its judgements, follow-ups and moderations, newest first.
    The audit page and the moderation page both show this."""
    moderation_ids = select(Moderation.id).where(Moderation.audit_id == audit.id)
    response_ids = select(AuditResponse.id).where(AuditResponse.audit_id == audit.id)
    voice_ids = select(FamilyVoice.id).where(FamilyVoice.audit_id == audit.id)
    sources = [
        ("case_audit", audit.id),
        ("judgement", select(Judgement.id).where(Judgement.audit_id == audit.id)),
        ("follow_up", select(FollowUp.id).where(FollowUp.audit_id == audit.id)),
        ("moderation", moderation_ids),
        ("moderated_grade", select(ModeratedGrade.id).where(ModeratedGrade.moderation_id.in_(moderation_ids))),
        ("audit_response", response_ids),
        ("domain_response", select(DomainResponse.id).where(DomainResponse.response_id.in_(response_ids))),
        ("family_voice", voice_ids),
        ("family_quote", select(FamilyQuote.id).where(FamilyQuote.voice_id.in_(voice_ids))),
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
