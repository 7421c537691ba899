"""The improvement plan: priorities, expected outcomes, actions, monthly RAG and updates for the
board, key achievements and challenges, and the performance indicators (the seeds' January 2021 plan).

Months are stored as the first day of the month.
"""

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from ..labelled_enum import LabelledEnum
from .base import ID_ORDER, MIXIN_LEADING, PARENT_KEY_ORDER, Audited, Timestamped, owned_rows, owner_key
from .users import User


class Rag(enum.StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def definition(self) -> str:
        return RAG_DEFINITIONS[self]

    @property
    def severity(self) -> int:
        """Higher is worse: the worst priority RAG is the suggested overall RAG."""
        return RAG_SEVERITY[self]


# The seeds' rating definitions, word for word.
RAG_DEFINITIONS = {
    Rag.GREEN: "The action is on track for successful completion. There are no significant concerns over it not being achieved on time",
    Rag.AMBER: "The action is at risk of not being achieved as initially planned, but work is progressing and significant concerns have not been raised regarding the successful completion of this action (reset timescales have been agreed where required)",
    Rag.RED: "The action is overdue for completion or there are significant concerns regarding the successful completion of this action within the scheduled timescale",
    Rag.COMPLETE: "The action has been completed",
}
RAG_SEVERITY = {Rag.COMPLETE: 0, Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}


class Polarity(LabelledEnum):
    HIGHER = "higher", "Higher is better"  # higher is better
    LOWER = "lower", "Lower is better"  # lower is better
    NEUTRAL = "neutral", "Neither higher nor lower is better"  # activity data: neither is better


POLARITY_LABELS = Polarity.labels()


class Plan(Audited, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date] = mapped_column(Date)

    priorities: Mapped[list["Priority"]] = owned_rows("plan", order_by="Priority.number")
    indicators: Mapped[list["Indicator"]] = owned_rows("plan", order_by="Indicator.position")

    def __str__(self) -> str:
        return self.title


class Priority(Audited, Timestamped, db.Model):
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = owner_key("plan")
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    sponsor: Mapped[str | None] = mapped_column(String(200))
    lead: Mapped[str | None] = mapped_column(String(200))
    vision: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="priorities")
    outcomes: Mapped[list["Outcome"]] = owned_rows("priority", order_by="Outcome.position")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Outcome(Audited, Timestamped, db.Model):
    """An expected outcome of a priority; where we are, the next step and the RAG are kept per month."""

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = owner_key("priority")
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    priority: Mapped[Priority] = relationship(back_populates="outcomes")

    def __str__(self) -> str:
        return self.text[:80]


def rag_check(column: str = "rag", *, optional: bool = False) -> CheckConstraint:
    """The rule for every column that holds a RAG: one of the ratings. NULL passes a CHECK in SQL anyway; `optional`
    spells it out, as the plan month's migration wrote it."""
    ratings = ", ".join(f"'{rag.value}'" for rag in Rag)
    rule = f"{column} IN ({ratings})"
    return CheckConstraint(f"{column} IS NULL OR {rule}" if optional else rule, name="rag_value")


class MonthlyRecord:
    """A record of its parent (the row `_parent_key` names) for one reporting month: one per parent and month.
    A RAG recorded for the month is in `_rag_column`, NULL allowed where `_rag_optional`. The class gives the key to
    its parent PARENT_KEY_ORDER, so the table starts id, the key, month."""

    _parent_key: str
    _rag_column: str | None
    _rag_optional: bool

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=ID_ORDER)
    month: Mapped[date] = mapped_column(Date, sort_order=MIXIN_LEADING)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        one_a_month = UniqueConstraint(cls._parent_key, "month")
        rag_column = getattr(cls, "_rag_column", None)
        if rag_column is None:
            return (one_a_month,)
        return (one_a_month, rag_check(rag_column, optional=getattr(cls, "_rag_optional", False)))

    def __str__(self) -> str:
        """How the change log names one: "Priority 3 January 2021" for priority 3's record of that month."""
        parent = self._parent_key.removesuffix("_id").capitalize()
        return f"{parent} {getattr(self, self._parent_key)} {self.month:%B %Y}"


class BoardRag:
    """A month's RAG, right after the month, and the update for the improvement board, after the class's own
    columns: a priority's and an expected outcome's. Listed after MonthlyRecord, which checks the RAG."""

    _rag_column = "rag"

    rag: Mapped[str] = mapped_column(String(8), sort_order=MIXIN_LEADING)
    board_update: Mapped[str | None] = mapped_column(Text)


class PriorityMonth(MonthlyRecord, BoardRag, Audited, Timestamped, db.Model):
    """A priority's RAG and update for the improvement board in one reporting month."""

    _parent_key = "priority_id"

    priority_id: Mapped[int] = owner_key("priority", sort_order=PARENT_KEY_ORDER)

    priority: Mapped[Priority] = relationship()


class OutcomeMonth(MonthlyRecord, BoardRag, Audited, Timestamped, db.Model):
    """An expected outcome in one reporting month: where we are now, the next step, its RAG and update."""

    _parent_key = "outcome_id"

    outcome_id: Mapped[int] = owner_key("outcome", sort_order=PARENT_KEY_ORDER)
    where_now: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)

    outcome: Mapped[Outcome] = relationship()


