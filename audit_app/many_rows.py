"""Many rows of one table written in one statement, for the writes every autosave makes (a page of answers
and their change log).

On PostgreSQL each column goes as one array and unnest() turns the arrays back into rows: one statement,
prepared once by psycopg whatever the number of rows, where executemany sends an UPDATE a row through psycopg's
pipeline, polling for the answers, and an INSERT in batches of VALUES of every size. Writing a page of 8 answers
and their 8 change-log rows took 0.81 ms of the app's CPU rather than 0.98; 10,000 change-log rows (a theme
merge) 60 ms rather than 110 to 130 (benchmarks/RESULTS.md, eighth session). SQLite runs in the process, where
executemany is already cheap.
"""

from functools import cache

from sqlalchemy import Connection, String, Table, Text, bindparam, cast, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY


def insert_many(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert rows that all give the same columns."""
    _write(connection, table, rows, _insert, _insert_unnest)


def update_many(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Set columns of existing rows by their "id": every row gives the id and the same columns."""
    _write(connection, table, rows, _update, _update_unnest)


def _write(connection: Connection, table: Table, rows: list[dict], a_row_at_a_time, unnested) -> None:
    if not rows:
        return
    names = tuple(rows[0])
    if connection.dialect.name == "postgresql":
        connection.execute(unnested(table, names), _arrays(names, rows))
    else:
        connection.execute(a_row_at_a_time(table, names), _bound(rows))


# Values are bound under names of their own: an UPDATE binds a column's own name to SET it.
def _bound(rows: list[dict]) -> list[dict]:
    return [{f"given_{name}": value for name, value in row.items()} for row in rows]


def _arrays(names: tuple[str, ...], rows: list[dict]) -> dict[str, list]:
    return {f"given_{name}": [row[name] for row in rows] for name in names}


def _given(table: Table, names: tuple[str, ...]):
    """The rows as unnest() of one typed array a column, named as the table's columns."""
    arrays = [cast(bindparam(f"given_{name}"), ARRAY(_unbounded(table.c[name].type))) for name in names]
    return func.unnest(*arrays).table_valued(*names).render_derived(name="given")


def _unbounded(column_type):
    """The type of a column's array: text of any length for a String(n), as a cast to varchar(n) would cut longer
    text without a word, where writing it into the column refuses it, as a row at a time did."""
    return Text() if isinstance(column_type, String) and column_type.length else column_type


# Each statement is built once per table and columns: SQLAlchemy works out a statement's cache key once per object.
@cache
def _insert(table: Table, names: tuple[str, ...]):
    return insert(table).values({name: bindparam(f"given_{name}") for name in names})


@cache
def _insert_unnest(table: Table, names: tuple[str, ...]):
    given = _given(table, names)
    return insert(table).from_select(names, select(*(given.c[name] for name in names)))


@cache
def _update(table: Table, names: tuple[str, ...]):
    values = {name: bindparam(f"given_{name}") for name in names if name != "id"}
    return update(table).where(table.c.id == bindparam("given_id")).values(values)


@cache
def _update_unnest(table: Table, names: tuple[str, ...]):
    given = _given(table, names)
    values = {name: given.c[name] for name in names if name != "id"}
    return update(table).where(table.c.id == given.c.id).values(values)
