"""The improvement plan's domain logic: plain functions over db.session that tests call directly.

The effective RAG of an action (an open action past its due date is Red whatever was entered) is
decided in one place, Action.effective_rag (models/plan.py), in Python and in SQL alike.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

from flask import abort
from sqlalchemy import and_, case, distinct, func, literal_column, select

from ..changelog import log_change
from ..csv_import import RowError, read_csv
from ..extensions import db
from ..idempotency import upsert
from ..history import HistoryRow, field_words, record_history
from ..models import (
    Action,
    ActionLink,
    CaseAudit,
    ChangeLog,
    Domain,
    Indicator,
    IndicatorValue,
    Judgement,
    LinkKind,
    Observation,
    ObservationStatus,
    Outcome,
    OutcomeMonth,
    Plan,
    PlanMonth,
    Polarity,
    Priority,
    PriorityMonth,
    QuickWin,
    Rag,
    Theme,
    User,
)
from ..models.audits import judgement_theme
from ..models.grades import GOOD_OR_BETTER_MAX
from ..models.practice_week import observation_theme
from ..parsing import parse_id
from ..permissions import Permission
from ..reporting import queries
from ..reporting.filters import Filters

SMALL_N = 10  # fewer graded judgements than this and the comparison is flagged as uncertain

# Query arguments of plan.new_action -> the kind of link they make.
LINK_ARGUMENTS = {
    "theme_id": LinkKind.THEME,
    "domain_key": LinkKind.DOMAIN,
    "judgement_id": LinkKind.JUDGEMENT,
    "audit_id": LinkKind.AUDIT,
    "observation_id": LinkKind.OBSERVATION,
    "quick_win_id": LinkKind.QUICK_WIN,
}
LINK_KIND_LABELS = {
    LinkKind.THEME: "Theme",
    LinkKind.DOMAIN: "Audit domain",
    LinkKind.JUDGEMENT: "Audit finding",
    LinkKind.AUDIT: "Case audit",
    LinkKind.OBSERVATION: "Practice-week observation",
    LinkKind.QUICK_WIN: "Quick win",
}


# --- Months ----------------------------------------------------------------------------------


def first_of_month(value: date) -> date:
    return value.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


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
        select(func.max(PriorityMonth.month)).where(PriorityMonth.priority_id.in_(priorities), in_plan(PriorityMonth.month)),
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


# --- Actions ---------------------------------------------------------------------------------


@dataclass
class LinkSource:
    kind: LinkKind
    source_id: int | None
    source_key: str | None
    label: str  # what a person reads: "Theme: Voice of the child"
    suggestion: str  # a starting description for the action


def resolve_link(kind: LinkKind, value) -> LinkSource | None:
    """The record a link points at, described; None when there is no such record."""
    kind = LinkKind(kind)
    if kind == LinkKind.DOMAIN:
        key = str(value or "").strip()
        known = key and (
            db.session.scalar(select(Domain.id).where(Domain.key == key).limit(1))
            or db.session.scalar(select(Judgement.id).where(Judgement.domain_key == key).limit(1))
        )
        if not known:
            return None
        title = queries.domain_label(key)
        return LinkSource(kind, None, key, f"Audit domain: {title}", f"Improve practice in {title.lower()}.")
    source_id = parse_id(value)
    if source_id is None:
        return None
    if kind == LinkKind.THEME:
        theme = db.session.get(Theme, source_id)
        return theme and LinkSource(kind, source_id, None, f"Theme: {theme.name}", f"Improve practice on {theme.name.lower()}.")
    if kind == LinkKind.JUDGEMENT:
        judgement = db.session.get(Judgement, source_id)
        if judgement is None:
            return None
        title = queries.domain_label(judgement.domain_key)
        reference = judgement.audit.case.case_reference
        finding = judgement.evidence or judgement.text or ""
        return LinkSource(
            kind, source_id, judgement.domain_key, f"Audit finding: {title} in the audit of {reference}",
            f"{title}: {finding}".strip().rstrip(":"),
        )
    if kind == LinkKind.AUDIT:
        audit = db.session.get(CaseAudit, source_id)
        return audit and LinkSource(
            kind, source_id, None, f"Case audit of {audit.case.case_reference}", audit.areas_for_improvement or ""
        )
    if kind == LinkKind.OBSERVATION:
        observation = db.session.get(Observation, source_id)
        return observation and LinkSource(
            kind, source_id, None, f"Observation on {observation.observed_on:%-d %B %Y}", observation.needs_to_improve or ""
        )
    if kind == LinkKind.QUICK_WIN:
        quick_win = db.session.get(QuickWin, source_id)
        return quick_win and LinkSource(kind, source_id, None, f"Quick win: {quick_win.text}", quick_win.text)
    return None


def resolve_link_arguments(arguments) -> tuple[list[LinkSource], list[str]]:
    """The links named by plan.new_action's query arguments, and the names of those that match nothing."""
    sources, missing = [], []
    for name, kind in LINK_ARGUMENTS.items():
        value = arguments.get(name)
        if value in (None, ""):
            continue
        source = resolve_link(kind, value)
        if source is None:
            missing.append(name)
        else:
            sources.append(source)
    return sources, missing


