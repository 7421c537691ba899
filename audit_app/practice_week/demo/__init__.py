"""Demo practice weeks: a first week in May 2021 and the second, modelled on the seed's October week
(4-8 October 2021, focus on practice at the Front Door). Idempotent: a week already there is left alone.
The weeks' schedules and observations are rows in data.py."""

from datetime import date, time, timedelta

from sqlalchemy import select

from ...changelog import acting_as
from ...demo import add_dated, demo_user, ensure_demo_user
from ...extensions import db
from ...models import (
    Activity,
    Case,
    LensJudgement,
    Observation,
    ObservationStatus,
    PracticeWeek,
    QuickWin,
    Service,
    Team,
    Theme,
    User,
)
from ..services import uk_datetime
from .data import EXTRA_OBSERVERS, MAY_WEEK, OCTOBER_WEEK

# (title, first day, focus, services, schedule)
WEEKS = [
    (
        "First practice week",
        date(2021, 5, 17),
        "Children in need and child protection planning",
        ["Initial Response", "Children & Families", "Permanency & Transition", "MASH"],
        MAY_WEEK,
    ),
    (
        "Second practice week",
        date(2021, 10, 4),
        "Practice at the Front Door of Children's Services",
        ["MASH", "Initial Response", "Early Help"],
        OCTOBER_WEEK,
    ),
]

CASE_ACTIVITIES = {"strategy_meeting", "icpc", "cla_review", "record_audit", "shadowing"}


def seed_practice_weeks(password: str) -> None:
    for email, name, roles in EXTRA_OBSERVERS:
        ensure_demo_user(email, name, roles, password)
    for title, starts_on, focus, service_names, schedule in WEEKS:
        _seed_week(title, starts_on, focus, service_names, schedule)
    db.session.commit()


def _case_for(activity_type: str, index: int) -> Case | None:
    """A real demo case for activities about one child (case references only, never names)."""
    if activity_type not in CASE_ACTIVITIES:
        return None
    case_type = "child_in_care" if activity_type == "cla_review" else "cp"
    return db.session.scalar(select(Case).where(Case.case_type == case_type).order_by(Case.id).offset(index).limit(1))


def _seed_week(title: str, starts_on: date, focus: str, service_names: list[str], schedule: list) -> None:
    if db.session.scalar(select(PracticeWeek.id).where(PracticeWeek.title == title)) is not None:
        return
    qa = demo_user("qa@example.org")
    # Demo history carries the dates of the events: the week set up and booked a month ahead.
    planned = uk_datetime(starts_on - timedelta(days=28), time(10, 0))
    with acting_as(qa):
        week = PracticeWeek(
            title=title,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=4),
            focus=focus,
            created_by_id=qa.id if qa else None,
            services=list(db.session.scalars(select(Service).where(Service.name.in_(service_names)))),
        )
        add_dated(week, planned)
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    for index, (offset, at, activity_type, team_name, email, description, status, observation) in enumerate(schedule):
        day = starts_on + timedelta(days=offset)
        with acting_as(qa):
            activity = Activity(
                week=week,
                starts_at=uk_datetime(day, at),
                activity_type=activity_type,
                team=db.session.scalar(select(Team).where(Team.name == team_name)),
                observer=demo_user(email),
                description=description,
                status=status,
            )
            add_dated(activity, planned)
        if observation is not None:
            _add_observation(activity, day, _case_for(activity_type, index), observation, themes)


def _add_observation(activity: Activity, day: date, case: Case | None, observation: tuple, themes: dict) -> None:
    """The observer's record of an activity, dated the evening of the day it took place."""
    grades, notes, working_well, needs_to_improve, quick_wins, theme_names, submitted = observation
    observer: User = activity.observer
    evening = uk_datetime(day, time(17, 0))
    with acting_as(observer):
        record = Observation(
            week=activity.week,
            activity=activity,
            observer=observer,
            activity_type=activity.activity_type,
            team=activity.team,
            service_id=activity.team.service_id if activity.team else None,
            observed_on=day,
            case=case,
            status=ObservationStatus.SUBMITTED.value if submitted else ObservationStatus.DRAFT.value,
            submitted_at=evening if submitted else None,
            working_well=working_well or None,
            needs_to_improve=needs_to_improve or None,
            last_section=None if submitted else "lenses",
            judgements=[
                LensJudgement(lens=lens, grade=grade, note=notes.get(lens), answered=submitted or grade is not None)
                for lens, grade in grades.items()
            ],
            quick_wins=[QuickWin(text=text, theme=themes.get(theme)) for text, theme in quick_wins],
            themes=[themes[name] for name in theme_names if name in themes],
        )
        add_dated(record, evening)
