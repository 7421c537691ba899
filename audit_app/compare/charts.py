"""Where things go on the comparison's SVG charts: plain numbers, drawn by templates/compare/_charts.html.

The SVG is inline in the page (no script, no style attribute: presentation attributes only, which the
Content-Security-Policy allows), with a title and a description, and its figures are in the table beside it.
"""

from dataclasses import dataclass
from datetime import date

from .funnel import TAIL_95, TAIL_998, Funnel, binomial_limits

WIDTH, HEIGHT = 700, 380
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 16, 52


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # empty below the minimum n: those crowd the narrow end, and the table names them
    flagged: bool

    @property
    def label_on_left(self) -> bool:
        """Names near the right-hand edge go to the left of their dot, so none is cut off."""
        return self.x > WIDTH * 0.65


@dataclass(frozen=True)
class FunnelChart:
    width: int
    height: int
    target_y: float
    limits: list[tuple[str, str]]  # (name, SVG points) of the four limit lines
    dots: list[Dot]
    x_ticks: list[tuple[float, int]]
    y_ticks: list[tuple[float, int]]
    plot: tuple[float, float, float, float]  # left, top, right, bottom


def _nice_top(value: int) -> int:
    """A round number at or above value, for the end of the n axis."""
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


def funnel_chart(figures: Funnel) -> FunnelChart:
    top_n = _nice_top(max([p.n for p in figures.points] + [figures.min_n, 10]))
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(n: float) -> float:
        return round(LEFT + (right - LEFT) * n / top_n, 1)

    def y(share: float) -> float:
        return round(bottom - (bottom - TOP) * share, 1)

    p = figures.share or 0.0
    # Every whole n up to 100, then 100 steps: exact limits move in steps, drawn as they are.
    steps = sorted({max(1, round(top_n * i / 100)) for i in range(101)})
    limits = []
    for name, tail in (("95 %", TAIL_95), ("99.8 %", TAIL_998)):
        bounds = [binomial_limits(p, n, tail) for n in steps]
        for side in (0, 1):
            points = " ".join(f"{x(n)},{y(b[side])}" for n, b in zip(steps, bounds, strict=True))
            limits.append((name, points))
    dots = [
        Dot(x(pt.n), y(pt.share or 0), pt.label if pt.n >= figures.min_n else "", pt.flagged) for pt in figures.points
    ]
    x_ticks = [(x(top_n * i / 4), round(top_n * i / 4)) for i in range(5)]
    y_ticks = [(y(v / 100), v) for v in (0, 25, 50, 75, 100)]
    return FunnelChart(WIDTH, HEIGHT, y(p), limits, dots, x_ticks, y_ticks, (LEFT, TOP, right, bottom))


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 220, 96, 8


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    lines: list[str]  # SVG points of each run of months with records
    authority: list[str]
    dots: list[tuple[float, float]]


def _runs(shares: list[float | None], x, y) -> list[str]:
    """Polylines through consecutive months that have a share; a month with none breaks the line."""
    runs, current = [], []
    for i, share in enumerate(shares):
        if share is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(f"{x(i)},{y(share)}")
    if current:
        runs.append(current)
    return [" ".join(run) for run in runs if len(run) > 1]


def sparkline(shares: list[float | None], authority: list[float | None]) -> Sparkline:
    """A unit's monthly shares (0..1, None for a month with no records) against the authority's."""
    count = max(len(shares), 2)

    def x(i: int) -> float:
        return round(SPARK_PAD + (SPARK_WIDTH - 2 * SPARK_PAD) * i / (count - 1), 1)

    def y(share: float) -> float:
        return round(SPARK_HEIGHT - SPARK_PAD - (SPARK_HEIGHT - 2 * SPARK_PAD) * share, 1)

    dots = [(x(i), y(s)) for i, s in enumerate(shares) if s is not None]
    return Sparkline(SPARK_WIDTH, SPARK_HEIGHT, _runs(shares, x, y), _runs(authority, x, y), dots)


def month_label(month: str) -> str:
    return date(int(month[:4]), int(month[5:]), 1).strftime("%b %Y")
