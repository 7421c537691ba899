"""Practice weeks: the week and its schedule, observers' bookings, observations, and the week's summary.

Plain functions over db.session; routes and tests call them alike. Every figure in the summary is
counted by the database (GROUP BY), never by looping over rows in Python.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import selectinload

from ..changelog import log_change
from ..extensions import db
from ..followups import services as followups
from ..history import HistoryRow, field_words, record_history
from ..idempotency import create_once
from ..models import (
    Activity,
    ActivityStatus,
    ActivityType,
    AuditStatus,
    Case,
    CaseAudit,
    ChangeLog,
    Judgement,
    Lens,
    LensJudgement,
    Observation,
    ObservationStatus,
    PracticeWeek,
    QuickWin,
    Service,
    Team,
    Theme,
    User,
    UserRole,
)
from ..models.grades import GOOD_OR_BETTER_MAX, Grade
from ..permissions import Role
from ..templating import UK, local_time  # noqa: F401

LENS_KEYS = [lens.value for lens in Lens]
NOT_OBSERVED = "not_observed"


# --- Weeks and the schedule ------------------------------------------------------------------


def all_weeks() -> list[PracticeWeek]:
    return list(db.session.scalars(select(PracticeWeek).order_by(PracticeWeek.starts_on.desc())))


def week_counts() -> dict[int, dict]:
    """Booked (not cancelled) and observed activities for every week, in one query."""
    rows = db.session.execute(
        select(
            Activity.week_id,
            func.sum(case((Activity.status != ActivityStatus.CANCELLED.value, 1), else_=0)),
            func.sum(case((Activity.status == ActivityStatus.OBSERVED.value, 1), else_=0)),
        ).group_by(Activity.week_id)
    )
    return {week_id: {"booked": int(booked or 0), "observed": int(observed or 0)} for week_id, booked, observed in rows}


def previous_week(week: PracticeWeek) -> PracticeWeek | None:
    return db.session.scalar(
        select(PracticeWeek)
        .where(PracticeWeek.starts_on < week.starts_on, PracticeWeek.id != week.id)
        .order_by(PracticeWeek.starts_on.desc())
        .limit(1)
    )


def week_dates(week: PracticeWeek) -> str:
    """'4–8 October 2021', as the seed's headline findings put it."""
    start, end = week.starts_on, week.ends_on
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def is_final(week: PracticeWeek, today: date | None = None) -> bool:
    return (today or date.today()) > week.ends_on


def save_week(week: PracticeWeek, *, title, starts_on, ends_on, focus, service_ids, created_by=None) -> PracticeWeek:
    week.title = title.strip()
    week.starts_on, week.ends_on = starts_on, ends_on
    week.focus = (focus or "").strip() or None
    if week.id is None:
        week.created_by_id = created_by.id if created_by else None
        db.session.add(week)
        db.session.flush()
    old = ", ".join(s.name for s in week.services)
    week.services = list(db.session.scalars(select(Service).where(Service.id.in_(service_ids or [])).order_by(Service.name)))
    log_change(db.session, week, "services", old or None, ", ".join(s.name for s in week.services) or None)
    db.session.commit()
    return week


def observers() -> list[User]:
    """People who can be booked to observe: senior managers and QA leads."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role.in_([Role.SENIOR_MANAGER.value, Role.QA_LEAD.value]), User.is_enabled.is_(True))
            .distinct()
            .order_by(User.display_name)
        )
    )


def teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def uk_datetime(day: date, at: time) -> datetime:
    """A date and a UK wall-clock time, stored in UTC."""
    return datetime.combine(day, at, tzinfo=UK).astimezone(timezone.utc)


def save_activity(activity: Activity, *, week, day, at, activity_type, team_id, observer_id, description, status) -> Activity:
    activity.week = week
    activity.starts_at = uk_datetime(day, at)
    activity.activity_type = ActivityType(activity_type).value
    activity.team_id = team_id or None
    activity.observer_id = observer_id
    activity.description = (description or "").strip() or None
    activity.status = ActivityStatus(status).value
    db.session.add(activity)
    db.session.commit()
    return activity


def schedule(week: PracticeWeek) -> list["Booking"]:
    """The week's activities in time order, each with the observation its observer has started for it."""
    rows = db.session.execute(
        select(Activity, Observation)
        .outerjoin(Observation, and_(Observation.activity_id == Activity.id, Observation.observer_id == Activity.observer_id))
        .where(Activity.week_id == week.id)
        .options(selectinload(Activity.team), selectinload(Activity.observer))
        .order_by(Activity.starts_at, Activity.id)
    ).all()
    return [Booking(activity, observation) for activity, observation in rows]


