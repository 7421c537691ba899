"""The inspection pack as files: one workbook (a sheet per section, a Source column) and one PDF."""

import io

from flask import render_template
from openpyxl import Workbook
from openpyxl.styles import Font

from ..pdf import pdf_from_html
from .pack import InspectionPack


def pack_workbook(pack: InspectionPack) -> bytes:
    workbook = Workbook()
    contents = workbook.active
    contents.title = "Contents"
    contents.append([f"Inspection pack: {pack.period.label}"])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append(["Section", "Rows", "Source"])
    for section in pack.sections:
        contents.append([section.title, len(section.rows), section.source])
        sheet = workbook.create_sheet(section.title[:31])
        sheet.append([*section.head, "Source"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cells, source in section.lines:
            sheet.append([*cells, source])
        if not section.rows:
            sheet.append([section.empty, *[""] * (len(section.head) - 1), section.source])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def pack_pdf(pack: InspectionPack) -> bytes:
    return pdf_from_html(render_template("inspection/pack_pdf.html", pack=pack))


def filename(pack: InspectionPack, extension: str) -> str:
    return f"inspection-pack-{pack.period.key}.{extension}"
