"""The funnel plot's control limits, checked against Wilson score limits worked out by hand."""

from math import sqrt

import pytest

from audit_app.compare.funnel import ABOVE, BELOW, TOO_FEW, WITHIN, Z_95, Z_998, funnel, judge, wilson_limits


def test_95_per_cent_limits_match_a_worked_example():
    # Authority share p = 0.2, a unit of n = 25, z = 1.96:
    #   z² = 3.8416;  z²/2n = 3.8416/50 = 0.076832;  centre = 0.2 + 0.076832 = 0.276832
    #   p(1-p)/n = 0.16/25 = 0.0064;  z²/4n² = 3.8416/2500 = 0.00153664;  sum = 0.00793664
    #   sqrt(0.00793664) = 0.0890878;  × 1.96 = 0.1746121
    #   denominator 1 + z²/n = 1 + 3.8416/25 = 1.153664
    #   low = (0.276832 - 0.1746121)/1.153664 = 0.1022199/1.153664 = 0.08860
    #   high = (0.276832 + 0.1746121)/1.153664 = 0.4514441/1.153664 = 0.39131
    low, high = wilson_limits(0.2, 25, 1.96)
    assert low == pytest.approx(0.08860, abs=5e-5)
    assert high == pytest.approx(0.39131, abs=5e-5)


def test_998_per_cent_limits_match_a_worked_example():
    # The same unit at z = 3.090232 (two-sided 99.8 %):
    #   z² = 9.549534;  z²/2n = 0.1909907;  centre = 0.3909907
    #   0.0064 + z²/4n² (9.549534/2500 = 0.0038198) = 0.0102198;  sqrt = 0.1010931;  × z = 0.3124012
    #   denominator 1 + 9.549534/25 = 1.3819814
    #   low = (0.3909907 - 0.3124012)/1.3819814 = 0.0785895/1.3819814 = 0.05687
    #   high = (0.3909907 + 0.3124012)/1.3819814 = 0.7033919/1.3819814 = 0.50897
    assert pytest.approx(3.090232) == Z_998
    low, high = wilson_limits(0.2, 25, Z_998)
    assert low == pytest.approx(0.05687, abs=5e-5)
    assert high == pytest.approx(0.50897, abs=5e-5)


def test_limits_are_the_wilson_formula_at_other_sizes():
    for p, n in ((0.5, 100), (0.05, 12), (0.9, 400)):
        z = Z_95
        centre, spread = p + z * z / (2 * n), z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        assert wilson_limits(p, n, z) == pytest.approx(
            ((centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n))
        )
    # Wider at 99.8 % than at 95 %, and narrower as n grows (the funnel).
    assert wilson_limits(0.3, 50, Z_998)[0] < wilson_limits(0.3, 50, Z_95)[0]
    assert wilson_limits(0.3, 500, Z_95)[1] < wilson_limits(0.3, 50, Z_95)[1]


def test_units_outside_the_limits_are_flagged_and_none_below_the_minimum():
    # 40 of 200 records across the units: the authority's share is 0.2, so A and B (n = 25) have the limits
    # worked out above: 95 % 0.0886 to 0.3913, 99.8 % 0.0569 to 0.5090.
    result = funnel([("a", "A", 13, 25), ("b", "B", 5, 25), ("c", "C", 0, 9), ("d", "D", 22, 141)], min_n=10)
    assert (result.count, result.n, result.share) == (40, 200, 0.2)
    a, b, c, d = result.points
    assert (a.side, a.limit) == (ABOVE, "99.8 %")  # 13/25 = 0.52 > 0.5090
    assert (b.side, b.limit) == (WITHIN, None)  # 5/25 = 0.2
    # C's 0 of 9 is far below the authority, but 9 is under the minimum of 10: never flagged.
    assert (c.side, c.limit, c.flagged) == (TOO_FEW, None, False)
    assert c.share == 0 and c.share < c.limits_998[0]
    assert d.side == WITHIN  # 22/141 = 0.156, inside 0.142 to 0.274
    assert (a.rest_count, a.rest_n) == (27, 175)
    assert [p.label for p in result.flagged] == ["A"]


def test_the_95_per_cent_limit_alone_and_the_minimum_n_exactly():
    limits_95, limits_998 = (0.0886, 0.3913), (0.0569, 0.5090)
    assert judge(0.45, 25, limits_95, limits_998, min_n=10) == (ABOVE, "95 %")
    assert judge(0.07, 25, limits_95, limits_998, min_n=10) == (BELOW, "95 %")
    assert judge(0.05, 25, limits_95, limits_998, min_n=10) == (BELOW, "99.8 %")
    assert judge(0.05, 10, limits_95, limits_998, min_n=10) == (BELOW, "99.8 %")  # n = the minimum is judged
    assert judge(0.05, 9, limits_95, limits_998, min_n=10) == (TOO_FEW, None)
    assert judge(1.0, 9, limits_95, limits_998, min_n=10) == (TOO_FEW, None)


def test_no_records_flag_nothing():
    assert funnel([], min_n=10).flagged == []
    assert wilson_limits(0.3, 0, Z_95) == (0.0, 1.0)
