"""QA leads run audit programmes and assign cases to auditors."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..audits import services as audits
from ..dates import example_date, long_date
from ..extensions import db
from ..forms import record_choices
from ..idempotency import save_from_form, save_once
from ..models import AuditProgramme, CaseAudit, Locality, Team
from ..models.audits import PROGRAMME_KIND_LABELS
from ..models.cases import CASE_TYPE_LABELS
from ..parsing import parse_id, parse_ids, record_or_404
from ..permissions import Permission, requires
from ..reaudits import services as reaudits
from ..tools import services as tools
from . import pairs, samples, services
from .forms import AssignForm, AssignmentImportForm, PairForm, ProgrammeForm, SampleForm, SwapForm

bp = Blueprint("programmes", __name__, url_prefix="/programmes")


@bp.route("/")
@requires(Permission.MANAGE_PROGRAMMES)
def index():
    kind = request.args.get("kind") if request.args.get("kind") in PROGRAMME_KIND_LABELS else ""
    return render_template(
        "programmes/index.html",
        programmes=services.list_programmes(kind or None),
        scheduled=reaudits.scheduled_reaudits(),
        kind=kind,
        kinds=PROGRAMME_KIND_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROGRAMMES)
def new():
    form = ProgrammeForm()
    form.tool_version_id.choices = record_choices(
        "Choose a tool",
        tools.published_versions(),
        lambda v: f"{v} (supervision records)" if v.tool.is_supervision else str(v),
    )
    if form.validate_on_submit() and (
        saved := save_once(
            form,
            AuditProgramme,
            lambda: services.create_programme(**form.programme(), created_by=current_user),
            field="name",
            noun="programme",
        )
    ):
        programme = saved[0]
        flash(
            f"Created {programme.name}. Now {'add supervision pairs' if programme.is_supervision else 'assign cases'}."
        )
        return redirect(url_for("programmes.programme", programme_id=programme.id))
    return render_template("programmes/new.html", form=form)


def _filters():
    return {
        "case_type": request.values.get("case_type", "") if request.values.get("case_type") in CASE_TYPE_LABELS else "",
        "locality_id": request.values.get("locality_id", type=parse_id),
        "team_id": request.values.get("team_id", type=parse_id),
        "reference": request.values.get("reference", "").strip(),
    }


@bp.route("/<int:programme_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROGRAMMES)
def programme(programme_id):
    item = db.get_or_404(AuditProgramme, programme_id)
    filters = _filters()
    errors = {}
    form = AssignForm()
    form.due_date.description = (
        f"Leave blank for the programme's due date, {long_date(item.due_date)}. For example, {example_date()}"
    )
    if request.method == "POST" and item.is_supervision:  # pairs are added on their own page
        return redirect(url_for("programmes.add_pair", programme_id=item.id))
    if request.method == "POST":
        case_ids = parse_ids(request.form.getlist("case_ids"))
        auditor_id = request.form.get("auditor_id", type=parse_id)
        if not form.validate():
            # Keyed by id: the box to correct, which the error summary links to.
            errors.update({form[name].id: messages[0] for name, messages in form.errors.items()})
        due = form.due_date.data
        if not case_ids:
            errors["case_ids"] = "Select at least one case to assign"
        if not auditor_id or auditor_id not in {i for i, _ in services.auditor_choices(item)}:
            errors["auditor_id"] = "Select an auditor"
        if not errors:
            count = services.assign(item, case_ids, auditor_id, due)
            flash(f"Assigned {count} {'case' if count == 1 else 'cases'}.")
            return redirect(
                url_for("programmes.programme", programme_id=item.id, **{k: v for k, v in filters.items() if v})
            )
    cases, total = services.filter_cases(item, **filters)
    return render_template(
        "programmes/programme.html",
        programme=item,
        audits=services.programme_audits(item),
        reaudits=reaudits.programme_reaudits(item.id),
        rule=samples.SampleRule.of(item),
        loads=samples.auditor_loads(item),
        counts=audits.status_counts(item.id),
        cases=cases,
        total=total,
        filters=filters,
        errors=errors,
        assign_form=form,
        selected=set(request.form.getlist("case_ids")),
        auditors=services.auditor_choices(item),
        case_types=CASE_TYPE_LABELS,
        localities=db.session.scalars(select(Locality).order_by(Locality.name)).all(),
        teams=db.session.scalars(select(Team).order_by(Team.name)).all(),
        limit=services.FILTER_LIMIT,
    ), (400 if errors else 200)


@bp.route("/<int:programme_id>/pairs/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROGRAMMES)
def add_pair(programme_id):
    """A supervision programme's audits: one per supervisor-supervisee pair and period."""
    item = db.get_or_404(AuditProgramme, programme_id)
    if not item.is_supervision:
        return _cases_only(item)
    form = PairForm()
    form.supervisor_id.choices = [(0, "Choose the supervisor")] + pairs.staff_choices(pairs.SUPERVISOR_ROLES)
    form.supervisee_id.choices = [(0, "Choose the supervisee")] + pairs.staff_choices(pairs.SUPERVISEE_ROLES)
    form.auditor_id.choices = [(0, "Choose an auditor")] + services.auditor_choices(item)
    valid = form.validate_on_submit()
    for field, message in pairs.pair_problems(item, form.pair()) if valid else []:
        form[field].errors = [*form[field].errors, message]
    if (
        valid
        and not any(f.errors for f in form)
        and (
            saved := save_from_form(
                form,
                CaseAudit,
                lambda: pairs.add_pair(item, form.pair(), form.due_date.data),
                field="supervisee_id",
                message="This pair is already in the programme for this period",
                taken=lambda: pairs.pair_in_programme(item, form.pair()),
            )
        )
    ):
        flash(f"Added the audit of {saved[0].subject_label}.")
        return redirect(url_for("programmes.programme", programme_id=item.id))
    return render_template("programmes/pair.html", form=form, programme=item), (400 if form.errors else 200)


