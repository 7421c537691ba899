"""Autosave and save-and-continue for a record that carries an optimistic-locking `version`: apply the
changes, or refuse them with both values; and what the answers saved so far still lack.

Shared by the audit form, the practice-week observation form and the moderation form (its draft). The
interface is stable:

    from audit_app.autosave import save_with_version, SaveResult, Conflict, Problem

    result = save_with_version(
        record,                 # a model with a `version` version_id_col (CaseAudit, Observation, ModerationDraft)
        client_version,         # the `version` the person's form was rendered with (the hidden field "version")
        changes,                # {field name: value the person sent}; lists for checkboxes
        apply=write_changes,    # function(record, changes): writes them onto the record and its children
        current=read_values,    # function(record) -> {field name: value now on the server}, same names
        labels={"q-5-grade": "Assessment: grade"},   # what to call each field in a conflict message
        display=lambda name, value: "Good",          # optional: a value as a person reads it
    )
    result.saved      # True when written and committed
    result.version    # the record's version now: put it back in the form's hidden "version" field
    result.saved_at   # when (UTC), for "Saved at 10:42"
    result.conflicts  # [Conflict(field, label, theirs, yours)] when refused
    result.other_saved_at  # when refused: when the server's version was saved (the record's updated_at)

Rules:
- Nothing changed compared with the server: nothing is written, `saved` is True, the version stays.
- `client_version` equal to the record's version: `apply` runs, the record is touched so its version moves
  (a change to a child row alone still moves the parent's version), and the session commits, keeping what
  it has loaded (commit_keeping_state): the status rendered next needs no statement to read it back.
- `client_version` older: nothing is written. Every field the person sent whose value differs from the
  server's is a Conflict, showing their value and the server's. The caller shows them; the person
  chooses (send again with `result.version` to keep theirs, or reload to take the server's).
- Two saves racing past the version check (two requests at once): the database's
  `UPDATE ... WHERE version = n` lets only one through; the other raises StaleDataError, which is
  rolled back and reported as conflicts in the same way. Nothing is silently overwritten.

The conflict panel's "Keep my answers" button is a submit button named `keep_mine` whose value is the
server's version: a route saves with `request.form.get("keep_mine") or request.form.get("version")`.

Templates: templates/components/_save_status.html renders a SaveResult (and any Problems) into the live
region and updates the hidden version field (see static/js/autosave.js and templates/components/_autosave.html).
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, event, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from .changelog import as_text, log_change_on_flush, write_pending_changes
from .extensions import db
from .many_rows import update_many
from .models.base import Audited, utcnow
from .parsing import clean_text

_TOGETHER = "autosave_update_together"  # session.info key: rows update_together will write after the flush


@dataclass
class Conflict:
    field: str
    label: str
    theirs: str  # the value saved on the server by someone else, as a person reads it
    yours: str  # the value this person sent


@dataclass
class SaveResult:
    saved: bool
    version: int
    saved_at: datetime | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    other_saved_at: datetime | None = None  # on a conflict: when the version on the server was saved

    @property
    def conflict(self) -> bool:
        return bool(self.conflicts)


@dataclass
class Problem:
    """Something a form still needs before it can be submitted, listed beside the save status."""

    page: str  # the page of a multi-page form the field is on
    field: str  # the id of the field on its page
    message: str


def normalise(value: Any) -> str:
    """One text form for comparing what was sent with what is stored ("" for empty)."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(sorted(normalise(v) for v in value if normalise(v)))
    text = as_text(value)
    return (text or "").replace("\r\n", "\n").strip()


def _default_current(record, names):
    return {name: getattr(record, name) for name in names}


def _default_apply(record, changes):
    for name, value in changes.items():
        setattr(record, name, value)


def differences(changes: dict, server: dict) -> list[str]:
    return [name for name in changes if normalise(changes[name]) != normalise(server.get(name))]


