"""Audit tools and their versions: build a draft, publish (immutable from then on), retire, and history."""

import re

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ...changelog import log_change
from ...extensions import db
from ...history import HistoryRow, field_words, record_history
from ...models import (
    AuditTool,
    ChangeLog,
    Domain,
    Question,
    ResponseType,
    Theme,
    ToolSubject,
    ToolVersion,
    VersionStatus,
)
from ...models.base import utcnow


class VersionLocked(Exception):
    """A published or retired version is immutable."""


def _require_draft(version: ToolVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise VersionLocked(
            f"Version {version.number} is {version.status}: it cannot be changed. Make a new draft instead."
        )


@event.listens_for(Session, "before_flush")
def _published_versions_are_immutable(session, flush_context, instances):
    """Belt and braces under the services: no UPDATE or DELETE of a published version's domains or questions."""
    with session.no_autoflush:
        for obj in list(session.dirty) + list(session.deleted):
            deleted = obj in session.deleted
            if isinstance(obj, Question):
                if not deleted and not session.is_modified(obj, include_collections=True):
                    continue
                version = obj.domain.version if obj.domain else None
            elif isinstance(obj, Domain):
                if not deleted and not session.is_modified(obj, include_collections=False):
                    continue
                version = obj.version
            else:
                continue
            if version is None or version.status == VersionStatus.DRAFT or version in session.deleted:
                continue
            raise VersionLocked("A published tool version cannot be changed")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "item"


def _unique_key(base: str, taken: set[str]) -> str:
    """`base`, else the first of `base_2`, `base_3`... not yet taken by a sibling domain or question."""
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def list_tools() -> list[AuditTool]:
    return list(db.session.scalars(select(AuditTool).order_by(AuditTool.name)))


def published_versions() -> list[ToolVersion]:
    return list(
        db.session.scalars(
            select(ToolVersion)
            .join(AuditTool)
            .where(ToolVersion.status == VersionStatus.PUBLISHED.value)
            .order_by(AuditTool.name, ToolVersion.number)
        )
    )


def create_tool(name: str, description: str | None = None, subject: str | None = None) -> ToolVersion:
    subject = subject if subject in tuple(s.value for s in ToolSubject) else ToolSubject.CASE.value
    tool = AuditTool(name=name.strip(), description=(description or "").strip() or None, subject=subject)
    version = ToolVersion(tool=tool, number=1, status=VersionStatus.DRAFT.value)
    db.session.add_all([tool, version])
    db.session.commit()
    return version


def save_domain(
    version: ToolVersion, domain: Domain | None, *, title: str, description: str | None, case_types=()
) -> Domain:
    _require_draft(version)
    if domain is None:
        key = _unique_key(slug(title), {d.key for d in version.domains})
        domain = Domain(version=version, key=key, position=len(version.domains))
        db.session.add(domain)
    domain.title = title.strip()
    domain.description = (description or "").strip() or None
    domain.case_type_list = () if version.tool.is_supervision else case_types  # no case in supervision
    db.session.commit()
    return domain


def save_question(
    domain: Domain,
    question: Question | None,
    *,
    text,
    guidance,
    response_type,
    allow_not_applicable,
    evidence_required,
    required=True,
    theme_ids=(),
    case_types=(),
) -> Question:
    _require_draft(domain.version)
    if question is None:
        key = _unique_key(slug(text)[:40], {q.key for q in domain.questions})
        question = Question(domain=domain, key=key, position=len(domain.questions))
        db.session.add(question)
    question.text = text.strip()
    question.guidance = (guidance or "").strip() or None
    question.response_type = ResponseType(response_type).value
    question.allow_not_applicable = bool(allow_not_applicable)
    question.evidence_required = bool(evidence_required)
    question.required = bool(required)
    question.case_type_list = () if domain.version.tool.is_supervision else case_types  # no case in supervision
    old_themes = theme_names(question) if question.id else None
    question.default_themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(list(theme_ids) or [0]))))
    db.session.flush()
    log_change(db.session, question, "default_themes", old_themes, theme_names(question))
    db.session.commit()
    return question


def theme_names(question: Question) -> str | None:
    """A question's default themes as a person reads them in the change log: "Drift and delay, Voice of the child"."""
    return ", ".join(sorted(t.name for t in question.default_themes)) or None


def delete_question(question: Question) -> None:
    _require_draft(question.domain.version)
    db.session.delete(question)
    db.session.commit()


def delete_domain(domain: Domain) -> None:
    _require_draft(domain.version)
    db.session.delete(domain)
    db.session.commit()


def publish(version: ToolVersion) -> None:
    _require_draft(version)
    if not version.domains or not all(d.questions for d in version.domains):
        raise VersionLocked("Add at least one question to every domain before publishing")
    version.status = VersionStatus.PUBLISHED.value
    version.published_at = utcnow()
    db.session.commit()


def retire(version: ToolVersion) -> None:
    """A retired version takes no new programmes; audits already on it keep it."""
    if version.status != VersionStatus.PUBLISHED:
        raise VersionLocked("Only a published version can be retired")
    version.status = VersionStatus.RETIRED.value
    version.retired_at = utcnow()
    db.session.commit()


VERSION_RECORD_LABELS = {"tool_version": "Version", "domain": "Domain", "question": "Question"}


def version_history(version: ToolVersion) -> list[HistoryRow]:
    """Every recorded change to the version, its domains and its questions (default themes too),
    newest first, each named in words: 'Question “Is the child seen alone?”: default themes'."""
    domain_ids = select(Domain.id).where(Domain.version_id == version.id)
    question_ids = select(Question.id).where(Question.domain_id.in_(domain_ids))
    names = {("domain", d.id): d.title for d in version.domains}
    names |= {("question", q.id): q.text for d in version.domains for q in d.questions}

    def describe(change: ChangeLog) -> str:
        label = VERSION_RECORD_LABELS.get(change.record_type, change.record_type)
        name = names.get((change.record_type, change.record_id))
        if name:
            label = f"{label} “{name if len(name) <= 80 else name[:79] + '…'}”"
        return f"{label}: {field_words(change)}"

    return record_history([("tool_version", version.id), ("domain", domain_ids), ("question", question_ids)], describe)


def draft_of(tool: AuditTool) -> ToolVersion | None:
    return next((v for v in tool.versions if v.status == VersionStatus.DRAFT), None)
