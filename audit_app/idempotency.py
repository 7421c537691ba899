"""Creating a record once, however often its form is posted: double taps, a reload that re-posts, a retry
after a dropped answer, or two people adding the same thing at the same moment.

Every "add" form carries a random one-time token (`FormTokenMixin`, a hidden field `form_token` rendered
with the form). `create_once` runs the service that creates the record and, in the same transaction,
stores the token with the new record's id (table form_submission, the token unique). The same form posted
again finds its record by the token and gets it back instead of a second one; two posts racing past that
check are stopped by the unique token in the database, and the loser gets the winner's record.

`upsert` does the same for a row that is made or updated (a month's RAG, an indicator's value).

Unique constraints on the records themselves (a theme's name, a user's email, a case reference, one
observation per booking and observer) are handled here too, in one place: an IntegrityError is rolled
back and becomes either the existing record (`find_existing`) or `AlreadyExists`, which
`save_from_form` turns into an error on the form ("A theme with this name already exists"), never a 500.

    class ThemeForm(FormTokenMixin, FlaskForm): ...          # and {{ form.form_token }} in the template

    result = save_from_form(form, Theme, lambda: services.add_theme(...), field="name",
                            message="A theme with this name already exists", taken=lambda: name_taken(Theme, name))
    if result:                     # (record, created): created is False for a repeated post
        return redirect(...)       # the same answer both times: the record
    return render_template(...)    # the form, with the error on form.name

`save_named` (a unique name) and `save_once` (nothing typed is unique) are its two usual calls.
"""

import re
import secrets
from collections.abc import Callable

from flask import flash
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from wtforms import HiddenField

from .extensions import db
from .models.form_submissions import FormSubmission

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_PENDING = "form_token_pending"  # session.info key: (model, token) while a create runs


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class FormTokenMixin:
    """For a create form (Flask-WTF): a hidden one-time token, new each time the empty form is shown."""

    form_token = HiddenField(default=new_form_token)


class AlreadyExists(Exception):
    """A unique constraint refused the new record, and there is no record of this form to return."""


def _token(value) -> str | None:
    return value if isinstance(value, str) and TOKEN_PATTERN.match(value) else None


def _created_by_token(model, token: str):
    record_id = db.session.scalar(
        select(FormSubmission.record_id).where(
            FormSubmission.token == token, FormSubmission.record_type == model.__tablename__
        )
    )
    return db.session.get(model, record_id) if record_id is not None else None


@event.listens_for(Session, "after_flush")
def _store_token(session: Session, flush_context) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    model, token = pending
    record = next((obj for obj in session.new if type(obj) is model), None)
    if record is None:
        return
    session.info.pop(_PENDING)
    session.connection().execute(
        insert(FormSubmission.__table__), {"token": token, "record_type": model.__tablename__, "record_id": record.id}
    )


def is_unique_violation(error: IntegrityError) -> bool:
    """A unique constraint refused the row (not a missing value or a broken reference, which are bugs)."""
    if getattr(error.orig, "sqlstate", None) == "23505":  # PostgreSQL's unique_violation
        return True
    return str(error.orig).startswith("UNIQUE constraint failed")  # SQLite


def create_once(model, create: Callable, *, token=None, find_existing: Callable | None = None):
    """Run `create()` (a service that adds a `model` and commits) at most once per token, and not at all
    when `find_existing()` already finds the record. Returns (record, created). Raises AlreadyExists when a
    unique constraint refuses the record and neither the token nor `find_existing()` gives the record instead."""
    token = _token(token)
    if token and (done := _created_by_token(model, token)) is not None:
        return done, False
    if find_existing and (found := find_existing()) is not None:
        return found, False
    if token:
        db.session.info[_PENDING] = (model, token)
    try:
        record = create()
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if not is_unique_violation(error):
            raise
        found = (_created_by_token(model, token) if token else None) or (find_existing() if find_existing else None)
        if found is None:
            raise AlreadyExists(str(error.orig)) from error
        return found, False
    finally:
        db.session.info.pop(_PENDING, None)
    return record, True


ALREADY_SAVED = (
    "You had already sent this form, so it was saved once and nothing was added twice. "
    "To add another, start from an empty form."
)


def name_taken(model, name: str, except_id: int | None = None) -> bool:
    """Whether another record of `model` already has this name, ignoring case and surrounding spaces: the
    `taken` check of `save_from_form` for names that are unique (themes, tools, teams, localities...)."""
    query = select(model.id).where(func.lower(model.name) == name.strip().lower())
    if except_id:
        query = query.where(model.id != except_id)
    return db.session.scalar(query) is not None


def save_from_form(form, model, save: Callable, *, field: str, message: str, taken: Callable | None = None):
    """Save an add (or edit) form once: the record its token already made (saying so); else `message` on
    form[field] when `taken()` says the unique value is in use, or when the database's unique constraint
    refuses it (two saves at once); else `save()`. Returns (record, created), or None with the error on the form."""
    token = _token(form.form_token.data)
    try:
        done = _created_by_token(model, token) if token else None
        if done is None and taken is not None and taken():
            done = _created_by_token(model, token) if token else None  # taken by this same form, a moment ago?
            if done is None:
                raise AlreadyExists(message)
        record, created = (done, False) if done is not None else create_once(model, save, token=token)
    except AlreadyExists:
        form[field].errors = [*form[field].errors, message]
        return None
    if not created:
        flash(ALREADY_SAVED)
    return record, created


def save_named(form, model, save: Callable, *, noun: str, except_id: int | None = None, named=None):
    """`save_from_form` for a record whose name is unique (themes, tools, localities, teams...): the name in
    form.name checked against the other records of `named` (default `model`), ignoring case."""
    return save_from_form(
        form,
        model,
        save,
        field="name",
        message=f"A {noun} with this name already exists",
        taken=lambda: name_taken(named or model, form.name.data, except_id),
    )


def save_once(form, model, save: Callable, *, field: str, noun: str):
    """`save_from_form` for a record nothing typed makes unique: should the database still refuse it, the
    form asks for the save again, with the message on form[field]."""
    return save_from_form(
        form, model, save, field=field, message=f"This {noun} could not be saved: check it and save again"
    )


def upsert(model, keys: dict, values: dict):
    """The one row with these keys (a month's RAG, an indicator's value), made or updated with `values`, and
    committed. When another request makes the same row at the same moment, the unique constraint refuses
    this insert: it is rolled back and `values` are written onto that row, as if the two saves had come one
    after the other (each is in the change log)."""
    for attempt in range(2):
        row = db.session.scalar(select(model).filter_by(**keys))
        if row is None:
            row = model(**keys)
            db.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        try:
            db.session.commit()
            return row
        except IntegrityError as error:
            db.session.rollback()
            if attempt or not is_unique_violation(error):
                raise
    return None
