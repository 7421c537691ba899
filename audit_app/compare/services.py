"""The comparison: every unit's figures against the rest of the authority, judged on funnel plots."""

from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Locality, Service, Team, Theme
from ..models.audits import PROGRAMME_KIND_LABELS
from ..models.cases import CASE_TYPE_LABELS
from ..reporting.filters import Filters, Period, add_months
from ..reporting.findings import pattern_findings
from ..reporting.queries import compare as counts
from ..reporting.queries import domain_labels, domain_order, trend_window
from . import charts
from .funnel import Funnel, funnel

# Compare by: (label, plural, how a sentence names a unit's audits: "audits in North", "Child Protection audits")
DIMENSIONS = {
    "locality": ("Locality", "localities", "audits in {}"),
    "service": ("Service", "services", "audits in {}"),
    "team": ("Team", "teams", "audits in {}"),
    "case_type": ("Case type", "case types", "{} audits"),
    "programme_kind": ("Kind of audit", "kinds of audit", "{} audits"),
}
DEFAULT_DIMENSION = "locality"


def parse_dimension(value) -> str:
    return value if value in DIMENSIONS else DEFAULT_DIMENSION


def min_n() -> int:
    return current_app.config.get("COMPARE_MIN_N", 10)


@dataclass(frozen=True)
class Measure:
    kind: str  # "domain": judgements good or better; "theme": audits raising the theme
    ref: str  # the domain's key or the theme's id
    label: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref}"

    @property
    def noun(self) -> str:
        return "graded judgements" if self.kind == "domain" else "audits"

    @property
    def what(self) -> str:
        """What the share is of, for headings."""
        if self.kind == "domain":
            return f"{self.label}: judgements good or better"
        return f"{self.label}: audits raising the theme (per 100 audits)"


def parse_measure(value) -> tuple[str, str] | None:
    """("domain", key) or ("theme", id) from "domain:voice_of_child" / "theme:12"; None otherwise."""
    kind, _, ref = str(value or "").partition(":")
    if kind == "domain" and ref.strip():
        return kind, ref.strip()
    if kind == "theme" and ref.isascii() and ref.isdecimal() and len(ref) < 10:
        return kind, str(int(ref))
    return None


@dataclass(frozen=True)
class Unit:
    key: str
    label: str
    audits: int


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    funnel: Funnel

    def point(self, unit_key: str):
        return next((p for p in self.funnel.points if p.key == unit_key), None)


@dataclass
class Comparison:
    by: str
    filters: Filters  # as compared: audits only, the compared dimension's own filter cleared
    units: list[Unit]
    rows: list[MeasureRow]
    min_n: int

    @property
    def period(self) -> Period:
        return self.filters.period_obj

    @property
    def by_label(self) -> str:
        return DIMENSIONS[self.by][0]

    @property
    def plural(self) -> str:
        return DIMENSIONS[self.by][1]

    def audits_of(self, unit_label: str) -> str:
        return DIMENSIONS[self.by][2].format(unit_label)

    def row(self, measure_key: str | None) -> MeasureRow | None:
        return next((r for r in self.rows if r.measure.key == measure_key), None)

    @property
    def flagged(self) -> int:
        return sum(len(r.funnel.flagged) for r in self.rows)


def compared_filters(filters: Filters, by: str) -> Filters:
    """Audits only (observations belong to no case type or kind of audit), and every unit of the dimension."""
    return replace(filters, source="audits", **{by: None})


def unit_labels(by: str, keys) -> dict:
    """Each unit's name, by its key as the counts give it."""
    if by == "case_type":
        return {k.value: label for k, label in CASE_TYPE_LABELS.items()}
    if by == "programme_kind":
        return {counts.NO_PROGRAMME: "Not in a programme"} | {
            k.value: label for k, label in PROGRAMME_KIND_LABELS.items()
        }
    model = {"locality": Locality, "service": Service, "team": Team}[by]
    ids = [k for k in keys if k is not None]
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all()) if ids else {}


def build(filters: Filters, by: str, measure=None) -> Comparison:
    """Every unit against the rest, for every domain and theme (or only `measure`, a parsed (kind, ref))."""
    filters = compared_filters(filters, by)
    period = filters.period_obj
    audits = counts.audits_by_unit(filters, period, by)
    names = unit_labels(by, audits)
    units = sorted((Unit(str(k), str(names.get(k, k)), n) for k, n in audits.items()), key=lambda u: u.label.lower())
    kind, ref = measure or (None, None)
    rows = []
    if kind in (None, "domain"):
        rows += _domain_rows(counts.good_or_better_by_unit(filters, period, by, ref), units)
    if kind in (None, "theme"):
        rows += _theme_rows(counts.themes_by_unit(filters, period, by, int(ref) if ref else None), units)
    return Comparison(by, filters, units, rows, min_n())


