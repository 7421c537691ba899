"""Funnel plots: is a unit's share different from the authority's, given how few records it has?

Each unit (a locality, team, case type...) has `count` of `n` records meeting a measure (judgements good or
better, audits raising a theme). Around the authority's share p, the control limits for a unit of size n are
the Wilson score interval for p at z = 1.96 (95 %) and z = 3.09 (99.8 %), the limits NHS and local-government
analysts draw on funnel plots. A unit outside a limit is flagged, but only from `min_n` records: below it the
limits are too wide to mean anything, and the page says so.
"""

from dataclasses import dataclass
from math import sqrt

Z_95 = 1.959964  # two-sided 95 %
Z_998 = 3.090232  # two-sided 99.8 %

ABOVE, BELOW, WITHIN, TOO_FEW = "above", "below", "within", "too_few"


def wilson_limits(p: float, n: float, z: float) -> tuple[float, float]:
    """The Wilson score limits (low, high) around a share p (0..1) for n records."""
    if n <= 0:
        return 0.0, 1.0
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + z2 / n)), min(1.0, (centre + spread) / (1 + z2 / n))


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
    for key, label, count, n in units:
        limits_95, limits_998 = wilson_limits(p, n, Z_95), wilson_limits(p, n, Z_998)
        side, limit = judge(count / n if n else p, n, limits_95, limits_998, min_n) if total_n else (TOO_FEW, None)
        points.append(
            FunnelPoint(key, label, count, n, total_count - count, total_n - n, limits_95, limits_998, side, limit)
        )
    return Funnel(total_count, total_n, min_n, points)
