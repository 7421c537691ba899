"""A QA lead gives a re-audit not yet started to another auditor."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from ..extensions import db
from ..models import AuditStatus, CaseAudit
from ..permissions import Permission, requires
from ..programmes import services as programmes
from . import services
from .forms import ReassignForm

bp = Blueprint("reaudits", __name__, url_prefix="/re-audits")


def previous_audit(audit):
    """For templates: what the audit a re-audit follows found (None for any other audit)."""
    return services.previous_audit(audit) if audit.reaudit_of_id else None


@bp.route("/<int:audit_id>/auditor", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROGRAMMES)
def reassign(audit_id):
    reaudit = db.get_or_404(CaseAudit, audit_id)
    if reaudit.reaudit_of_id is None or reaudit.status != AuditStatus.NOT_STARTED.value:
        abort(404)  # only re-audits nobody has started are handed over
    form = ReassignForm(auditor_id=reaudit.auditor_id)
    form.auditor_id.choices = [(0, "Choose an auditor")] + programmes.auditor_choices()
    if form.validate_on_submit():
        services.reassign(reaudit, form.auditor_id.data)
        flash(f"The re-audit of {reaudit.case.case_reference} is now {reaudit.auditor.display_name}'s.")
        if reaudit.programme_id:
            return redirect(url_for("programmes.programme", programme_id=reaudit.programme_id, _anchor="re-audits"))
        return redirect(url_for("programmes.index", _anchor="re-audits"))
    return render_template(
        "reaudits/reassign.html", form=form, reaudit=reaudit, shows_from=services.shows_from(reaudit)
    ), (400 if form.errors else 200)
