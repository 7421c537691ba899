"""The practice week and its schedule: weeks, bookings of activities and who observes them."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from ...changelog import log_change
from ...dates import long_date
from ...extensions import db
from ...models import (
    Activity,
    ActivityStatus,
    ActivityType,
    Observation,
    ObservationStatus,
    PracticeWeek,
    Service,
    Team,
    User,
    UserRole,
)
from ...permissions import Role
from ...templating import UK


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
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{long_date(start)} – {long_date(end)}"


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
    week.services = list(
        db.session.scalars(select(Service).where(Service.id.in_(service_ids or [])).order_by(Service.name))
    )
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
    return datetime.combine(day, at, tzinfo=UK).astimezone(UTC)


def save_activity(
    activity: Activity, *, week, day, at, activity_type, team_id, observer_id, description, status
) -> Activity:
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
        .outerjoin(
            Observation, and_(Observation.activity_id == Activity.id, Observation.observer_id == Activity.observer_id)
        )
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
    return (
        db.session.scalar(
            select(func.count(Activity.id)).where(
                Activity.observer_id == user.id, Activity.status == ActivityStatus.BOOKED.value
            )
        )
        or 0
    )