def suggested_description(sources: list[LinkSource]) -> str:
    return "\n".join(s.suggestion for s in sources if s.suggestion)


def create_action(
    priority_or_outcome: Priority | Outcome,
    description: str,
    owner: User,
    due_date: date,
    links=(),
    rag: str = Rag.GREEN.value,
    started_on: date | None = None,
    created_by: User | None = None,
) -> Action:
    """A new action under a priority (or one of its expected outcomes), keeping what raised it.

    `links` is a mapping of new_action's query arguments ({"theme_id": 3, "domain_key": "voice_of_child"})
    or a list of LinkSource. A link to a record that does not exist raises ValueError.
    """
    if isinstance(priority_or_outcome, Outcome):
        priority, outcome = priority_or_outcome.priority, priority_or_outcome
    else:
        priority, outcome = priority_or_outcome, None
    if isinstance(links, dict):
        sources, missing = resolve_link_arguments(links)
        if missing:
            raise ValueError(f"No record for {', '.join(missing)}")
    else:
        sources = list(links)
    action = Action(
        priority=priority,
        outcome=outcome,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        started_on=started_on or date.today(),
        rag=Rag(rag).value,
        created_by_id=created_by.id if created_by else None,
    )
    if action.rag == Rag.COMPLETE.value:
        action.completed_on = date.today()
    db.session.add(action)
    db.session.flush()
    for source in sources:
        action.links.append(ActionLink(kind=source.kind.value, source_id=source.source_id, source_key=source.source_key))
        log_change(db.session, action, "link", None, source.label)
    db.session.commit()
    return action


def link_labels(action: Action) -> list[tuple[str, str]]:
    """(kind label, description) of each record that raised the action."""
    result = []
    for link in action.links:
        source = resolve_link(LinkKind(link.kind), link.source_key if link.kind == LinkKind.DOMAIN else link.source_id)
        result.append((LINK_KIND_LABELS[LinkKind(link.kind)], source.label if source else "(since removed)"))
    return result


def can_view_action(user, action: Action) -> bool:
    return user.can(Permission.VIEW_PLAN) or action.owner_id == user.id


def can_update_progress(user, action: Action) -> bool:
    return user.can(Permission.MANAGE_PLAN) or action.owner_id == user.id


def action_for(user, action_id: int, update: bool = False) -> Action:
    """The action, if this person may see it (or update its progress); 404 or 403 otherwise."""
    action = db.get_or_404(Action, action_id)
    allowed = can_update_progress(user, action) if update else can_view_action(user, action)
    if not allowed:
        abort(403)
    return action


def update_progress(action: Action, rag: str, note: str | None) -> Action:
    action.rag = Rag(rag).value
    action.progress_note = (note or "").strip() or None
    action.completed_on = (action.completed_on or date.today()) if action.rag == Rag.COMPLETE.value else None
    db.session.commit()
    return action