@dataclass
class Booking:
    activity: Activity
    observation: Observation | None

    @property
    def status(self) -> tuple[str, str]:
        """The one name for where a booking stands, wherever it is shown, with its tag colour."""
        if self.activity.status == ActivityStatus.CANCELLED.value:
            return "Cancelled", "govuk-tag--grey"
        if self.observation is not None and self.observation.status == ObservationStatus.SUBMITTED.value:
            return "Observed", "govuk-tag--green"
        if self.observation is not None:
            return "Draft", "govuk-tag--yellow"
        if self.activity.status == ActivityStatus.OBSERVED.value:
            return "Observed", "govuk-tag--green"
        return "Booked", "govuk-tag--blue"


def my_bookings(user: User) -> list[tuple[PracticeWeek, list[Booking]]]:
    """The observer's bookings, newest week first and in time order within it, each with the
    observation they have started for it (if any)."""
    rows = db.session.execute(
        select(Activity, Observation)
        .join(PracticeWeek, PracticeWeek.id == Activity.week_id)
        .outerjoin(Observation, and_(Observation.activity_id == Activity.id, Observation.observer_id == user.id))
        .where(Activity.observer_id == user.id)
        .options(selectinload(Activity.team), selectinload(Activity.week))
        .order_by(PracticeWeek.starts_on.desc(), Activity.starts_at, Activity.id)
    ).all()
    weeks: dict[int, tuple[PracticeWeek, list[Booking]]] = {}
    for activity, observation in rows:
        weeks.setdefault(activity.week_id, (activity.week, []))[1].append(Booking(activity, observation))
    return list(weeks.values())


def open_bookings_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Activity.id)).where(Activity.observer_id == user.id, Activity.status == ActivityStatus.BOOKED.value)
    ) or 0


# --- Observations ------------------------------------------------------------------------


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
        if (found := existing()) is not None:
            return found
        observation = Observation(
            week=week,
            activity=activity,
            observer=user,
            activity_type=activity.activity_type if activity else ActivityType.STRATEGY_MEETING.value,
            team_id=activity.team_id if activity else None,
            service_id=activity.team.service_id if activity and activity.team else None,
            observed_on=activity.starts_at.astimezone(UK).date() if activity and activity.starts_at.tzinfo
            else (activity.starts_at.date() if activity else min(max(date.today(), week.starts_on), week.ends_on)),
            status=ObservationStatus.DRAFT.value,
        )
        observation.judgements = [LensJudgement(lens=lens, answered=False) for lens in LENS_KEYS]
        db.session.add(observation)
        db.session.commit()
        return observation

    return create_once(Observation, create, token=form_token, find_existing=existing)[0]


@dataclass
class QuickWinInput:
    text: str
    theme_id: int | None = None


@dataclass
class ObservationInput:
    """What the observer typed. Grades are '1'..'4', 'not_observed' or None (not yet answered)."""

    activity_type: str | None = None
    team_id: int | None = None
    observed_on: date | None = None
    case_reference: str | None = None
    grades: dict[str, str | None] = field(default_factory=dict)
    notes: dict[str, str | None] = field(default_factory=dict)
    working_well: str | None = None
    needs_to_improve: str | None = None
    quick_wins: list[QuickWinInput] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    immediate_concern: bool = False
    last_section: str | None = None


def find_case(reference: str | None) -> Case | None:
    if not reference:
        return None
    return db.session.scalar(select(Case).where(Case.case_reference == reference.strip().upper()))


def input_problems(values: ObservationInput, *, submitting: bool) -> dict[str, str]:
    """Field name -> message. Drafts only need well-formed values; submission needs everything."""
    problems: dict[str, str] = {}
    if values.case_reference and find_case(values.case_reference) is None:
        problems["case_reference"] = "Enter a case reference that exists in the case-management system, or leave it blank"
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
        problems[FOLLOW_UP_FIELD] = "You have an immediate concern or an inadequate judgement: record the follow-up before submitting"
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


