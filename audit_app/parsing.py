"""Request input parsed in one place, so bad input is refused or ignored here and never reaches a form,
a query or the database as a 500.

- Text: NUL and other C0 control characters (except tab, CR and LF) are removed from every query-string
  and form value by `CleanRequest`, before any route or form sees them. PostgreSQL refuses NUL in text,
  and nobody types the others. The ORM strips them again at flush (`strip_control_characters_on_flush`),
  for text that arrives some other way (imports, CLI, services).
- Ids: ASCII digits only (str.isdigit() accepts "²", int() accepts "٣"), 1 to 2^31-1 (PostgreSQL's
  integer), so an id that cannot exist is a 404 in a path and absent in a query string, never an
  overflow in the database. `IdConverter` replaces Flask's `int` converter for every route.
- Page numbers: ASCII digits, 1 to MAX_PAGE.
"""

import re

from flask import Request, abort
from sqlalchemy import String, event, inspect, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import BaseConverter, ValidationError
from wtforms.validators import ValidationError as FieldError

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite would take more, but ids never get there
MAX_PAGE = 100_000
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")  # 10 digits hold MAX_ID: longer numbers are refused unread
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 less tab, LF, CR


def clean_text(value: str) -> str:
    """The text without NUL and the other C0 control characters; tab, CR and LF are kept."""
    return _CONTROL_CHARACTERS.sub("", value)


def parse_int(value, minimum: int, maximum: int) -> int | None:
    """A whole number typed in ASCII digits (surrounding spaces allowed) between minimum and maximum,
    or None for anything else: empty, signs, "²", other scripts' digits, 5,000-digit numbers."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A record id (1 to 2^31-1) or None. Usable as `request.args.get(name, type=parse_id)`."""
    return parse_int(value, 1, MAX_ID)


def parse_page(value) -> int:
    """A page number from a query string: 1 when missing or not a sensible number."""
    return parse_int(value, 1, MAX_PAGE) or 1


def parse_ids(values) -> list[int]:
    """The valid ids among many values (a multi-select, a list of checkboxes), in order, once each."""
    return list(dict.fromkeys(i for i in map(parse_id, values) if i is not None))


def coerce_id(value) -> int:
    """WTForms `coerce` for a select of records (0 is the "choose one" option): a bad id becomes the
    field's "not a valid choice" error (WTForms catches the ValueError), never an overflow."""
    number = parse_int(value, 0, MAX_ID)
    if number is None:
        raise ValueError("Not a valid choice.")
    return number


class ExistingRecord:
    """WTForms validator for a select of records whose choices are not checked (validate_choice=False,
    so a record chosen earlier and since retired still saves): each chosen id (0 = none) must exist."""

    def __init__(self, model, message: str = "Choose an option from the list"):
        self.model, self.message = model, message

    def __call__(self, form, field):
        from .extensions import db

        chosen = field.data if isinstance(field.data, list | tuple) else [field.data]
        # The choices were read from the database for this request: only an id not among them is looked up.
        offered = {c[0] if isinstance(c, tuple | list) else c for c in field.choices or ()}
        wanted = {value for value in chosen if value and value not in offered}
        found = set(db.session.scalars(select(self.model.id).where(self.model.id.in_(wanted)))) if wanted else set()
        if wanted - found:
            raise FieldError(self.message)


def record_or_404(model, record_id, **parent) -> object | None:
    """The `model` record a URL names, or None when it names none (the form for a new one); 404 when it does
    not exist or, given its parent (`week_id=week.id`), belongs to another: as for any missing record."""
    from .extensions import db

    if not record_id:
        return None
    record = db.get_or_404(model, record_id)
    if any(getattr(record, name) != value for name, value in parent.items()):
        abort(404)
    return record


class IdConverter(BaseConverter):
    """`<int:name>` in a route: ASCII digits, 1 to 2^31-1. Anything else is a 404, as for a missing record."""

    regex = r"[0-9]+"
    weight = 50
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class CleanMultiDict(ImmutableMultiDict):
    """Query-string and form values (and their names) with control characters removed."""

    def __init__(self, mapping=None):
        pairs = MultiDict(mapping).items(multi=True)
        super().__init__([(_clean(key), _clean(value)) for key, value in pairs])


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


class CleanRequest(Request):
    """The request class of the app: request.args, request.form and request.values are cleaned."""

    parameter_storage_class = CleanMultiDict


@event.listens_for(Session, "before_flush")
def strip_control_characters_on_flush(session: Session, flush_context, instances) -> None:
    """The safety net under CleanRequest: text columns never store NUL or the other C0 characters,
    whichever way the text came in (PostgreSQL refuses NUL outright, with a 500)."""
    for obj in list(session.new) + list(session.dirty):
        state = inspect(obj)
        columns = state.mapper.column_attrs
        # A new record's every value; a loaded one's only those set since loading (committed_state holds them).
        for key in list(state.dict if state.key is None else state.committed_state):
            column_attr = columns.get(key)
            value = state.dict.get(key)  # only values set or loaded: nothing is fetched here
            if (
                column_attr is not None
                and isinstance(value, str)
                and isinstance(column_attr.columns[0].type, String)
                and _CONTROL_CHARACTERS.search(value)
            ):
                setattr(obj, column_attr.key, clean_text(value))