def update_action(action: Action, *, description, owner_id, due_date, priority_id, outcome_id) -> Action:
    action.description = description.strip()
    action.owner_id = owner_id
    action.due_date = due_date
    action.priority_id = priority_id
    action.outcome_id = outcome_id or None
    db.session.commit()
    return action


@dataclass
class ActionFilters:
    priority_id: int | None = None
    rag: str | None = None
    owner_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None


def actions(plan: Plan, filters: ActionFilters | None = None, owner: User | None = None, open_only=False,
            as_of: date | None = None):
    """Actions with their effective RAG (today's, or as it stood on `as_of`), overdue first, then by due
    date. Filtering by RAG uses the effective RAG, in SQL."""
    filters = filters or ActionFilters()
    overdue = Action.overdue_on(as_of) if as_of else Action.is_overdue
    effective_rag = Action.effective_rag_on(as_of) if as_of else Action.effective_rag
    query = (
        select(Action, effective_rag.label("effective_rag"), overdue.label("overdue"))
        .join(Priority, Action.priority_id == Priority.id)
        .where(Priority.plan_id == plan.id)
        .order_by(overdue.desc(), Action.due_date, Action.id)
    )
    if owner is not None:
        query = query.where(Action.owner_id == owner.id)
    if open_only:
        query = query.where(Action.rag != Rag.COMPLETE.value)
    if filters.priority_id:
        query = query.where(Action.priority_id == filters.priority_id)
    if filters.rag:
        query = query.where(effective_rag == filters.rag)
    if filters.owner_id:
        query = query.where(Action.owner_id == filters.owner_id)
    if filters.due_from:
        query = query.where(Action.due_date >= filters.due_from)
    if filters.due_to:
        query = query.where(Action.due_date <= filters.due_to)
    return db.session.execute(query).all()


def my_actions(user: User):
    """The person's open actions in any plan, overdue first."""
    query = (
        select(Action, Action.effective_rag.label("effective_rag"), Action.is_overdue.label("overdue"))
        .where(Action.owner_id == user.id, Action.rag != Rag.COMPLETE.value)
        .order_by(Action.is_overdue.desc(), Action.due_date, Action.id)
    )
    return db.session.execute(query).all()


def action_owners(plan: Plan) -> list[User]:
    return db.session.scalars(
        select(User)
        .where(User.id.in_(select(Action.owner_id).join(Priority).where(Priority.plan_id == plan.id)))
        .order_by(User.display_name)
    ).all()


def rag_counts(plan: Plan) -> dict[str, int]:
    """Actions by effective RAG, counted in SQL."""
    effective = (
        select(Action.effective_rag.label("rag"))
        .join(Priority, Action.priority_id == Priority.id)
        .where(Priority.plan_id == plan.id)
        .subquery()
    )
    rows = db.session.execute(select(effective.c.rag, func.count()).group_by(effective.c.rag)).all()
    return {rag: count for rag, count in rows}


def assignable_users() -> list[User]:
    return db.session.scalars(select(User).where(User.is_enabled.is_(True)).order_by(User.display_name)).all()


# --- Monthly RAG and updates -----------------------------------------------------------------


def _text(value):
    return (value or "").strip() or None


def record_priority_month(priority: Priority, month: date, rag: str, board_update: str | None) -> PriorityMonth:
    return upsert(
        PriorityMonth, {"priority_id": priority.id, "month": first_of_month(month)},
        {"rag": Rag(rag).value, "board_update": _text(board_update)},
    )


def record_outcome_month(outcome: Outcome, month: date, rag: str, where_now=None, next_step=None, board_update=None) -> OutcomeMonth:
    return upsert(
        OutcomeMonth, {"outcome_id": outcome.id, "month": first_of_month(month)},
        {"rag": Rag(rag).value, "where_now": _text(where_now), "next_step": _text(next_step), "board_update": _text(board_update)},
    )


