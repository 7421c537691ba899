from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, ForeignKey, Table
from sqlalchemy.orm import Mapped, MappedColumn, Relationship, mapped_column, orm_insert_sentinel, relationship

from ..extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Audited:
    """Marker: changes to this model are recorded in the change log (see audit_app/changelog.py)."""

    __audit_exclude__: frozenset[str] = frozenset({"created_at", "updated_at"})


class InsertedInBatches:
    """Rows one save adds several of (a page of answers, a moderator's grades): with a sentinel column
    SQLite sends them in one INSERT, as PostgreSQL does without one; otherwise it sends one INSERT per row,
    as it cannot say which new id belongs to which row. The column is never read or shown."""

    _sentinel: Mapped[int | None] = orm_insert_sentinel()


# Where columns stand in CREATE TABLE: by mapped_column's sort_order (0 unless given), and at the same order a class's
# own columns before its mixins' (in the order of its bases). A mixin whose columns come right after a record's id and key to its parent (as in
# MonthlyRecord) puts its id first, the class gives its key PARENT_KEY_ORDER, and the mixin's own columns MIXIN_LEADING.
ID_ORDER, PARENT_KEY_ORDER, MIXIN_LEADING = -3, -2, -1


def owner_key(parent: str, *, index: bool = True, unique: bool = False, sort_order: int = 0) -> MappedColumn:
    """The key to the row this one belongs to: the row is deleted with its parent, and the key is indexed so
    a parent's rows are found fast, unless unique (one row per parent) or index=False (an index or a unique
    constraint already starts with it)."""
    return mapped_column(
        ForeignKey(f"{parent}.id", ondelete="CASCADE"),
        index=(index and not unique) or None,
        unique=unique or None,
        sort_order=sort_order,
    )


def owned_rows(back_populates: str, order_by: str | bool = False) -> Relationship:
    """A parent's list of the rows that belong to it (their owner_key): saved with it, and deleted with it or
    when taken off the list. Loaded as any other relationship (lazily, on first use)."""
    return relationship(back_populates=back_populates, order_by=order_by, cascade="all, delete-orphan")


def link_key(table: str, name: str | None = None, *, cascade: bool = True, index: bool | None = None) -> Column:
    """One end of a many-to-many link table, named `<table>_id` unless told: part of the primary key; the links
    go with a deleted row unless cascade=False (then a row that is still linked cannot be deleted)."""
    ondelete = "CASCADE" if cascade else None
    return Column(name or f"{table}_id", ForeignKey(f"{table}.id", ondelete=ondelete), primary_key=True, index=index)


def link_table(name: str, *keys: Column) -> Table:
    """A many-to-many link table: its rows are the pairs of `keys` (made by `link_key`)."""
    return Table(name, db.metadata, *keys)
