"""Who may open or edit an audit, the auditor's My audits, and a programme's audits counted by status."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from flask import abort, after_this_request
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import (
    AuditProgramme,
    AuditStatus,
    Case,
    CaseAudit,
    Domain,
    FamilyVoice,
    Judgement,
    ProgrammeKind,
    ToolVersion,
)
from ...models.base import utcnow
from ...permissions import Permission, Role
from ...reaudits.services import visible_condition
from .family_voice import FAMILY_VOICE
from .fields import OVERALL
from .sharing import is_shared_with

EDITABLE = {AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS, AuditStatus.RETURNED}


def get_audit(
    audit_id: int, user, *, edit: bool = False, saving: str | None = None, page_alone: bool = False
) -> CaseAudit:
    """The audit, if this person may open it: the assigned auditor always; to read, anyone who sees
    all audits, and the social worker and team manager it is shared with. Otherwise 403 (404 when
    there is no such audit). To edit, what the form reads loads with it; `saving` a page, only what
    saving that page reads. `page_alone` (an autosave, answered with its status alone): of the tool,
    only the section saved loads (none for the family's voice or overall page)."""
    kind = saving if saving in (None, FAMILY_VOICE, OVERALL) else SECTION
    page_alone = edit and page_alone and saving is not None
    statement = _audit_statement(edit, kind, saving if page_alone else None)
    audit = db.session.scalars(statement, {"audit_id": audit_id}).unique().one_or_none()
    if audit is None:
        abort(404)
    if page_alone:
        _forget_other_sections_after_the_request(audit.tool_version)
    if is_external_only(user) and not in_multi_agency_programme(audit):
        abort(403)
    if audit.auditor_id == user.id:
        if edit and not is_editable(audit):
            raise NotEditable(audit)
        return audit
    if not edit and (user.can(Permission.VIEW_ALL_AUDITS) or is_shared_with(audit, user)):
        return audit
    abort(403)


SECTION = "section"  # _audit_statement's kind of page for any section of the tool


@lru_cache(maxsize=256)  # bounded: the page key comes from the URL
def _audit_statement(edit: bool, kind: str | None, section_alone: str | None):
    """The statement get_audit runs, built once per kind of request (and section, for a page_alone save):
    the audit comes as a parameter, so SQLAlchemy works out its cache key once rather than per request.
    The section's key is a value in the statement, not a parameter: refreshing the audit after a refused
    save runs the same loading again, with no parameters given."""
    options = _form_loading(kind, section_alone) if edit else ()
    return select(CaseAudit).where(CaseAudit.id == bindparam("audit_id")).options(*options)


def _form_loading(saving: str | None, section_alone: str | None) -> tuple:
    """What the audit form reads, whatever the size of the tool: the audit with its case, tool (sections and
    questions), sections marked not applicable and family voice joined in one statement; its judgements
    with their themes in one; the family's quotes (joined) with their themes in one. Saving reads no
    judgements here: saving a section reads them with the themes it ticks (read_answers), the family's
    voice and the overall page none; saving a section reads no quotes, nor the family's voice; given
    `section_alone`, of the tool only the section with that key."""
    voice = joinedload(CaseAudit.family_voice)
    domains = ToolVersion.domains if section_alone is None else ToolVersion.domains.and_(Domain.key == section_alone)
    options = [
        joinedload(CaseAudit.case),
        joinedload(CaseAudit.tool_version).joinedload(domains).joinedload(Domain.questions),
        joinedload(CaseAudit.sections_not_applicable),
    ]
    if saving in (None, FAMILY_VOICE):
        options.append(voice.joinedload(FamilyVoice.quotes))
    elif saving == OVERALL:
        options.append(voice)
    if saving is None:
        options.append(selectinload(CaseAudit.judgements).joinedload(Judgement.themes))
    return tuple(options)


def _forget_other_sections_after_the_request(version: ToolVersion) -> None:
    """A session that outlives the request (as in tests) reads the tool's sections again, all of them,
    rather than keep seeing the saved one alone; whatever the answer, errors included."""

    @after_this_request
    def forget(response):
        if version in db.session:
            db.session.expire(version, ["domains"])
        return response


def is_external_only(user) -> bool:
    """An external auditor (police, health, education) with no role in the council: their reach is their own
    audits in multi-agency programmes, nothing else."""
    roles = user.roles
    return Role.EXTERNAL_AUDITOR in roles and len(roles) == 1


def in_multi_agency_programme(audit: CaseAudit) -> bool:
    return audit.programme is not None and audit.programme.kind == ProgrammeKind.MULTI_AGENCY


class NotEditable(Exception):
    """The auditor opened the form of an audit already submitted (routes show the audit instead)."""

    def __init__(self, audit):
        super().__init__(f"Audit {audit.id} is {audit.status}")
        self.audit = audit


def is_editable(audit: CaseAudit) -> bool:
    return audit.status in EDITABLE


@dataclass
class MyAudits:
    to_do: list = field(default_factory=list)
    in_progress: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    submitted: list = field(default_factory=list)


def my_audits(user) -> MyAudits:
    rows = db.session.scalars(
        select(CaseAudit)
        .where(CaseAudit.auditor_id == user.id, visible_condition())  # re-audits from a few days before due
        .where(*_external_reach(user))
        .options(  # everything the list shows, in a few queries rather than a few per audit
            selectinload(CaseAudit.case).selectinload(Case.team),
            selectinload(CaseAudit.supervisor),  # a supervision audit is named by its pair
            selectinload(CaseAudit.supervisee),
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


def _external_reach(user) -> list:
    """SQL on CaseAudit: for an external auditor, only audits in multi-agency programmes."""
    if not is_external_only(user):
        return []
    multi_agency = select(AuditProgramme.id).where(AuditProgramme.kind == ProgrammeKind.MULTI_AGENCY.value)
    return [CaseAudit.programme_id.in_(multi_agency)]


def is_overdue(audit: CaseAudit, today: date | None = None) -> bool:
    return audit.status in EDITABLE and audit.due_date is not None and audit.due_date < (today or date.today())


def status_counts(programme_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(CaseAudit.status, func.count(CaseAudit.id))
        .where(CaseAudit.programme_id == programme_id, visible_condition())
        .group_by(CaseAudit.status)
    ).all()
    return {status: count for status, count in rows}
