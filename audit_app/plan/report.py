"""The board report as a PDF: the same template as the HTML page, rendered by WeasyPrint."""

from flask import render_template

from ..pdf import pdf_from_html
from .services import BoardReport


def render_pdf(report: BoardReport) -> bytes:
    return pdf_from_html(render_template("plan/report_pdf.html", report=report))
