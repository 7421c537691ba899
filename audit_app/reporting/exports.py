"""CSV and XLSX exports of the filtered judgements and of each summary table.

Each file starts with the filters that produced it (one "Filter, value" row each), then a blank
row, then the table: the same figures the page shows, from the same queries.
"""

import csv
import io
import re
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ..models.practice_week import ACTIVITY_TYPE_LABELS
from .filters import Filters
from .queries import EXPORT_BATCH, GRADES, Trend, domain_labels, judgement_batches, lens_judgement_batches

TABLES = {
    "judgements": "Judgements",
    "domains": "Grades by domain",
    "lenses": "Grades by lens",
    "trend": "Good or better by month",
    "themes": "Recurring themes",
}

# Rows in each piece of a streamed CSV: a batch of the export's queries.
CSV_CHUNK_ROWS = EXPORT_BATCH
# Distinct values an export remembers having formatted or checked: bounded, so memory stays constant.
CACHED_VALUES = 4096


def spread_table(rows, first_column: str):
    header = [first_column, *GRADES.values(), "Not graded", "Graded", "Good or better %"]
    body = [
        [r.label, *[r.counts[g] for g in GRADES], r.not_graded, r.graded, r.good_pct if r.good_pct is not None else ""]
        for r in rows
    ]
    return header, body


def trend_table(trend: Trend):
    header = ["Domain"]
    for month in trend.months:
        header += [f"{Trend.month_label(month)} good or better %", f"{Trend.month_label(month)} graded"]
    body = []
    for row in trend.rows:
        line = [row["label"]]
        for month in trend.months:
            good, graded = row["cells"].get(month, (0, 0))
            line += [round(100 * good / graded) if graded else "", graded]
        body.append(line)
    return header, body


def themes_table(rows, period_label: str, previous_label: str):
    header = [
        "Theme",
        f"Audits ({period_label})",
        f"Observations ({period_label})",
        f"Total ({period_label})",
        f"Total ({previous_label})",
        "Change",
    ]
    body = [
        [t.name + ("" if t.is_active else " (retired)"), t.audits, t.observations, t.total, t.previous_total, t.change]
        for t in rows
    ]
    return header, body


JUDGEMENT_COLUMNS = [
    "Source",
    "Case reference",
    "Date",
    "Status",
    "Domain or lens",
    "Question or activity",
    "Auditor or observer",
    "Team",
    "Auditor's grade",
    "Grade counted",
    "Themes",
    "Evidence",
]