def apply_input(observation: Observation, values: ObservationInput) -> Observation:
    """Write what was typed onto the observation (no commit)."""
    if values.activity_type:
        observation.activity_type = values.activity_type
    observation.team_id = values.team_id or None
    if observation.team_id:
        observation.service_id = db.session.get(Team, observation.team_id).service_id
    if values.observed_on:
        observation.observed_on = values.observed_on
    case_row = find_case(values.case_reference)
    observation.case_id = case_row.id if case_row else None
    by_lens = {j.lens: j for j in observation.judgements}
    for lens in LENS_KEYS:
        judgement = by_lens.get(lens)
        if judgement is None:
            judgement = LensJudgement(lens=lens)
            observation.judgements.append(judgement)
        grade, answered = _grade_value(values.grades.get(lens))
        judgement.grade, judgement.answered = grade, answered
        judgement.note = (values.notes.get(lens) or "").strip() or None
    observation.working_well = (values.working_well or "").strip() or None
    observation.needs_to_improve = (values.needs_to_improve or "").strip() or None
    wanted = [(q.text.strip(), q.theme_id or None) for q in values.quick_wins if q.text and q.text.strip()]
    have = list(observation.quick_wins)
    for index, (text, theme_id) in enumerate(wanted):
        if index < len(have):
            have[index].text, have[index].theme_id = text, theme_id
        else:
            observation.quick_wins.append(QuickWin(text=text, theme_id=theme_id))
    for extra in have[len(wanted):]:
        observation.quick_wins.remove(extra)
    old_themes = ", ".join(t.name for t in observation.themes)
    observation.themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(values.theme_ids or [])).order_by(Theme.name)))
    new_themes = ", ".join(t.name for t in observation.themes)
    if observation.id is not None:
        log_change(db.session, observation, "themes", old_themes or None, new_themes or None)
    observation.immediate_concern = bool(values.immediate_concern)
    if values.last_section:
        observation.last_section = values.last_section[:60]
    return observation



def save_observation(observation: Observation, values: ObservationInput, client_version):
    """Save what the observer typed, through the shared optimistic-locking save: a copy of the form
    older than the stored observation is refused with both values (see audit_app/audits/conflicts.py)."""
    from ..audits.conflicts import save_with_version

    return save_with_version(
        observation,
        client_version,
        input_as_changes(values),
        apply=lambda record, changes: apply_input(record, values),
        current=lambda record: input_as_changes(values_from(record)),
        labels=CHANGE_LABELS,
        display=display_change,
    )


def submit(observation: Observation) -> None:
    """Mark a fully answered observation submitted; its booking counts as observed."""
    observation.status = ObservationStatus.SUBMITTED.value
    observation.submitted_at = datetime.now(timezone.utc)
    if observation.activity is not None and observation.activity.status != ActivityStatus.CANCELLED.value:
        observation.activity.status = ActivityStatus.OBSERVED.value


def values_from(observation: Observation) -> ObservationInput:
    """What is stored, in the shape the form edits (to check a stored draft before submitting)."""
    return ObservationInput(
        activity_type=observation.activity_type,
        team_id=observation.team_id,
        observed_on=observation.observed_on,
        case_reference=observation.case.case_reference if observation.case else None,
        grades={j.lens: grade_choice(j) for j in observation.judgements},
        notes={j.lens: j.note for j in observation.judgements},
        working_well=observation.working_well,
        needs_to_improve=observation.needs_to_improve,
        quick_wins=[QuickWinInput(q.text, q.theme_id) for q in observation.quick_wins],
        theme_ids=[t.id for t in observation.themes],
        immediate_concern=observation.immediate_concern,
        last_section=observation.last_section,
    )


def grade_choice(judgement: LensJudgement | None) -> str | None:
    if judgement is None or not judgement.answered:
        return None
    return NOT_OBSERVED if judgement.grade is None else str(judgement.grade)


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
        db.session.execute(select(LensJudgement.id, LensJudgement.lens).where(LensJudgement.observation_id == observation.id)).all()
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
            (LensJudgement.__tablename__, select(LensJudgement.id).where(LensJudgement.observation_id == observation.id)),
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


