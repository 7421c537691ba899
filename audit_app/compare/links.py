"""The comparison an improvement-plan action was raised from: read back from the reference the action keeps."""

from dataclasses import dataclass

from flask import url_for

from ..reporting import findings
from ..reporting.filters import Filters, parse_period
from . import services


@dataclass(frozen=True)
class ComparisonLink:
    label: str  # "Comparison: Drift and delay, audits in North against the rest of the authority, Q4 2021"
    suggestion: str  # the finding's sentence while the difference stands, for the action's description
    url: str  # the comparison, on that measure and period


def describe(reference) -> ComparisonLink | None:
    """The comparison a reference ("locality|3|theme:12|2021-Q4") names, or None when it names nothing."""
    parts = str(reference or "").split("|")
    if len(parts) != 4:
        return None
    by, unit, measure_key, period_key = parts
    measure, period = services.parse_measure(measure_key), parse_period(period_key)
    if by not in services.DIMENSIONS or measure is None or period is None:
        return None
    comparison = services.build(Filters(period=period.key), by, measure)
    row = comparison.row(measure_key)
    point = row.point(unit) if row else None
    if point is None:
        return None
    label = (
        f"Comparison: {row.measure.label}, {comparison.audits_of(point.label)} against the rest of the authority,"
        f" {period.short_label}"
    )
    sentences = [f.sentence for f in findings.pattern_findings(comparison) if f.unit == unit]
    suggestion = sentences[0] if sentences else f"Improve practice on {row.measure.label.lower()} in {point.label}."
    url = url_for("compare.index", by=by, period=period.key, measure=measure_key, _anchor="funnel")
    return ComparisonLink(label, suggestion, url)
