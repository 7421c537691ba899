from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..audits.services import history as audit_history
from ..autosave import Problem
from ..extensions import db
from ..forms import record_choices, too_long_fields
from ..htmx import is_htmx, render_page_or_fragment
from ..models import AuditStatus, CaseAudit, ModerationSample
from ..models.grades import GRADE_LABELS
from ..navigation import Panel
from ..parsing import parse_page
from ..permissions import Permission, requires
from ..reporting.filters import SUBJECTS
from . import services
from .forms import ReturnForm, SampleForm, moderation_form

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


CONFLICT_MESSAGES = {
    AuditStatus.MODERATED.value: "This audit has already been moderated.",
    AuditStatus.RETURNED.value: "This audit has been returned to the auditor. It can be moderated when they submit it again.",
}


def moderation_panel(user):
    if not user.can(Permission.MODERATE_AUDITS):
        return None
    count, first = services.awaiting_in_samples(user)
    return Panel("Audits awaiting moderation", "moderation/_home_panel.html", {"count": count, "audits": first})


def _audit_or_404(audit_id) -> CaseAudit:
    audit = services.audit_to_moderate(audit_id)
    if audit is None:
        abort(404)
    if audit.submitted_at is None and audit.status in (AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS):
        abort(404)  # never submitted: nothing to moderate
    return audit


@bp.route("/")
@requires(Permission.MODERATE_AUDITS)
def index():
    filters = services.AuditFilters.from_args(request.args)
    page = services.audits_for_moderation(filters, page=parse_page(request.args.get("page")))
    context = dict(
        filters=filters,
        page=page,
        sampled=services.sampled_audit_ids([a.id for a in page.items]),
        options=services.filter_options(),
        grade_labels=GRADE_LABELS,
        samples=services.samples()[:5],
    )
    return render_page_or_fragment(
        "moderation/index.html", "moderation/_audit_list.html", target="moderation-results", **context
    )


def _sample_choices(form: SampleForm, options: dict) -> None:
    form.programme_id.choices = record_choices("All programmes", options["programmes"], lambda p: p.name_and_kind)
    form.locality_id.choices = record_choices("All localities", options["localities"])


@bp.route("/samples/new", methods=["GET", "POST"])
@requires(Permission.MODERATE_AUDITS)
def new_sample():
    options = services.filter_options()
    form = SampleForm(data={"share_percent": 10} if request.method == "GET" else None)
    _sample_choices(form, options)
    filters = services.AuditFilters(
        programme_id=form.programme_id.data or None, locality_id=form.locality_id.data or None
    )
    if form.validate_on_submit():
        try:
            sample = services.take_sample(form.share_percent.data, current_user, filters)
        except services.SampleError as error:
            form.share_percent.errors.append(str(error))
        else:
            flash(f"Sample taken: {len(sample.audits)} audits to moderate.")
            return redirect(url_for("moderation.sample", sample_id=sample.id))
    share = (
        form.share_percent.data
        if isinstance(form.share_percent.data, int) and 1 <= form.share_percent.data <= 100
        else 10
    )
    preview = services.sample_preview(filters, share)
    return render_template("moderation/new_sample.html", form=form, preview=preview, share=share)


@bp.route("/samples")
@requires(Permission.MODERATE_AUDITS)
def samples():
    return render_template("moderation/samples.html", samples=services.samples())


@bp.route("/samples/<int:sample_id>")
@requires(Permission.MODERATE_AUDITS)
def sample(sample_id):
    item = db.get_or_404(ModerationSample, sample_id)
    return render_template(
        "moderation/sample.html", sample=item, audits=services.sample_audits(item), grade_labels=GRADE_LABELS
    )


@bp.route("/audits/<int:audit_id>", methods=["GET", "POST"])
@requires(Permission.MODERATE_AUDITS)
def moderate(audit_id):
    audit = _audit_or_404(audit_id)
    judgements = services.graded_judgements(audit)
    if not services.is_open_to(audit, current_user):
        return _not_open(audit) if request.method == "POST" else _render_moderate(audit, judgements)
    draft = services.draft_for(audit, current_user)
    if request.method == "GET":
        form = moderation_form(judgements, data=_starting_values(audit, judgements, draft))
        return _render_moderate(audit, judgements, form, version=draft.version if draft else 0)
    form = moderation_form(judgements)
    result = None
    if is_htmx() or draft or "save_draft" in request.form:
        result, response = _save_draft(audit, judgements, form, draft)
        if response is not None:
            return response
    if form.validate_on_submit():
        response = _submit(audit, judgements, form)
        if response is not None:
            return response
    return _render_moderate(audit, judgements, form, result, version=result.version if result else 0)


def _starting_values(audit, judgements, draft) -> dict:
    """The auditor's grades are selected to start with: the moderator changes what they disagree with."""
    values = {f"grade_{j.id}": j.grade for j in judgements} | {"overall_grade": audit.overall_grade}
    return values | (services.draft_values(draft) if draft else {})


