"""Demo data: the seeds' improvement plan summary, "Progress update – January 2021", as written
(reporting months September to December 2020), and a few actions owned by the demo users.
The literal rows are in data.py and indicators.csv."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from ...changelog import acting_as, stamped_at
from ...demo import add_flushed, demo_user
from ...extensions import db
from ...models import (
    Indicator,
    IndicatorValue,
    Outcome,
    OutcomeMonth,
    Plan,
    PlanMonth,
    Priority,
    PriorityMonth,
    Theme,
    User,
)
from .. import services
from .data import (
    ACTIONS,
    INDICATOR_MONTHS,
    INDICATORS,
    KEY_ACHIEVEMENTS,
    KEY_CHALLENGES,
    OVERALL_RAG,
    PLAN_TITLE,
    PRIORITIES,
    REPORT_MONTH,
)

__all__ = ["INDICATORS", "KEY_ACHIEVEMENTS", "KEY_CHALLENGES", "PLAN_TITLE", "PRIORITIES", "seed_plan"]

# The Indicator fields of an INDICATORS row; "values" go into IndicatorValue, a month each.
INDICATOR_FIELDS = ("area", "name", "unit", "polarity", "values", "england_average", "good_la_comparator")


def seed_plan(password: str) -> None:
    if db.session.scalar(select(Plan.id).where(Plan.title == PLAN_TITLE)):
        return
    qa = demo_user("qa@example.org")
    # Demo history carries the dates of the events: December's board updates written early in January.
    with acting_as(qa), stamped_at(datetime(2021, 1, 5, 10, tzinfo=UTC)):
        plan = add_flushed(Plan(title=PLAN_TITLE, first_month=date(2020, 9, 1), last_month=date(2022, 3, 1)))
        for row in PRIORITIES:
            _add_priority(plan, *row)
        for month, rag in OVERALL_RAG.items():
            _add_plan_month(plan, month, rag, qa)
        for position, row in enumerate(INDICATORS):
            _add_indicator(plan, position, row)
        db.session.commit()
    _seed_actions(plan, qa)


def _add_priority(plan: Plan, number, title, sponsor, lead, rag, vision, update, outcomes) -> None:
    priority = add_flushed(Priority(plan=plan, number=number, title=title, sponsor=sponsor, lead=lead, vision=vision))
    db.session.add(PriorityMonth(priority_id=priority.id, month=REPORT_MONTH, rag=rag, board_update=update))
    for position, (text, where_now, next_step, outcome_rag) in enumerate(outcomes):
        outcome = add_flushed(Outcome(priority=priority, position=position, text=text))
        db.session.add(
            OutcomeMonth(
                outcome_id=outcome.id,
                month=REPORT_MONTH,
                rag=outcome_rag,
                where_now="\n".join(where_now),
                next_step="\n".join(next_step),
            )
        )


def _add_plan_month(plan: Plan, month: date, rag: str, qa: User | None) -> None:
    """The overall RAG for a month; the report month also has the key achievements and challenges."""
    reported = month == REPORT_MONTH
    db.session.add(
        PlanMonth(
            plan_id=plan.id,
            month=month,
            overall_rag=rag,
            recorded_by_id=qa.id if qa else None,
            key_achievements="\n".join(KEY_ACHIEVEMENTS) if reported else None,
            key_challenges="\n".join(KEY_CHALLENGES) if reported else None,
        )
    )


def _add_indicator(plan: Plan, position: int, row: tuple) -> None:
    fields = dict(zip(INDICATOR_FIELDS, row))
    values = fields.pop("values")
    indicator = add_flushed(Indicator(plan=plan, position=position, **fields))
    for month, text in zip(INDICATOR_MONTHS, values):
        value, note, _ = services.parse_indicator_value(text)
        db.session.add(IndicatorValue(indicator_id=indicator.id, month=month, value=value, note=note))


def _links(**arguments):
    """The links that exist in this database (the audit tool's domains may not be seeded)."""
    sources, _ = services.resolve_link_arguments(arguments)
    return sources


def _seed_actions(plan: Plan, qa: User | None) -> None:
    owners = {"auditor": demo_user("auditor@example.org"), "manager": demo_user("manager@example.org"), "qa": qa}
    if not all(owners.values()):
        return
    priorities = {p.number: p for p in plan.priorities}
    today = date.today()
    started = date(2021, 9, 15)  # between the demo audit programmes, so closing the loop has both sides
    with acting_as(qa), stamped_at(datetime(started.year, started.month, started.day, 10, tzinfo=UTC)):
        for number, outcome, text, owner, due_in, theme_name, domain_key, rag in ACTIONS:
            theme = db.session.scalar(select(Theme).where(Theme.name == theme_name)) if theme_name else None
            services.create_action(
                priorities[number].outcomes[outcome],
                text,
                owners[owner],
                today + timedelta(days=due_in),
                links=_links(theme_id=theme.id if theme else None, domain_key=domain_key),
                rag=rag,
                started_on=started,
                created_by=qa,
                tell_owner=False,  # the demo's plan was written long ago: nothing new to tell
            )