@contextlib.contextmanager
def keeping_state():
    """Commits inside keep what the request has loaded instead of expiring it: the status or page rendered
    next shows what was just written, so reading it all back (the record, its children, the signed-in
    user) would be statements for nothing."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = expire


def commit_keeping_state() -> None:
    with keeping_state():
        db.session.commit()


def update_together(rows: list[tuple[Any, dict[str, Any]]]) -> None:
    """Inside a save_with_version's `apply`: write these column values onto existing rows of one table in
    one UPDATE, sent after the record's version check has passed, rather than the ORM's one UPDATE per set
    of columns changed (a whole observation form changes grades on some lenses and only notes on others).
    Only rows with a changed value are written. Each change goes into the change log as the flush listener
    would write it (audit_app/changelog.py), in the flush's one insert; the objects show the new values.

    The write bypasses every other flush listener (text is cleaned here as the flush's safety net would,
    parsing.strip_control_characters_on_flush): never use it for rows a listener must see, such as a
    submitted audit's judgements, which feed the theme summary's rollups (audit_app/reporting/rollup_events.py).
    An audit that can still be edited is counted in no rollup: its answers are written this way."""
    changed = []
    for record, values in rows:
        values = {name: clean_text(v) if isinstance(v, str) else v for name, v in values.items()}
        new = {name: value for name, value in values.items() if getattr(record, name) != value}
        for name, value in new.items():
            if isinstance(record, Audited) and name not in record.__audit_exclude__:
                log_change_on_flush(db.session, record, name, getattr(record, name), value)
            set_committed_value(record, name, value)  # shown as written, never flushed again by the ORM
        if new:
            changed.append(record)
    if changed:
        names = list(rows[0][1])  # every row with every column: one statement, whatever changed on each
        params = [{"id": r.id} | {name: getattr(r, name) for name in names} for r in changed]
        db.session.info.setdefault(_TOGETHER, []).append((type(changed[0]).__table__, params))


def _write_together() -> None:
    for table, rows in db.session.info.pop(_TOGETHER, []):
        update_many(db.session.connection(), table, rows)


@cache
def _version_statement(mapper):
    """_move_version's UPDATE for one model, built once: SQLAlchemy works out a statement's cache key once per object."""
    table, version = mapper.local_table, mapper.version_id_col
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"), version == bindparam("old_version"))
        .values({version: bindparam("new_version"), table.c.updated_at: bindparam("new_updated_at")})
    )


def _move_version(record) -> None:
    """Only the record's children changed: one UPDATE moves its version and updated_at, refused (StaleDataError)
    when another save moved the version first, as the ORM's own check would be. The record stays out of the
    flush: most autosaves change answers alone, and a record in the flush costs its unit of work more CPU
    than this statement (every one of its relationships is looked at)."""
    mapper = inspect(record).mapper
    old, now = record.version, utcnow()
    values = {"row_id": record.id, "old_version": old, "new_version": old + 1, "new_updated_at": now}
    if db.session.execute(_version_statement(mapper), values).rowcount != 1:
        raise StaleDataError(f"{mapper.class_.__name__} {record.id} is no longer at version {old}")
    set_committed_value(record, "version", old + 1)
    set_committed_value(record, "updated_at", now)


@event.listens_for(Session, "after_soft_rollback")
def _forget_together(session: Session, previous_transaction) -> None:
    session.info.pop(_TOGETHER, None)


def save_with_version(
    record,
    client_version,
    changes: dict[str, Any],
    *,
    apply: Callable | None = None,
    current: Callable | None = None,
    labels: dict[str, str] | None = None,
    display: Callable | None = None,
) -> SaveResult:
    # Over 50 lines: the refusal (a conflict) reads this save's own arguments, and the save's steps must run in
    # this order inside one transaction; split, either half would be read without the other.
    apply = apply or _default_apply
    read = current or (lambda r: _default_current(r, changes))
    labels = labels or {}
    show = display or (lambda name, value: normalise(value) or "(blank)")
    try:
        client_version = int(client_version)
    except (TypeError, ValueError):
        client_version = -1

    def refused() -> SaveResult:
        db.session.rollback()
        db.session.refresh(record)
        server = read(record)
        conflicts = [
            Conflict(
                name,
                labels.get(name, name),
                show(name, server.get(name)) or "(blank)",
                show(name, changes[name]) or "(blank)",
            )
            for name in differences(changes, server)
        ]
        if not conflicts:  # the other save wrote exactly what this person sent
            return SaveResult(True, record.version, utcnow())
        return SaveResult(False, record.version, None, conflicts, getattr(record, "updated_at", None))

    if client_version != record.version:
        return refused()
    if not differences(changes, read(record)):
        return SaveResult(True, record.version, utcnow())
    try:
        with db.session.no_autoflush:  # written in one flush: one change-log insert, each table's rows together
            apply(record, changes)
            # The parent row changes, so its version moves even for child-only edits.
            if inspect(record).modified:  # its own columns too: the ORM writes them, checking the version
                record.updated_at = utcnow()
            else:
                _move_version(record)
        db.session.flush()
        _write_together()  # the version check has passed: the rows apply gave update_together
        write_pending_changes(db.session)  # their change log, when nothing else was left to flush
        commit_keeping_state()
    except StaleDataError:
        return refused()
    return SaveResult(True, record.version, record.updated_at)
