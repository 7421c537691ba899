from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..models import FollowUp
from ..navigation import Panel
from ..permissions import Permission, requires
from . import services

bp = Blueprint("followups", __name__, url_prefix="/follow-ups")


def follow_ups_panel(user):
    if not user.can(Permission.VIEW_FOLLOW_UPS):
        return None
    follow_ups = services.open_follow_ups(user, limit=10)
    if not follow_ups and not services.sees_all(user):
        return None
    total, overdue = services.count_open(user)
    title = "Open follow-ups" if services.sees_all(user) else "Your follow-ups"
    return Panel(title, "followups/_home_panel.html", {"follow_ups": follow_ups, "total": total, "overdue": overdue})


@bp.app_template_global("follow_up_is_overdue")
def _is_overdue(follow_up):
    return services.is_overdue(follow_up)


@bp.app_template_global("can_mark_follow_up_done")
def _can_mark_done(follow_up):
    return follow_up.status == "open" and (follow_up.owner_id == current_user.id or services.sees_all(current_user))


def _safe_next(default: str) -> str:
    target = request.values.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.route("/")
@requires(Permission.VIEW_FOLLOW_UPS)
def index():
    follow_ups = services.open_follow_ups(current_user)
    return render_template("followups/index.html", follow_ups=follow_ups, sees_all=services.sees_all(current_user))


@bp.route("/<int:follow_up_id>/done", methods=["POST"])
@requires(Permission.VIEW_FOLLOW_UPS)
def mark_done(follow_up_id):
    follow_up = db.get_or_404(FollowUp, follow_up_id)
    try:
        services.mark_done(follow_up, current_user, request.form.get("note"))
    except PermissionError:
        abort(403)
    flash("Follow-up marked as done.")
    return redirect(_safe_next(url_for("followups.index")))