def record_plan_month(plan: Plan, month: date, overall_rag: str | None, achievements=None, challenges=None, by: User | None = None) -> PlanMonth:
    return upsert(
        PlanMonth, {"plan_id": plan.id, "month": first_of_month(month)},
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
        select(OutcomeMonth).join(Outcome).join(Priority).where(Priority.plan_id == plan.id, OutcomeMonth.month == month)
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
    return {i: f"Priority {n}" for i, n in db.session.execute(select(Priority.id, Priority.number).where(Priority.id.in_(ids)))}


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


# --- Indicators ------------------------------------------------------------------------------


@dataclass
class Direction:
    text: str  # "Improving", "Worsening", "No change", "Up", "Down", or "Not enough data"
    arrow: str  # ↑ ↓ →
    tone: str  # good, bad, neutral


def direction_of_travel(previous, latest, polarity: str) -> Direction:
    """From the last two months' values and the indicator's polarity."""
    if previous is None or latest is None:
        return Direction("Not enough data", "", "neutral")
    previous, latest = Decimal(previous), Decimal(latest)
    if latest == previous:
        return Direction("No change", "→", "neutral")
    up = latest > previous
    arrow = "↑" if up else "↓"
    if polarity == Polarity.NEUTRAL:
        return Direction("Up" if up else "Down", arrow, "neutral")
    better = up == (polarity == Polarity.HIGHER)
    return Direction("Improving" if better else "Worsening", arrow, "good" if better else "bad")


def format_value(value, unit: str = "", note: str | None = None) -> str:
    if value is None:
        return note or "No data"
    text = f"{Decimal(value).normalize():f}"
    return f"{text}{unit}"


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: dict = field(default_factory=dict)  # month -> text
    direction: Direction | None = None


def indicator_table(plan: Plan, month: date, count: int = 4) -> tuple[list[date], list[IndicatorRow]]:
    """The scorecard for the `count` months up to `month`, with the direction of travel worked out
    in SQL from each indicator's last two months with a figure, up to `month`."""
    months = [add_months(month, -i) for i in reversed(range(count))]
    indicators = db.session.scalars(
        select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.position, Indicator.id)
    ).all()
    rows = {i.id: IndicatorRow(i) for i in indicators}
    values = db.session.execute(
        select(IndicatorValue.indicator_id, IndicatorValue.month, IndicatorValue.value, IndicatorValue.note)
        .join(Indicator)
        .where(Indicator.plan_id == plan.id, IndicatorValue.month.between(months[0], months[-1]))
    ).all()
    for indicator_id, value_month, value, note in values:
        row = rows[indicator_id]
        row.values[value_month] = format_value(value, row.indicator.unit, note)
    ranked = (
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.value,
            func.row_number()
            .over(partition_by=IndicatorValue.indicator_id, order_by=IndicatorValue.month.desc())
            .label("recency"),
        )
        .join(Indicator)
        .where(Indicator.plan_id == plan.id, IndicatorValue.month <= month, IndicatorValue.value.is_not(None))
        .subquery()
    )
    last_two = db.session.execute(
        select(
            ranked.c.indicator_id,
            func.max(case((ranked.c.recency == 1, ranked.c.value))).label("latest"),
            func.max(case((ranked.c.recency == 2, ranked.c.value))).label("previous"),
        )
        .where(ranked.c.recency <= 2)
        .group_by(ranked.c.indicator_id)
    ).all()
    found = {r.indicator_id: r for r in last_two}
    for indicator_id, row in rows.items():
        pair = found.get(indicator_id)
        row.direction = direction_of_travel(
            pair.previous if pair else None, pair.latest if pair else None, row.indicator.polarity
        )
    return months, list(rows.values())


def parse_indicator_value(text: str, unit: str = "") -> tuple[Decimal | None, str | None, str | None]:
    """(value, note, error): '26%' -> 26; 'Data being developed' -> a note; '' -> an error."""
    text = (text or "").strip()
    if not text:
        return None, None, "Enter a value, or a note such as Data being developed"
    number = text.removesuffix("%").replace(",", "").strip()
    try:
        value = Decimal(number)
    except InvalidOperation:
        if any(ch.isdigit() for ch in text):
            return None, None, f"'{text}' is not a number"
        if len(text) > 120:
            return None, None, "A note must be 120 characters or fewer"
        return None, text, None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        return None, None, f"'{text}' is not a number"
    return value.quantize(Decimal("0.01")), None, None


