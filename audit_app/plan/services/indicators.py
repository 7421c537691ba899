"""The indicator scorecard: values, direction of travel, and importing values from CSV."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import case, func, select

from ...csv_import import RowError, read_csv
from ...extensions import db
from ...forms import too_long
from ...idempotency import upsert
from ...models import Indicator, IndicatorValue, Plan, Polarity
from .months import add_months, first_of_month, parse_month

NOTE_MAX = 120  # a value typed as words ("Data being developed") is kept as a note of up to this many characters


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
        if len(text) > NOTE_MAX:
            return None, None, too_long("A note", NOTE_MAX)
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
