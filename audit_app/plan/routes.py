from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..forms import field_data, record_choices
from ..htmx import render_page_or_fragment
from ..idempotency import save_once
from ..models import Action, Indicator, IndicatorValue, Outcome, Polarity, Priority, Rag, User
from ..navigation import list_panel
from ..parsing import parse_id
from ..permissions import Permission, requires
from . import services
from .forms import (
    ActionForm,
    IndicatorImportForm,
    IndicatorValueForm,
    MonthChoiceForm,
    OutcomeMonthForm,
    PlanMonthForm,
    PriorityMonthForm,
    ProgressForm,
)

bp = Blueprint("plan", __name__, url_prefix="/plan")


def my_actions_panel(user):
    return list_panel("My actions", "plan/_my_actions.html", "rows", services.my_actions(user))


def _month_from_request(plan) -> date:
    month = services.parse_month(request.args.get("month"))
    if month is None or not plan.first_month <= month <= plan.last_month:
        month = services.latest_reported_month(plan)
    return month


def _month_picker(plan, month) -> MonthChoiceForm:
    form = MonthChoiceForm(formdata=None)
    form.month.choices = services.month_choices(plan)
    form.month.data = month.strftime("%Y-%m")
    return form


# --- The plan and its actions ----------------------------------------------------------------


@bp.route("/")
@requires(Permission.VIEW_PLAN)
def index():
    plan = services.current_plan()
    if plan is None:
        return render_template("plan/index.html", plan=None)
    month = _month_from_request(plan)
    return render_template(
        "plan/index.html",
        plan=plan,
        month=month,
        picker=_month_picker(plan, month),
        report=services.board_report(plan, month),
        rag_counts=services.rag_counts(plan),
        suggested=services.suggested_overall_rag(plan, month),
    )


def _filters_from_request() -> services.ActionFilters:
    def day(name):
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    rag = request.args.get("rag")
    return services.ActionFilters(
        priority_id=request.args.get("priority_id", type=parse_id),
        rag=rag if rag in {r.value for r in Rag} else None,
        owner_id=request.args.get("owner_id", type=parse_id),
        due_from=day("due_from"),
        due_to=day("due_to"),
    )


@bp.route("/actions")
@requires(Permission.VIEW_PLAN)
def actions():
    plan = services.current_plan_or_404()
    filters = _filters_from_request()
    context = dict(
        plan=plan,
        filters=filters,
        rows=services.actions(plan, filters),
        owners=services.action_owners(plan),
        rags=list(Rag),
    )
    return render_page_or_fragment("plan/actions.html", "plan/_actions_table.html", **context)


def _target_choices(plan):
    choices = []
    for priority in plan.priorities:
        choices.append((f"priority-{priority.id}", f"Priority {priority.number}: {priority.title}"))
        for outcome in priority.outcomes:
            choices.append((f"outcome-{outcome.id}", f"Priority {priority.number}, outcome: {outcome.text}"))
    return choices


def _target(value: str):
    kind, _, ident = (value or "").partition("-")
    model = {"priority": Priority, "outcome": Outcome}.get(kind)
    ident = parse_id(ident)
    return db.session.get(model, ident) if model and ident else None


def _check_target_and_owner(form):
    """The chosen priority or outcome and owner, with an error on each field that has none."""
    target = _target(form.priority_id.data)
    owner = (
        db.session.get(User, form.owner_id.data) if isinstance(form.owner_id.data, int) and form.owner_id.data else None
    )
    if target is None and not form.priority_id.errors:
        form.priority_id.errors.append("Select the priority or expected outcome this action is for")
    if owner is None and not form.owner_id.errors:
        form.owner_id.errors.append("Select who owns the action")
    return target, owner


def _action_form(plan, obj=None) -> ActionForm:
    form = ActionForm(obj=obj)
    form.priority_id.choices = _target_choices(plan)
    form.owner_id.choices = record_choices("Select an owner", services.assignable_users(), lambda u: u.display_name)
    return form


@bp.app_template_global("plan_action_url")
def plan_action_url(**links):
    """The page to raise an action from a theme, a domain, a quick win or an observation, for people who may
    raise actions; None for everyone else, so no page offers a link that would refuse them."""
    if not current_user.can(Permission.MANAGE_PLAN):
        return None
    return url_for("plan.new_action", **{k: v for k, v in links.items() if v is not None})


