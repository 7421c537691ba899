"""Reading an uploaded CSV for an all-or-nothing import: every row checked, errors by row."""
import csv
import io
from dataclasses import dataclass, field


@dataclass
class RowError:
    row: int  # the line number a person sees in a spreadsheet (header is row 1)
    message: str


@dataclass
class CsvFile:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_csv(stream, required: list[str], optional: list[str] = (), max_rows: int = 20000) -> CsvFile:
    """Rows as (row number, {column: stripped value}); header problems are errors on row 1."""
    result = CsvFile()
    raw = stream.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append(RowError(1, "The file must be a CSV saved as UTF-8"))
            return result
    reader = csv.DictReader(io.StringIO(raw))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        result.errors.append(RowError(1, "The file is empty"))
        return result
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        result.errors.append(RowError(1, f"The header row is missing: {', '.join(missing)}"))
        return result
    unknown = [c for c in header if c and c not in required and c not in optional]
    if unknown:
        result.errors.append(RowError(1, f"The header row has columns we do not know: {', '.join(unknown)}"))
        return result
    for number, row in enumerate(reader, start=2):
        if number - 1 > max_rows:
            result.errors.append(RowError(number, f"The file has more than {max_rows} rows; split it"))
            break
        values = {k: (v or "").strip() for k, v in row.items() if k}
        if None in row:
            result.errors.append(RowError(number, "The row has more values than the header has columns"))
            continue
        if not any(values.values()):
            continue  # blank lines at the end of spreadsheets
        result.rows.append((number, values))
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "The file has a header but no rows"))
    return result
