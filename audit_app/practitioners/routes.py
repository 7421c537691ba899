"""The worker's and team manager's lists, the worker's response, and the moderators' disagreements."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..audits.services import get_audit
from ..extensions import db
from ..htmx import render_page_or_fragment
from ..models.grades import GRADE_LABELS
from ..navigation import Panel
from ..parsing import parse_page
from ..permissions import Permission, Role, requires
from . import services
from .forms import ResolutionForm, response_form
from .services.lists import PANEL_SIZE, awaiting_counts

bp = Blueprint("practitioners", __name__, url_prefix="/practitioners")


def _panel(user, title: str, endpoint: str):
    pagination, rows = services.shared_audit_rows(user, per_page=PANEL_SIZE)
    awaited, overdue = awaiting_counts(user)
    context = {"rows": rows, "total": pagination.total, "awaited": awaited, "overdue": overdue, "endpoint": endpoint}
    return Panel(title, "practitioners/_home_panel.html", context)


def worker_panel(user):
    if not user.has_role(Role.PRACTITIONER) or not user.can(Permission.RESPOND_TO_AUDITS):
        return None
    return _panel(user, "Audits of your cases", "practitioners.my_audits")


def team_panel(user):
    if not user.has_role(Role.TEAM_MANAGER):
        return None
    return _panel(user, "Your team's audits", "practitioners.team_audits")


def disagreements_panel(user):
    if not user.can(Permission.MODERATE_AUDITS):
        return None
    page = services.open_disagreements(1, per_page=PANEL_SIZE)
    if not page.total:
        return None
    return Panel("Disagreements to resolve", "practitioners/_disagreements_panel.html", {"page": page})


def _list(title: str, template_endpoint: str, team: bool):
    pagination, rows = services.shared_audit_rows(current_user, page=parse_page(request.args.get("page")))
    return render_page_or_fragment(
        "practitioners/list.html",
        "practitioners/_list.html",
        target="shared-audits",
        title=title,
        endpoint=template_endpoint,
        pagination=pagination,
        rows=rows,
        team=team,
    )


@bp.route("/my-audits")
@requires(Permission.RESPOND_TO_AUDITS)
def my_audits():
    return _list("Audits of your cases", "practitioners.my_audits", team=False)


@bp.route("/team-audits")
@requires(Permission.VIEW_SHARED_AUDITS)
def team_audits():
    if not current_user.has_role(Role.TEAM_MANAGER):
        abort(403)
    return _list("Your team's audits", "practitioners.team_audits", team=True)


@bp.route("/audits/<int:audit_id>/respond", methods=["GET", "POST"])
@requires(Permission.RESPOND_TO_AUDITS)
def respond(audit_id):
    audit = get_audit(audit_id, current_user)
    if not services.may_respond(audit, current_user):
        abort(403)
    existing = services.response_for(audit)
    if existing is not None and existing.submitted_at is not None:
        flash("You have already sent your response to this audit.")
        return redirect(url_for("audits.view", audit_id=audit.id, _anchor="response"))
    domains = services.graded_domains(audit)
    form = response_form(domains)
    if form.validate_on_submit():
        response, created = services.submit_response(
            audit, current_user, form.reflection.data, form.answers(), token=form.form_token.data
        )
        flash("Your response has been sent." if created else "You have already sent your response to this audit.")
        return redirect(url_for("audits.view", audit_id=audit.id, _anchor="response"))
    status = 400 if form.errors else 200
    return render_template(
        "practitioners/respond.html", audit=audit, form=form, domains=domains, grade_labels=GRADE_LABELS
    ), status


@bp.route("/disagreements")
@requires(Permission.MODERATE_AUDITS)
def disagreements():
    page = services.open_disagreements(parse_page(request.args.get("page")))
    return render_page_or_fragment(
        "practitioners/disagreements.html", "practitioners/_disagreements.html", target="disagreements", page=page
    )


@bp.route("/disagreements/<int:disagreement_id>", methods=["GET", "POST"])
@requires(Permission.MODERATE_AUDITS)
def resolve(disagreement_id):
    disagreement = services.disagreement_for_moderator(disagreement_id, current_user)
    if disagreement.resolved_at is not None:
        flash("This disagreement has already been resolved.")
        return redirect(url_for("practitioners.disagreements"))
    if not services.resolvable(disagreement):
        flash("The audit has been returned to its auditor: resolve the disagreement once it is submitted again.")
        return redirect(url_for("practitioners.disagreements"))
    form = ResolutionForm()
    if form.validate_on_submit():
        try:
            services.resolve(disagreement, current_user, form.resolution.data, form.new_grade(), form.reason.data)
        except StaleDataError:
            db.session.rollback()
            flash("Someone else resolved this disagreement, or moderated the audit, at the same moment. Check it here.")
            return redirect(url_for("practitioners.disagreements"))
        flash(f"Disagreement about {disagreement.domain_title} resolved. The social worker has been told.")
        return redirect(url_for("practitioners.disagreements"))
    audit = disagreement.response.audit
    domain = next((d for d in services.graded_domains(audit) if d.key == disagreement.domain_key), None)
    return render_template(
        "practitioners/resolve.html",
        disagreement=disagreement,
        audit=audit,
        domain=domain,
        form=form,
        grade_labels=GRADE_LABELS,
    ), 400 if form.errors else 200


@bp.app_template_global("practitioner_response")
def _practitioner_response(audit) -> dict:
    """For the read-only audit: its response (or when one is due) and whether this person may respond."""
    return services.response_summary(audit, current_user)
