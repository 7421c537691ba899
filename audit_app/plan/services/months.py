"""The plan's months: parsing, listing and the latest month with anything reported."""

from datetime import date, timedelta

from flask import abort
from sqlalchemy import func, select

from ...extensions import db
from ...models import Action, Indicator, IndicatorValue, Outcome, OutcomeMonth, Plan, PlanMonth, Priority, PriorityMonth


def first_of_month(value: date) -> date:
    return value.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def rag_update_due_on(month: date) -> date:
    """A month's RAG update (priorities, outcomes, actions) is due by the month's last day, for the board."""
    return add_months(first_of_month(month), 1) - timedelta(days=1)


def parse_month(text: str | None) -> date | None:
    """'2020-12' -> 1 December 2020; None for anything else."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return None


def plan_months(plan: Plan) -> list[date]:
    months, month = [], plan.first_month
    while month <= plan.last_month:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_choices(plan: Plan) -> list[tuple[str, str]]:
    return [(m.strftime("%Y-%m"), m.strftime("%B %Y")) for m in reversed(plan_months(plan))]


def latest_reported_month(plan: Plan) -> date:
    """The latest month of the plan with anything in it: an overall, priority or outcome update, an
    indicator's value, or an action started or completed; the plan's first month when there is none."""
    end = add_months(plan.last_month, 1)

    def in_plan(column):
        return (column >= plan.first_month) & (column < end)

    priorities = select(Priority.id).where(Priority.plan_id == plan.id)
    latest = [
        select(func.max(PlanMonth.month)).where(PlanMonth.plan_id == plan.id, in_plan(PlanMonth.month)),
        select(func.max(PriorityMonth.month)).where(
            PriorityMonth.priority_id.in_(priorities), in_plan(PriorityMonth.month)
        ),
        select(func.max(OutcomeMonth.month)).where(
            OutcomeMonth.outcome_id.in_(select(Outcome.id).where(Outcome.priority_id.in_(priorities))),
            in_plan(OutcomeMonth.month),
        ),
        select(func.max(IndicatorValue.month)).where(
            IndicatorValue.indicator_id.in_(select(Indicator.id).where(Indicator.plan_id == plan.id)),
            in_plan(IndicatorValue.month),
        ),
        *(
            select(func.max(column)).where(Action.priority_id.in_(priorities), in_plan(column))
            for column in (Action.started_on, Action.completed_on)
        ),
    ]
    days = [day for day in (db.session.scalar(query) for query in latest) if day is not None]
    day = max(days, default=plan.first_month)
    return date(day.year, day.month, 1)


def current_plan() -> Plan | None:
    return db.session.scalar(select(Plan).order_by(Plan.id.desc()).limit(1))


def current_plan_or_404() -> Plan:
    plan = current_plan()
    if plan is None:
        abort(404)
    return plan