def set_indicator_value(indicator: Indicator, month: date, text: str, commit: bool = True) -> IndicatorValue:
    value, note, error = parse_indicator_value(text, indicator.unit)
    if error:
        raise ValueError(error)
    keys = {"indicator_id": indicator.id, "month": first_of_month(month)}
    if commit:
        return upsert(IndicatorValue, keys, {"value": value, "note": note})
    row = db.session.scalar(select(IndicatorValue).filter_by(**keys))  # inside an import's one transaction
    if row is None:
        row = IndicatorValue(**keys)
        db.session.add(row)
    row.value, row.note = value, note
    return row


def import_indicator_values(plan: Plan, stream) -> tuple[int, list[RowError]]:
    """CSV with indicator, month (YYYY-MM), value. Every row is checked; nothing is saved if any
    row has a problem."""
    data = read_csv(stream, required=["indicator", "month", "value"])
    if data.errors:
        return 0, data.errors
    by_name = {
        name.lower(): indicator
        for name, indicator in db.session.execute(select(Indicator.name, Indicator).where(Indicator.plan_id == plan.id))
    }
    errors, updates, seen = [], [], {}
    for number, row in data.rows:
        indicator = by_name.get(row["indicator"].lower())
        month = parse_month(row["month"])
        problems = []
        if indicator is None:
            problems.append(f"there is no indicator called '{row['indicator']}' in this plan")
        if month is None:
            problems.append(f"month '{row['month']}' must be written like 2021-12")
        _, _, error = parse_indicator_value(row["value"])
        if error:
            problems.append(error[0].lower() + error[1:])
        if indicator and month:
            key = (indicator.id, month)
            if key in seen:
                problems.append(f"the same indicator and month are also on row {seen[key]}")
            seen[key] = number
        if problems:
            message = "; ".join(problems)
            errors.append(RowError(number, message[0].upper() + message[1:]))
        else:
            updates.append((indicator, month, row["value"]))
    if errors:
        return 0, errors
    for indicator, month, text in updates:
        set_indicator_value(indicator, month, text, commit=False)
    db.session.commit()
    return len(updates), []


# --- Closing the loop ------------------------------------------------------------------------


@dataclass
class PeriodFigures:
    graded: int = 0  # graded judgements
    good: int = 0  # of which Good or Outstanding
    audits: int = 0  # submitted audits in the period
    audits_raising: int = 0  # of which raised the theme
    observations: int = 0
    observations_raising: int = 0

    @property
    def good_share(self) -> int | None:
        return round(100 * self.good / self.graded) if self.graded else None

    @property
    def small(self) -> bool:
        return self.graded < SMALL_N


@dataclass
class LoopComparison:
    label: str  # "Theme: Voice of the child" / "Audit domain: Voice of the child"
    is_theme: bool
    before: PeriodFigures
    since: PeriodFigures


_SUBMITTED = queries.COUNTED_AUDIT_STATUSES
MODERATED_GRADES = Filters(grades="moderated")


def _period(column, start):
    """'before' or 'since' the action started. The constants are inline SQL, not parameters, so
    PostgreSQL sees the same expression in SELECT and GROUP BY."""
    return case((column < start, literal_column("'before'")), else_=literal_column("'since'")).label("period")


def _figures(rows, names) -> dict[str, PeriodFigures]:
    result = {"before": PeriodFigures(), "since": PeriodFigures()}
    for row in rows:
        for name in names:
            setattr(result[row.period], name, int(getattr(row, name) or 0))
    return result


