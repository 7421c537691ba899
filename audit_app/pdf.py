"""Printed reports as PDF: a page's HTML rendered by WeasyPrint with the print stylesheet."""

from config import BASE_DIR

STYLESHEET = BASE_DIR / "static" / "css" / "plan-report.css"


def pdf_from_html(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported here: it loads Pango when first used

    # No base_url: the document refers to nothing outside itself, so nothing is fetched.
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
