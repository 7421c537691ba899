"""Observations: starting, checking, saving and submitting the observer's answers; who may read them; history."""

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...autosave import save_with_version, update_together
from ...changelog import log_change_on_flush
from ...extensions import db
from ...followups import services as followups
from ...history import HistoryRow, field_words, record_history
from ...idempotency import create_once
from ...models import (
    Activity,
    ActivityStatus,
    ActivityType,
    Case,
    ChangeLog,
    Lens,
    LensJudgement,
    Observation,
    ObservationStatus,
    PracticeWeek,
    QuickWin,
    Team,
    Theme,
    User,
)
from ...models.grades import Grade
from ...templating import UK
from .inputs import (
    CHANGE_LABELS,
    LENS_KEYS,
    NOT_OBSERVED,
    ObservationInput,
    display_change,
    input_as_changes,
    values_from,
)


def start_observation(user: User, week: PracticeWeek, activity: Activity | None = None, form_token=None) -> Observation:
    """A draft observation for a booking (or unscheduled in the week); the observer's existing one
    for the booking if they have already started it, even when two starts race (one per booking and
    observer in the database), and the one an unscheduled start's form made if it is posted again."""

    def existing():
        if activity is None:
            return None
        return db.session.scalar(
            select(Observation).where(Observation.activity_id == activity.id, Observation.observer_id == user.id)
        )

    def create():
        observation = Observation(
            week=week,
            activity=activity,
            observer=user,
            activity_type=activity.activity_type if activity else ActivityType.STRATEGY_MEETING.value,
            team_id=activity.team_id if activity else None,
            service_id=activity.team.service_id if activity and activity.team else None,
            observed_on=activity.starts_at.astimezone(UK).date()
            if activity and activity.starts_at.tzinfo
            else (activity.starts_at.date() if activity else min(max(date.today(), week.starts_on), week.ends_on)),
            status=ObservationStatus.DRAFT.value,
        )
        observation.judgements = [LensJudgement(lens=lens, answered=False) for lens in LENS_KEYS]
        db.session.add(observation)
        db.session.commit()
        return observation

    return create_once(Observation, create, token=form_token, find_existing=existing)[0]


def find_case(reference: str | None) -> Case | None:
    if not reference:
        return None
    return db.session.scalar(select(Case).where(Case.case_reference == reference.strip().upper()))


def input_problems(values: ObservationInput, *, submitting: bool) -> dict[str, str]:
    """Field name -> message. Drafts only need well-formed values; submission needs everything."""
    problems: dict[str, str] = {}
    if values.case_reference and find_case(values.case_reference) is None:
        problems["case_reference"] = (
            "Enter a case reference that exists in the case-management system, or leave it blank"
        )
    if values.activity_type and values.activity_type not in {t.value for t in ActivityType}:
        problems["activity_type"] = "Select the activity you observed"
    if not submitting:
        return problems
    if not values.activity_type:
        problems["activity_type"] = "Select the activity you observed"
    if not values.observed_on:
        problems["observed_on"] = "Enter the date of the activity"
    for lens in Lens:
        grade = values.grades.get(lens.value)
        if not grade:
            problems[f"grade_{lens.value}"] = f"Select a judgement for {lens.label.lower()}, or 'Not observed'"
        elif grade != NOT_OBSERVED and not (values.notes.get(lens.value) or "").strip():
            problems[f"note_{lens.value}"] = f"Enter a note on what you saw of {lens.label.lower()}"
    if not (values.working_well or "").strip():
        problems["working_well"] = "Enter what is working well"
    if not (values.needs_to_improve or "").strip():
        problems["needs_to_improve"] = "Enter what needs to improve"
    return problems


FOLLOW_UP_FIELD = "follow_up-action_required"


def submission_problems(values: ObservationInput, observation: Observation) -> dict[str, str]:
    """Everything that stops the observation being submitted, field name -> message."""
    problems = input_problems(values, submitting=True)
    if followups.missing_follow_up(observation):
        problems[FOLLOW_UP_FIELD] = (
            "You have an immediate concern or an inadequate judgement: record the follow-up before submitting"
        )
    return problems


def answered_problems(values: ObservationInput, observation: Observation, unsaved: dict[str, str]) -> dict[str, str]:
    """What is wrong with what the observer has typed so far, said while autosaving: the values that
    could not be saved (`unsaved`, field name -> message), a judgement without its note, and a
    concern waiting for its follow-up. Answers not yet given are left to submission."""
    problems = dict(unsaved)
    problems.update(
        (name, message)
        for name, message in submission_problems(values, observation).items()
        if name.startswith("note_") or name == FOLLOW_UP_FIELD
    )
    return problems


def _grade_value(grade: str | None) -> tuple[int | None, bool]:
    """(stored grade, answered)."""
    if not grade:
        return None, False
    if grade == NOT_OBSERVED:
        return None, True
    return Grade(int(grade)).value, True


def apply_input(observation: Observation, values: ObservationInput, themes: list[Theme] = ()) -> Observation:
    """Write what was typed onto the observation, inside save_observation (its lens judgements are written
    after the version check); `themes`: those already read, if any."""
    if values.activity_type:
        observation.activity_type = values.activity_type
    observation.team_id = values.team_id or None
    if observation.team_id:
        observation.service_id = db.session.get(Team, observation.team_id).service_id
    if values.observed_on:
        observation.observed_on = values.observed_on
    case_row = find_case(values.case_reference)
    observation.case_id = case_row.id if case_row else None
    _apply_lenses(observation, values)
    observation.working_well = (values.working_well or "").strip() or None
    observation.needs_to_improve = (values.needs_to_improve or "").strip() or None
    wanted = [(q.text.strip(), q.theme_id or None) for q in values.quick_wins if q.text and q.text.strip()]
    have = list(observation.quick_wins)
    for index, (text, theme_id) in enumerate(wanted):
        if index < len(have):
            have[index].text, have[index].theme_id = text, theme_id
        else:
            observation.quick_wins.append(QuickWin(text=text, theme_id=theme_id))
    for extra in have[len(wanted) :]:
        observation.quick_wins.remove(extra)
    _apply_themes(observation, values.theme_ids, list(themes))
    observation.immediate_concern = bool(values.immediate_concern)
    observation.good_practice = bool(values.good_practice)
    if values.last_section:
        observation.last_section = values.last_section[:60]
    return observation