def _not_open(audit):
    """A POST to an audit no longer waiting: 403 for its own auditor, otherwise say what happened to it."""
    services.check_may_moderate(audit, current_user)
    if is_htmx():  # autosave from a page left open: say so in the status, and stop autosaving
        return render_template("moderation/_not_open.html", audit=audit, message=_not_waiting(audit))
    flash(_not_waiting(audit))
    return redirect(url_for("moderation.moderate", audit_id=audit.id))


def _not_waiting(audit) -> str:
    return CONFLICT_MESSAGES.get(audit.status, "This audit is not waiting for moderation.")


def _submit(audit, judgements, form):
    """Record the moderation: the redirect to send, or None when the form has errors to show."""
    decisions = {
        j.id: services.GradeDecision(form[f"grade_{j.id}"].data, form[f"rationale_{j.id}"].data) for j in judgements
    }
    overall = services.GradeDecision(form.overall_grade.data, form.overall_rationale.data)
    errors = services.moderation_errors(audit, decisions, overall)
    for name, message in errors.items():
        form[name].errors.append(message)
    if errors:
        return None
    try:
        moderation = services.moderate(audit, current_user, decisions, overall, form.comments_for_auditor.data)
    except (services.ModerationConflict, StaleDataError):
        return _moderated_meanwhile(audit, "while you were looking at it")
    flash(f"Moderation recorded: {'grades agreed' if moderation.outcome == 'agreed' else 'grades changed'}.")
    return redirect(url_for("moderation.moderate", audit_id=audit.id))


def _moderated_meanwhile(audit, when: str):
    """Someone else's moderation or return won the race: show them theirs."""
    db.session.rollback()
    flash(f"Someone else moderated or returned this audit {when}. Here is what they recorded.")
    return redirect(url_for("moderation.moderate", audit_id=audit.id))


def _save_draft(audit, judgements, form, draft):
    """Autosave, "Save and come back later", "Keep my answers", or the save before a submit: (result, the
    response to send, or None to go on and submit)."""
    client_version = request.form.get("keep_mine") or request.form.get("version")
    result = services.save_draft(audit, current_user, judgements, request.form, client_version, draft)
    if is_htmx():  # text over its limit is kept in the draft: said now, refused when confirming
        problems = [Problem("moderation", name, message) for name, message in too_long_fields(form).items()]
        status = render_template("components/_save_status.html", result=result, oob=True, problems=problems)
        return result, status
    if result.conflict:  # the form keeps the version it was based on: only "Keep my answers" overwrites
        return result, (_render_moderate(audit, judgements, form, result, request.form.get("version")), 409)
    if request.form.get("keep_mine"):
        flash("Your answers have replaced the ones saved before.")
    elif "save_draft" in request.form:
        flash("Your moderation is saved. You can come back to it from Moderation.")
    else:
        return result, None
    return result, redirect(url_for("moderation.moderate", audit_id=audit.id))


def _render_moderate(audit, judgements, form=None, result=None, version=0):
    moderation = services.completed_moderation(audit)
    audit_url = url_for("audits.view", audit_id=audit.id) if current_user.can(Permission.VIEW_ALL_AUDITS) else None
    moderated_grades = {g.judgement_id: g for g in moderation.grades} if moderation else {}
    return render_template(
        "moderation/moderate.html",
        audit=audit,
        audit_url=audit_url,
        judgements=judgements,
        form=form,
        own_audit=audit.auditor_id == current_user.id,
        moderation=moderation,
        moderated_grades=moderated_grades,
        moderations=services.moderations_of(audit),
        history=audit_history(audit),
        grade_labels=GRADE_LABELS,
        result=result,
        version=version,
    )


@bp.route("/audits/<int:audit_id>/return", methods=["GET", "POST"])
@requires(Permission.MODERATE_AUDITS)
def return_audit(audit_id):
    audit = _audit_or_404(audit_id)
    services.check_may_moderate(audit, current_user)
    if audit.status != AuditStatus.SUBMITTED:
        flash(_not_waiting(audit))
        return redirect(url_for("moderation.moderate", audit_id=audit.id))
    form = _return_form(audit)
    if not form.validate_on_submit():
        return render_template("moderation/return.html", audit=audit, form=form)
    try:
        services.return_to_auditor(audit, current_user, form.comments.data, form.about.data or ())
    except (services.ModerationConflict, StaleDataError):
        return _moderated_meanwhile(audit, "while you were writing")
    flash(f"Returned the audit of {audit.subject_label} to {audit.auditor.display_name}.")
    return redirect(url_for("moderation.index"))


def _return_form(audit) -> ReturnForm:
    """The comments, and the auditor's graded judgements to point them at."""
    form = ReturnForm()
    form.about.choices = [
        (j.id, f"{j.question.domain.title}: {j.question.text} ({GRADE_LABELS[j.grade]})")
        for j in services.graded_judgements(audit)
    ]
    return form


@bp.route("/agreement")
@requires(Permission.VIEW_AGREEMENT)
def agreement():
    filters = services.AgreementFilters.from_args(request.args)
    return render_template(
        "moderation/agreement.html",
        filters=filters,
        report=services.agreement_report(filters),
        changes=services.changed_grades(filters),
        options=services.filter_options(),
        periods=services.PERIODS,
        subjects=SUBJECTS,
        grade_labels=GRADE_LABELS,
    )