@bp.route("/actions/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_PLAN)
def new_action():
    plan = services.current_plan_or_404()
    sources, missing = services.resolve_link_arguments(request.args)
    if missing:
        abort(404)
    form = _action_form(plan)
    if request.method == "GET" and not form.description.data:
        form.description.data = services.suggested_description(sources)
    if request.method == "POST":
        valid = form.validate_on_submit()
        target, owner = _check_target_and_owner(form)
        if (
            valid
            and target
            and owner
            and (
                saved := save_once(
                    form,
                    Action,
                    lambda: services.create_action(
                        target, form.description.data, owner, form.due_date.data, links=sources, created_by=current_user
                    ),
                    field="description",
                    noun="action",
                )
            )
        ):
            flash("Action added to the plan.")
            return redirect(url_for("plan.action", action_id=saved[0].id))
    return render_template("plan/new_action.html", form=form, sources=sources, link_args=request.args)


@bp.route("/actions/<int:action_id>")
@login_required
def action(action_id):
    item = services.action_for(current_user, action_id)
    return _render_action(item, ProgressForm(obj=item))


def _render_action(item, progress_form):
    return render_template(
        "plan/action.html",
        action=item,
        links=services.link_labels(item),
        loop=services.closing_the_loop(item),
        reaudits=services.reaudit_loop(item),
        history=services.change_history([item]),
        progress_form=progress_form if services.can_update_progress(current_user, item) else None,
        form=progress_form if services.can_update_progress(current_user, item) else None,
        can_manage=current_user.can(Permission.MANAGE_PLAN),
        small_n=services.SMALL_N,
    )


@bp.route("/actions/<int:action_id>/progress", methods=["POST"])
@login_required
def action_progress(action_id):
    item = services.action_for(current_user, action_id, update=True)
    form = ProgressForm()
    if form.validate_on_submit():
        services.update_progress(item, form.rag.data, form.progress_note.data)
        flash("Progress saved.")
        return redirect(url_for("plan.action", action_id=item.id))
    return _render_action(item, form)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_PLAN)
def edit_action(action_id):
    item = db.get_or_404(Action, action_id)
    form = _action_form(item.priority.plan, obj=item)
    if request.method == "GET":
        form.priority_id.data = f"outcome-{item.outcome_id}" if item.outcome_id else f"priority-{item.priority_id}"
    if request.method == "POST":
        valid = form.validate_on_submit()
        target, owner = _check_target_and_owner(form)
        if valid and target and owner:
            priority = target.priority if isinstance(target, Outcome) else target
            services.update_action(
                item,
                **field_data(form, "description", "owner_id", "due_date"),
                priority_id=priority.id,
                outcome_id=target.id if isinstance(target, Outcome) else None,
                changed_by=current_user,
            )
            flash("Action saved.")
            return redirect(url_for("plan.action", action_id=item.id))
    return render_template("plan/edit_action.html", form=form, action=item)


# --- Priorities, outcomes and the month's RAG ------------------------------------------------


@bp.route("/priorities/<int:priority_id>")
@requires(Permission.VIEW_PLAN)
def priority(priority_id):
    item = db.get_or_404(Priority, priority_id)
    plan = item.plan
    month = _month_from_request(plan)
    months = services.priority_history(item)
    return render_template(
        "plan/priority.html",
        priority=item,
        plan=plan,
        month=month,
        picker=_month_picker(plan, month),
        this_month=services.priority_month(item, month),
        outcome_rows=services.outcome_rows(plan, month),
        months=months,
        rows=services.actions(plan, services.ActionFilters(priority_id=item.id)),
        history=services.change_history([item, *months]),
    )


def _month_form(form_class, plan, existing_for):
    """A month form: on GET prefilled from what is recorded for the chosen month."""
    month = _month_from_request(plan)
    existing = existing_for(month) if request.method == "GET" else None
    form = form_class(obj=existing)
    form.month.choices = services.month_choices(plan)
    if request.method == "GET":
        form.month.data = month.strftime("%Y-%m")
    return form, month


@bp.route("/priorities/<int:priority_id>/month", methods=["GET", "POST"])
@requires(Permission.MANAGE_PLAN)
def priority_month(priority_id):
    item = db.get_or_404(Priority, priority_id)
    form, month = _month_form(PriorityMonthForm, item.plan, lambda m: services.priority_month(item, m))
    if form.validate_on_submit():
        month = services.parse_month(form.month.data)
        services.record_priority_month(item, month, form.rag.data, form.board_update.data)
        flash(f"Saved the RAG and update for {month:%B %Y}.")
        return redirect(url_for("plan.priority", priority_id=item.id, month=form.month.data))
    return render_template("plan/priority_month.html", form=form, priority=item)


