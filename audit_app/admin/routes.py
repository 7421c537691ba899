from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..extensions import db
from ..forms import field_data, record_choices
from ..idempotency import save_from_form, save_named
from ..models import Case, Locality, Service, Team, User
from ..models.cases import CASE_TYPE_LABELS
from ..navigation import Panel
from ..parsing import parse_id, parse_page, record_or_404
from ..permissions import Permission, Role, requires
from . import services
from .accounts import USER_ORDERS, reset_second_factor_of, users_in_order
from .forms import CaseForm, CaseImportForm, NameForm, ResetSecondFactorForm, TeamForm, UserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


# Localities and services are both plain named lists; one set of views serves both.
NAMED_LISTS = {
    "localities": (Locality, "Localities", "locality"),
    "services": (Service, "Services", "service"),
}


def admin_panel(user):
    if not user.can(Permission.MANAGE_ORGANISATION):
        return None
    return Panel("Administration", "admin/_home_panel.html", {"counts": services.organisation_counts()})


@bp.route("/")
@requires(Permission.MANAGE_ORGANISATION)
def index():
    return render_template("admin/index.html", counts=services.organisation_counts())


# --- Users ---------------------------------------------------------------------------


@bp.route("/users")
@requires(Permission.MANAGE_USERS)
def users():
    order = request.args.get("order") if request.args.get("order") in USER_ORDERS else "name"
    return render_template("admin/users.html", users=users_in_order(order), order=order)


def _team_label(team) -> str:
    """A team with its locality beside it: a case's team must be in the case's locality."""
    return f"{team.name} ({team.locality.name})"


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user(user_id=None):
    person = db.get_or_404(User, user_id) if user_id else User(is_enabled=True)
    form = UserForm(obj=person if user_id and request.method == "GET" else None)
    form.team_id.choices = record_choices("No team", services.by_name(Team), _team_label)
    if request.method == "GET" and user_id:
        form.roles.data = sorted(r.value for r in person.roles)
    if form.validate_on_submit():
        if not user_id and not form.password.data:
            form.password.errors.append("Enter a password of at least 12 characters")
        elif services.worker_ref_taken(form.worker_ref.data, user_id):
            form.worker_ref.errors.append("Another user has this worker reference")
        elif saved := save_from_form(
            form,
            User,
            lambda: services.save_user(
                person,
                email=form.email.data,
                display_name=form.display_name.data,
                roles=[Role(r) for r in form.roles.data],
                is_enabled=form.is_enabled.data,
                password=form.password.data or None,
                worker_ref=form.worker_ref.data,
                team_id=form.team_id.data,
            ),
            field="email",
            message="A user with this email address already exists",
            taken=lambda: services.email_taken(form.email.data, user_id),
        ):
            flash(f"Saved {saved[0].display_name}.")
            return redirect(url_for("admin.users"))
    history = services.user_history(person) if user_id else []
    return render_template(
        "admin/user.html",
        form=form,
        person=person if user_id else None,
        history=history,
        reset_form=ResetSecondFactorForm(),
    )


