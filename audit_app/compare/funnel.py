"""Funnel plots: is a unit's share different from the authority's, given how few records it has?

Each unit (a locality, team, case type...) has `count` of `n` records meeting a measure (judgements good or
better, audits raising a theme). Around the authority's share p, the control limits for a unit of size n are
exact binomial ones: the counts a unit of n records would fall below (or above) with probability at most 2.5 %
(95 % limits) or 0.1 % (99.8 % limits) if its true share were p, as NHS and local-government analysts draw
them. A unit outside a limit is flagged, but only from `min_n` records: below it the limits are too wide to
mean anything, and the page says so.

Why not Wilson limits computed at p: that interval is for a true share given an observed one, not for the
shares a unit would show; on generated data with no real differences it flagged units whose exact tail
probability was 6 %.
"""

from dataclasses import dataclass

import numpy
from scipy.stats import binom

TAIL_95 = 0.025  # each side of the 95 % limits
TAIL_998 = 0.001  # each side of the 99.8 % limits

ABOVE, BELOW, WITHIN, TOO_FEW = "above", "below", "within", "too_few"


def binomial_limit_counts(p: float, n: int, tail: float) -> tuple[int, int]:
    """(low, high) counts: a unit of n below `low`, or above `high`, has probability at most `tail` each side
    if its true share is p. low is the smallest k with P(X <= k) >= tail; high the smallest with
    P(X <= k) >= 1 - tail (X binomial n, p)."""
    return limit_table(p, [n], (tail,))[0][0]


def limit_table(p: float, sizes: list[int], tails: tuple[float, ...]) -> list[list[tuple[int, int]]]:
    """binomial_limit_counts for units of each size and several tails, from one call of scipy's binomial quantile (the smallest k with
    P(X <= k) >= q, inverted from the exact distribution) for every unit and tail at once: a summary draws
    two limits for every unit of every measure, and at a million audits summing the distribution term by
    term in Python took longer than every query of the page."""
    if p <= 0:
        return [[(0, 0)] * len(tails) for _ in sizes]
    if p >= 1:
        return [[(n, n) if n > 0 else (0, 0)] * len(tails) for n in sizes]
    quantiles = numpy.array([q for tail in tails for q in (tail, 1 - tail)])
    counts = binom.ppf(quantiles[:, None], numpy.maximum(sizes, 1), p)  # a row for each quantile
    return [
        [(int(counts[2 * i, unit]), int(counts[2 * i + 1, unit])) if n > 0 else (0, 0) for i in range(len(tails))]
        for unit, n in enumerate(sizes)
    ]


def binomial_limits(p: float, n: int, tail: float) -> tuple[float, float]:
    """The same limits as shares of n."""
    return _shares(binomial_limit_counts(p, n, tail), n)


def _shares(counts: tuple[int, int], n: int) -> tuple[float, float]:
    if n <= 0:
        return 0.0, 1.0
    low, high = counts
    return low / n, high / n


@dataclass(frozen=True)
class FunnelPoint:
    key: str
    label: str
    count: int
    n: int
    rest_count: int  # the rest of the authority: every other unit together
    rest_n: int
    limits_95: tuple[float, float]
    limits_998: tuple[float, float]
    side: str  # ABOVE, BELOW, WITHIN or TOO_FEW
    limit: str | None  # "99.8 %" or "95 %" when outside one, the widest it is outside

    @property
    def share(self) -> float | None:
        return self.count / self.n if self.n else None

    @property
    def rest_share(self) -> float | None:
        return self.rest_count / self.rest_n if self.rest_n else None

    @property
    def flagged(self) -> bool:
        return self.limit is not None


def judge(share: float, n: int, limits_95, limits_998, min_n: int) -> tuple[str, str | None]:
    """Which side of the limits a unit's share falls, and the widest limit it is outside."""
    if n < min_n:
        return TOO_FEW, None
    for limits, name in ((limits_998, "99.8 %"), (limits_95, "95 %")):
        if share < limits[0]:
            return BELOW, name
        if share > limits[1]:
            return ABOVE, name
    return WITHIN, None


@dataclass(frozen=True)
class Funnel:
    count: int  # the authority: every unit together
    n: int
    min_n: int
    points: list[FunnelPoint]

    @property
    def share(self) -> float | None:
        return self.count / self.n if self.n else None

    @property
    def flagged(self) -> list[FunnelPoint]:
        return [point for point in self.points if point.flagged]


def funnel(units: list[tuple[str, str, int, int]], min_n: int) -> Funnel:
    """The funnel of units given as (key, label, count, n): limits around the authority's share."""
    total_count = sum(count for _, _, count, _ in units)
    total_n = sum(n for _, _, _, n in units)
    p = total_count / total_n if total_n else 0.0
    points = []
    limits = limit_table(p, [n for _, _, _, n in units], (TAIL_95, TAIL_998))
    for (key, label, count, n), unit_limits in zip(units, limits, strict=True):
        limits_95, limits_998 = (_shares(counts, n) for counts in unit_limits)
        side, limit = judge(count / n if n else p, n, limits_95, limits_998, min_n) if total_n else (TOO_FEW, None)
        points.append(
            FunnelPoint(key, label, count, n, total_count - count, total_n - n, limits_95, limits_998, side, limit)
        )
    return Funnel(total_count, total_n, min_n, points)
