"""The auditor's pages: My audits, the audit form (task list, one domain per page, autosave),
check your answers with any follow-up, submit, and the audit with its history."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..followups import services as followups
from ..followups.forms import add_from_form, new_follow_up_form
from ..htmx import is_htmx
from ..models.grades import GRADE_LABELS, Grade
from ..navigation import Panel
from ..permissions import Permission, requires
from ..reaudits import services as reaudits
from . import services
from .services import family_voice

bp = Blueprint("audits", __name__, url_prefix="/audits")


def my_audits_panel(user):
    if not user.can(Permission.CONDUCT_AUDITS):
        return None
    mine = services.my_audits(user)
    open_audits = mine.returned + mine.in_progress + mine.to_do
    if not open_audits:
        return None
    overdue = sum(1 for a in open_audits if services.is_overdue(a))
    return Panel("Your audits", "audits/_home_panel.html", {"mine": mine, "overdue": overdue})


@bp.app_template_global("audit_is_overdue")
def _audit_is_overdue(audit):
    return services.is_overdue(audit)


@bp.app_template_global("alongside_date_boxes")
def _alongside_date_boxes(value):
    return services.date_boxes(value or "")


@bp.app_template_global("family_voice_rows")
def _family_voice_rows(audit):
    return family_voice.summary_rows(audit)


@bp.app_template_global("voice_choices")
def _voice_choices():
    return family_voice.choices()


@bp.app_template_global("text_limit")
def _text_limit(name):
    """A free-text field's limit, for its character count: the same number the checks use."""
    return services.limit_for(name)


@bp.app_template_global("audit_resume_url")
def _resume_url(audit):
    key = services.resume_page_key(audit)
    if key is None:  # every section completed
        return url_for("audits.check", audit_id=audit.id)
    return url_for("audits.page", audit_id=audit.id, page_key=key)


@bp.errorhandler(services.NotEditable)
def _not_editable(error):
    if is_htmx():  # autosave from a page left open: say so in the status, and stop autosaving
        return render_template("audits/_not_editable.html", audit=error.audit)
    flash(f"The audit of {error.audit.subject_label} has been submitted: it can no longer be changed.")
    return redirect(url_for("audits.view", audit_id=error.audit.id))


@bp.route("/")
@requires(Permission.CONDUCT_AUDITS)
def my_audits():
    return render_template("audits/my_audits.html", mine=services.my_audits(current_user))


@bp.route("/<int:audit_id>")
@requires()  # its auditor gets the task list; anyone who sees all audits is sent to the audit
def task_list(audit_id):
    audit = services.get_audit(audit_id, current_user)
    if audit.auditor_id != current_user.id or not services.is_editable(audit):
        return redirect(url_for("audits.view", audit_id=audit.id))
    returned = services.returned_comments(audit) if audit.status == "returned" else None
    return render_template(
        "audits/task_list.html",
        audit=audit,
        pages=services.pages(audit),
        returned=returned,
        returned_about=services.returned_about(returned),
    )


def _render_page(audit, page, values, result=None, status=200, version=None, errors=None):
    answered = services.answered_page_problems(audit, page.key)
    problems = [p for p in answered if isinstance(p, services.TooLong)]  # text kept over its limit: always an error
    if request.args.get("check"):
        problems += [p for p in services.validate(audit, include_follow_up=False) if p.page == page.key]
    errors = (errors or {}) | {p.field: p.message for p in problems}
    needs = {p.field: p.message for p in answered if p.field not in errors}
    returned = services.returned_comments(audit) if audit.status == "returned" else None
    services.load_default_themes(page.questions)
    return (
        render_template(
            "audits/page.html",
            audit=audit,
            page=page,
            values=values,
            errors=errors,
            needs=needs,
            returned=returned,
            returned_about={p.field for p in services.returned_about(returned) if p.page == page.key},
            result=result,
            version=version if version is not None else audit.version,
            themes=services.themes_for_form(),
            grade_labels=GRADE_LABELS,
            descriptors=services.GRADE_DESCRIPTORS,
            grades=list(Grade),
            next_key=services.next_page_key(audit, page.key),
            pages=services.pages(audit),
            not_applicable_reason_max=services.NOT_APPLICABLE_REASON_MAX,
        ),
        status,
    )


@bp.route("/<int:audit_id>/domains/<page_key>/applies", methods=["POST"])
@requires(Permission.CONDUCT_AUDITS)
def section_applies(audit_id, page_key):
    """Mark a section not applicable to this case, with the reason, or say that it applies after all."""
    audit = services.get_audit(audit_id, current_user, edit=True)
    page = services.page_for(audit, page_key)
    if page is None or page_key == services.OVERALL:
        abort(404)
    if request.form.get("applies") == "yes":
        services.unmark_not_applicable(audit, page_key)
        flash(f"{page.title} applies to this case: its questions are back.")
        return redirect(url_for("audits.page", audit_id=audit.id, page_key=page_key))
    problem = services.mark_not_applicable(audit, page_key, request.form.get("reason"), current_user)
    if problem:
        values = services.current_values(audit)
        return _render_page(audit, page, values, status=400, errors={"reason": problem})
    flash(f"{page.title} is marked not applicable to this case.")
    return redirect(url_for("audits.page", audit_id=audit.id, page_key=page_key))