@bp.route("/users/<int:user_id>/reset-second-factor", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def reset_second_factor(user_id):
    person = db.get_or_404(User, user_id)
    if ResetSecondFactorForm().validate_on_submit() and person.has_second_factor:
        reset_second_factor_of(person)
        flash(f"Reset the second factor of {person.display_name}: they set up a new one at their next sign-in.")
    return redirect(url_for("admin.user", user_id=person.id))


# --- Localities, services and teams -----------------------------------------------------


@bp.route("/<any(localities, services):kind>", methods=["GET", "POST"])
@requires(Permission.MANAGE_ORGANISATION)
def named_list(kind):
    model, title, singular = NAMED_LISTS[kind]
    form = NameForm()
    if form.validate_on_submit() and (
        saved := save_named(form, model, lambda: services.add_named(model, form.name.data), noun=singular)
    ):
        flash(f"Added {saved[0].name}.")
        return redirect(url_for("admin.named_list", kind=kind))
    return render_template(
        "admin/named_list.html", form=form, items=services.by_name(model), kind=kind, title=title, singular=singular
    )


@bp.route("/<any(localities, services):kind>/<int:item_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_ORGANISATION)
def named_item(kind, item_id):
    model, title, singular = NAMED_LISTS[kind]
    item = db.get_or_404(model, item_id)
    form = NameForm(obj=item)
    if form.validate_on_submit() and save_named(
        form, model, lambda: services.rename(item, form.name.data), noun=singular, except_id=item.id
    ):
        flash(f"Renamed to {item.name}.")
        return redirect(url_for("admin.named_list", kind=kind))
    return render_template("admin/named_item.html", form=form, item=item, kind=kind, title=title, singular=singular)


def _team_choices(form):
    form.locality_id.choices = record_choices("Choose a locality", services.by_name(Locality))
    form.service_id.choices = record_choices("Choose a service", services.by_name(Service))


@bp.route("/teams")
@requires(Permission.MANAGE_ORGANISATION)
def teams():
    return render_template("admin/teams.html", teams=services.by_name(Team))


@bp.route("/teams/new", methods=["GET", "POST"])
@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_ORGANISATION)
def team(team_id=None):
    item = record_or_404(Team, team_id)
    form = TeamForm(obj=item)
    _team_choices(form)
    if form.validate_on_submit() and (
        saved := save_named(
            form,
            Team,
            lambda: services.save_team(item or Team(), **field_data(form, "name", "locality_id", "service_id")),
            noun="team",
            except_id=team_id,
        )
    ):
        flash(f"Saved {saved[0].name}.")
        return redirect(url_for("admin.teams"))
    return render_template("admin/team.html", form=form, team=item)


# --- Cases ------------------------------------------------------------------------------

CASES_PER_PAGE = 50


@bp.route("/cases")
@requires(Permission.MANAGE_CASES)
def cases():
    reference = request.args.get("reference", "").strip().upper()
    case_type = request.args.get("case_type", "")
    locality_id = request.args.get("locality_id", type=parse_id)
    page = services.find_cases(reference, case_type, locality_id, parse_page(request.args.get("page")), CASES_PER_PAGE)
    return render_template(
        "admin/cases.html",
        page=page,
        localities=services.by_name(Locality),
        case_types=CASE_TYPE_LABELS,
        filters={"reference": reference, "case_type": case_type, "locality_id": locality_id},
    )


@bp.route("/cases/new", methods=["GET", "POST"])
@bp.route("/cases/<int:case_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_CASES)
def case(case_id=None):
    item = record_or_404(Case, case_id)
    form = CaseForm(obj=item)
    form.locality_id.choices = record_choices("Choose a locality", services.by_name(Locality))
    form.team_id.choices = record_choices("Choose a team", services.by_name(Team), _team_label)
    if form.validate_on_submit():
        if problem := services.case_team_problem(form.locality_id.data, form.team_id.data):
            form.team_id.errors.append(problem)
        if not form.errors and (
            saved := save_from_form(
                form,
                Case,
                lambda: services.save_case(
                    item or Case(),
                    **field_data(form, "case_reference", "case_type", "locality_id", "team_id", "allocated_worker_ref"),
                ),
                field="case_reference",
                message="A case with this reference already exists",
                taken=lambda: services.reference_taken(form.case_reference.data, case_id),
            )
        ):
            flash(f"Saved case {saved[0].case_reference}.")
            return redirect(url_for("admin.cases"))
    return render_template("admin/case.html", form=form, case=item)


@bp.route("/cases/import", methods=["GET", "POST"])
@requires(Permission.MANAGE_CASES)
def import_cases():
    form = CaseImportForm()
    result = None
    if form.validate_on_submit():
        result = services.import_cases(form.file.data.stream)
        if not result.errors:
            flash(f"Imported {result.created} new cases and updated {result.updated}.")
            return redirect(url_for("admin.cases"))
    return render_template("admin/import_cases.html", form=form, result=result)
