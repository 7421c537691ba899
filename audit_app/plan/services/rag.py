"""Monthly RAG ratings and board updates of the plan, its priorities and outcomes, and their change history."""

from datetime import date

from sqlalchemy import case, func, select

from ...extensions import db
from ...history import HistoryRow, field_words, record_history
from ...idempotency import upsert
from ...models import ChangeLog, Outcome, OutcomeMonth, Plan, PlanMonth, Priority, PriorityMonth, Rag, User
from .months import first_of_month


def _text(value):
    return (value or "").strip() or None


def record_priority_month(priority: Priority, month: date, rag: str, board_update: str | None) -> PriorityMonth:
    return upsert(
        PriorityMonth,
        {"priority_id": priority.id, "month": first_of_month(month)},
        {"rag": Rag(rag).value, "board_update": _text(board_update)},
    )


def record_outcome_month(
    outcome: Outcome, month: date, rag: str, where_now=None, next_step=None, board_update=None
) -> OutcomeMonth:
    return upsert(
        OutcomeMonth,
        {"outcome_id": outcome.id, "month": first_of_month(month)},
        {
            "rag": Rag(rag).value,
            "where_now": _text(where_now),
            "next_step": _text(next_step),
            "board_update": _text(board_update),
        },
    )


def record_plan_month(
    plan: Plan, month: date, overall_rag: str | None, achievements=None, challenges=None, by: User | None = None
) -> PlanMonth:
    return upsert(
        PlanMonth,
        {"plan_id": plan.id, "month": first_of_month(month)},
        {
            "overall_rag": Rag(overall_rag).value if overall_rag else None,
            "key_achievements": _text(achievements),
            "key_challenges": _text(challenges),
            "recorded_by_id": by.id if by else None,
        },
    )


def priority_month(priority: Priority, month: date) -> PriorityMonth | None:
    return db.session.scalar(select(PriorityMonth).filter_by(priority_id=priority.id, month=month))


def outcome_month(outcome: Outcome, month: date) -> OutcomeMonth | None:
    return db.session.scalar(select(OutcomeMonth).filter_by(outcome_id=outcome.id, month=month))


def plan_month(plan: Plan, month: date) -> PlanMonth | None:
    return db.session.scalar(select(PlanMonth).filter_by(plan_id=plan.id, month=month))


_SEVERITY = case(*((PriorityMonth.rag == rag.value, rag.severity) for rag in Rag), else_=0)


def suggested_overall_rag(plan: Plan, month: date) -> Rag | None:
    """The worst RAG any priority has for the month (Red worst, then Amber, Green, Complete)."""
    worst = db.session.scalar(
        select(func.max(_SEVERITY))
        .join(Priority, PriorityMonth.priority_id == Priority.id)
        .where(Priority.plan_id == plan.id, PriorityMonth.month == month)
    )
    if worst is None:
        return None
    return next(rag for rag in Rag if rag.severity == worst)


def priority_rags(plan: Plan, month: date) -> dict[int, PriorityMonth]:
    rows = db.session.scalars(
        select(PriorityMonth).join(Priority).where(Priority.plan_id == plan.id, PriorityMonth.month == month)
    ).all()
    return {row.priority_id: row for row in rows}


def outcome_rows(plan: Plan, month: date) -> dict[int, OutcomeMonth]:
    rows = db.session.scalars(
        select(OutcomeMonth)
        .join(Outcome)
        .join(Priority)
        .where(Priority.plan_id == plan.id, OutcomeMonth.month == month)
    ).all()
    return {row.outcome_id: row for row in rows}


def priority_history(priority: Priority):
    """The priority's RAG and update month by month, newest first."""
    return db.session.scalars(
        select(PriorityMonth).where(PriorityMonth.priority_id == priority.id).order_by(PriorityMonth.month.desc())
    ).all()


FIELD_LABELS = {
    "owner_id": "Owner",
    "priority_id": "Priority",
    "outcome_id": "Expected outcome",
    "created_by_id": "Created by",
    "recorded_by_id": "Recorded by",
    "rag": "RAG",
    "overall_rag": "Overall RAG",
    "board_update": "Update for the board",
    "where_now": "Where are we now",
    "next_step": "Next step",
    "progress_note": "Progress",
    "started_on": "Started",
    "due_date": "Due date",
    "completed_on": "Completed",
    "link": "Raised by",
}


def _priority_names(ids: set[int]) -> dict[int, str]:
    return {
        i: f"Priority {n}"
        for i, n in db.session.execute(select(Priority.id, Priority.number).where(Priority.id.in_(ids)))
    }


def _outcome_names(ids: set[int]) -> dict[int, str]:
    return {i: text[:80] for i, text in db.session.execute(select(Outcome.id, Outcome.text).where(Outcome.id.in_(ids)))}


def change_history(records) -> list[HistoryRow]:
    """Every recorded change of the given records, newest first, as a person reads it: names
    rather than ids, and the month a monthly RAG belongs to."""
    records = [r for r in records if r is not None]
    months = {(r.__tablename__, r.id): f" ({r.month:%B %Y})" for r in records if hasattr(r, "month")}

    def describe(change: ChangeLog) -> str:
        label = FIELD_LABELS.get(change.field, field_words(change).capitalize())
        return label + months.get((change.record_type, change.record_id), "")

    return record_history(
        [(r.__tablename__, r.id) for r in records],
        describe,
        names={"priority_id": _priority_names, "outcome_id": _outcome_names},
    )
