"""Practice weeks: the week and its schedule, "My practice week", observations and the week's summary."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..autosave import Problem
from ..extensions import db
from ..followups import services as followups
from ..followups.forms import add_from_form, new_follow_up_form, offer_owners
from ..forms import field_data, first_errors, record_choices
from ..htmx import is_htmx
from ..idempotency import save_once
from ..models import Activity, ActivityType, Lens, Observation, ObservationStatus, PracticeWeek, Service
from ..models.grades import GRADE_LABELS
from ..navigation import Panel
from ..parsing import parse_id, record_or_404
from ..permissions import Permission, requires
from . import services
from .forms import ActivityForm, ObservationForm, StartObservationForm, WeekForm

bp = Blueprint("practice_week", __name__, url_prefix="/practice-weeks")


def my_practice_week_panel(user):
    if not user.can(Permission.RECORD_OBSERVATIONS):
        return None
    weeks = services.my_bookings(user)
    if not weeks:
        return None
    week, bookings = weeks[0]
    return Panel("My practice week", "practice_week/_home_panel.html", {"week": week, "bookings": bookings})


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@bp.app_template_filter("activity_label")
def activity_label(value):
    return ActivityType(value).label if value in {t.value for t in ActivityType} else value


@bp.app_template_filter("number_words")
def number_words(value):
    return NUMBER_WORDS[value] if 0 <= value < len(NUMBER_WORDS) else str(value)


# --- Weeks ------------------------------------------------------------------------------


@bp.route("/")
@requires(Permission.RECORD_OBSERVATIONS)
def index():
    return render_template("practice_week/index.html", weeks=services.all_weeks(), counts=services.week_counts())


@bp.route("/mine")
@requires(Permission.RECORD_OBSERVATIONS)
def mine():
    return render_template(
        "practice_week/mine.html", weeks=services.my_bookings(current_user), start_form=StartObservationForm()
    )


def _service_choices(form):
    form.service_ids.choices = [(s.id, s.name) for s in db.session.scalars(select(Service).order_by(Service.name))]


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:week_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_PRACTICE_WEEKS)
def edit_week(week_id=None):
    week = record_or_404(PracticeWeek, week_id)
    form = WeekForm(obj=week if request.method == "GET" else None)
    _service_choices(form)
    if request.method == "GET" and week:
        form.service_ids.data = [s.id for s in week.services]
    if form.validate_on_submit() and (
        saved := save_once(
            form,
            PracticeWeek,
            lambda: services.save_week(
                week or PracticeWeek(),
                created_by=current_user,
                **field_data(form, "title", "starts_on", "ends_on", "focus", "service_ids"),
            ),
            field="title",
            noun="practice week",
        )
    ):
        week = saved[0]
        flash(f"Saved {week.title}.")
        return redirect(url_for("practice_week.week", week_id=week.id))
    return render_template("practice_week/edit_week.html", form=form, week=week)


@bp.route("/<int:week_id>")
@requires(Permission.RECORD_OBSERVATIONS)
def week(week_id):
    item = db.get_or_404(PracticeWeek, week_id)
    return render_template(
        "practice_week/week.html",
        week=item,
        schedule=services.schedule(item),
        observations=services.week_observations(item),
        start_form=StartObservationForm(),
        dates=services.week_dates(item),
    )


@bp.route("/<int:week_id>/activities/new", methods=["GET", "POST"])
@bp.route("/<int:week_id>/activities/<int:activity_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_PRACTICE_WEEKS)
def activity(week_id, activity_id=None):
    item = db.get_or_404(PracticeWeek, week_id)
    booking = record_or_404(Activity, activity_id, week_id=item.id)
    form = ActivityForm(obj=booking if request.method == "GET" else None)
    form.team_id.choices = record_choices("No particular team", services.teams())
    form.observer_id.choices = record_choices("Choose an observer", services.observers(), lambda u: u.display_name)
    if request.method == "GET":
        if booking:
            local = services.local_time(booking.starts_at)
            form.day.data, form.at.data = local.date(), local.time()
            form.team_id.data = booking.team_id or 0
        else:
            form.day.data = item.starts_on
    if form.validate_on_submit() and save_once(
        form,
        Activity,
        lambda: services.save_activity(
            booking or Activity(),
            week=item,
            **field_data(form, "day", "at", "activity_type", "team_id", "observer_id", "description", "status"),
        ),
        field="description",
        noun="activity",
    ):
        flash("Saved the activity.")
        return redirect(url_for("practice_week.week", week_id=item.id) + "#schedule")
    return render_template("practice_week/activity.html", form=form, week=item, booking=booking)


# --- Observations ----------------------------------------------------------------------


@bp.route("/<int:week_id>/observations", methods=["POST"])
@requires(Permission.RECORD_OBSERVATIONS)
def start_observation(week_id):
    item = db.get_or_404(PracticeWeek, week_id)
    form = StartObservationForm()
    if not form.validate_on_submit():
        abort(400)
    booking = None
    if form.activity_id.data:
        activity_id = parse_id(form.activity_id.data)
        booking = db.session.get(Activity, activity_id) if activity_id else None
        if booking is None or booking.week_id != item.id:
            abort(404)
        if booking.observer_id != current_user.id:
            abort(403)
    observation = services.start_observation(current_user, item, booking, form_token=form.form_token.data)
    return redirect(url_for("practice_week.observation", observation_id=observation.id))


def _observation_form(observation, formdata=None, themes=None):
    form = ObservationForm(formdata=formdata)
    if formdata is None:
        stored = services.values_from(observation)
        form.version.data = observation.version
        form.last_section.data = observation.last_section
        form.activity_type.data = stored.activity_type
        form.team_id.data = stored.team_id or 0
        form.observed_on.data = stored.observed_on
        form.case_reference.data = stored.case_reference
        for lens in Lens:
            form[f"grade_{lens.value}"].data = stored.grades.get(lens.value)
            form[f"note_{lens.value}"].data = stored.notes.get(lens.value)
        form.working_well.data, form.needs_to_improve.data = stored.working_well, stored.needs_to_improve
        form.theme_ids.data = stored.theme_ids
        form.immediate_concern.data = stored.immediate_concern
        form.good_practice.data = stored.good_practice
        while len(form.quick_wins.entries):
            form.quick_wins.pop_entry()
        for quick_win in stored.quick_wins:
            form.quick_wins.append_entry({"text": quick_win.text, "theme_id": quick_win.theme_id or 0})
    # Always room for one more quick win (two on a fresh form), without JavaScript.
    blanks = sum(1 for e in form.quick_wins.entries if not (e.form.text.data or "").strip())
    while blanks < (2 if not observation.quick_wins else 1):
        form.quick_wins.append_entry({})
        blanks += 1
    # A save offers only the stored team (a team chosen from the list is checked to exist): every team is
    # read only when the form is shown (_render_form).
    form.team_id.choices = [(0, "No particular team")] + ([(t.id, t.name)] if (t := observation.team) else [])
    themes = [(t.id, t.name) for t in (services.active_themes() if themes is None else themes)]
    form.theme_ids.choices = themes
    for entry in form.quick_wins.entries:
        entry.form.theme_id.choices = [(0, "Choose a theme")] + themes
    return form


def _render_form(observation, form, follow_up_form, result=None, problems=None, status=200):
    form.team_id.choices = record_choices("No particular team", services.teams())
    offer_owners(follow_up_form)
    return (
        render_template(
            "practice_week/observation_form.html",
            observation=observation,
            observation_form=form,
            follow_up_form=follow_up_form,
            follow_ups=followups.follow_ups_for(observation),
            result=result,
            lenses=list(Lens),
            grade_labels=GRADE_LABELS,
        ),
        status,
    )


def _readable_observation(observation_id, for_form=False) -> Observation:
    item = services.observation_for_form(observation_id) if for_form else db.session.get(Observation, observation_id)
    if item is None:
        abort(404)
    if not services.can_read(item, current_user):
        abort(403)  # someone else's draft
    return item


def _checked_draft(form, item: Observation):
    """The observer's answers from the posted form, with each problem put on the form and every field
    found wrong put back to what is stored, so the draft saves the rest."""
    form.validate()
    values = services.values_from_form(form, item)
    draft_problems = services.input_problems(values, submitting=False)
    for name, message in [*draft_problems.items(), *services.grade_problems(values).items()]:
        form[name].errors.append(message)
    return services.without_invalid(values, form.errors, item)


def _record_follow_up(item: Observation, follow_up_form):
    """A follow-up typed in is recorded with the observation, whichever button was pressed; the form
    to show next (empty once recorded, with its errors otherwise)."""
    if not (request.form.get(services.FOLLOW_UP_FIELD) or "").strip():
        return follow_up_form
    if not offer_owners(follow_up_form).validate():
        return follow_up_form
    add_from_form(item, follow_up_form, current_user)
    return new_follow_up_form(meta={"csrf": False}, owners=False)


@bp.route("/observations/<int:observation_id>", methods=["GET", "POST"])
@requires(Permission.RECORD_OBSERVATIONS)
def observation(observation_id):
    item = _readable_observation(observation_id, for_form=True)
    if not services.can_edit(item, current_user):
        return redirect(url_for("practice_week.view_observation", observation_id=item.id))
    if request.method == "GET":
        return _render_form(item, _observation_form(item), new_follow_up_form(meta={"csrf": False}, formdata=None))

    themes = services.active_themes()  # read once: the form's choices and the save's themes
    form = _observation_form(item, request.form, themes)
    values = _checked_draft(form, item)
    client_version = request.form.get("keep_mine") or form.version.data
    result = services.save_observation(item, values, client_version, themes)
    if is_htmx():
        unsaved = first_errors(form)  # a quick win's too: else "Saved", with that quick win not kept
        hints = services.answered_problems(values, item, unsaved) if result.saved else {}
        problems = [Problem("observation", name, message) for name, message in hints.items()]
        return render_template("components/_save_status.html", result=result, oob=True, problems=problems)
    # not needed by autosave; its people are read only when a follow-up is typed or the form shown
    follow_up_form = new_follow_up_form(meta={"csrf": False}, formdata=request.form, owners=False)
    if result.conflict:  # the form keeps the version its values were based on: only "Keep my answers" overwrites
        return _render_form(item, form, follow_up_form, result=result, status=409)
    form.version.data = result.version

    follow_up_form = _record_follow_up(item, follow_up_form)
    if "submit_observation" in request.form and not form.errors and not follow_up_form.errors:
        problems = services.submission_problems(values, item)
        follow_up_problem = problems.pop(services.FOLLOW_UP_FIELD, None)
        for name, message in problems.items():
            form[name].errors.append(message)
        if follow_up_problem:
            offer_owners(follow_up_form).validate()  # shows what the follow-up form itself still needs
            follow_up_form.action_required.errors.insert(0, follow_up_problem)
        if not form.errors and not follow_up_form.errors:
            services.submit(item)
            db.session.commit()
            flash("Observation submitted. Thank you.")
            return redirect(url_for("practice_week.view_observation", observation_id=item.id))
    if form.errors or follow_up_form.errors:
        return _render_form(item, form, follow_up_form, result=result)
    flash("Your observation is saved. You can come back to it from My practice week.")
    anchor = f"#{item.last_section}" if item.last_section else ""
    return redirect(url_for("practice_week.observation", observation_id=item.id) + anchor)


@bp.route("/observations/<int:observation_id>/view")
@requires(Permission.RECORD_OBSERVATIONS)
def view_observation(observation_id):
    item = _readable_observation(observation_id)
    by_lens = {j.lens: j for j in item.judgements}
    return render_template(
        "practice_week/observation.html",
        observation=item,
        judgements=[(lens, by_lens.get(lens.value)) for lens in Lens],
        follow_ups=followups.follow_ups_for(item),
        history=services.observation_history(item),
        can_edit=services.can_edit(item, current_user),
        grade_labels=GRADE_LABELS,
        is_draft=item.status == ObservationStatus.DRAFT.value,
    )


# --- The week's summary --------------------------------------------------------------------


def _summary_context(item):
    spread = services.lens_spread(item)
    return {
        "week": item,
        "dates": services.week_dates(item),
        "final": services.is_final(item),
        "progress": services.progress(item),
        "spread": spread,
        "findings": services.findings(item),
        "quick_wins": services.quick_win_groups(item),
        "comparison": services.comparison(item),
        "headlines": services.headline_findings(item, spread),
        "headline_quick_wins": services.headline_quick_wins(item),
        "lenses": list(Lens),
        "grade_labels": GRADE_LABELS,
    }


@bp.route("/<int:week_id>/summary")
@requires(Permission.VIEW_PRACTICE_WEEK_SUMMARY)
def summary(week_id):
    item = db.get_or_404(PracticeWeek, week_id)
    return render_template("practice_week/summary.html", **_summary_context(item))


@bp.route("/<int:week_id>/headline-findings")
@requires(Permission.VIEW_PRACTICE_WEEK_SUMMARY)
def headline_findings(week_id):
    item = db.get_or_404(PracticeWeek, week_id)
    return render_template("practice_week/headline_findings.html", **_summary_context(item))
