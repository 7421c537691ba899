"""Theme summary (filters, figures, drill-down, charts, exports) and the theme taxonomy."""

from itertools import chain

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from ..extensions import db
from ..family_voice import figures as family_figures
from ..forms import record_choices
from ..htmx import render_page_or_fragment
from ..idempotency import save_named
from ..models import Theme
from ..parsing import parse_id, parse_page
from ..permissions import Permission, requires
from ..replica import read_only, stream_read_only
from ..reporting import exports, findings, queries
from ..reporting.queries import Selection
from ..theme_model import current_model, suggest_themes
from . import charts, services
from .forms import MergeForm, RetireForm, ThemeForm
from .links import drill_cell, filtered_url

bp = Blueprint("themes", __name__, url_prefix="/themes")


bp.add_app_template_global(filtered_url)
bp.add_app_template_global(drill_cell)


def _page_context(filters):
    return {
        "filters": filters,
        "described": services.describe_filters(filters),
        "choices": services.filter_choices(filters),
        "period": filters.period_obj,
        "previous": filters.period_obj.previous(),
        "grades": queries.GRADES,
    }


def render_filtered(page_template: str, fragment_template: str, filters, **figures):
    """A page of the theme summary with its filters form, or for htmx only the part `fragment_template` shows:
    every such page gives its templates the filters the same way."""
    return render_page_or_fragment(page_template, fragment_template, **_page_context(filters), **figures)


@bp.route("/")
@requires(Permission.VIEW_THEME_SUMMARIES)
@read_only
def summary():
    filters = services.filters_from(request.args)
    quote_theme = parse_id(request.args.get("quote_theme"))
    return render_filtered(
        "themes/summary.html",
        "themes/_results.html",
        filters,
        summary=services.summary(filters),
        quote_theme=quote_theme,
        quotes=family_figures.quotes_for_theme(filters, quote_theme) if quote_theme else [],
        min_n=findings.MIN_N,
        area_threshold=findings.AREA_THRESHOLD,
        strength_threshold=findings.STRENGTH_THRESHOLD,
    )


@bp.route("/trend")
@requires(Permission.VIEW_THEME_SUMMARIES)
@read_only
def trend():
    filters = services.filters_from(request.args)
    return render_filtered("themes/trend.html", "themes/_trend.html", filters, trend=services.trend(filters))


@bp.route("/evidence")
@requires(Permission.VIEW_THEME_SUMMARIES)
@read_only
def evidence():
    filters = services.filters_from(request.args)
    selection = Selection.from_args(request.args)
    page = services.evidence_page(filters, selection, parse_page(request.args.get("page")))
    return render_filtered("themes/evidence.html", "themes/_evidence.html", filters, **page)


@bp.route("/chart/<any(domains, lenses, trend, themes):kind>.svg")
@requires(Permission.VIEW_THEME_SUMMARIES)
@read_only
def chart(kind):
    filters = services.filters_from(request.args)
    period = filters.period_obj
    if kind == "domains":
        svg = charts.grade_spread_chart(
            queries.domain_spread(filters) if filters.include_audits else [], f"Grades by domain, {period.short_label}"
        )
    elif kind == "lenses":
        svg = charts.grade_spread_chart(
            queries.lens_spread(filters) if filters.include_observations else [],
            f"Grades by lens, {period.short_label}",
        )
    elif kind == "trend":
        svg = charts.trend_chart(queries.good_or_better_by_month(filters), "Good or better, month by month")
    else:
        svg = charts.themes_chart(
            queries.theme_ranking(filters), f"Themes raised, {period.short_label}", period.previous().short_label
        )
    response = Response(svg, mimetype="image/svg+xml")
    # The chart's own <style> element; an SVG with no script and nothing else loaded.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    )
    return response


