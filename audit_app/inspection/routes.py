"""The inspection pack page: choose a period, download the workbook and the PDF."""

from flask import Blueprint, Response, abort, render_template, request

from ..permissions import Permission, requires
from ..replica import read_only
from ..reporting import queries
from ..reporting.filters import parse_period
from . import files
from .pack import inspection_pack

bp = Blueprint("inspection", __name__, url_prefix="/inspection-pack")

FORMATS = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", files.pack_workbook),
    "pdf": ("pdf", "application/pdf", files.pack_pdf),
}


def _period():
    key = (request.args.get("period") or "").strip()
    return parse_period(key) or parse_period(queries.default_period_key())


@bp.route("/")
@requires(Permission.DOWNLOAD_INSPECTION_PACK)
@read_only
def index():
    period = _period()
    return render_template(
        "inspection/index.html",
        period=period,
        choices=queries.period_choices(period.key),
        pack=inspection_pack(period),
    )


@bp.route("/download/<fmt>")
@requires(Permission.DOWNLOAD_INSPECTION_PACK)
@read_only
def download(fmt):
    if fmt not in FORMATS:
        abort(404)
    extension, mimetype, render = FORMATS[fmt]
    pack = inspection_pack(_period())
    disposition = f'attachment; filename="{files.filename(pack, extension)}"'
    return Response(render(pack), mimetype=mimetype, headers={"Content-Disposition": disposition})