# --- The week's summary ----------------------------------------------------------------------

SUBMITTED = ObservationStatus.SUBMITTED.value
AUDIT_COUNTED = (AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value)


def _submitted_in(week_id: int):
    return and_(Observation.practice_week_id == week_id, Observation.status == SUBMITTED)


@dataclass
class ProgressRow:
    label: str
    booked: int
    observed: int

    @property
    def percent(self) -> int:
        return round(100 * self.observed / self.booked) if self.booked else 0


def progress(week: PracticeWeek) -> dict:
    """Observed against booked (cancelled bookings left out), overall, by observer and by activity type."""
    booked = func.sum(case((Activity.status != ActivityStatus.CANCELLED.value, 1), else_=0))
    observed = func.sum(case((Activity.status == ActivityStatus.OBSERVED.value, 1), else_=0))
    cancelled = func.sum(case((Activity.status == ActivityStatus.CANCELLED.value, 1), else_=0))
    in_week = Activity.week_id == week.id
    total = db.session.execute(select(booked, observed, cancelled).where(in_week)).one()
    by_observer = db.session.execute(
        select(User.display_name, booked, observed)
        .join(User, User.id == Activity.observer_id)
        .where(in_week)
        .group_by(User.id, User.display_name)
        .order_by(User.display_name)
    ).all()
    by_type = db.session.execute(
        select(Activity.activity_type, booked, observed).where(in_week).group_by(Activity.activity_type)
    ).all()
    order = {t.value: i for i, t in enumerate(ActivityType)}
    return {
        "total": ProgressRow("All activities", int(total[0] or 0), int(total[1] or 0)),
        "cancelled": int(total[2] or 0),
        "by_observer": [ProgressRow(name, int(b or 0), int(o or 0)) for name, b, o in by_observer],
        "by_type": [
            ProgressRow(ActivityType(t).label, int(b or 0), int(o or 0))
            for t, b, o in sorted(by_type, key=lambda r: order.get(r[0], 99))
        ],
        "submitted_observations": db.session.scalar(select(func.count(Observation.id)).where(_submitted_in(week.id))) or 0,
        "draft_observations": db.session.scalar(
            select(func.count(Observation.id)).where(
                Observation.practice_week_id == week.id, Observation.status == ObservationStatus.DRAFT.value
            )
        )
        or 0,
        "record_audits": db.session.scalar(
            select(func.count(CaseAudit.id)).where(CaseAudit.practice_week_id == week.id, CaseAudit.status.in_(AUDIT_COUNTED))
        )
        or 0,
    }


def _graded_rows(week_id: int):
    """(activity_type, lens, grade) for every judgement in the week: submitted observations' lens
    judgements, and the graded judgements of record audits done during the week (their domain keys
    match the lens keys), which count as 'record audit' activity."""
    observed = (
        select(
            Observation.activity_type.label("activity_type"),
            LensJudgement.lens.label("lens"),
            LensJudgement.grade.label("grade"),
        )
        .join(Observation, Observation.id == LensJudgement.observation_id)
        .where(_submitted_in(week_id))
    )
    audited = (
        select(
            literal(ActivityType.RECORD_AUDIT.value).label("activity_type"),
            Judgement.domain_key.label("lens"),
            Judgement.grade.label("grade"),
        )
        .join(CaseAudit, CaseAudit.id == Judgement.audit_id)
        .where(
            CaseAudit.practice_week_id == week_id,
            CaseAudit.status.in_(AUDIT_COUNTED),
            Judgement.domain_key.in_(LENS_KEYS),
            Judgement.grade.is_not(None),
        )
    )
    return union_all(observed, audited).subquery()


@dataclass
class Spread:
    """How many judgements fell on each grade, and how many lenses were not observed."""

    counts: dict[int, int] = field(default_factory=lambda: {g.value: 0 for g in Grade})
    not_observed: int = 0

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return sum(n for g, n in self.counts.items() if g <= GOOD_OR_BETTER_MAX)

    @property
    def percent_good(self) -> int | None:
        return round(100 * self.good_or_better / self.graded) if self.graded else None