@bp.route("/export/<any(judgements, domains, lenses, trend, themes):table>.<any(csv, xlsx):fmt>")
@requires(Permission.VIEW_THEME_SUMMARIES)
@read_only
def export(table, fmt):
    filters = services.filters_from(request.args)
    header, body = services.export_table(filters, table)
    title = exports.TABLES[table]
    described = services.describe_filters(filters)
    headers = {"Content-Disposition": f'attachment; filename="{table}-{filters.period}.{fmt}"'}
    if fmt == "csv":
        chunks = exports.csv_chunks(title, described, header, body)
        # The first piece, with its first query, is made before answering: a failure there is an error
        # page, not a half-sent file. The rest is sent as it is read (constant memory for any period).
        first = next(chunks, "")
        return Response(stream_read_only(chain([first], chunks)), mimetype="text/csv", headers=headers)
    content = exports.to_xlsx(title, described, header, body)
    return Response(
        content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers=headers
    )


# Enough for any evidence box; the model reads no further.
SUGGESTION_TEXT_LIMIT = 20_000


@bp.route("/suggest", methods=["POST"])
@requires(Permission.SUGGEST_THEMES)
def suggest():
    """Up to three themes for the text being written, as a fragment for the form's status region (htmx posts
    only the evidence field it watches). The text is read here and never stored or logged."""
    text = "\n".join(value for key, value in request.form.items(multi=True) if key != "csrf_token")
    [suggestions] = suggest_themes([text[:SUGGESTION_TEXT_LIMIT]])
    return render_template("themes/_suggestions.html", suggestions=suggestions)


# --- Taxonomy ------------------------------------------------------------------------------------


@bp.route("/manage", methods=["GET", "POST"])
@requires(Permission.MANAGE_THEMES)
def manage():
    form = ThemeForm()
    if form.validate_on_submit() and (
        saved := save_named(
            form,
            Theme,
            lambda: services.add_theme(form.name.data, form.description.data, form.keywords.data),
            noun="theme",
        )
    ):
        flash(f"Added the theme {saved[0].name}.")
        return redirect(url_for("themes.manage"))
    return render_template(
        "themes/manage.html", form=form, themes=services.themes_for_management(), model=current_model()
    )


@bp.route("/manage/<int:theme_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_THEMES)
def edit(theme_id):
    theme = db.get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit() and save_named(
        form,
        Theme,
        lambda: services.update_theme(theme, form.name.data, form.description.data, form.keywords.data),
        noun="theme",
        except_id=theme.id,
    ):
        flash(f"Saved the theme {theme.name}.")
        return redirect(url_for("themes.edit", theme_id=theme.id))
    return render_template(
        "themes/edit.html",
        form=form,
        theme=theme,
        retire_form=RetireForm(),
        history=services.theme_history(theme),
        merged_into=db.session.get(Theme, theme.merged_into_id) if theme.merged_into_id else None,
    )


@bp.route("/manage/<int:theme_id>/merge", methods=["GET", "POST"])
@requires(Permission.MANAGE_THEMES)
def merge(theme_id):
    theme = db.get_or_404(Theme, theme_id)
    form = MergeForm()
    form.target.choices = record_choices("Choose a theme", services.merge_targets(theme))
    if form.validate_on_submit():
        target = db.session.get(Theme, form.target.data)
        if not theme.is_active:
            form.target.errors.append(f"{theme.name} is no longer in use, so it cannot be merged")
        elif target is None or target.id == theme.id or not target.is_active:
            form.target.errors.append("Select an active theme other than this one")
        else:
            result = services.merge_themes(theme, target)
            flash(
                f"Merged {theme.name} into {target.name}: {result.judgements} judgements, "
                f"{result.observations} observations and {result.quick_wins} quick wins moved."
            )
            return redirect(url_for("themes.edit", theme_id=target.id))
    return render_template("themes/merge.html", form=form, theme=theme)


@bp.route("/manage/<int:theme_id>/<any(retire, reinstate):action>", methods=["POST"])
@requires(Permission.MANAGE_THEMES)
def retire(theme_id, action):
    theme = db.get_or_404(Theme, theme_id)
    form = RetireForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_retired(theme, action == "retire")
    flash(f"{'Retired' if action == 'retire' else 'Reinstated'} the theme {theme.name}.")
    return redirect(url_for("themes.edit", theme_id=theme.id))
