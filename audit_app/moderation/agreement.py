"""Agreement between auditor and moderator: pure functions over a confusion matrix.

The matrix is counted in SQL (GROUP BY auditor grade, moderator grade), so nothing here ever sees
a row: matrix[i][j] is the number of judgements the auditor graded i + 1 and the moderator j + 1
(1 Outstanding ... 4 Inadequate).

Quadratic-weighted Cohen's kappa (Cohen 1968; Fleiss & Cohen 1973):

    kappa_w = 1 - sum(w_ij * o_ij) / sum(w_ij * e_ij),   w_ij = (i - j)^2 / (k - 1)^2

where o_ij are the observed counts and e_ij = row_i * col_j / n the counts expected by chance.
"""

from dataclasses import dataclass

Matrix = list[list[int]]
GRADES = 4


def empty_matrix(k: int = GRADES) -> Matrix:
    return [[0] * k for _ in range(k)]


def matrix_from_counts(counts, k: int = GRADES) -> Matrix:
    """Build a k x k matrix from (auditor grade, moderator grade, count) triples, grades 1..k."""
    matrix = empty_matrix(k)
    for auditor_grade, moderator_grade, count in counts:
        matrix[auditor_grade - 1][moderator_grade - 1] += count
    return matrix


def add_matrices(a: Matrix, b: Matrix) -> Matrix:
    return [[x + y for x, y in zip(row_a, row_b)] for row_a, row_b in zip(a, b)]


def total(matrix) -> float:
    return sum(sum(row) for row in matrix)


def quadratic_weights(k: int = GRADES) -> list[list[float]]:
    """Disagreement weights: 0 on the diagonal, 1 for the furthest pair of grades."""
    return [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]


def weighted_kappa(matrix, weights) -> float | None:
    """Cohen's weighted kappa for any square matrix of counts (or proportions) and disagreement weights.

    None when it cannot be calculated: no pairs, or no disagreement expected by chance (every
    grade in one category, so chance alone would produce the same agreement).
    """
    n = total(matrix)
    if n == 0:
        return None
    k = len(matrix)
    rows = [sum(matrix[i]) for i in range(k)]
    cols = [sum(matrix[i][j] for i in range(k)) for j in range(k)]
    observed = sum(weights[i][j] * matrix[i][j] for i in range(k) for j in range(k))
    expected = sum(weights[i][j] * rows[i] * cols[j] / n for i in range(k) for j in range(k))
    if expected == 0:
        return None
    return 1 - observed / expected


def quadratic_weighted_kappa(matrix) -> float | None:
    return weighted_kappa(matrix, quadratic_weights(len(matrix)))


def exact_agreement(matrix) -> float | None:
    n = total(matrix)
    return sum(matrix[i][i] for i in range(len(matrix))) / n if n else None


def agreement_within_one(matrix) -> float | None:
    n = total(matrix)
    k = len(matrix)
    return sum(matrix[i][j] for i in range(k) for j in range(k) if abs(i - j) <= 1) / n if n else None


def kappa_strength(kappa: float | None) -> str:
    """Landis & Koch (1977) words for a kappa value."""
    if kappa is None:
        return ""
    if kappa < 0:
        return "poor"
    for upper, words in ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if kappa <= upper:
            return words
    return "almost perfect"


@dataclass(frozen=True)
class Agreement:
    """The figures for one group of pairs (overall, a domain, an auditor or a period)."""

    label: str
    matrix: tuple
    n: int
    exact: float | None
    within_one: float | None
    kappa: float | None

    @property
    def kappa_note(self) -> str:
        """Why there is no kappa, in words a reader understands."""
        if self.n == 0:
            return "Not enough data"
        if self.kappa is None:
            return "Cannot be calculated: every grade was the same"
        return ""

    @property
    def strength(self) -> str:
        return kappa_strength(self.kappa)

    @property
    def changed(self) -> int:
        return self.n - sum(self.matrix[i][i] for i in range(len(self.matrix)))


def agreement(label: str, matrix: Matrix) -> Agreement:
    return Agreement(
        label=label,
        matrix=tuple(tuple(row) for row in matrix),
        n=int(total(matrix)),
        exact=exact_agreement(matrix),
        within_one=agreement_within_one(matrix),
        kappa=quadratic_weighted_kappa(matrix),
    )
