from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..navigation import Panel
from ..parsing import parse_page
from ..permissions import Permission, requires
from . import services
from .email import compose

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def notifications_panel(user):
    notifications = services.recent(user)
    if not notifications:
        return None
    unread = services.unread_count(user)
    title = f"Notifications ({unread} new)" if unread else "Notifications"
    return Panel(title, "notifications/_home_panel.html", {"notifications": notifications, "unread": unread})


@bp.route("/")
@login_required
def index():
    notifications = services.page_of(current_user, parse_page(request.args.get("page")))
    return render_template("notifications/index.html", notifications=notifications)


@bp.route("/<int:notification_id>")
@login_required
def follow(notification_id):
    notification = services.open_notification(notification_id, current_user)
    if notification is None:
        abort(404)
    return redirect(notification.link)


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read():
    count = services.mark_all_read(current_user)
    flash(f"Marked {count} notification{'s' if count != 1 else ''} as read." if count else "Nothing was unread.")
    return redirect(url_for("notifications.index"))


@bp.route("/outbox")
@requires(Permission.MANAGE_USERS)
def outbox():
    """What email would say and to whom (all of it, when EMAIL_SENDER is the outbox), and how sending went."""
    messages = services.outbox_page(parse_page(request.args.get("page")))
    emails = [(message, compose(message, current_app.config)) for message in messages.items]
    return render_template(
        "notifications/outbox.html", messages=messages, emails=emails, sender=current_app.config["EMAIL_SENDER"]
    )
