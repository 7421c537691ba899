"""Charts of the theme summary: SVG drawn on the server by pygal, served as images.

Why images: pygal's SVG carries an embedded <style> element and, by default, a <script> for
tooltips. The page's Content-Security-Policy allows no inline style or script, so the SVG is never
inlined into the HTML. Each chart is its own response (image/svg+xml) built with js=[] and with pygal's
config <script> removed (see render), shown with <img>: a browser renders an SVG image as a static picture and runs
nothing in it, so the page CSP stays strict and axe-core sees only an <img> whose alt text says
the figures are in the table that follows. Every chart has that table, with the same numbers from
the same query, and each number in it links to the records behind it.
"""

import re

import pygal
from pygal.style import Style

from ..reporting.queries import GRADES, Trend

# GOV.UK colours: dark to light blue for good, orange/red for weaker grades (distinct in greyscale).
GRADE_COLOURS = ("#0b0c0c", "#1d70b8", "#f47738", "#d4351c")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=GRADE_COLOURS + ("#00703c", "#4c2c92", "#912b88", "#28a197", "#f499be", "#85994b", "#b58840"),
    font_family="Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    title_font_size=18,
    value_font_size=12,
)


_SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)


def render(chart) -> bytes:
    """The chart's SVG without pygal's tooltip-config <script>: the image carries no code at all."""
    return _SCRIPT.sub(b"", chart.render())


def _config(**kwargs):
    return dict(style=STYLE, js=[], disable_xml_declaration=False, width=900, height=420, **kwargs)


def grade_spread_chart(rows, title: str) -> bytes:
    """Stacked horizontal bars: share of each grade per domain or lens."""
    chart = pygal.HorizontalStackedBar(
        **_config(title=title, range=(0, 100), legend_at_bottom=True, legend_at_bottom_columns=4, print_values=False)
    )
    chart.x_labels = [r.label for r in rows]
    chart.y_title = "% of graded judgements"
    for grade, label in GRADES.items():
        chart.add(label, [round(100 * r.counts[grade] / r.graded, 1) if r.graded else 0 for r in rows])
    return render(chart)


def trend_chart(trend: Trend, title: str) -> bytes:
    chart = pygal.Line(
        **_config(
            title=title,
            range=(0, 100),
            x_label_rotation=30,
            legend_at_bottom=True,
            legend_at_bottom_columns=2,
            allow_interruptions=True,
        )
    )
    chart.x_labels = [Trend.month_label(m) for m in trend.months]
    chart.y_title = "% good or better"
    for row in trend.rows:
        values = []
        for month in trend.months:
            good, graded = row["cells"].get(month, (0, 0))
            values.append(round(100 * good / graded, 1) if graded else None)
        chart.add(row["label"], values)
    return render(chart)


def themes_chart(rows, title: str, previous_label: str) -> bytes:
    top = rows[:10]
    chart = pygal.HorizontalBar(**_config(title=title, legend_at_bottom=True, legend_at_bottom_columns=3))
    chart.x_labels = [t.name for t in top]
    chart.add("Audits", [t.audits for t in top])
    chart.add("Observations", [t.observations for t in top])
    chart.add(f"Total, {previous_label}", [t.previous_total for t in top])
    return render(chart)
