"""What the API answers, page by page, from the reporting queries and the plan's tables.

Pseudonymised as the exports are: children appear only as case references, and nobody's name is given
(no auditor, observer or action owner) and no free text (evidence, notes), which could hold a name.
Each page costs a fixed number of queries whatever its size: the rows, then their themes or history in one.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Action, CaseAudit, ChangeLog, Indicator, IndicatorValue, Judgement, LensJudgement, Priority
from ..models.practice_week import ACTIVITY_TYPE_LABELS
from ..models.tools import ToolVersion
from ..reporting.filters import Filters, add_months
from ..reporting.queries import GRADES, domain_labels, judgements_after, lens_judgements_after, theme_ranking

JUDGEMENT_PARTS = ("audits", "observations")
SINGLE_PART = ("rows",)


@dataclass(frozen=True)
class Page:
    rows: list[dict]
    next_position: dict | None


def _iso(value) -> str | None:
    if value is None:
        return None
    return value.date().isoformat() if hasattr(value, "date") and callable(value.date) else value.isoformat()


def _grade(value) -> int | None:
    return int(value) if value is not None else None


# Where each part's rows (reporting/queries/drill_down.py) keep the judgement's id, its record's id, the date,
# the domain or lens and the auditor's own grade; and what a missing grade is called.
ROW_COLUMNS = {
    "audit": ("id", "audit_id", "submitted_at", "domain_key", "original_grade", "Not applicable"),
    "observation": ("lens_judgement_id", "id", "observed_on", "lens", "grade", "Not observed"),
}


def _judgement_row(source: str, row, labels) -> dict:
    """An audit's or an observation's judgement, in the one shape both take."""
    *columns, not_graded = ROW_COLUMNS[source]
    row_id, record_id, day, domain, original = (getattr(row, column) for column in columns)
    supervision = source == "audit" and bool(row.is_supervision)
    if source == "audit":
        question = row.question
    else:
        question = ACTIVITY_TYPE_LABELS.get(row.activity_type, row.activity_type)
    return {
        "source": source,
        "id": row_id,
        "record_id": record_id,
        "case_reference": None if supervision else row.case_reference,  # never the drill-down's label
        "subject": "supervision" if supervision else "case",
        "date": _iso(day),
        "domain": domain,
        "domain_label": labels.get(domain, domain),
        "question": question,
        "team": row.team,
        "original_grade": _grade(original),
        "grade": _grade(row.grade),
        "grade_label": GRADES.get(row.grade, not_graded),
        "themes": row.themes,
    }


def _judgement_parts(filters: Filters, extra: dict) -> dict:
    """Each part the filters include: (fetch(after, limit), the row's id, the source its rows are)."""
    parts = {}
    if filters.include_audits:
        audit_conditions = []
        if extra.get("tool"):
            versions = select(ToolVersion.id).where(ToolVersion.tool_id == extra["tool"])
            audit_conditions.append(CaseAudit.tool_version_id.in_(versions))
        if extra.get("domain"):
            audit_conditions.append(Judgement.domain_key == extra["domain"])
        parts["audits"] = (
            lambda after, limit: judgements_after(filters, after, limit, *audit_conditions),
            lambda row: row.id,
            "audit",
        )
    # Observations use no audit tool: a tool filter means audits only, as a programme filter does.
    if filters.include_observations and not extra.get("tool"):
        lens_conditions = [LensJudgement.lens == extra["domain"]] if extra.get("domain") else []
        parts["observations"] = (
            lambda after, limit: lens_judgements_after(filters, after, limit, *lens_conditions),
            lambda row: row.lens_judgement_id,
            "observation",
        )
    return parts


def judgements_page(filters: Filters, extra: dict, position: dict, limit: int) -> Page:
    """The audits' judgements by id, then the observations' lens judgements by id."""
    parts = _judgement_parts(filters, extra)
    names = [p for p in JUDGEMENT_PARTS[JUDGEMENT_PARTS.index(position["part"]) :] if p in parts]
    labels = domain_labels() if names else {}
    rows: list[dict] = []
    after = position["after"]
    for index, name in enumerate(names):
        fetch, row_id, source = parts[name]
        wanted = limit - len(rows)
        found = fetch(after, wanted + 1)
        rows += [_judgement_row(source, row, labels) for row in found[:wanted]]
        if len(found) > wanted:
            return Page(rows, {"part": name, "after": row_id(found[wanted - 1])})
        after = 0
        if len(rows) == limit:
            later = names[index + 1 :]
            return Page(rows, {"part": later[0], "after": 0} if later else None)
    return Page(rows, None)


def theme_counts(filters: Filters) -> list[dict]:
    return [
        {
            "id": t.id,
            "name": t.name,
            "active": t.is_active,
            "audits": t.audits,
            "observations": t.observations,
            "total": t.total,
            "previous_audits": t.previous_audits,
            "previous_observations": t.previous_observations,
            "previous_total": t.previous_total,
            "change": t.change,
        }
        for t in theme_ranking(filters)
    ]


def _rows_after(query, model, position: dict, limit: int) -> tuple[list, dict | None]:
    found = db.session.execute(query.where(model.id > position["after"]).order_by(model.id).limit(limit + 1)).all()
    more = len(found) > limit
    return found[:limit], ({"part": SINGLE_PART[0], "after": found[limit - 1][0].id} if more else None)


def _month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def rag_by_month(changes: list[tuple], until: date) -> list[dict]:
    """The RAG entered as it stood at the end of each month, from the month it was first set to `until`'s
    month: `changes` are (when, new RAG) in time order, from the change log."""
    if not changes:
        return []
    at_month_end: dict[str, str] = {}
    for when, rag in changes:
        at_month_end[_month_key(when)] = rag
    month, last, current = date(changes[0][0].year, changes[0][0].month, 1), date(until.year, until.month, 1), None
    history = []
    while month <= last:
        current = at_month_end.get(_month_key(month), current)
        history.append({"month": _month_key(month), "rag": current})
        month = add_months(month, 1)
    return history


def _rag_changes(action_ids: list[int]) -> dict[int, list[tuple]]:
    changes = defaultdict(list)
    if action_ids:
        for record_id, when, rag in db.session.execute(
            select(ChangeLog.record_id, ChangeLog.changed_at, ChangeLog.new_value)
            .where(ChangeLog.record_type == Action.__tablename__, ChangeLog.field == "rag")
            .where(ChangeLog.record_id.in_(action_ids))
            .order_by(ChangeLog.changed_at, ChangeLog.id)
        ):
            changes[record_id].append((when, rag))
    return changes


def actions_page(position: dict, limit: int) -> Page:
    """The plan's actions by id, each with its RAG month by month from the change log."""
    query = select(Action, Priority.number, Priority.plan_id).join(Priority, Priority.id == Action.priority_id)
    found, next_position = _rows_after(query, Action, position, limit)
    changes = _rag_changes([action.id for action, *_ in found])
    today = date.today()
    rows = [
        {
            "id": action.id,
            "plan_id": plan_id,
            "priority_number": number,
            "outcome_id": action.outcome_id,
            "description": action.description,
            "status": action.status,
            "rag": action.rag,
            "effective_rag": action.effective_rag,
            "started_on": _iso(action.started_on),
            "due_date": _iso(action.due_date),
            "completed_on": _iso(action.completed_on),
            "rag_history": rag_by_month(changes.get(action.id, []), today),
        }
        for action, number, plan_id in found
    ]
    return Page(rows, next_position)


def indicators_page(position: dict, limit: int) -> Page:
    """The plan's indicators by id, each with every month's value (one query for the lot)."""
    found, next_position = _rows_after(select(Indicator), Indicator, position, limit)
    values = defaultdict(list)
    ids = [indicator.id for (indicator,) in found]
    if ids:
        for value in db.session.scalars(
            select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids)).order_by(IndicatorValue.month)
        ):
            figure = float(value.value) if value.value is not None else None
            values[value.indicator_id].append({"month": _month_key(value.month), "value": figure, "note": value.note})
    rows = [
        {
            "id": i.id,
            "plan_id": i.plan_id,
            "area": i.area,
            "name": i.name,
            "unit": i.unit,
            "polarity": i.polarity,
            "england_average": i.england_average,
            "good_la_comparator": i.good_la_comparator,
            "values": values[i.id],
        }
        for (i,) in found
    ]
    return Page(rows, next_position)
