"""Key findings: sentences with their figures, in the voice of the audit-themes reports.

    "Voice of the child: 38% of 120 audited cases require improvement or are inadequate, up 9 points
     on the previous quarter; raised in 14 practice-week observations."

Rules, stated on the page too:
- no finding from fewer than MIN_N graded judgements (or lens judgements, for observations);
- an area for improvement when at least AREA_THRESHOLD% require improvement or are inadequate;
- a strength when at least STRENGTH_THRESHOLD% are good or outstanding;
- a comparison with the previous period only when that period also has at least MIN_N;
- what families said: from at least MIN_N scored answers to a question, an area when AREA_THRESHOLD%
  or more answered 1 or 2 out of 5, a strength when STRENGTH_THRESHOLD% or more answered 4 or 5.
"""

from dataclasses import dataclass

from sqlalchemy import func

from ..extensions import db
from ..family_voice.figures import FamilyFigures, family_figures
from .filters import Filters
from .queries import SpreadRow, domain_spread, lens_spread

MIN_N = 10
AREA_THRESHOLD = 30
STRENGTH_THRESHOLD = 70


@dataclass
class Finding:
    kind: str  # "strength" or "area"
    key: str  # domain or lens key
    label: str
    sentence: str
    n: int
    pct: int
    change: int | None
    source: str  # "audits", "observations" or "families"


def _one_grade_question_per_domain() -> bool:
    """True when no tool asks for more than one grade in a domain: then judgements are cases."""
    from sqlalchemy import select

    from ..models import Question

    per_domain = (
        select(func.count().label("n")).where(Question.response_type == "grade").group_by(Question.domain_id).subquery()
    )
    return (db.session.scalar(select(func.max(per_domain.c.n))) or 0) <= 1


def _change_phrase(change: int | None, previous_label: str, previous_n: int) -> str:
    if change is None:
        return f"no comparison with the previous {previous_label} (fewer than {MIN_N} then, {previous_n})"
    if change == 0:
        return f"the same as the previous {previous_label}"
    return f"{'up' if change > 0 else 'down'} {abs(change)} point{'s' if abs(change) != 1 else ''} on the previous {previous_label}"


def _period_word(filters: Filters) -> str:
    kind = filters.period_obj.kind
    return "period" if kind == "range" else kind


def key_findings(
    filters: Filters, domains_now=None, lenses_now=None, families=None, domains_before=None
) -> dict[str, list[Finding]]:
    """Strengths and areas for improvement; pass the period's spreads, the previous period's domain spread and
    family figures when already counted."""
    period = filters.period_obj
    word = _period_word(filters)
    findings: list[Finding] = []
    if lenses_now is None:
        lenses_now = lens_spread(filters) if filters.include_observations else []
    lenses_now = {r.key: r for r in lenses_now}
    if filters.include_audits:
        now = domain_spread(filters) if domains_now is None else domains_now
        if domains_before is None:
            domains_before = domain_spread(filters, period.previous())
        before = {r.key: r for r in domains_before}
        unit_word = "audited cases" if _one_grade_question_per_domain() else "judgements"
        for row in now:
            counted = f"{row.graded} {unit_word}"
            findings += _row_findings(row, before.get(row.key), word, counted, "audits", lenses_now.get(row.key))
    elif filters.include_observations:
        before = {r.key: r for r in lens_spread(filters, period.previous())}
        for row in lenses_now.values():
            counted = f"{row.graded} practice-week observations"
            findings += _row_findings(row, before.get(row.key), word, counted, "observations")
    if filters.include_audits:
        findings += family_findings(families if families is not None else family_figures(filters))
    strengths = sorted((f for f in findings if f.kind == "strength"), key=lambda f: (-f.pct, f.label))
    areas = sorted((f for f in findings if f.kind == "area"), key=lambda f: (-f.pct, f.label))
    return {"strengths": strengths, "areas": areas}


def _row_findings(
    row: SpreadRow, previous: SpreadRow | None, word: str, counted: str, source: str, seen: SpreadRow | None = None
) -> list[Finding]:
    """A domain's or lens's findings: an area and/or a strength where its share passes the threshold.
    `counted` says what the share is of ("12 judgements"); `seen`, the same lens in observations (audits only)."""
    if row.graded < MIN_N:
        return []
    findings = []
    for kind, pct, previous_pct, phrase in (
        ("area", row.weak_pct, previous.weak_pct if previous else None, "require improvement or are inadequate"),
        ("strength", row.good_pct, previous.good_pct if previous else None, "are good or outstanding"),
    ):
        threshold = AREA_THRESHOLD if kind == "area" else STRENGTH_THRESHOLD
        if pct is None or pct < threshold:
            continue
        previous_n = previous.graded if previous else 0
        change = pct - previous_pct if previous and previous_n >= MIN_N and previous_pct is not None else None
        sentence = f"{row.label}: {pct}% of {counted} {phrase}, {_change_phrase(change, word, previous_n)}"
        sentence += _observation_phrase(seen, kind)
        findings.append(Finding(kind, row.key, row.label, sentence + ".", row.graded, pct, change, source))
    return findings