def _cases_only(item: AuditProgramme):
    flash("This programme audits case files: assign cases to it here.")
    return redirect(url_for("programmes.programme", programme_id=item.id))


@bp.route("/<int:programme_id>/import", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROGRAMMES)
def import_assignments(programme_id):
    item = db.get_or_404(AuditProgramme, programme_id)
    if item.is_supervision:
        return redirect(url_for("programmes.add_pair", programme_id=item.id))
    form = AssignmentImportForm()
    result = None
    if form.validate_on_submit():
        result = services.import_assignments(item, form.file.data.stream)
        if not result.errors:
            flash(f"Imported {result.assigned} {'assignment' if result.assigned == 1 else 'assignments'}.")
            return redirect(url_for("programmes.programme", programme_id=item.id))
    return render_template("programmes/import.html", form=form, programme=item, result=result)


@bp.route("/<int:programme_id>/sample", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROGRAMMES)
def sample(programme_id):
    """Draw the programme's sample: the rule, then a preview of the cases, then confirm (audits made)."""
    item = db.get_or_404(AuditProgramme, programme_id)
    if item.is_supervision:  # a sample is of cases: a supervision programme's pairs are added by hand
        return redirect(url_for("programmes.add_pair", programme_id=item.id))
    if item.sample_seed is not None:  # drawn once: a repeated confirm lands back on the programme
        flash(f"The sample is drawn: {samples.SampleRule.of(item).describe(item.sample_audited_since)}.")
        return redirect(url_for("programmes.programme", programme_id=item.id))
    form = SampleForm()
    form.auditor_ids.choices = services.auditor_choices(item)
    if not form.validate_on_submit():
        return render_template("programmes/sample.html", form=form, programme=item), (400 if form.errors else 200)
    if "redraw" in request.form:
        form.seed.data = ""  # a new seed, so a new draw
    rule, today = form.rule(), date.today()
    if "confirm" not in request.form:
        form.seed.data = str(rule.seed)
        drawn = samples.preview(item, rule, today)
        context = {"rule": rule, "since": rule.audited_since(today), "drawn": drawn}
        return render_template("programmes/sample.html", form=form, programme=item, **context)
    count = samples.confirm(item, rule, form.auditor_ids.data, form.assign_by.data, today)
    flash(f"Drew {count} {'case' if count == 1 else 'cases'} and assigned them to the auditors.")
    return redirect(url_for("programmes.programme", programme_id=item.id))


@bp.route("/<int:programme_id>/audits/<int:audit_id>/swap", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROGRAMMES)
def swap(programme_id, audit_id):
    item = db.get_or_404(AuditProgramme, programme_id)
    audit = record_or_404(CaseAudit, audit_id, programme_id=item.id)
    back = redirect(url_for("programmes.programme", programme_id=item.id))
    if not samples.can_swap(audit):  # started, or picked by hand: nothing to swap (a repeated post lands here)
        flash(f"The audit of {audit.subject_label} cannot be swapped: only a drawn case not yet started can be.")
        return back
    form = SwapForm()
    if form.validate_on_submit():
        old_reference = audit.case.case_reference
        new_case = samples.swap(audit, form.reason.data.strip(), date.today())
        if new_case is None:
            form.reason.errors.append("No other case is eligible for this sample")
        else:
            flash(f"Swapped {old_reference} for {new_case.case_reference}.")
            return back
    return render_template("programmes/swap.html", form=form, programme=item, audit=audit), (
        400 if form.errors else 200
    )
