"""The classifier: TF-IDF words and bigrams, one calibrated linear model per theme, compiled into one matrix."""

from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

# Negations carry meaning in evidence ("no evidence of", "not seen"), so they stay in; alone, though, they
# explain nothing to the reader, so they are never a "because" word (their bigrams can be).
NEGATIONS = frozenset({"no", "not", "never", "nobody", "nothing", "without"})
STOP_WORDS = sorted(ENGLISH_STOP_WORDS - NEGATIONS - {"alone", "seen"})
# Letters only: case references and dates never become features or "because" words.
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
CALIBRATION_FOLDS = 3
# Calibrating needs tagged texts: below this many, a theme known mostly from its own words keeps the
# balanced logistic regression's probabilities (calibrating on three seed phrases would squash them).
CALIBRATION_MIN_TAGGED = 10
BECAUSE_WORDS = 3


@dataclass
class Example:
    text: str
    theme_ids: frozenset[int]
    seed: bool = False  # the theme's own name, description or a keyword, not a tagged text


def _vectorizer(min_df: int = 1, vocabulary=None) -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=True,
        ngram_range=(1, 2),
        token_pattern=TOKEN_PATTERN,
        stop_words=STOP_WORDS,
        sublinear_tf=True,
        min_df=min_df,
        max_features=None if vocabulary else 200_000,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


# From this many texts on, words and bigrams seen once are left out (typing slips, one-off phrases),
# except the themes' own words, which are always kept.
RARE_WORDS_FROM = 5_000


def _fitted_vectorizer(examples: list[Example]):
    """(the vectoriser, the TF-IDF matrix of the examples)."""
    texts = [e.text for e in examples]
    if len(examples) < RARE_WORDS_FROM:
        vectorizer = _vectorizer()
        return vectorizer, vectorizer.fit_transform(texts)
    vocabulary = set(_vectorizer(min_df=2).fit(texts).vocabulary_)
    seeds = [e.text for e in examples if e.seed]
    if seeds:
        vocabulary |= set(_vectorizer().fit(seeds).vocabulary_)
    vectorizer = _vectorizer(vocabulary=sorted(vocabulary))
    return vectorizer, vectorizer.fit_transform(texts)


def _linear_form(x, y: np.ndarray, tagged: int) -> tuple[np.ndarray, float, str]:
    """One theme's weights and bias such that expit(x @ w + b) is its probability.

    Calibrated (Platt scaling on out-of-fold scores) when `tagged` texts carry the theme and enough texts
    do not; a balanced logistic regression's own probabilities otherwise."""
    negatives = len(y) - int(y.sum())
    base = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", random_state=0)
    if tagged >= CALIBRATION_MIN_TAGGED and negatives >= CALIBRATION_FOLDS:
        model = CalibratedClassifierCV(base, method="sigmoid", cv=CALIBRATION_FOLDS, ensemble=False).fit(x, y)
        (calibrated,) = model.calibrated_classifiers_
        estimator, (sigmoid,) = calibrated.estimator, calibrated.calibrators
        # expit(-(a * (w.x + c) + b)) == expit((-a w).x + (-a c - b))
        a, b = float(sigmoid.a_), float(sigmoid.b_)
        return -a * estimator.coef_[0], -a * float(estimator.intercept_[0]) - b, "calibrated"
    base.fit(x, y)
    return base.coef_[0], float(base.intercept_[0]), "uncalibrated"


class ThemeClassifier:
    """What is pickled into the database: the vectoriser, a (features x themes) weight matrix, the
    biases, and the theme ids in column order. Scoring is one sparse product and a sigmoid."""

    def __init__(self) -> None:
        self.vectorizer: TfidfVectorizer | None = None
        self.theme_ids: list[int] = []
        self.weights = np.zeros((0, 0), dtype=np.float32)
        self.biases = np.zeros(0, dtype=np.float32)
        self.kinds: dict[int, str] = {}
        self.feature_names = np.zeros(0, dtype=object)

    def fit(self, examples: list[Example], theme_ids: list[int]) -> "ThemeClassifier":
        """Learn from `examples` (the theme's own words among them) a model for each theme in `theme_ids`
        that has at least one example and one text without it; the others are never suggested."""
        self.vectorizer, x = _fitted_vectorizer(examples)
        x = x.tocsc()
        columns, biases = [], []
        for theme_id in theme_ids:
            y = np.fromiter((theme_id in e.theme_ids for e in examples), dtype=np.int8, count=len(examples))
            if y.sum() == 0 or y.sum() == len(y):
                continue
            tagged = sum(1 for e in examples if not e.seed and theme_id in e.theme_ids)
            weights, bias, kind = _linear_form(x, y, tagged)
            self.theme_ids.append(theme_id)
            self.kinds[theme_id] = kind
            columns.append(np.asarray(weights, dtype=np.float32))
            biases.append(bias)
        self.feature_names = self.vectorizer.get_feature_names_out()
        features = x.shape[1]
        self.weights = np.column_stack(columns) if columns else np.zeros((features, 0), dtype=np.float32)
        self.biases = np.asarray(biases, dtype=np.float32)
        return self

    def scores(self, texts: list[str]):
        """(the TF-IDF rows, a texts x themes array of probabilities)."""
        x = self.vectorizer.transform(texts)
        return x, expit(np.asarray(x @ self.weights) + self.biases)

    def because(self, row, column: int, limit: int = BECAUSE_WORDS) -> list[str]:
        """The words of one text that pushed one theme's score up most: its highest-weighted features present."""
        contributions = row.data * self.weights[row.indices, column]
        words = (str(self.feature_names[row.indices[i]]) for i in np.argsort(-contributions) if contributions[i] > 0)
        return [word for word in words if word not in NEGATIONS][:limit]

    def top(self, texts: list[str], top: int, min_score: float) -> list[list[tuple[int, float, list[str]]]]:
        """For each text, up to `top` (theme id, score, because) at or above `min_score`, best first;
        a theme only with at least one word of the text behind it."""
        if not texts or not self.theme_ids:
            return [[] for _ in texts]
        x, scores = self.scores(texts)
        x = x.tocsr()
        results = []
        for i in range(len(texts)):
            row, picked = x.getrow(i), []
            if row.nnz:
                for column in np.argsort(-scores[i]):
                    if len(picked) == top or scores[i, column] < min_score:
                        break
                    words = self.because(row, column)
                    if words:
                        picked.append((self.theme_ids[column], float(scores[i, column]), words))
            results.append(picked)
        return results