def _observation_phrase(seen: SpreadRow | None, kind: str) -> str:
    """ "; seen as good or outstanding in 3 practice-week observations", or nothing when none were."""
    count = (seen.weak if kind == "area" else seen.good_or_better) if seen else 0
    if not count:
        return ""
    graded = "requiring improvement or inadequate" if kind == "area" else "good or outstanding"
    return f"; seen as {graded} in {count} practice-week observation{'s' if count != 1 else ''}"


def family_findings(figures: FamilyFigures) -> list[Finding]:
    """A sentence for each scaled question enough families answered, where the answers lean one way."""
    findings = []
    for row in figures.scales:
        if row.n < MIN_N:
            continue
        for kind, pct, answered, threshold in (
            ("area", row.low_pct, "1 or 2", AREA_THRESHOLD),
            ("strength", row.high_pct, "4 or 5", STRENGTH_THRESHOLD),
        ):
            if pct is not None and pct >= threshold:
                sentence = (
                    f"What families said: {pct}% of {row.n} answers to “{row.question}” were {answered} out of 5"
                    f" (average {row.average})."
                )
                findings.append(Finding(kind, row.key, row.question, sentence, row.n, pct, None, "families"))
    return findings


# --- Patterns across units, from the comparison's funnel plots ----------------------------------

# Sentences come only from units outside the 99.8 % limits: with many units and measures compared at once,
# about one in twenty pairs falls outside the 95 % limits by chance, so those are flagged on the comparison
# page but not written up as findings.
PATTERN_LIMIT = "99.8 %"


@dataclass
class Pattern(Finding):
    unit: str  # the unit's key in the comparison
    measure: str  # "domain:<key>" or "theme:<id>"
    plan_links: dict  # plan.new_action's arguments: the theme or domain, and the comparison itself


def _pct(share: float | None) -> int:
    return round(100 * share) if share is not None else 0


def pattern_findings(comparison) -> list[Pattern]:
    """A sentence for each unit whose share is outside the 99.8 % limits around the authority's, from a
    compare.services.Comparison, strongest difference first."""
    found = []
    period = comparison.period
    for row in comparison.rows:
        measure = row.measure
        for point in row.funnel.flagged:
            if point.limit != PATTERN_LIMIT:
                continue
            pct, rest = _pct(point.share), _pct(point.rest_share)
            direction = "higher" if point.side == "above" else "lower"
            test = f"{direction} than expected, outside the {point.limit} limit of the funnel plot"
            if measure.kind == "theme":
                sentence = f"{measure.label} was recorded in {pct}% of {comparison.audits_of(point.label)}"
            else:
                sentence = (
                    f"{measure.label}: {pct}% of judgements in {comparison.audits_of(point.label)} were good or better"
                )
            sentence += f" against {rest}% elsewhere (n = {point.n}); {test}."
            link_key = "theme_id" if measure.kind == "theme" else "domain_key"
            reference = comparison_reference(comparison.by, point.key, measure.key, period.key)
            links = (
                {link_key: measure.ref, "comparison": reference} if len(reference) <= 60 else {link_key: measure.ref}
            )
            kind = "area" if (point.side == "above") == (measure.kind == "theme") else "strength"
            found.append(
                Pattern(
                    kind,
                    measure.key,
                    measure.label,
                    sentence,
                    point.n,
                    pct,
                    None,
                    "comparison",
                    point.key,
                    measure.key,
                    links,
                )
            )
    return sorted(found, key=lambda f: (-abs(f.pct - _rest_of(comparison, f)), f.label))


def _rest_of(comparison, finding: Pattern) -> int:
    point = comparison.row(finding.measure).point(finding.unit)
    return _pct(point.rest_share)


def comparison_reference(by: str, unit: str, measure: str, period: str) -> str:
    """What an improvement-plan action keeps to link back to the comparison that raised it."""
    return "|".join((by, unit, measure, period))
