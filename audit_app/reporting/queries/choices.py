"""The default period and the choices of the summary's filters."""

from datetime import date

from sqlalchemy import distinct, func, select, union_all

from ...extensions import db
from ...models import AuditProgramme, CaseAudit, Judgement, Observation, ObservationStatus, PracticeWeek
from ...models.audits import PROGRAMME_KIND_LABELS
from ..filters import Filters, Period, add_months, parse_period, quarter_of
from .counted import COUNTED_AUDIT_STATUSES, grade_expression, judgements_query
from .remembered import remembered_for_the_request


def latest_activity_date() -> date | None:
    """The newest submitted audit or observation (read once a request)."""
    return remembered_for_the_request("latest_activity", lambda: _earliest_or_latest(func.max, max))


def _earliest_or_latest(aggregate, pick) -> date | None:
    """The oldest or newest (`aggregate` func.min or func.max, `pick` min or max) of the submitted
    audits and observations."""
    # One branch per status: each is a single probe of the (status, submitted_at) index, where
    # "status IN (...)" made the database read every counted audit's entry.
    per_status = union_all(
        *(
            select(aggregate(CaseAudit.submitted_at).label("at")).where(CaseAudit.status == s)
            for s in COUNTED_AUDIT_STATUSES
        )
    ).subquery()
    values = [
        db.session.scalar(select(aggregate(per_status.c.at))),
        db.session.scalar(
            select(aggregate(Observation.observed_on)).where(Observation.status == ObservationStatus.SUBMITTED.value)
        ),
    ]
    days = [d.date() if hasattr(d, "date") else d for d in values if d is not None]
    days = [d if isinstance(d, date) else date.fromisoformat(str(d)[:10]) for d in days]
    return pick(days) if days else None


def default_period_key() -> str:
    latest = latest_activity_date() or date.today()
    return quarter_of(latest).key


def earliest_activity_date() -> date | None:
    """The oldest submitted audit or observation (read once a request)."""
    return remembered_for_the_request("earliest_activity", lambda: _earliest_or_latest(func.min, min))


def month_choices(period: Period | None = None) -> list[tuple[str, str]]:
    """Every month from the first record to the latest, and those of the period shown, newest first."""
    latest = latest_activity_date() or date.today()
    earliest = min(earliest_activity_date() or latest, latest)
    if period:
        earliest, latest = min(earliest, period.start), max(latest, add_months(period.end, -1))
    month, first, months = date(latest.year, latest.month, 1), date(earliest.year, earliest.month, 1), []
    while month >= first:
        months.append((f"{month:%Y-%m}", f"{month:%B %Y}"))
        month = add_months(month, -1)
    return months


def period_choices(selected: str, months: list[tuple[str, str]] | None = None) -> list[tuple[str, list]]:
    """Every quarter, year and month from the first record to the latest, newest first, in groups;
    a selected period outside them (a range, or a shared link to a quiet time) comes first."""
    latest = latest_activity_date() or date.today()
    earliest = min(earliest_activity_date() or latest, latest)
    quarters, current = [], quarter_of(latest)
    while current.end > earliest:
        quarters.append((current.key, current.short_label))
        current = current.previous()
    years = [(str(year), f"The year {year}") for year in range(latest.year, earliest.year - 1, -1)]
    groups = [("Quarters", quarters), ("Years", years), ("Months", month_choices() if months is None else months)]
    if selected and selected not in {key for _, choices in groups for key, _ in choices}:
        period = parse_period(selected)
        groups.insert(0, ("Chosen", [(selected, period.short_label if period else selected)]))
    return groups


def programme_choices():
    """Each programme by name, with its kind of audit."""
    rows = db.session.execute(
        select(AuditProgramme.id, AuditProgramme.name, AuditProgramme.kind).order_by(AuditProgramme.period_start.desc())
    ).all()
    return [(id, f"{name} ({PROGRAMME_KIND_LABELS[kind]})") for id, name, kind in rows]


def practice_week_choices():
    return db.session.execute(select(PracticeWeek.id, PracticeWeek.title).order_by(PracticeWeek.starts_on.desc())).all()


def count_distinct_audits(filters: Filters, domain: str, period: Period) -> int:
    return (
        db.session.scalar(
            judgements_query(filters, period, func.count(distinct(Judgement.audit_id))).where(
                Judgement.domain_key == domain, grade_expression(filters).is_not(None)
            )
        )
        or 0
    )
