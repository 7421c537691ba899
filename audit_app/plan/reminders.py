"""Reminders for improvement-plan action owners: a week before each month's RAG update is due."""

from datetime import date, timedelta

from flask import url_for
from sqlalchemy import select

from ..dates import long_date
from ..extensions import db
from ..models import Action, Plan, Priority, Rag, User
from .services.months import first_of_month, rag_update_due_on

NOTICE_DAYS = 7


def owners_of_open_actions(month: date) -> list[User]:
    """Owners of open actions in any plan that runs through `month`."""
    plans = select(Plan.id).where(Plan.first_month <= month, Plan.last_month >= month)
    query = (
        select(User)
        .join(Action, Action.owner_id == User.id)
        .join(Priority, Action.priority_id == Priority.id)
        .where(Priority.plan_id.in_(plans), Action.rag != Rag.COMPLETE.value, Action.completed_on.is_(None))
        .distinct()
        .order_by(User.id)
    )
    return list(db.session.scalars(query))


def rag_update_reminders(today: date):
    """From a week before the month's update is due until it is due: once per owner and month, so a day the
    daily run missed is caught up the next day."""
    month = first_of_month(today)
    due_on = rag_update_due_on(month)
    if not due_on - timedelta(days=NOTICE_DAYS) <= today <= due_on:
        return
    yield (
        owners_of_open_actions(month),
        "plan_rag_update",
        f"The {month:%B %Y} RAG update of your improvement plan actions is due by {long_date(due_on)}",
        url_for("main.home"),
        f"plan-rag-update:{month:%Y-%m}",
    )