@bp.route("/outcomes/<int:outcome_id>/month", methods=["GET", "POST"])
@requires(Permission.MANAGE_PLAN)
def outcome_month(outcome_id):
    item = db.get_or_404(Outcome, outcome_id)
    form, month = _month_form(OutcomeMonthForm, item.priority.plan, lambda m: services.outcome_month(item, m))
    if form.validate_on_submit():
        month = services.parse_month(form.month.data)
        services.record_outcome_month(
            item, month, form.rag.data, form.where_now.data, form.next_step.data, form.board_update.data
        )
        flash(f"Saved the outcome for {month:%B %Y}.")
        return redirect(url_for("plan.priority", priority_id=item.priority_id, month=form.month.data))
    return render_template("plan/outcome_month.html", form=form, outcome=item)


@bp.route("/month", methods=["GET", "POST"])
@requires(Permission.MANAGE_PLAN)
def plan_month():
    plan = services.current_plan_or_404()
    form, month = _month_form(PlanMonthForm, plan, lambda m: services.plan_month(plan, m))
    shown_month = services.parse_month(form.month.data) or month
    suggested = services.suggested_overall_rag(plan, shown_month)
    if request.method == "GET" and not form.overall_rag.data and suggested:
        form.overall_rag.data = suggested.value
    if form.validate_on_submit():
        services.record_plan_month(
            plan, shown_month, form.overall_rag.data, form.key_achievements.data, form.key_challenges.data, current_user
        )
        flash(f"Saved the overall RAG for {shown_month:%B %Y}.")
        return redirect(url_for("plan.index", month=form.month.data))
    return render_template("plan/plan_month.html", form=form, plan=plan, month=shown_month, suggested=suggested)


# --- Indicators ------------------------------------------------------------------------------


@bp.route("/indicators")
@requires(Permission.VIEW_PLAN)
def indicators():
    plan = services.current_plan_or_404()
    month = _month_from_request(plan)
    months, rows = services.indicator_table(plan, month)
    return render_template(
        "plan/indicators.html", plan=plan, month=month, picker=_month_picker(plan, month), months=months, rows=rows
    )


@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_PLAN)
def indicator(indicator_id):
    item = db.get_or_404(Indicator, indicator_id)
    form = IndicatorValueForm()
    form.month.choices = services.month_choices(item.plan)
    if form.validate_on_submit():
        month = services.parse_month(form.month.data)
        try:
            services.set_indicator_value(item, month, form.value.data)
        except ValueError as error:
            form.value.errors.append(str(error))
        else:
            flash(f"Saved {item.name} for {month:%B %Y}.")
            return redirect(url_for("plan.indicator", indicator_id=item.id))
    values = db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.indicator_id == item.id).order_by(IndicatorValue.month.desc())
    ).all()
    return render_template(
        "plan/indicator.html",
        form=form,
        indicator=item,
        values=values,
        format_value=services.format_value,
        polarity_label=Polarity(item.polarity).label,
    )


@bp.route("/indicators/import", methods=["GET", "POST"])
@requires(Permission.MANAGE_PLAN)
def import_indicators():
    plan = services.current_plan_or_404()
    form = IndicatorImportForm()
    errors = []
    if form.validate_on_submit():
        count, errors = services.import_indicator_values(plan, form.file.data.stream)
        if not errors:
            flash(f"Imported {count} values.")
            return redirect(url_for("plan.indicators"))
    return render_template("plan/import_indicators.html", form=form, errors=errors)


# --- The board report ------------------------------------------------------------------------


@bp.route("/report")
@requires(Permission.VIEW_PLAN)
def board_report():
    """The board report for a month as a print-ready page, or as a PDF with ?format=pdf."""
    plan = services.current_plan_or_404()
    month = _month_from_request(plan)
    report = services.board_report(plan, month)
    if request.args.get("format") == "pdf":
        from .report import render_pdf

        filename = f"improvement-plan-{month:%Y-%m}.pdf"
        return Response(
            render_pdf(report),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return render_template("plan/board_report.html", report=report, picker=_month_picker(plan, month))
