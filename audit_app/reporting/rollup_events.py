"""Keeps the rollups in step with every change, in the change's own transaction.

Submitting, moderating, returning to the auditor, a disagreement's new grade, re-tagging a judgement, a
section marked not applicable, a family's answers or quotes (or their themes) changed, a case moved to
another team or case type, a team moved to another service, a programme's kind changed: each reaches the database in a flush. Before the flush we note the
keys its counted audits are rolled up under (the old ones); after it, the new ones; then the rows of both
are counted again (rollups.refresh). Listening to the flush, rather than calling refresh from each
service, also catches changes made outside those services (imports, scripts, factories). Drafts touch no
rollup, and cost nothing here: an audit that is not counted, before or after, is skipped in Python. Theme
merges move tags in SQL, which no flush sees: merge_themes calls rollups.refresh_themes itself.
"""

from itertools import chain

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..models import (
    AuditProgramme,
    Case,
    CaseAudit,
    FamilyQuote,
    FamilyVoice,
    Judgement,
    ModeratedGrade,
    Moderation,
    SectionNotApplicable,
    Team,
)
from . import rollups
from .queries.counted import COUNTED_AUDIT_STATUSES

_PENDING = "rollup_audits"
_OLD_KEYS = "rollup_old_keys"


def _loaded(obj, name):
    """A relationship's value if already loaded (never a query from inside a flush)."""
    return inspect(obj).dict.get(name) if obj is not None else None


def _counted(audit: CaseAudit) -> bool:
    """Counted now, or perhaps before this flush (submitted, then returned to its auditor). A status set
    on an expired audit has no old value in its history: any change of status counts as perhaps."""
    if audit.status in COUNTED_AUDIT_STATUSES:
        return True
    state = inspect(audit)
    history = state.attrs.status.history
    if state.pending or not history.has_changes():
        return False
    return not history.deleted or any(status in COUNTED_AUDIT_STATUSES for status in history.deleted)


def _audit_of(session: Session, obj):
    """The audit (object, or id when not loaded) whose counts obj feeds, or None."""
    if isinstance(obj, CaseAudit):
        return obj
    if isinstance(obj, ModeratedGrade):
        moderation = _loaded(obj, "moderation")
        audit = _loaded(moderation, "audit") or (moderation.audit_id if moderation else None)
        return audit or _audit_of(session, _loaded(obj, "judgement"))
    if isinstance(obj, FamilyQuote):
        voice = _loaded(obj, "voice") or _by_id(session, FamilyVoice, obj.voice_id)
        if voice is None and obj.voice_id is not None:  # its voice not loaded: ask which audit it is of
            query = select(FamilyVoice.audit_id).where(FamilyVoice.id == obj.voice_id)
            return session.connection().execute(query).scalar()
        return _audit_of(session, voice)
    if isinstance(obj, Judgement | SectionNotApplicable | Moderation | FamilyVoice):
        audit = _loaded(obj, "audit") or obj.audit_id
        if isinstance(audit, int):
            return _by_id(session, CaseAudit, audit) or audit
        return audit
    return None


def _by_id(session: Session, model, id_):
    """The object of this id if the session holds it (never a query)."""
    if id_ is None:
        return None
    return session.identity_map.get(inspect(model).identity_key_from_primary_key((id_,)))


def _changed(obj, *names) -> bool:
    """Columns or relationships (a relationship set before the flush has not yet set its column)."""
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _audits_of_moved_records(session: Session, obj) -> list[int]:
    """Counted audits whose key moves with a case, team or programme being changed."""
    if not isinstance(obj, Case | Team | AuditProgramme):
        return []
    if isinstance(obj, Case) and _changed(obj, "case_type", "locality_id", "team_id", "locality", "team"):
        where = CaseAudit.case_id == obj.id
    elif isinstance(obj, Team) and _changed(obj, "service_id", "service"):
        where = CaseAudit.case_id.in_(select(Case.id).where(Case.team_id == obj.id))
    elif isinstance(obj, AuditProgramme) and _changed(obj, "kind"):
        where = CaseAudit.programme_id == obj.id
    else:
        return []
    query = select(CaseAudit.id).where(where, CaseAudit.status.in_(COUNTED_AUDIT_STATUSES))
    return list(session.connection().execute(query).scalars())


def _before_flush(session: Session, _context, _instances) -> None:
    audits = session.info.setdefault(_PENDING, [])
    for obj in chain(session.new, session.dirty, session.deleted):
        audit = _audit_of(session, obj)
        if isinstance(audit, CaseAudit) and _counted(audit) or isinstance(audit, int):
            audits.append(audit)
        elif audit is None and inspect(obj).persistent:
            audits += _audits_of_moved_records(session, obj)
    ids = {audit if isinstance(audit, int) else audit.id for audit in audits} - {None}
    if ids:
        session.info.setdefault(_OLD_KEYS, set()).update(rollups.keys_of(ids, session.connection()))


def _after_flush(session: Session, _context) -> None:
    audits, old_keys = session.info.pop(_PENDING, []), session.info.pop(_OLD_KEYS, set())
    ids = {audit if isinstance(audit, int) else audit.id for audit in audits} - {None}
    if not ids and not old_keys:
        return
    connection = session.connection()
    rollups.refresh(old_keys | rollups.keys_of(ids, connection), connection)


def _forget(session: Session, *_args) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_OLD_KEYS, None)


def init_app(_app) -> None:
    """Listen to every session's flushes (once, however many apps are made)."""
    for name, listener in (
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