def lens_spread(week: PracticeWeek) -> dict:
    """{'by_type': {activity_type: {lens: Spread}}, 'by_lens': {lens: Spread}}, counted in SQL."""
    rows_ = _graded_rows(week.id)
    by_type_rows = db.session.execute(
        select(rows_.c.activity_type, rows_.c.lens, rows_.c.grade, func.count())
        .group_by(rows_.c.activity_type, rows_.c.lens, rows_.c.grade)
    ).all()
    by_lens_rows = db.session.execute(
        select(rows_.c.lens, rows_.c.grade, func.count()).group_by(rows_.c.lens, rows_.c.grade)
    ).all()
    by_type: dict[str, dict[str, Spread]] = {}
    for activity_type, lens, grade, n in by_type_rows:
        spread = by_type.setdefault(activity_type, {k: Spread() for k in LENS_KEYS}).setdefault(lens, Spread())
        _add(spread, grade, n)
    by_lens = {k: Spread() for k in LENS_KEYS}
    for lens, grade, n in by_lens_rows:
        _add(by_lens.setdefault(lens, Spread()), grade, n)
    order = [t.value for t in ActivityType]
    return {
        "by_type": {t: by_type[t] for t in order if t in by_type},
        "by_lens": by_lens,
    }


def _add(spread: Spread, grade, n) -> None:
    if grade is None:
        spread.not_observed += int(n)
    else:
        spread.counts[int(grade)] = spread.counts.get(int(grade), 0) + int(n)


@dataclass
class Quote:
    text: str
    observation_id: int | None = None
    audit_id: int | None = None
    grade: int | None = None


def findings(week: PracticeWeek) -> dict:
    """Strengths and areas for improvement with the observers' own words: per activity type (what is
    working well / needs to improve, and record audits' strengths / areas for improvement) and per
    activity type and lens (notes on judgements good or better / requiring improvement or worse)."""
    result: dict[str, dict] = {}

    def slot(activity_type):
        return result.setdefault(activity_type, {"strengths": [], "improvements": [], "lenses": {}})

    for activity_type, working_well, needs_to_improve, obs_id in db.session.execute(
        select(Observation.activity_type, Observation.working_well, Observation.needs_to_improve, Observation.id)
        .where(_submitted_in(week.id))
        .order_by(Observation.observed_on, Observation.id)
    ):
        if working_well:
            slot(activity_type)["strengths"].append(Quote(working_well, observation_id=obs_id))
        if needs_to_improve:
            slot(activity_type)["improvements"].append(Quote(needs_to_improve, observation_id=obs_id))
    for strengths, areas, audit_id in db.session.execute(
        select(CaseAudit.strengths, CaseAudit.areas_for_improvement, CaseAudit.id)
        .where(CaseAudit.practice_week_id == week.id, CaseAudit.status.in_(AUDIT_COUNTED))
        .order_by(CaseAudit.submitted_at, CaseAudit.id)
    ):
        if strengths:
            slot(ActivityType.RECORD_AUDIT.value)["strengths"].append(Quote(strengths, audit_id=audit_id))
        if areas:
            slot(ActivityType.RECORD_AUDIT.value)["improvements"].append(Quote(areas, audit_id=audit_id))
    for activity_type, lens, grade, note, obs_id in db.session.execute(
        select(Observation.activity_type, LensJudgement.lens, LensJudgement.grade, LensJudgement.note, Observation.id)
        .join(Observation, Observation.id == LensJudgement.observation_id)
        .where(_submitted_in(week.id), LensJudgement.grade.is_not(None), LensJudgement.note.is_not(None))
        .order_by(LensJudgement.grade, Observation.observed_on, Observation.id)
    ):
        lenses = slot(activity_type)["lenses"].setdefault(lens, {"strengths": [], "improvements": []})
        kind = "strengths" if grade <= GOOD_OR_BETTER_MAX else "improvements"
        lenses[kind].append(Quote(note, observation_id=obs_id, grade=grade))
    order = [t.value for t in ActivityType]
    return {t: result[t] for t in order if t in result}


@dataclass
class QuickWinGroup:
    theme_id: int | None
    name: str
    count: int
    items: list = field(default_factory=list)


