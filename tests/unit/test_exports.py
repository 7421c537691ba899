"""Every cell of a CSV or XLSX export, whichever row it is in, is text a spreadsheet will not run."""

import csv
import io

import pytest
from openpyxl import load_workbook

from audit_app.reporting.exports import safe_cell, to_csv, to_xlsx

DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_value_a_spreadsheet_would_run_is_kept_as_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-3, 2.5, 0, None, "Good", "Voice of the child", "3 - 1", ""])
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert safe_cell(value) == value


def _sheet(title, filters, header, body):
    return to_csv(title, filters, header, body), load_workbook(io.BytesIO(to_xlsx(title, filters, header, body))).active


def test_title_filter_rows_header_and_data_are_all_neutralised():
    filters = [("Team", '=HYPERLINK("http://example.org")'), ("Locality", "@North")]
    text, sheet = _sheet("=Title", filters, ["Domain", "+Header"], [["-Data", 5, -2], ["\tTabbed", None, 1.5]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["'=Title"],
        ["Filter: Team", '\'=HYPERLINK("http://example.org")'],
        ["Filter: Locality", "'@North"],
        [],
        ["Domain", "'+Header"],
        ["'-Data", "5", "-2"],
        ["'\tTabbed", "", "1.5"],
    ]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)] == [
        ["'=Title"],
        ["Filter: Team", '\'=HYPERLINK("http://example.org")'],
        ["Filter: Locality", "'@North"],
        [],
        ["Domain", "'+Header"],
        ["'-Data", 5, -2],
        ["'\tTabbed", 1.5],
    ]
    assert sheet["A1"].font.bold and sheet["A5"].font.bold and not sheet["A6"].font.bold


def test_cells_with_commas_quotes_and_line_breaks_read_back_as_they_were_written():
    body = [["a,b", 'say "hi"', "two\nlines", "cr\rhere", "", None, 3, 2.5, True], [""], ["plain", "a,b"]]
    rows = list(csv.reader(io.StringIO(to_csv("Title", [], ["One", "Two"], body), newline="")))
    assert rows[3:] == [
        ["a,b", 'say "hi"', "two\nlines", "cr\rhere", "", "", "3", "2.5", "True"],
        [""],
        ["plain", "a,b"],
    ]


# Texts a CSV cell needs care with: control characters, formula starts (some behind a control character),
# the characters csv.writer quotes, and plain text around them.
TRICKY = ["plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "bell\x07here", "\x01=1+1", "=1,2", "-", "", "\x0b"]


def test_the_csv_is_byte_for_byte_what_csv_writer_writes_of_the_safe_cells():
    body = [TRICKY, TRICKY[::-1], [3, 2.5, None, True, "£ and é"], [""]]
    expected = io.StringIO()
    for row in [["Title"], ["Filter: Team", "\x02North, East"], [], ["One", "Two"], *body]:
        csv.writer(expected).writerow([safe_cell(v) for v in row])
    assert to_csv("Title", [("Team", "\x02North, East")], ["One", "Two"], body) == expected.getvalue()
