from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from ..extensions import db
from ..navigation import panels_for
from ..permissions import Permission

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template(
        "main/home.html", panels=panels_for(current_user), may_audit=current_user.can(Permission.CONDUCT_AUDITS)
    )


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