def _funnel_of(values: dict, units: list[Unit], n_of) -> Funnel:
    """values: unit key -> count; n_of(unit) -> its n. Units with no records are left out."""
    points = [(u.key, u.label, values.get(u.key, 0), n_of(u)) for u in units]
    return funnel([p for p in points if p[3] > 0], min_n())


def _domain_rows(rows, units: list[Unit]) -> list[MeasureRow]:
    by_domain: dict[str, dict] = {}
    for unit, domain, good, graded in rows:
        by_domain.setdefault(domain, {})[str(unit)] = (good, graded)
    if not by_domain:
        return []
    labels, order = domain_labels(), domain_order()
    result = []
    for domain in sorted(by_domain, key=lambda d: (order.get(d, 999), labels.get(d, d))):
        cells = by_domain[domain]
        good = {k: g for k, (g, _) in cells.items()}
        measure = Measure("domain", domain, labels.get(domain, domain.replace("_", " ").capitalize()))
        result.append(MeasureRow(measure, _funnel_of(good, units, lambda u, c=cells: c.get(u.key, (0, 0))[1])))
    return result


def _theme_rows(rows, units: list[Unit]) -> list[MeasureRow]:
    by_theme: dict[int, dict] = {}
    for unit, theme, raised in rows:
        by_theme.setdefault(theme, {})[str(unit)] = raised
    if not by_theme:
        return []
    names = dict(db.session.execute(select(Theme.id, Theme.name).where(Theme.id.in_(by_theme))).all())
    result = [
        MeasureRow(
            Measure("theme", str(theme), names.get(theme, str(theme))), _funnel_of(raised, units, lambda u: u.audits)
        )
        for theme, raised in by_theme.items()
    ]
    return sorted(result, key=lambda r: (-r.funnel.count, r.measure.label))


# --- Month by month ----------------------------------------------------------------------------


@dataclass
class UnitTrend:
    key: str
    label: str
    cells: dict  # month -> (count, n)

    def share(self, month: str) -> float | None:
        count, n = self.cells.get(month, (0, 0))
        return count / n if n else None


@dataclass
class Trends:
    months: list[str]
    units: list[UnitTrend]
    authority: UnitTrend


def trends(comparison: Comparison, measure: Measure) -> Trends:
    """Each unit's month-by-month share of the measure over the year to the period's end (two queries)."""
    filters, by = comparison.filters, comparison.by
    window = trend_window(filters)
    if measure.kind == "domain":
        rows = counts.monthly_good_or_better_by_unit(filters, window, by, measure.ref)
    else:
        raised = {(u, m): c for u, m, c in counts.monthly_theme_by_unit(filters, window, by, int(measure.ref))}
        rows = [(u, m, raised.get((u, m), 0), n) for u, m, n in counts.monthly_audits_by_unit(filters, window, by)]
    months = [month for month, _ in _months(window)]
    by_unit = {u.key: UnitTrend(u.key, u.label, {}) for u in comparison.units}
    authority = UnitTrend("", "The authority", {})
    for unit, month, count, n in rows:
        if str(unit) in by_unit:
            by_unit[str(unit)].cells[month] = (count, n)
        before = authority.cells.get(month, (0, 0))
        authority.cells[month] = (before[0] + count, before[1] + n)
    return Trends(months, list(by_unit.values()), authority)


def _months(window: Period):
    for i in range(window.months):
        month = add_months(window.start, i)
        yield f"{month:%Y-%m}", month


# --- The page ----------------------------------------------------------------------------------


@dataclass
class Page:
    comparison: Comparison
    selected: MeasureRow | None
    chart: object | None  # charts.FunnelChart
    trends: Trends | None
    sparklines: dict  # unit key -> charts.Sparkline
    patterns: list


def default_row(comparison: Comparison) -> MeasureRow | None:
    """The first measure with a unit outside the 99.8 % limits, else the 95 %, else the first one."""
    for limit in ("99.8 %", "95 %"):
        for row in comparison.rows:
            if any(point.limit == limit for point in row.funnel.points):
                return row
    return comparison.rows[0] if comparison.rows else None


def page(filters: Filters, by: str, measure_arg) -> Page:
    """Everything on the compare page: a bounded number of queries whatever the number of units."""
    comparison = build(filters, by)
    parsed = parse_measure(measure_arg)
    selected = comparison.row(f"{parsed[0]}:{parsed[1]}" if parsed else None) or default_row(comparison)
    if selected is None:
        return Page(comparison, None, None, None, {}, pattern_findings(comparison))
    unit_trends = trends(comparison, selected.measure)
    authority = [unit_trends.authority.share(m) for m in unit_trends.months]
    sparklines = {
        unit.key: charts.sparkline([unit.share(m) for m in unit_trends.months], authority) for unit in unit_trends.units
    }
    return Page(
        comparison,
        selected,
        charts.funnel_chart(selected.funnel),
        unit_trends,
        sparklines,
        pattern_findings(comparison),
    )
