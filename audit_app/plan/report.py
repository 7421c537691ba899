"""The board report as a PDF: the same template as the HTML page, rendered by WeasyPrint."""

from flask import render_template

from config import BASE_DIR

from .services import BoardReport

STYLESHEET = BASE_DIR / "static" / "css" / "plan-report.css"


def render_pdf(report: BoardReport) -> bytes:
    from weasyprint import CSS, HTML  # imported here: it loads Pango when first used

    html = render_template("plan/report_pdf.html", report=report)
    # No base_url: the document refers to nothing outside itself, so nothing is fetched.
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
