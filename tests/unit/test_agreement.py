"""Agreement figures between auditor and moderator: checked against published worked examples."""

import pytest

from audit_app.moderation.agreement import (
    agreement,
    agreement_within_one,
    exact_agreement,
    kappa_strength,
    matrix_from_counts,
    quadratic_weighted_kappa,
    weighted_kappa,
)


def matrix_from_pairs(first, second, low, high):
    k = high - low + 1
    matrix = [[0] * k for _ in range(k)]
    for a, b in zip(first, second):
        matrix[a - low][b - low] += 1
    return matrix


def test_weighted_kappa_matches_cohens_1968_worked_example():
    """Cohen, J. (1968). Weighted kappa: nominal scale agreement with provision for scaled
    disagreement or partial credit. Psychological Bulletin, 70(4), 213-220, Table 1.

    Observed proportions (rows: judge A, columns: judge B) for three diagnostic categories:
        .44 .07 .09
        .05 .20 .05
        .01 .03 .06
    Cohen reports unweighted kappa = .492 and, with his disagreement weights
        0 1 3
        1 0 6
        3 6 0
    weighted kappa = .348. The same formula with quadratic weights is what the agreement page uses.
    """
    table = [[0.44, 0.07, 0.09], [0.05, 0.20, 0.05], [0.01, 0.03, 0.06]]
    unweighted = [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    cohens_weights = [[0, 1, 3], [1, 0, 6], [3, 6, 0]]
    assert weighted_kappa(table, unweighted) == pytest.approx(0.492, abs=0.0005)
    assert weighted_kappa(table, cohens_weights) == pytest.approx(0.348, abs=0.0005)
    # Counts rather than proportions (n = 200, as in the paper) give the same kappa.
    counts = [[round(p * 200) for p in row] for row in table]
    assert weighted_kappa(counts, cohens_weights) == pytest.approx(0.348, abs=0.0005)


def test_quadratic_weighted_kappa_matches_published_examples():
    """Maplesoft, Maple documentation, EssayTools[QuadraticWeightedKappa], Examples 1 and 2
    (scores on a 1-10 scale, range taken from the data):
        QuadraticWeightedKappa([9,7,8,7,6,8,3,5,10], [8,8,6,6,7,6,1,4,8]) = 0.758620689655172
        QuadraticWeightedKappa([9,7,8,7,6,8,3,5,10], [3,5,6,6,7,6,1,4,8]) = 0.438095238095238
    """
    first = [9, 7, 8, 7, 6, 8, 3, 5, 10]
    assert quadratic_weighted_kappa(matrix_from_pairs(first, [8, 8, 6, 6, 7, 6, 1, 4, 8], 1, 10)) == pytest.approx(
        0.758620689655172, abs=1e-12
    )
    assert quadratic_weighted_kappa(matrix_from_pairs(first, [3, 5, 6, 6, 7, 6, 1, 4, 8], 1, 10)) == pytest.approx(
        0.438095238095238, abs=1e-12
    )


def test_a_four_grade_example_worked_by_hand():
    """Ten judgements on the Ofsted scale. Auditor rows, moderator columns:
        Outstanding   1 0 0 0
        Good          0 4 1 0
        Requires imp. 0 1 2 0
        Inadequate    0 0 0 1
    Row totals 1, 5, 3, 1; column totals the same. Weights (i - j)^2 / 9.
    Observed weighted disagreement: two pairs one grade apart, 2 x 1/9 = 0.2222.
    Expected by chance: sum of (i - j)^2 r_i c_j = 46 x 1 + 16 x 4 + 2 x 9 = 128, so 128 / 9 / 10 = 1.4222.
    kappa = 1 - 0.2222 / 1.4222 = 1 - 2 / 12.8 = 0.84375. Exact agreement 8/10, within one grade 10/10.
    """
    matrix = [[1, 0, 0, 0], [0, 4, 1, 0], [0, 1, 2, 0], [0, 0, 0, 1]]
    rows = cols = [1, 5, 3, 1]
    expected = sum((i - j) ** 2 / 9 * rows[i] * cols[j] / 10 for i in range(4) for j in range(4))
    assert expected == pytest.approx(128 / 90)
    assert quadratic_weighted_kappa(matrix) == pytest.approx(1 - (2 / 9) / expected)
    assert quadratic_weighted_kappa(matrix) == pytest.approx(0.84375)
    assert exact_agreement(matrix) == 0.8
    assert agreement_within_one(matrix) == 1.0


def test_perfect_agreement_is_one():
    matrix = [[3, 0, 0, 0], [0, 7, 0, 0], [0, 0, 4, 0], [0, 0, 0, 1]]
    figures = agreement("All", matrix)
    assert figures.kappa == 1.0
    assert figures.exact == 1.0 and figures.within_one == 1.0
    assert figures.n == 15 and figures.changed == 0
    assert figures.strength == "almost perfect"


def test_no_pairs_shows_not_enough_data():
    figures = agreement("Nobody", [[0] * 4 for _ in range(4)])
    assert figures.n == 0
    assert figures.kappa is None and figures.exact is None and figures.within_one is None
    assert figures.kappa_note == "Not enough data"


def test_every_grade_in_one_category_cannot_give_a_kappa():
    """Both people graded everything Good: chance alone explains the agreement, so kappa is 0/0."""
    figures = agreement("Good only", [[0, 0, 0, 0], [0, 12, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    assert figures.kappa is None
    assert figures.exact == 1.0
    assert figures.kappa_note == "Cannot be calculated: every grade was the same"


def test_one_rater_in_one_category_gives_zero_kappa():
    """The moderator graded everything Good while the auditor varied: no agreement beyond chance."""
    matrix = [[0, 2, 0, 0], [0, 5, 0, 0], [0, 3, 0, 0], [0, 0, 0, 0]]
    assert quadratic_weighted_kappa(matrix) == pytest.approx(0.0)


def test_systematic_disagreement_is_negative():
    matrix = [[0, 0, 0, 5], [0, 0, 0, 0], [0, 0, 0, 0], [5, 0, 0, 0]]
    kappa = quadratic_weighted_kappa(matrix)
    assert kappa == pytest.approx(-1.0)
    assert kappa_strength(kappa) == "poor"


def test_matrix_is_built_from_grouped_counts():
    counts = [(2, 2, 10), (2, 3, 2), (3, 3, 4), (4, 3, 1)]
    matrix = matrix_from_counts(counts)
    assert matrix[1][1] == 10 and matrix[1][2] == 2 and matrix[2][2] == 4 and matrix[3][2] == 1
    assert sum(map(sum, matrix)) == 17
