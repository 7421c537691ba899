"""Reading an uploaded CSV for an all-or-nothing import: every row checked, errors by row."""

import csv
import io
from dataclasses import dataclass, field

from .forms import too_long


@dataclass
class RowError:
    row: int  # the line number a person sees in a spreadsheet (header is row 1)
    message: str


@dataclass
class CsvFile:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


MAX_VALUE_LENGTH = 1000  # longer than any value an import needs (references, names, emails, dates, figures)
UNREADABLE = (
    f"The row could not be read: a value may be longer than {MAX_VALUE_LENGTH:,} characters"
    " or have a quote mark not closed"
)
NOT_TEXT = "The file must be a CSV saved as UTF-8 (in Excel: Save as, CSV UTF-8), not a spreadsheet or other file"


def read_csv(stream, required: list[str], optional: list[str] = (), max_rows: int = 20000) -> CsvFile:
    """Rows as (row number, {column: stripped value}); header problems are errors on row 1.
    Whatever the file holds (another encoding, binary, a huge value, a broken quote) the answer is
    an error a person can act on, never an exception."""
    result = CsvFile()
    raw = stream.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append(RowError(1, NOT_TEXT))
            return result
    if "\x00" in raw:
        result.errors.append(RowError(1, NOT_TEXT))
        return result
    reader = csv.DictReader(io.StringIO(raw))
    try:
        _read_rows(reader, result, required, optional, max_rows)
    except Unreadable as problem:
        result.rows = []
        result.errors.append(RowError(problem.row, UNREADABLE))
    return result


class Unreadable(Exception):
    def __init__(self, row: int):
        super().__init__(row)
        self.row = row


def _numbered(reader: csv.DictReader):
    """(row number, row) for each row after the header; a row the csv module cannot read stops with its number."""
    number = 1
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise Unreadable(number) from None
        yield number, row


def _read_rows(reader: csv.DictReader, result: CsvFile, required, optional, max_rows) -> None:
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error:
        raise Unreadable(1) from None
    if not header:
        result.errors.append(RowError(1, "The file is empty"))
        return
    if any(len(h) > MAX_VALUE_LENGTH for h in header):
        result.errors.append(RowError(1, "The header row must be the names of the columns"))
        return
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        result.errors.append(RowError(1, f"The header row is missing: {', '.join(missing)}"))
        return
    unknown = [c for c in header if c and c not in required and c not in optional]
    if unknown:
        result.errors.append(RowError(1, f"The header row has columns we do not know: {', '.join(unknown)}"))
        return
    for number, row in _numbered(reader):
        if number - 1 > max_rows:
            result.errors.append(RowError(number, f"The file has more than {max_rows} rows; split it"))
            break
        if None in row:
            result.errors.append(RowError(number, "The row has more values than the header has columns"))
            continue
        values = {k: (v or "").strip() for k, v in row.items() if k}
        long_columns = [k for k, v in values.items() if len(v) > MAX_VALUE_LENGTH]
        if long_columns:
            columns = ", ".join(long_columns)
            result.errors.append(RowError(number, too_long(f"The value in the {columns} column", MAX_VALUE_LENGTH)))
            continue
        if not any(values.values()):
            continue  # blank lines at the end of spreadsheets
        result.rows.append((number, values))
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "The file has a header but no rows"))