def quick_win_groups(week: PracticeWeek) -> list[QuickWinGroup]:
    """Quick wins from submitted observations grouped by theme, largest group first, counted in SQL."""
    counts = db.session.execute(
        select(QuickWin.theme_id, Theme.name, func.count(QuickWin.id))
        .join(Observation, Observation.id == QuickWin.observation_id)
        .outerjoin(Theme, Theme.id == QuickWin.theme_id)
        .where(_submitted_in(week.id))
        .group_by(QuickWin.theme_id, Theme.name)
    ).all()
    groups = {
        theme_id: QuickWinGroup(theme_id, name or "Not linked to a theme", int(n)) for theme_id, name, n in counts
    }
    for quick_win in db.session.scalars(
        select(QuickWin)
        .join(Observation, Observation.id == QuickWin.observation_id)
        .where(_submitted_in(week.id))
        .order_by(QuickWin.id)
    ):
        groups[quick_win.theme_id].items.append(quick_win)
    return sorted(groups.values(), key=lambda g: (g.theme_id is None, -g.count, g.name))


def headline_quick_wins(week: PracticeWeek) -> list[tuple[str, str | None, int]]:
    """Distinct quick wins with how often each was suggested, most suggested first (counted in SQL)."""
    rows = db.session.execute(
        select(QuickWin.text, Theme.name, func.count(QuickWin.id), func.min(QuickWin.id))
        .join(Observation, Observation.id == QuickWin.observation_id)
        .outerjoin(Theme, Theme.id == QuickWin.theme_id)
        .where(_submitted_in(week.id))
        .group_by(QuickWin.text, Theme.name)
        .order_by(func.count(QuickWin.id).desc(), func.min(QuickWin.id))
    ).all()
    return [(text, theme, int(n)) for text, theme, n, _ in rows]


@dataclass
class ComparisonRow:
    label: str
    this_week: Spread
    last_week: Spread

    @property
    def change(self) -> int | None:
        if self.this_week.percent_good is None or self.last_week.percent_good is None:
            return None
        return self.this_week.percent_good - self.last_week.percent_good


def comparison(week: PracticeWeek) -> dict | None:
    """This week against the previous practice week: share of judgements good or better per lens,
    observations, and quick wins."""
    before = previous_week(week)
    if before is None:
        return None
    this_spread, last_spread = lens_spread(week)["by_lens"], lens_spread(before)["by_lens"]
    rows = [ComparisonRow(lens.label, this_spread[lens.value], last_spread[lens.value]) for lens in Lens]

    def totals(by_lens):
        total = Spread()
        for spread in by_lens.values():
            for grade, n in spread.counts.items():
                total.counts[grade] += n
            total.not_observed += spread.not_observed
        return total

    def submitted(w):
        return db.session.scalar(select(func.count(Observation.id)).where(_submitted_in(w.id))) or 0

    def quick_wins(w):
        return (
            db.session.scalar(
                select(func.count(QuickWin.id))
                .join(Observation, Observation.id == QuickWin.observation_id)
                .where(_submitted_in(w.id))
            )
            or 0
        )

    return {
        "week": before,
        "rows": rows,
        "overall": ComparisonRow("All lenses", totals(this_spread), totals(last_spread)),
        "observations": (submitted(week), submitted(before)),
        "quick_wins": (quick_wins(week), quick_wins(before)),
    }


def headline_findings(week: PracticeWeek, spread: dict | None = None) -> list[str]:
    """Sentences in the style of the seed's headline findings, one per activity type observed."""
    spread = spread or lens_spread(week)
    lines = []
    for activity_type, lenses in spread["by_type"].items():
        graded = {k: s for k, s in lenses.items() if s.graded}
        if not graded:
            continue
        good = sum(s.good_or_better for s in graded.values())
        total = sum(s.graded for s in graded.values())
        strongest = [Lens(k).label.lower() for k, s in graded.items() if s.good_or_better == s.graded]
        weakest = [Lens(k).label.lower() for k, s in graded.items() if s.good_or_better == 0]
        sentence = f"{ActivityType(activity_type).label}: {good} of {total} judgements good or better."
        if strongest:
            sentence += f" Good practice in {_join(strongest)}."
        if weakest:
            sentence += f" {_join(weakest).capitalize()} {'requires' if len(weakest) == 1 else 'require'} improvement."
        lines.append(sentence)
    return lines


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- From the form, and back, for the shared optimistic-locking save ----------------------------


