"""QA leads' pages for weak evidence no theme covers: the review of untagged evidence, and emerging themes."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..htmx import is_htmx
from ..idempotency import save_named
from ..models import Theme
from ..parsing import parse_page
from ..permissions import Permission, requires
from ..reporting import queries
from . import emerging, review, services
from .forms import EmergingThemeForm, UntaggedReviewForm
from .routes import _page_context, bp, render_filtered
from .untagged import parse_key


@bp.route("/untagged", methods=["GET", "POST"])
@requires(Permission.MANAGE_THEMES)
def untagged():
    filters = services.filters_from(request.args)
    page = parse_page(request.args.get("page"))
    form = UntaggedReviewForm()
    message, problems = None, []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        result = review.apply_review(request.form, current_user)
        problems = result.problems
        message = f"Tagged {result.tagged} record{'' if result.tagged == 1 else 's'}"
        message += (
            f"; {result.rejected} suggestion{'' if result.rejected == 1 else 's'} rejected." if result.rejected else "."
        )
        if not problems and not is_htmx():
            flash(message)
            return redirect(url_for("themes.untagged", **filters.as_args(), **({"page": page} if page > 1 else {})))
    return render_filtered(
        "themes/untagged.html",
        "themes/_untagged.html",
        filters,
        **review.review_page(filters, page),
        form=form,
        message=message,
        problems=dict(problems),
        labels=queries.domain_labels(),
    )


@bp.route("/emerging")
@requires(Permission.MANAGE_THEMES)
def emerging_themes():
    filters = services.filters_from(request.args)
    found = emerging.emerging_themes(filters)
    return render_filtered("themes/emerging.html", "themes/_emerging.html", filters, emerging=found, limits=emerging)


@bp.route("/emerging/<int:number>", methods=["GET", "POST"])
@requires(Permission.MANAGE_THEMES)
def emerging_candidate(number):
    filters = services.filters_from(request.args)
    found = emerging.emerging_themes(filters)
    candidate = found.candidate(number)
    if candidate is None and request.method == "GET":
        abort(404)
    form = EmergingThemeForm()
    posted_version = request.form.get("version") if request.method == "POST" else request.args.get("version")
    stale = posted_version != found.version or candidate is None
    if request.method == "POST":
        ticked = candidate.to_tag(request.form.getlist("member")) if candidate else []
    else:
        ticked = candidate.record_keys
    if form.validate_on_submit() and not stale:
        saved = save_named(
            form,
            Theme,
            lambda: review.add_emerging_theme(
                form.name.data, form.description.data, form.keywords.data, [parse_key(k) for k in ticked]
            ),
            noun="theme",
        )
        if saved:
            flash(f"Added the theme {saved[0].name} and tagged {len(ticked)} records with it.")
            return redirect(url_for("themes.emerging_themes", **filters.as_args()))
    if request.method == "GET" and candidate:  # the group's own words, for the suggestions to start from
        form.keywords.data = ", ".join(candidate.words[:6])
    context = _page_context(filters)
    context.update(
        form=form,
        candidate=candidate,
        number=number,
        version=found.version,
        ticked=set(ticked),
        stale=stale,
        labels=queries.domain_labels(),
        excerpt=emerging.excerpt,
    )
    return render_template("themes/emerging_candidate.html", **context)