def judgements_table(filters: Filters):
    """Every judgement the filters select: the audits' and, unless the filters leave them out, the
    practice-week observations' lens judgements; each row says whose, which question and which themes."""
    labels = domain_labels()
    # Eight or so judgements share an audit's date: each is written once (a bounded cache, as for cells).
    day = lru_cache(maxsize=CACHED_VALUES)(lambda moment: moment.strftime("%Y-%m-%d"))

    # Over 50 lines only because ruff's format puts each of an audit row's thirteen unpacked columns on a line.
    def rows():
        # Plain rows, unpacked by position (the columns of queries.drill_down's _judgement_rows and
        # _observation_rows, in order, then the ids of the record's themes): a large export reads millions of them.
        for batch, themes in judgement_batches(filters):
            for (
                _,
                _,
                domain_key,
                grade,
                original,
                evidence,
                submitted,
                status,
                reference,
                _,
                question,
                auditor,
                team,
                theme_ids,
            ) in batch:
                yield [
                    "Audit",
                    reference,
                    day(submitted) if submitted else "",
                    status.capitalize(),
                    labels.get(domain_key, domain_key),
                    question,
                    auditor,
                    team,
                    GRADES.get(original, "Not applicable"),
                    GRADES.get(grade, "Not applicable"),
                    themes[theme_ids],
                    evidence or "",
                ]
        for batch, themes in lens_judgement_batches(filters):
            for _, observed_on, activity_type, team, reference, observer, lens, grade, note, _, theme_ids in batch:
                observed = GRADES.get(grade, "Not observed")
                yield [
                    "Observation",
                    reference or "",
                    day(observed_on),
                    "Submitted",
                    labels.get(lens, lens),
                    ACTIVITY_TYPE_LABELS.get(activity_type, activity_type),
                    observer,
                    team or "",
                    observed,
                    observed,
                    themes[theme_ids],
                    note or "",
                ]

    return JUDGEMENT_COLUMNS, rows()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """Every cell of every export goes through here: text a spreadsheet would run as a formula
    (starting = + - @, tab or a line break) is kept as text behind an apostrophe, and control characters
    a spreadsheet cannot hold are dropped. Numbers and dates pass unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _rows(title: str, described_filters: list[tuple[str, str]], header, body):
    """The file, row by row: its title, the filters that produced it, a blank row, the header, the table."""
    yield [title]
    for name, value in described_filters:
        yield [f"Filter: {name}", value]
    yield []
    yield header
    yield from body


def csv_chunks(title: str, described_filters: list[tuple[str, str]], header, body):
    """The CSV file in pieces of CSV_CHUNK_ROWS rows, for a streamed response: never more in memory. The
    same bytes as csv.writer writes (its quoting, "\r\n" line ends), each distinct text made safe and
    quoted once: most cells repeat (names, labels, grades, themes), and a million rows through csv.writer
    and a check per cell took longer than reading them."""
    rows_per_chunk = CSV_CHUNK_ROWS
    cells = _CsvCells()
    lines = []
    for n, row in enumerate(_rows(title, described_filters, header, body), 1):
        if len(row) > 1:
            lines.append(",".join([cells[v] if v.__class__ is str else _csv_cell(v) for v in row]))
        else:
            lines.append(_csv_line(row))  # csv.writer writes a row of one empty cell as ""
        if n % rows_per_chunk == 0:
            yield "\r\n".join(lines) + "\r\n"
            lines.clear()
    if lines:
        yield "\r\n".join(lines) + "\r\n"


class _CsvCells(dict):
    """Each distinct text's cell as the file holds it, worked out when first met; bounded, so memory stays
    flat. Texts only: 1, 1.0 and True are equal keys but different cells."""

    def __missing__(self, value: str) -> str:
        if len(self) >= CACHED_VALUES:
            self.clear()
        # Most texts (each judgement's evidence is new) need nothing: one search says so.
        plain = _NEEDS_CARE.search(value) is None and not value.startswith(FORMULA_STARTS)
        cell = self[value] = value if plain else _quoted(safe_cell(value))
        return cell


# What makes csv.writer (the excel dialect, minimal quoting) quote a cell.
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
# What safe_cell would drop, or csv.writer quote.
_NEEDS_CARE = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|{_NEEDS_QUOTES.pattern}")


def _quoted(text: str) -> str:
    return _csv_line([text]) if _NEEDS_QUOTES.search(text) else text


def _csv_cell(value) -> str:
    """A cell that is not plain text (a number, a date, None, a str subclass) as csv.writer writes it."""
    return "" if value is None else _quoted(str(safe_cell(value)))


def _csv_line(row) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(v) for v in row])
    return out.getvalue()[:-2]


def to_csv(title: str, described_filters: list[tuple[str, str]], header, body) -> str:
    return "".join(csv_chunks(title, described_filters, header, body))


def to_xlsx(title: str, described_filters: list[tuple[str, str]], header, body) -> bytes:
    """The workbook, written row by row (openpyxl's write-only mode: no cell kept once written; its table of
    distinct texts and the zipped file are still held whole, so a large export is better as CSV)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold_rows = (1, len(described_filters) + 3)  # the title and the header
    for n, row in enumerate(_rows(title, described_filters, header, body), 1):
        cells = [safe_cell(v) for v in row]
        sheet.append([_bold(sheet, v) for v in cells] if n in bold_rows else cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _bold(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell
