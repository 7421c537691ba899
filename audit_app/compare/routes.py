"""The compare page: the theme summary's filters, a dimension to compare by and a measure to plot."""

from flask import Blueprint, request, url_for

from ..htmx import render_page_or_fragment
from ..permissions import Permission, requires
from ..themes import services as summary
from . import charts, services

bp = Blueprint("compare", __name__, url_prefix="/compare")
bp.add_app_template_filter(charts.month_label, "month_label")


@bp.route("/")
@requires(Permission.VIEW_COMPARISONS)
def index():
    filters = summary.filters_from(request.args)
    by = services.parse_dimension(request.args.get("by"))
    page = services.page(filters, by, request.args.get("measure"))
    return render_page_or_fragment(
        "compare/index.html",
        "compare/_results.html",
        filters=filters,
        described=summary.describe_filters(page.comparison.filters),
        choices=summary.filter_choices(filters),
        period=filters.period_obj,
        page=page,
        action=url_for("compare.index"),
        extra_selects=[
            ("by", "Compare", [(key, label[1].capitalize()) for key, label in services.DIMENSIONS.items()], by)
        ],
        audits_only=True,
    )
