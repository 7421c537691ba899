"""The monthly board report, gathered from the other sections."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import Plan, PlanMonth, Rag
from .actions import actions
from .indicators import indicator_table
from .months import add_months
from .rag import outcome_rows, priority_rags


@dataclass
class BoardReport:
    plan: Plan
    month: date
    overall: list[tuple[date, PlanMonth | None]]
    this_month: PlanMonth | None
    priority_rags: dict
    outcome_rows: dict
    actions_by_priority: dict
    indicator_months: list
    indicators: list
    rag_definitions: list


def board_report(plan: Plan, month: date) -> BoardReport:
    months = [add_months(month, -2), add_months(month, -1), month]
    recorded = {
        row.month: row
        for row in db.session.scalars(
            select(PlanMonth).where(PlanMonth.plan_id == plan.id, PlanMonth.month.in_(months))
        )
    }
    by_priority: dict[int, list] = {}
    # A month's report shows the actions as they stood at its end (or today, for the month in progress).
    for row in actions(plan, as_of=min(add_months(month, 1) - timedelta(days=1), date.today())):
        by_priority.setdefault(row.Action.priority_id, []).append(row)
    indicator_months, indicators = indicator_table(plan, month)
    return BoardReport(
        plan=plan,
        month=month,
        overall=[(m, recorded.get(m)) for m in months],
        this_month=recorded.get(month),
        priority_rags=priority_rags(plan, month),
        outcome_rows=outcome_rows(plan, month),
        actions_by_priority=by_priority,
        indicator_months=indicator_months,
        indicators=indicators,
        rag_definitions=[(rag.label, rag.definition) for rag in Rag],
    )