def _apply_lenses(observation: Observation, values: ObservationInput) -> None:
    """Each lens's judgement: those stored written in one statement whatever changed on each, after the
    version check (update_together: nothing listens to lens judgements but the change log)."""
    by_lens = {j.lens: j for j in observation.judgements}
    stored = []
    for lens in LENS_KEYS:
        grade, answered = _grade_value(values.grades.get(lens))
        typed = {"grade": grade, "note": (values.notes.get(lens) or "").strip() or None, "answered": answered}
        if lens in by_lens:
            stored.append((by_lens[lens], typed))
        else:
            observation.judgements.append(LensJudgement(lens=lens, **typed))
    update_together(stored)


def active_themes() -> list[Theme]:
    """The themes an observation can be tagged with, for its form's choices (and its save)."""
    return list(db.session.scalars(select(Theme).where(Theme.is_active.is_(True)).order_by(Theme.name)))


def _apply_themes(observation: Observation, theme_ids: list[int], known: list[Theme]) -> None:
    """The observation's themes, from those already read for the form (`known`), with one statement only
    for a theme not among them (one since retired)."""
    wanted = set(theme_ids or [])
    if {t.id for t in observation.themes} == wanted:
        return
    themes = {t.id: t for t in [*observation.themes, *known]}
    if missing := wanted - set(themes):
        themes |= {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(missing)))}
    old_themes = ", ".join(sorted(t.name for t in observation.themes))
    observation.themes = sorted((themes[i] for i in wanted if i in themes), key=lambda t: t.name)
    new_themes = ", ".join(t.name for t in observation.themes)
    log_change_on_flush(db.session, observation, "themes", old_themes or None, new_themes or None)


def observation_for_form(observation_id: int) -> Observation | None:
    """The observation with everything its form shows and saves, in one statement (a few rows per lens)."""
    return (
        db.session.scalars(
            select(Observation)
            .where(Observation.id == observation_id)
            .options(
                joinedload(Observation.week),
                joinedload(Observation.activity),
                joinedload(Observation.case),
                joinedload(Observation.team),  # the team offered on a save, without reading every team
                joinedload(Observation.judgements),
                joinedload(Observation.quick_wins),
                joinedload(Observation.themes),
            )
        )
        .unique()
        .one_or_none()
    )


def save_observation(observation: Observation, values: ObservationInput, client_version, themes: list[Theme] = ()):
    """Save what the observer typed, through the shared optimistic-locking save: a copy of the form
    older than the stored observation is refused with both values (see audit_app/autosave.py)."""
    return save_with_version(
        observation,
        client_version,
        input_as_changes(values),
        apply=lambda record, changes: apply_input(record, values, themes),
        current=lambda record: input_as_changes(values_from(record)),
        labels=CHANGE_LABELS,
        display=display_change,
    )


def submit(observation: Observation) -> None:
    """Mark a fully answered observation submitted; its booking counts as observed."""
    observation.status = ObservationStatus.SUBMITTED.value
    observation.submitted_at = datetime.now(UTC)
    if observation.activity is not None and observation.activity.status != ActivityStatus.CANCELLED.value:
        observation.activity.status = ActivityStatus.OBSERVED.value


def can_edit(observation: Observation, user: User) -> bool:
    return observation.observer_id == user.id and observation.status == ObservationStatus.DRAFT.value


def can_read(observation: Observation, user: User) -> bool:
    """A draft belongs to its observer until it is submitted: nobody else reads it (the QA lead sees
    the week's progress counts only). A submitted observation is read by anyone recording observations."""
    return observation.observer_id == user.id or observation.status != ObservationStatus.DRAFT.value


RECORD_LABELS = {"observation": "Observation", "lens_judgement": "Judgement", "quick_win": "Quick win"}


def observation_history(observation: Observation) -> list[HistoryRow]:
    """Every change to the observation, its lens judgements and quick wins, newest first, each with
    what changed in words ("Voice of the child: grade")."""
    judgement_lens = dict(
        db.session.execute(
            select(LensJudgement.id, LensJudgement.lens).where(LensJudgement.observation_id == observation.id)
        ).all()
    )

    def describe(change: ChangeLog) -> str:
        if change.record_type == LensJudgement.__tablename__ and change.record_id in judgement_lens:
            record = Lens(judgement_lens[change.record_id]).label
        else:
            record = RECORD_LABELS.get(change.record_type, change.record_type)
        return f"{record}: {field_words(change)}"

    return record_history(
        [
            (Observation.__tablename__, observation.id),
            (
                LensJudgement.__tablename__,
                select(LensJudgement.id).where(LensJudgement.observation_id == observation.id),
            ),
            (QuickWin.__tablename__, select(QuickWin.id).where(QuickWin.observation_id == observation.id)),
        ],
        describe,
    )


def week_observations(week: PracticeWeek) -> list[Observation]:
    return list(
        db.session.scalars(
            select(Observation)
            .where(Observation.practice_week_id == week.id)
            .options(selectinload(Observation.observer), selectinload(Observation.team))
            .order_by(Observation.observed_on, Observation.id)
        )
    )
