"""Keeps the rollups in step with every change, in the change's own transaction.

Submitting, moderating, returning to the auditor, a disagreement's new grade, re-tagging a judgement, a
section marked not applicable, a family's answers or quotes (or their themes) changed, a case moved to
another team or case type, a team moved to another service, a programme's kind changed: each reaches the
database in a flush; so do, for the lens rollup, an observation submitted, re-opened or deleted and a
submitted one's lens grades, themes, team, service, case, case type or date changed. Before the flush we
note the keys its counted audits (or submitted observations) are rolled up under (the old ones); after it,
the new ones; then the rows of both are counted again (rollups.refresh, rollups.refresh_observations).
Listening to the flush, rather than calling refresh from each service, also catches changes made outside
those services (imports, scripts, factories). Drafts touch no rollup, and cost nothing here: an audit or
observation that is not counted, before or after, is skipped in Python. Theme merges move tags in SQL,
which no flush sees: merge_themes calls rollups.refresh_themes itself.
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
    LensJudgement,
    ModeratedGrade,
    Moderation,
    Observation,
    ObservationStatus,
    SectionNotApplicable,
    Team,
)
from . import rollups
from .queries.counted import COUNTED_AUDIT_STATUSES

_PENDING = "rollup_audits"
_OLD_KEYS = "rollup_old_keys"
_PENDING_OBSERVATIONS = "rollup_observations"
_OLD_OBSERVATION_KEYS = "rollup_old_observation_keys"
SUBMITTED_OBSERVATION = (ObservationStatus.SUBMITTED.value,)


def _loaded(obj, name):
    """A relationship's value if already loaded (never a query from inside a flush)."""
    return inspect(obj).dict.get(name) if obj is not None else None


def _counted(record, counted_statuses=COUNTED_AUDIT_STATUSES) -> bool:
    """Counted now, or perhaps before this flush (submitted, then returned to its auditor or re-opened). A
    status set on an expired record has no old value in its history: any change of status counts as perhaps."""
    if record.status in counted_statuses:
        return True
    state = inspect(record)
    history = state.attrs.status.history
    if state.pending or not history.has_changes():
        return False
    return not history.deleted or any(status in counted_statuses for status in history.deleted)


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


def _observation_of(session: Session, obj):
    """The observation (object, or id when not loaded) whose lens counts obj feeds, or None."""
    if isinstance(obj, Observation):
        return obj
    if isinstance(obj, LensJudgement):
        observation = _loaded(obj, "observation") or obj.observation_id
        if isinstance(observation, int):
            return _by_id(session, Observation, observation) or observation
        return observation
    return None


def _observations_of_moved_case(session: Session, obj) -> list[int]:
    """Submitted observations whose key moves with their case's type (a team's locality is read at read time)."""
    if not isinstance(obj, Case) or not _changed(obj, "case_type"):
        return []
    query = select(Observation.id).where(
        Observation.case_id == obj.id, Observation.status == ObservationStatus.SUBMITTED.value
    )
    return list(session.connection().execute(query).scalars())


def _ids(records) -> set[int]:
    return {record if isinstance(record, int) else record.id for record in records} - {None}


def _before_flush(session: Session, _context, _instances) -> None:
    audits = session.info.setdefault(_PENDING, [])
    observations = session.info.setdefault(_PENDING_OBSERVATIONS, [])
    for obj in chain(session.new, session.dirty, session.deleted):
        audit, observation = _audit_of(session, obj), _observation_of(session, obj)
        if isinstance(audit, CaseAudit) and _counted(audit) or isinstance(audit, int):
            audits.append(audit)
        elif isinstance(observation, int) or observation is not None and _counted(observation, SUBMITTED_OBSERVATION):
            observations.append(observation)
        elif audit is None and observation is None and inspect(obj).persistent:
            audits += _audits_of_moved_records(session, obj)
            observations += _observations_of_moved_case(session, obj)
    if ids := _ids(audits):
        session.info.setdefault(_OLD_KEYS, set()).update(rollups.keys_of(ids, session.connection()))
    if ids := _ids(observations):
        old_keys = rollups.observation_keys_of(ids, session.connection())
        session.info.setdefault(_OLD_OBSERVATION_KEYS, set()).update(old_keys)


def _after_flush(session: Session, _context) -> None:
    audits, old_keys = session.info.pop(_PENDING, []), session.info.pop(_OLD_KEYS, set())
    observations = session.info.pop(_PENDING_OBSERVATIONS, [])
    old_observation_keys = session.info.pop(_OLD_OBSERVATION_KEYS, set())
    if (ids := _ids(audits)) or old_keys:
        connection = session.connection()
        rollups.refresh(old_keys | rollups.keys_of(ids, connection), connection)
    if (ids := _ids(observations)) or old_observation_keys:
        connection = session.connection()
        keys = old_observation_keys | rollups.observation_keys_of(ids, connection)
        rollups.refresh_observations(keys, connection)


def _forget(session: Session, *_args) -> None:
    for name in (_PENDING, _OLD_KEYS, _PENDING_OBSERVATIONS, _OLD_OBSERVATION_KEYS):
        session.info.pop(name, None)


def init_app(_app) -> None:
    """Listen to every session's flushes (once, however many apps are made)."""
    for name, listener in (
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
