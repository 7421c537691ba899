"""Where the comparison's SVG charts put things."""

from audit_app.compare.charts import HEIGHT, LEFT, TOP, funnel_chart, sparkline
from audit_app.compare.funnel import funnel


def test_the_funnel_plot_places_each_unit_by_n_and_share_and_names_only_those_judged():
    chart = funnel_chart(funnel([("a", "North", 13, 25), ("b", "South", 5, 25), ("c", "Exeter", 0, 9)], min_n=10))
    north, south, exeter = chart.dots
    left, top, right, bottom = chart.plot
    assert (left, top, bottom) == (LEFT, TOP, HEIGHT - 52)
    # n runs from 0 to 25 (the largest unit, rounded up to a multiple of 5) across the plot.
    assert north.x == south.x == round(left + (right - left) * 25 / 25, 1)
    assert north.y == round(bottom - (bottom - top) * 0.52, 1)
    assert (north.flagged, south.flagged, exeter.flagged) == (True, False, False)
    assert (north.label, exeter.label) == ("North", "")  # Exeter's 9 records are under the minimum
    assert north.label_on_left  # at the right-hand edge
    # The authority's 18 of 59 and four limit lines, 95 % then 99.8 %, lower then upper.
    assert chart.target_y == round(bottom - (bottom - top) * 18 / 59, 1)
    assert [name for name, _ in chart.limits] == ["95 %", "95 %", "99.8 %", "99.8 %"]


def test_a_month_without_records_breaks_the_small_multiple_line():
    spark = sparkline([0.5, 0.6, None, 0.2, 0.4, None], [0.5] * 6)
    assert len(spark.lines) == 2  # Jan-Feb, then Apr-May
    assert len(spark.dots) == 4
    assert len(spark.authority) == 1
    assert sparkline([None, 0.3, None], [None, None, None]).lines == []  # a lone month is a dot, not a line