def _audit_counts(start: datetime, figures: dict):
    period = _period(CaseAudit.submitted_at, start)
    rows = db.session.execute(
        select(period, func.count(CaseAudit.id).label("audits"))
        .where(CaseAudit.status.in_(_SUBMITTED), CaseAudit.submitted_at.is_not(None))
        .group_by(period)
    ).all()
    for row in rows:
        figures[row.period].audits = row.audits


def _graded(*columns, started: datetime):
    """Judgements of submitted audits, before the action started and since, counted with the
    moderator's grade where the audit was moderated: the same grades the theme summary shows."""
    grade = queries.grade_expression(MODERATED_GRADES)
    period = _period(CaseAudit.submitted_at, started)
    return queries.judgements_query(
        MODERATED_GRADES,
        None,
        period,
        func.count(grade).label("graded"),
        func.sum(case((grade <= int(GOOD_OR_BETTER_MAX), 1), else_=0)).label("good"),
        *columns,
    ).where(CaseAudit.submitted_at.is_not(None)).group_by(period)


def domain_comparison(key: str, started_on: date) -> LoopComparison:
    """How the domain was graded in submitted audits before the action started and since."""
    start = datetime.combine(started_on, time.min, tzinfo=timezone.utc)
    rows = db.session.execute(_graded(started=start).where(Judgement.domain_key == key)).all()
    figures = _figures(rows, ["graded", "good"])
    _audit_counts(start, figures)
    return LoopComparison(f"Audit domain: {queries.domain_label(key)}", False, figures["before"], figures["since"])


def theme_comparison(theme: Theme, started_on: date) -> LoopComparison:
    """How judgements carrying the theme were graded, and how often audits and observations raised it,
    before the action started and since."""
    start = datetime.combine(started_on, time.min, tzinfo=timezone.utc)
    rows = db.session.execute(
        _graded(func.count(distinct(CaseAudit.id)).label("audits_raising"), started=start)
        .join(judgement_theme, judgement_theme.c.judgement_id == Judgement.id)
        .where(judgement_theme.c.theme_id == theme.id)
    ).all()
    figures = _figures(rows, ["graded", "good", "audits_raising"])
    _audit_counts(start, figures)
    observed = _period(Observation.observed_on, started_on)
    rows = db.session.execute(
        select(
            observed,
            func.count(distinct(Observation.id)).label("observations"),
            func.count(distinct(observation_theme.c.observation_id)).label("observations_raising"),
        )
        .select_from(Observation)
        .outerjoin(
            observation_theme,
            and_(observation_theme.c.observation_id == Observation.id, observation_theme.c.theme_id == theme.id),
        )
        .where(Observation.status == ObservationStatus.SUBMITTED.value)
        .group_by(observed)
    ).all()
    for row in rows:
        figures[row.period].observations = row.observations
        figures[row.period].observations_raising = row.observations_raising
    return LoopComparison(f"Theme: {theme.name}", True, figures["before"], figures["since"])


def closing_the_loop(action: Action) -> list[LoopComparison]:
    """A comparison for each theme and audit domain the action is linked to (directly, or through
    a linked audit finding or quick win)."""
    theme_ids, domain_keys = [], []
    for link in action.links:
        if link.kind == LinkKind.THEME:
            theme_ids.append(link.source_id)
        elif link.kind in (LinkKind.DOMAIN, LinkKind.JUDGEMENT) and link.source_key:
            domain_keys.append(link.source_key)
        elif link.kind == LinkKind.QUICK_WIN:
            quick_win = db.session.get(QuickWin, link.source_id)
            if quick_win and quick_win.theme_id:
                theme_ids.append(quick_win.theme_id)
    result = []
    for theme_id in dict.fromkeys(theme_ids):
        theme = db.session.get(Theme, theme_id)
        if theme:
            result.append(theme_comparison(theme, action.started_on))
    for key in dict.fromkeys(domain_keys):
        result.append(domain_comparison(key, action.started_on))
    return result


# --- The board report ------------------------------------------------------------------------


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
        for row in db.session.scalars(select(PlanMonth).where(PlanMonth.plan_id == plan.id, PlanMonth.month.in_(months)))
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
