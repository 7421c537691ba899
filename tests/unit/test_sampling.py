"""Samples drawn by rule: the same seed gives the same cases, strata get their proportional share."""

from audit_app.programmes.sampling import EligibleCase, allocate, draw, replacement


def _cases(teams: dict[str, int]) -> list[EligibleCase]:
    rows, next_id = [], 1
    for team, count in teams.items():
        for _ in range(count):
            rows.append(EligibleCase(next_id, team, "North", "Child in Need", f"SW{next_id % 3}"))
            next_id += 1
    return rows


def test_largest_remainder_gives_each_stratum_its_share():
    # 10 of 60: exact shares 5, 3.33, 1.67 -> 5, 3, 2 (the largest remainder takes the last place)
    assert allocate({"A": 30, "B": 20, "C": 10}, 10) == {"A": 5, "B": 3, "C": 2}
    assert sum(allocate({"A": 7, "B": 7, "C": 7}, 10).values()) == 10


def test_a_sample_larger_than_the_eligible_cases_takes_them_all():
    assert allocate({"A": 2, "B": 1}, 10) == {"A": 2, "B": 1}
    assert len(draw(_cases({"A": 2, "B": 1}), 10, seed=5)) == 3


def test_the_same_seed_draws_the_same_cases_whatever_the_order_of_rows():
    cases = _cases({"A": 30, "B": 20, "C": 10})
    first = draw(cases, 10, seed=48213, stratify_by="team")
    again = draw(list(reversed(cases)), 10, seed=48213, stratify_by="team")
    assert first == again and len(first) == 10
    assert draw(cases, 10, seed=48214, stratify_by="team") != first


def test_a_stratified_draw_takes_each_teams_share():
    cases = _cases({"A": 30, "B": 20, "C": 10})
    team_of = {c.id: c.team for c in cases}
    drawn = [team_of[i] for i in draw(cases, 10, seed=1, stratify_by="team")]
    assert (drawn.count("A"), drawn.count("B"), drawn.count("C")) == (5, 3, 2)


def test_a_swap_keeps_the_stratum():
    cases = _cases({"A": 3, "B": 3})
    leaving = cases[0]
    chosen = replacement(cases[1:], leaving, "7-1-1", "team")
    assert chosen.team == "A" and chosen.id != leaving.id
    assert replacement([], leaving, 7, "team") is None
