"""Learning briefings: QA leads write and publish them; the staff they are for read and acknowledge them."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..idempotency import save_once
from ..models import AuditProgramme, Briefing, Service, Team
from ..navigation import list_panel
from ..parsing import parse_id
from ..permissions import Permission, requires
from ..reporting.filters import Filters, range_key
from . import services
from .forms import BriefingForm, EditBriefingForm, PublishForm

bp = Blueprint("briefings", __name__, url_prefix="/briefings")


def briefings_panel(user):
    briefings = services.briefings_for_home(user)
    return list_panel("Learning briefings from audit", "briefings/_home_panel.html", "briefings", briefings)


@bp.route("/")
@requires(Permission.READ_BRIEFINGS)
def index():
    return render_template(
        "briefings/index.html",
        briefings=services.visible_briefings(current_user),
        manages=services.manages(current_user),
    )


def _starting_point() -> tuple[AuditProgramme | None, Filters | None]:
    """What a new briefing starts from: the theme summary's filters (?findings=1&...), or a programme
    (?programme=id, its audits over its period)."""
    programme = db.session.get(AuditProgramme, parse_id(request.args.get("programme")) or 0)
    if request.args.get("findings"):
        return programme, Filters.from_args(request.args)
    if programme is not None:
        months = (f"{programme.period_start:%Y-%m}", f"{programme.period_end:%Y-%m}")
        return programme, Filters(programme=programme.id, period=range_key(*months) or "", source="audits")
    return None, None


def _refuse_case_references(form: BriefingForm) -> bool:
    """Put an error on each field holding something shaped like a case reference; True when there were any."""
    problems = services.case_reference_problems(form.fields_data())
    for field, message in problems:
        form[field].errors = [*form[field].errors, message]
    return bool(problems)


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_BRIEFINGS)
def new():
    programme, filters = _starting_point()
    form = BriefingForm()
    if request.method == "GET" and filters is not None:
        form.key_findings.data = services.findings_text(filters)
    if (
        form.validate_on_submit()
        and not _refuse_case_references(form)
        and (
            saved := save_once(
                form,
                Briefing,
                lambda: services.create_briefing(
                    created_by=current_user, programme_id=programme.id if programme else None, **form.fields_data()
                ),
                field="title",
                noun="briefing",
            )
        )
    ):
        flash("Draft saved. Publish it when it is ready.")
        return redirect(url_for("briefings.briefing", briefing_id=saved[0].id))
    return render_template("briefings/form.html", form=form, briefing=None, programme=programme)


@bp.route("/<int:briefing_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_BRIEFINGS)
def edit(briefing_id):
    briefing = services.briefing_for(briefing_id, current_user)
    form = EditBriefingForm(obj=briefing)
    if form.validate_on_submit() and not _refuse_case_references(form):
        client_version = request.form.get("keep_mine") or form.version.data
        result = services.update_briefing(briefing, client_version, **form.fields_data())
        if result.saved:
            flash("Briefing saved.")
            return redirect(url_for("briefings.briefing", briefing_id=briefing.id))
        # Saved elsewhere since this copy was opened: both texts are shown, the person chooses.
        return render_template("briefings/form.html", form=form, briefing=briefing, programme=None, result=result), 409
    return render_template("briefings/form.html", form=form, briefing=briefing, programme=None)


@bp.route("/<int:briefing_id>/publish", methods=["GET", "POST"])
@requires(Permission.MANAGE_BRIEFINGS)
def publish(briefing_id):
    briefing = services.briefing_for(briefing_id, current_user)
    form = PublishForm()
    form.services.choices = [(s.id, s.name) for s in db.session.scalars(db.select(Service).order_by(Service.name))]
    form.teams.choices = [(t.id, t.name) for t in db.session.scalars(db.select(Team).order_by(Team.name))]
    if request.method == "GET":
        form.services.data = [s.id for s in briefing.services]
        form.teams.data = [t.id for t in briefing.teams]
    if form.validate_on_submit():
        told = services.publish(
            briefing,
            services=[db.session.get(Service, i) for i in form.services.data],
            teams=[db.session.get(Team, i) for i in form.teams.data],
        )
        flash(f"Briefing published to {services.audience_names(briefing)}. {told} people were told.")
        return redirect(url_for("briefings.readers", briefing_id=briefing.id))
    return render_template("briefings/publish.html", form=form, briefing=briefing)


@bp.route("/<int:briefing_id>")
@requires(Permission.READ_BRIEFINGS)
def briefing(briefing_id):
    briefing = services.briefing_for(briefing_id, current_user)
    receipt = services.mark_read(briefing, current_user)
    manages = services.manages(current_user)
    return render_template(
        "briefings/briefing.html",
        briefing=briefing,
        receipt=receipt,
        manages=manages,
        history=services.history(briefing) if manages else [],
    )


@bp.route("/<int:briefing_id>/acknowledge", methods=["POST"])
@requires(Permission.READ_BRIEFINGS)
def acknowledge(briefing_id):
    briefing = services.briefing_for(briefing_id, current_user)
    if services.acknowledge(briefing, current_user):
        flash("Thank you: you have acknowledged this briefing.")
    else:
        flash("This briefing was not published to your team, so there is nothing to acknowledge.")
    return redirect(url_for("briefings.briefing", briefing_id=briefing.id))


@bp.route("/<int:briefing_id>/readers")
@requires(Permission.MANAGE_BRIEFINGS)
def readers(briefing_id):
    briefing = services.briefing_for(briefing_id, current_user)
    return render_template(
        "briefings/readers.html",
        briefing=briefing,
        teams=services.readers_by_team(briefing),
        waiting=services.not_acknowledged(briefing),
    )
