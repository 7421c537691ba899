"""Actions for the child by theme (the themes tagged on the audit's judgements), for QA leads to spot patterns."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, distinct, func, select

from ...extensions import db
from ...models import ChildAction, ChildActionStatus, Judgement, Theme
from ...models.audits import judgement_theme


@dataclass(frozen=True)
class ThemeCounts:
    theme_id: int
    name: str
    open: int
    done: int
    overdue: int

    @property
    def total(self) -> int:
        return self.open + self.done


def _count_where(condition):
    return func.count(distinct(case((condition, ChildAction.id))))


def actions_by_theme(today: date) -> list[ThemeCounts]:
    """Each theme with actions, most open first; an action counts once per theme however many judgements carry it."""
    is_open = ChildAction.status == ChildActionStatus.OPEN.value
    rows = db.session.execute(
        select(
            Theme.id,
            Theme.name,
            _count_where(is_open),
            _count_where(ChildAction.status == ChildActionStatus.DONE.value),
            _count_where(and_(is_open, ChildAction.due_date < today)),
        )
        .select_from(ChildAction)
        .join(Judgement, Judgement.audit_id == ChildAction.audit_id)
        .join(judgement_theme, judgement_theme.c.judgement_id == Judgement.id)
        .join(Theme, Theme.id == judgement_theme.c.theme_id)
        .group_by(Theme.id, Theme.name)
    ).all()
    counts = [ThemeCounts(*row) for row in rows]
    return sorted(counts, key=lambda t: (-t.open, -t.overdue, t.name))