@bp.route("/<int:audit_id>/domains/<page_key>", methods=["GET", "POST"])
@requires(Permission.CONDUCT_AUDITS)
def page(audit_id, page_key):
    saving = page_key if request.method == "POST" else None  # a save reads only its page's records
    audit = services.get_audit(
        audit_id, current_user, edit=True, saving=saving, page_alone=saving is not None and is_htmx()
    )
    page = services.page_for(audit, page_key)
    if page is None:
        abort(404)
    if request.method == "GET":
        services.remember_page(audit, page_key)
        return _render_page(audit, page, services.current_values(audit))
    client_version = request.form.get("keep_mine") or request.form.get("version")
    result = services.save_page(audit, page_key, request.form, client_version)
    if is_htmx():
        problems = services.answered_page_problems(audit, page_key) if result.saved else []
        inline_fields = services.inline_hint_fields(page)
        return render_template(
            "components/_save_status.html", result=result, oob=True, problems=problems, inline_fields=inline_fields
        )
    if result.conflict:
        values = services.changes_from_form(page, request.form)
        return _render_page(audit, page, values, result=result, status=409, version=request.form.get("version"))
    if request.form.get("keep_mine"):
        flash("Your answers have replaced the ones saved before.")
        return redirect(url_for("audits.page", audit_id=audit.id, page_key=page_key))
    if services.too_long_on_page(audit, page_key):  # saved in full, but said here before moving on
        return _render_page(audit, page, services.current_values(audit), result=result)
    if request.form.get("action") == "task_list":
        return redirect(url_for("audits.task_list", audit_id=audit.id))
    next_key = services.next_page_key(audit, page_key)
    if next_key and request.form.get("action") != "check":
        return redirect(url_for("audits.page", audit_id=audit.id, page_key=next_key))
    return redirect(url_for("audits.check", audit_id=audit.id))


def _render_check(audit, problems=(), follow_up_form=None, status=200):
    follow_up_form = follow_up_form or new_follow_up_form(formdata=None)
    return (
        render_template(
            "audits/check.html",
            audit=audit,
            answers=services.answers(audit),
            problems=problems,
            needs_follow_up=followups.needs_follow_up(audit),
            follow_ups=followups.follow_ups_for(audit),
            follow_up_form=follow_up_form,
            form=follow_up_form if follow_up_form.errors else None,
            grade_labels=GRADE_LABELS,
        ),
        status,
    )


@bp.route("/<int:audit_id>/check")
@requires(Permission.CONDUCT_AUDITS)
def check(audit_id):
    audit = services.get_audit(audit_id, current_user, edit=True)
    return _render_check(audit)


@bp.route("/<int:audit_id>/follow-ups", methods=["POST"])
@requires(Permission.CONDUCT_AUDITS)
def add_follow_up(audit_id):
    audit = services.get_audit(audit_id, current_user, edit=True)
    form = new_follow_up_form()
    if form.validate_on_submit():
        add_from_form(audit, form, current_user)
        flash("Follow-up added. It shows on the owner's and senior managers' home pages until it is done.")
        return redirect(url_for("audits.check", audit_id=audit.id, _anchor="follow-up"))  # back where they were
    return _render_check(audit, follow_up_form=form, status=400 if request.method == "POST" and form.errors else 200)


@bp.route("/<int:audit_id>/submit", methods=["POST"])
@requires(Permission.CONDUCT_AUDITS)
def submit(audit_id):
    audit = services.get_audit(audit_id, current_user)
    if audit.auditor_id != current_user.id:
        abort(403)
    if audit.status in ("submitted", "moderated"):
        return redirect(url_for("audits.view", audit_id=audit.id))
    problems = services.submit(audit, request.form.get("version"))
    if problems:
        return _render_check(audit, problems=problems, status=400)
    flash(f"Audit of {audit.subject_label} submitted.")
    return redirect(url_for("audits.my_audits"))


@bp.route("/<int:audit_id>/view")
@requires()  # its auditor, anyone who sees all audits, the worker and team manager it is shared with (get_audit)
def view(audit_id):
    audit = services.get_audit(audit_id, current_user)
    return render_template(
        "audits/view.html",
        audit=audit,
        answers=services.answers(audit),
        follow_ups=followups.follow_ups_for(audit),
        history=services.history(audit),
        returned=services.returned_comments(audit),
        reaudit_results=reaudits.domain_results(audit),
        grade_labels=GRADE_LABELS,
    )
