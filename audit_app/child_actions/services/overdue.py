"""Who sees which actions for the child, overdue ones counted in SQL, and the daily reminder of them."""

from datetime import date

from flask import url_for
from sqlalchemy import func, select, true
from sqlalchemy.orm import selectinload

from ...audits.services.sharing import sharing_condition
from ...dates import long_date
from ...extensions import db
from ...models import Case, CaseAudit, ChildAction, ChildActionStatus, User
from ...permissions import Permission, Role
from .actions import workers_of


def sees_all(user: User) -> bool:
    return user.can(Permission.VIEW_ALL_CHILD_ACTIONS)


def visible_actions(user: User):
    """Select of the actions this person sees: every one for QA leads, else those on audits shared with them
    (their own cases for a social worker, their team's for a team manager)."""
    query = (
        select(ChildAction)
        .join(CaseAudit, CaseAudit.id == ChildAction.audit_id)
        .join(Case, Case.id == CaseAudit.case_id)
    )
    return query.where(true() if sees_all(user) else sharing_condition(user))


def _overdue(query, today: date):
    return query.where(ChildAction.status == ChildActionStatus.OPEN.value, ChildAction.due_date < today)


def overdue_actions(user: User, today: date, limit: int = 10) -> list[ChildAction]:
    query = _overdue(visible_actions(user), today).options(selectinload(ChildAction.case))
    return list(db.session.scalars(query.order_by(ChildAction.due_date, ChildAction.id).limit(limit)))


def count_overdue(user: User, today: date) -> int:
    query = _overdue(visible_actions(user), today).with_only_columns(func.count(ChildAction.id))
    return db.session.scalar(query)


def _team_managers(team_id: int | None) -> list[User]:
    if team_id is None:
        return []
    people = db.session.scalars(select(User).where(User.team_id == team_id))
    return [p for p in people if p.has_role(Role.TEAM_MANAGER)]


def overdue_child_actions(today: date):
    """Reminder source: each overdue action, once a day, to its owner in the team, the allocated worker and the
    team managers. The message says when it was due, never which child."""
    query = _overdue(select(ChildAction), today).options(
        selectinload(ChildAction.audit), selectinload(ChildAction.owner)
    )
    for action in db.session.scalars(query.order_by(ChildAction.id)):
        people = [action.owner, *workers_of(action.audit), *_team_managers(action.audit.case.team_id)]
        subject = f"An action for a child was due on {long_date(action.due_date)} and is not done"
        link = url_for("child_actions.action", action_id=action.id)
        yield people, "child_action_overdue", subject, link, f"child_action_overdue:{action.id}:{today.isoformat()}"