def values_from_form(form) -> ObservationInput:
    return ObservationInput(
        activity_type=form.activity_type.data or None,
        team_id=form.team_id.data or None,
        observed_on=form.observed_on.data,
        case_reference=(form.case_reference.data or "").strip().upper() or None,
        grades={lens: form[f"grade_{lens}"].data or None for lens in LENS_KEYS},
        notes={lens: form[f"note_{lens}"].data for lens in LENS_KEYS},
        working_well=form.working_well.data,
        needs_to_improve=form.needs_to_improve.data,
        quick_wins=[
            QuickWinInput(e.form.text.data or "", e.form.theme_id.data or None)
            for e in form.quick_wins.entries
            if (e.form.text.data or "").strip()
        ],
        theme_ids=[int(t) for t in (form.theme_ids.data or [])],
        immediate_concern=bool(form.immediate_concern.data),
        last_section=form.last_section.data or None,
    )


GRADE_VALUES = {str(g.value) for g in Grade} | {NOT_OBSERVED}


def without_invalid(values: ObservationInput, form, observation: Observation) -> ObservationInput:
    """The same input with every field the form found wrong put back to what is stored, so an
    autosave never writes a half-typed date or an unknown case reference, and never loses the rest."""
    stored = values_from(observation)
    for lens in LENS_KEYS:
        if values.grades.get(lens) not in GRADE_VALUES | {None}:
            form[f"grade_{lens}"].errors.append(f"Select a judgement for {Lens(lens).label.lower()}")
    for name, errors in list(form.errors.items()):
        if name.startswith("grade_"):
            values.grades[name.removeprefix("grade_")] = stored.grades.get(name.removeprefix("grade_"))
        elif name.startswith("note_"):
            values.notes[name.removeprefix("note_")] = stored.notes.get(name.removeprefix("note_"))
        elif hasattr(values, name) and name not in ("csrf_token", "version"):
            setattr(values, name, getattr(stored, name))
    return values


def input_as_changes(values: ObservationInput) -> dict:
    changes = {
        "activity_type": values.activity_type,
        "team_id": values.team_id,
        "observed_on": values.observed_on,
        "case_reference": values.case_reference,
        "working_well": values.working_well,
        "needs_to_improve": values.needs_to_improve,
        "quick_wins": [f"{(q.text or '').strip()} [{q.theme_id or ''}]" for q in values.quick_wins],
        "theme_ids": values.theme_ids,
        "immediate_concern": values.immediate_concern,
        "last_section": values.last_section,
    }
    for lens in LENS_KEYS:
        changes[f"grade_{lens}"] = values.grades.get(lens)
        changes[f"note_{lens}"] = values.notes.get(lens)
    return changes


CHANGE_LABELS = {
    "activity_type": "Activity",
    "team_id": "Team",
    "observed_on": "Date of the activity",
    "case_reference": "Case reference",
    "working_well": "What is working well",
    "needs_to_improve": "What needs to improve",
    "quick_wins": "Quick wins",
    "theme_ids": "Themes",
    "immediate_concern": "Immediate concern",
    "last_section": "Section you were working on",
} | {f"grade_{lens.value}": f"{lens.label}: judgement" for lens in Lens} | {
    f"note_{lens.value}": f"{lens.label}: note" for lens in Lens
}


def display_change(name: str, value) -> str:
    """A value as a person reads it, for the conflict panel."""
    from ..audits.conflicts import normalise

    if value in (None, "", []):
        return ""
    if name.startswith("grade_"):
        return "Not observed" if value == NOT_OBSERVED else Grade(int(value)).label
    if name == "activity_type":
        return ActivityType(value).label
    if name == "team_id":
        team = db.session.get(Team, int(value))
        return team.name if team else ""
    if name == "theme_ids":
        return ", ".join(db.session.scalars(select(Theme.name).where(Theme.id.in_(value)).order_by(Theme.name)))
    if name == "observed_on":
        return f"{value.day} {value:%B %Y}"
    if name == "quick_wins":
        return "; ".join(str(v).rsplit(" [", 1)[0] for v in value)
    return normalise(value)
