"""Change history as a person reads it: the ChangeLog rows of some records, newest first, with
names rather than ids and grade labels rather than numbers.

Every feature's history page uses record_history() and shows the rows with the history_table
macro in templates/components/macros.html; a feature only says which records count and how to
describe a change ("Voice of the child: grade").
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import joinedload

from .dates import long_date
from .extensions import db
from .models.audits import AuditProgramme
from .models.cases import Case
from .models.changelog import ChangeLog
from .models.grades import GRADE_LABELS
from .models.org import Locality, Service, Team
from .models.practice_week import PracticeWeek
from .models.themes import Theme
from .models.users import User
from .parsing import parse_id, parse_ids
from .templating import long_datetime


@dataclass(frozen=True)
class HistoryRow:
    changed_at: datetime
    who: str
    what: str
    old: str | None
    new: str | None


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*")
CODE = re.compile(r"[a-z]+(_[a-z]+)*")  # a stored choice such as "in_progress" or "green"


def readable(value: str) -> str:
    """A stored value as the rest of the service shows it: dates as "5 October 2021", times in UK
    time, choices as words ("In progress")."""
    if ISO_DATE.fullmatch(value):
        return long_date(date.fromisoformat(value))
    if ISO_DATETIME.fullmatch(value):
        return long_datetime(datetime.fromisoformat(value))
    if CODE.fullmatch(value):
        return value.replace("_", " ").capitalize()
    return value


# The records a history covers: a record type with one id, or with a subquery of ids.
Source = tuple[str, int | Select]
# Turns the ids a set of changes mention into names, all at once (one query, not one per row).
NameLookup = Callable[[set[int]], Mapping[int, str]]


def people_names(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def case_references(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Case.id, Case.case_reference).where(Case.id.in_(ids))).all())


def programme_names(ids: set[int]) -> dict[int, str]:
    return dict(
        db.session.execute(select(AuditProgramme.id, AuditProgramme.name).where(AuditProgramme.id.in_(ids))).all()
    )


def grade_names(ids: set[int]) -> dict[int, str]:
    return {i: GRADE_LABELS[i] for i in ids if i in GRADE_LABELS}


def _names_of(model, label="name") -> NameLookup:
    def lookup(ids: set[int]) -> dict[int, str]:
        return dict(db.session.execute(select(model.id, getattr(model, label)).where(model.id.in_(ids))).all())

    return lookup


# Bookkeeping a person never reads in a history: links between a record and its parent, the place
# a form was left, version counters. The change that matters is shown by the record's own fields.
HIDDEN_FIELDS = frozenset(
    {
        "audit_id",
        "observation_id",
        "moderation_id",
        "judgement_id",
        "question_id",
        "tool_version_id",
        "activity_id",
        "domain_key",
        "last_section",
        "last_domain_key",
        "reaudit_of_id",
        "version",
        "updated_at",
        "answered",
    }
)


# Fields that mean the same thing on every record; a feature adds its own with `names`.
COMMON_NAMES: dict[str, NameLookup] = {
    "grade": grade_names,
    "overall_grade": grade_names,
    "case_id": case_references,
    "programme_id": programme_names,
    "theme_id": _names_of(Theme),
    "team_id": _names_of(Team),
    "service_id": _names_of(Service),
    "locality_id": _names_of(Locality),
    "practice_week_id": _names_of(PracticeWeek, "title"),
    **dict.fromkeys(
        (
            "auditor_id",
            "moderator_id",
            "observer_id",
            "owner_id",
            "created_by_id",
            "recorded_by_id",
            "drawn_by_id",
            "supervisor_id",
            "supervisee_id",
        ),
        people_names,
    ),
}


def field_words(change: ChangeLog) -> str:
    """The field as words, without the "id" of a link: "theme_id" reads "theme"."""
    return change.field.removesuffix("_id").replace("_", " ")


def record_history(
    sources: Iterable[Source],
    describe: Callable[[ChangeLog], str] = field_words,
    names: Mapping[str, NameLookup] | None = None,
) -> list[HistoryRow]:
    """Every recorded change of the given records, newest first."""
    conditions = [
        and_(ChangeLog.record_type == record_type, ChangeLog.record_id == ids)
        if isinstance(ids, int)
        else and_(ChangeLog.record_type == record_type, ChangeLog.record_id.in_(ids))
        for record_type, ids in sources
    ]
    if not conditions:
        return []
    changes = db.session.scalars(
        select(ChangeLog)
        .where(or_(*conditions), ChangeLog.field.not_in(HIDDEN_FIELDS))
        .options(joinedload(ChangeLog.user))
        .order_by(ChangeLog.changed_at.desc(), ChangeLog.id.desc())
    ).all()
    show = _value_namer(changes, {**COMMON_NAMES, **(names or {})})
    return [
        HistoryRow(
            changed_at=c.changed_at,
            who=c.user.display_name if c.user else "System",
            what=describe(c),
            old=show(c.field, c.old_value),
            new=show(c.field, c.new_value),
        )
        for c in changes
    ]


def _value_namer(changes, lookups: Mapping[str, NameLookup]) -> Callable[[str, str | None], str | None]:
    # Group the ids by lookup so that, say, owners and creators cost one query between them.
    wanted: dict[NameLookup, set[int]] = {}
    for c in changes:
        if c.field in lookups:
            ids = set(parse_ids(v for v in (c.old_value, c.new_value) if v))
            wanted.setdefault(lookups[c.field], set()).update(ids)
    found = {lookup: lookup(ids) for lookup, ids in wanted.items() if ids}

    def show(field: str, value: str | None) -> str | None:
        if value is None:
            return None
        ident = parse_id(value)
        if ident is None or field not in lookups:
            return readable(value)
        # A record deleted since keeps its id rather than showing nothing.
        return found.get(lookups[field], {}).get(ident, value)

    return show