class PlanMonth(MonthlyRecord, Audited, Timestamped, db.Model):
    """The plan's overall RAG for a month, recorded by a QA lead, with the key achievements and challenges."""

    _parent_key, _rag_column, _rag_optional = "plan_id", "overall_rag", True

    plan_id: Mapped[int] = owner_key("plan", sort_order=PARENT_KEY_ORDER)
    overall_rag: Mapped[str | None] = mapped_column(String(8))
    key_achievements: Mapped[str | None] = mapped_column(Text)  # one per line
    key_challenges: Mapped[str | None] = mapped_column(Text)  # one per line
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    recorded_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"Plan {self.month:%B %Y}"


class Action(Audited, Timestamped, db.Model):
    """An action in the plan. `rag` is what was entered; `effective_rag` is what everyone sees:
    an open action past its due date is Red whatever was entered."""

    __table_args__ = (
        Index("ix_action_owner_rag_due", "owner_id", "rag", "due_date"),
        Index("ix_action_rag_due", "rag", "due_date"),
        rag_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = owner_key("priority")
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    due_date: Mapped[date] = mapped_column(Date)
    # When work on the action began: "before" and "since" in closing the loop split here.
    started_on: Mapped[date] = mapped_column(Date)
    rag: Mapped[str] = mapped_column(String(8), default=Rag.GREEN.value)
    progress_note: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    priority: Mapped[Priority] = relationship()
    outcome: Mapped[Outcome | None] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    links: Mapped[list["ActionLink"]] = owned_rows("action", order_by="ActionLink.id")

    def __str__(self) -> str:
        return self.description[:80]

    # The one rule for the RAG people see, in Python and in SQL: today, or (for a month's report) on a given day,
    # when an action completed later was still open.
    @hybrid_property
    def is_overdue(self) -> bool:
        return self.rag != Rag.COMPLETE.value and self.due_date < date.today()

    # In SQL, today's answer is overdue_on(today), read when the query is built.
    _is_overdue_expression = is_overdue.inplace.expression(classmethod(lambda cls: cls.overdue_on(date.today())))

    @classmethod
    def overdue_on(cls, day: date):
        """SQL: open on `day` (not complete, or completed after it) and due before it."""
        still_open = (cls.rag != Rag.COMPLETE.value) | (cls.completed_on.is_not(None) & (cls.completed_on > day))
        return still_open & (cls.due_date < day)

    @hybrid_property
    def effective_rag(self) -> str:
        return Rag.RED.value if self.is_overdue else self.rag

    _effective_rag_expression = effective_rag.inplace.expression(
        classmethod(lambda cls: cls.effective_rag_on(date.today()))
    )

    @classmethod
    def effective_rag_on(cls, day: date):
        """SQL: the RAG people saw on `day`."""
        return case((cls.overdue_on(day), Rag.RED.value), else_=cls.rag)

    @property
    def status(self) -> str:
        return "Complete" if self.rag == Rag.COMPLETE.value else "Open"


class LinkKind(enum.StrEnum):
    THEME = "theme"
    DOMAIN = "domain"
    JUDGEMENT = "judgement"
    AUDIT = "audit"
    OBSERVATION = "observation"
    QUICK_WIN = "quick_win"
    COMPARISON = "comparison"  # a difference between units on the compare page; its reference in source_key


class ActionLink(db.Model):
    """What raised an action: a theme, an audit domain (by key), a judgement, an audit, an
    observation, a quick win or a comparison (by its reference). Changes are logged on the action with log_change."""

    __table_args__ = (
        UniqueConstraint("action_id", "kind", "source_id", "source_key"),
        Index("ix_action_link_kind_source", "kind", "source_id"),
        Index("ix_action_link_kind_key", "kind", "source_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = owner_key("action")
    kind: Mapped[str] = mapped_column(String(12))
    source_id: Mapped[int | None] = mapped_column(Integer)
    source_key: Mapped[str | None] = mapped_column(String(60))  # audit domain key, or comparison reference

    action: Mapped[Action] = relationship(back_populates="links")


class Indicator(Audited, Timestamped, db.Model):
    """A row of the performance scorecard; comparators are as published (numbers or "Not benchmarked")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = owner_key("plan")
    position: Mapped[int] = mapped_column(Integer, default=0)
    area: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(12), default="")  # "%" or "" for counts and rates
    polarity: Mapped[str] = mapped_column(String(8), default=Polarity.NEUTRAL.value)
    england_average: Mapped[str | None] = mapped_column(String(60))
    good_la_comparator: Mapped[str | None] = mapped_column(String(60))

    plan: Mapped[Plan] = relationship(back_populates="indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorValue(MonthlyRecord, Audited, Timestamped, db.Model):
    """One month's value; a NULL value with a note ("Data being developed") where there is no figure."""

    _parent_key = "indicator_id"

    indicator_id: Mapped[int] = owner_key("indicator", sort_order=PARENT_KEY_ORDER)
    value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(String(120))

    indicator: Mapped[Indicator] = relationship()
