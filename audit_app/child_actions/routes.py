"""Adding and completing actions for the child (team managers), reading them, and seeing them by theme."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..audits.services import get_audit
from ..extensions import db
from ..idempotency import save_once
from ..models import ChildAction, ChildActionStatus
from ..navigation import Panel
from ..permissions import Permission, requires
from . import services
from .forms import DoneForm, new_child_action_form

bp = Blueprint("child_actions", __name__, url_prefix="/child-actions")


def overdue_panel(user):
    """Overdue actions for the child: the team manager's team, the worker's own cases, every one for QA leads."""
    if not (user.can(Permission.VIEW_SHARED_AUDITS) or services.sees_all(user)):
        return None
    today = date.today()
    total = services.count_overdue(user, today)
    if not total and not services.sees_all(user):
        return None
    context = {"actions": services.overdue_actions(user, today), "total": total}
    return Panel("Overdue actions for children", "child_actions/_home_panel.html", context)


def _managed_audit(audit_id: int):
    audit = get_audit(audit_id, current_user)
    if not services.can_manage(current_user, audit):
        abort(403)
    return audit


@bp.route("/audits/<int:audit_id>/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CHILD_ACTIONS)
def new(audit_id):
    audit = _managed_audit(audit_id)
    form = new_child_action_form(services.owner_choices(audit))
    if form.validate_on_submit():
        saved = save_once(
            form,
            ChildAction,
            lambda: services.add_child_action(audit, created_by=current_user, **form.service_fields()),
            field="description",
            noun="action",
        )
        if saved:
            flash("Action for the child added.")
            return redirect(url_for("audits.view", audit_id=audit.id, _anchor="child-actions"))
    return render_template("child_actions/new.html", form=form, audit=audit), (400 if form.errors else 200)


@bp.route("/<int:action_id>")
@login_required
def action(action_id):
    item = db.get_or_404(ChildAction, action_id)
    if item.owner_id != current_user.id:  # its owner reads it (a reminder links here); others if they read the audit
        get_audit(item.audit_id, current_user)
    return render_template("child_actions/action.html", action=item, history=services.history(item))


@bp.route("/<int:action_id>/done", methods=["GET", "POST"])
@requires(Permission.MANAGE_CHILD_ACTIONS)
def complete(action_id):
    item = db.get_or_404(ChildAction, action_id)
    _managed_audit(item.audit_id)
    if item.status == ChildActionStatus.DONE:
        return redirect(url_for("child_actions.action", action_id=item.id))
    form = DoneForm()
    if form.validate_on_submit():
        services.mark_done(item, form.done_note.data)
        flash("Action for the child marked as done.")
        return redirect(url_for("audits.view", audit_id=item.audit_id, _anchor="child-actions"))
    return render_template("child_actions/complete.html", form=form, action=item), (400 if form.errors else 200)


@bp.route("/themes")
@requires(Permission.VIEW_ALL_CHILD_ACTIONS)
def themes():
    return render_template("child_actions/themes.html", themes=services.actions_by_theme(date.today()))
