"""The funnel plot's control limits, checked against exact binomial limits worked out by hand."""

from math import comb

from audit_app.compare.funnel import (
    ABOVE,
    BELOW,
    TAIL_95,
    TAIL_998,
    TOO_FEW,
    WITHIN,
    binomial_limit_counts,
    binomial_limits,
    funnel,
    judge,
)


def test_limits_match_a_worked_example():
    # Authority share p = 0.2, a unit of n = 10. P(X = k) = C(10, k) 0.2^k 0.8^(10-k):
    #   k=0: 0.8^10                 = 0.10737   cumulative 0.10737
    #   k=1: 10 × 0.2 × 0.8^9        = 0.26844   cumulative 0.37581
    #   k=2: 45 × 0.04 × 0.8^8       = 0.30199   cumulative 0.67780
    #   k=3: 120 × 0.008 × 0.8^7     = 0.20133   cumulative 0.87913
    #   k=4: 210 × 0.0016 × 0.8^6    = 0.08808   cumulative 0.96721
    #   k=5: 252 × 0.00032 × 0.8^5   = 0.02642   cumulative 0.99363
    #   k=6: 210 × 0.000064 × 0.8^4  = 0.00551   cumulative 0.99914
    #   k=7: 120 × 0.0000128 × 0.8^3 = 0.00079   cumulative 0.99992
    # 95 %: low is the first k with cumulative >= 0.025: 0; high the first with >= 0.975: 5 (0.96721 < 0.975).
    # 99.8 %: low 0; high the first k with cumulative >= 0.999: 6 (0.99914).
    assert binomial_limit_counts(0.2, 10, TAIL_95) == (0, 5)
    assert binomial_limit_counts(0.2, 10, TAIL_998) == (0, 6)
    assert binomial_limits(0.2, 10, TAIL_95) == (0.0, 0.5)
    # So 6 of 10 is above the 95 % limit only (P(X >= 6) = 1 - 0.99363 = 0.0064 < 0.025, but > 0.001),
    # and 7 of 10 above the 99.8 % limit too (P(X >= 7) = 1 - 0.99914 = 0.00086 < 0.001).
    limits_95, limits_998 = binomial_limits(0.2, 10, TAIL_95), binomial_limits(0.2, 10, TAIL_998)
    assert judge(0.6, 10, limits_95, limits_998, min_n=10) == (ABOVE, "95 %")
    assert judge(0.7, 10, limits_95, limits_998, min_n=10) == (ABOVE, "99.8 %")
    assert judge(0.5, 10, limits_95, limits_998, min_n=10) == (WITHIN, None)


def test_the_lower_limits_mirror_the_worked_example():
    # p = 0.8: X = 10 - Y with Y binomial(10, 0.2) above. P(X <= 4) = P(Y >= 6) = 0.0064 (< 0.025, >= 0.001)
    # and P(X <= 5) = P(Y >= 5) = 1 - 0.96721 = 0.0328: low at 95 % is 5. P(X <= 3) = P(Y >= 7) = 0.00086 < 0.001
    # and P(X <= 4) = 0.0064: low at 99.8 % is 4.
    assert binomial_limit_counts(0.8, 10, TAIL_95) == (5, 10)
    assert binomial_limit_counts(0.8, 10, TAIL_998) == (4, 10)
    limits_95, limits_998 = binomial_limits(0.8, 10, TAIL_95), binomial_limits(0.8, 10, TAIL_998)
    assert judge(0.4, 10, limits_95, limits_998, min_n=10) == (BELOW, "95 %")
    assert judge(0.3, 10, limits_95, limits_998, min_n=10) == (BELOW, "99.8 %")


def _tails(count, n, p):
    below = sum(comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(count + 1))
    above = sum(comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(count, n + 1))
    return below, above


def test_flagged_exactly_when_the_binomial_tail_is_that_unlikely():
    # Against the tail probabilities summed directly, for small and large n and shares near 0 and 1.
    for p, n in ((0.62, 10), (0.08, 12), (0.5, 40), (0.03, 200), (0.95, 60)):
        limits_95, limits_998 = binomial_limits(p, n, TAIL_95), binomial_limits(p, n, TAIL_998)
        for count in range(n + 1):
            below, above = _tails(count, n, p)
            side, limit = judge(count / n, n, limits_95, limits_998, min_n=1)
            expected = (
                (BELOW, "99.8 %") if below < TAIL_998 else
                (ABOVE, "99.8 %") if above < TAIL_998 else
                (BELOW, "95 %") if below < TAIL_95 else
                (ABOVE, "95 %") if above < TAIL_95 else
                (WITHIN, None)
            )  # fmt: skip
            assert (side, limit) == expected, (p, n, count, below, above)


def test_large_units_are_quick_and_close_to_the_normal_approximation():
    low, high = binomial_limits(0.3, 25000, TAIL_998)
    spread = 3.090232 * (0.3 * 0.7 / 25000) ** 0.5
    assert abs(low - (0.3 - spread)) < 0.001 and abs(high - (0.3 + spread)) < 0.001


def test_units_outside_the_limits_are_flagged_and_none_below_the_minimum():
    # 18 of 90 records: the authority's share is 0.2, so A and B (n = 10) have the limits worked out above.
    result = funnel([("a", "A", 7, 10), ("b", "B", 6, 10), ("c", "C", 5, 65), ("d", "D", 0, 5)], min_n=10)
    assert (result.count, result.n, result.share) == (18, 90, 0.2)
    a, b, c, d = result.points
    assert (a.side, a.limit) == (ABOVE, "99.8 %")
    assert (b.side, b.limit) == (ABOVE, "95 %")
    below, _ = _tails(5, 65, 0.2)  # 0.0043: under 2.5 %, over 0.1 %
    assert TAIL_998 < below < TAIL_95 and (c.side, c.limit) == (BELOW, "95 %")
    # D's 0 of 5 is below the authority, but 5 is under the minimum of 10: never flagged.
    assert (d.side, d.limit, d.flagged) == (TOO_FEW, None, False)
    assert (a.rest_count, a.rest_n) == (11, 80)
    assert [p.label for p in result.flagged] == ["A", "B", "C"]


def test_the_minimum_n_exactly_and_no_records():
    limits_95, limits_998 = (0.1, 0.4), (0.05, 0.5)
    assert judge(0.0, 10, limits_95, limits_998, min_n=10) == (BELOW, "99.8 %")  # n = the minimum is judged
    assert judge(0.0, 9, limits_95, limits_998, min_n=10) == (TOO_FEW, None)
    assert judge(1.0, 9, limits_95, limits_998, min_n=10) == (TOO_FEW, None)
    assert funnel([], min_n=10).flagged == []
    assert binomial_limits(0.3, 0, TAIL_95) == (0.0, 1.0)
