"""Emerging themes: the weak evidence that no theme covers (no theme tagged, and none the theme model
suggests with a score of COVERED or more), grouped into candidate themes (TF-IDF, then NMF
topics) with their top words, their size and example quotes, for a QA lead to name and add to the taxonomy.

Bounded: at most MAX_TEXTS pieces of evidence (the most recent) are grouped, and the result is cached per
period, filters and the evidence itself (a hash of every text), so a page view after the first costs the
queries that read the evidence, not a new model. A fixed random_state makes the same evidence give the
same candidates every time, so a candidate's number still means the same group when the QA lead names it.
"""

import hashlib
import math
import re
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime

from ..family_voice.names import name_like_phrases
from ..reporting.filters import Filters
from .untagged import Evidence, untagged_judgements, untagged_lens_judgements

MAX_TEXTS = 5000
MIN_TEXTS = 6  # fewer pieces of evidence than this are read, not grouped
MAX_TOPICS = 8
MIN_SIZE = 2  # a group of one is not a theme
TOP_WORDS = 8
EXAMPLES = 3
EXCERPT = 240
MAX_LISTED = 300  # records listed to tick on a candidate's page; the rest of a larger group are tagged with them
CACHE_SIZE = 8
# Letters only: case references (AB12345) and dates never become "words" of a theme.
TOKENS = r"(?u)\b[^\W\d_]{2,}\b"
NAME_REMOVED = "[name removed]"
# A suggestion this sure means an existing theme covers the evidence: it belongs in the review, not a new theme.
COVERED = 0.5


@dataclass(frozen=True)
class Member:
    evidence: Evidence
    weight: float

    @property
    def key(self) -> str:
        return self.evidence.key


@dataclass(frozen=True)
class Candidate:
    number: int  # 1 is the largest group
    words: list[str]
    members: list[Member]  # most typical first

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def examples(self) -> list[str]:
        return [excerpt(m.evidence.text) for m in self.members[:EXAMPLES]]

    @property
    def record_keys(self) -> list[str]:
        """The records to tag (several weak lenses of one observation are one record)."""
        return list(dict.fromkeys(m.key for m in self.members))

    def listed(self) -> list[Evidence]:
        """The first MAX_LISTED records to tick, most typical first (one piece of evidence each)."""
        first: dict[str, Evidence] = {}
        for member in self.members:
            first.setdefault(member.key, member.evidence)
        return list(first.values())[:MAX_LISTED]

    def to_tag(self, ticked) -> list[str]:
        """The records ticked among those listed, and every record past the list."""
        keys = self.record_keys
        ticked = set(ticked)
        return [k for k in keys[:MAX_LISTED] if k in ticked] + keys[MAX_LISTED:]


@dataclass(frozen=True)
class Emerging:
    version: str  # a hash of the evidence grouped: a candidate is named against this version
    candidates: list[Candidate]
    grouped: int  # pieces of evidence read
    capped: bool  # more weak untagged evidence exists than MAX_TEXTS
    covered: int = 0  # pieces left out because the theme model places them in an existing theme

    def candidate(self, number) -> Candidate | None:
        return next((c for c in self.candidates if c.number == number), None)


def without_names(text: str, replacement: str = " ") -> str:
    """The text with anything that looks like a person's name taken out (evidence should hold none)."""
    for phrase in name_like_phrases(text):
        text = text.replace(phrase, replacement)
    return text


def excerpt(text: str) -> str:
    text = re.sub(r"\s+", " ", without_names(text, NAME_REMOVED)).strip()
    if len(text) <= EXCERPT:
        return text
    return text[:EXCERPT].rsplit(" ", 1)[0] + "…"


def _when(evidence: Evidence) -> date:
    return evidence.when.date() if isinstance(evidence.when, datetime) else evidence.when


def evidence_pool(filters: Filters) -> tuple[list[Evidence], bool]:
    """The most recent MAX_TEXTS pieces of weak untagged evidence with words in them, and whether more exist."""
    found = untagged_judgements(filters, MAX_TEXTS + 1, with_text=True)
    found += untagged_lens_judgements(filters, MAX_TEXTS + 1, with_text=True)
    found.sort(key=lambda e: (_when(e), e.record_id), reverse=True)
    return found[:MAX_TEXTS], len(found) > MAX_TEXTS


def _version(pool: list[Evidence]) -> str:
    digest = hashlib.sha256()
    for evidence in pool:
        shown = (evidence.key, evidence.where, evidence.grade, evidence.when, evidence.case_reference, evidence.team)
        digest.update(f"{shown}\x1f{evidence.text}\x1e".encode())
    return digest.hexdigest()[:20]


_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def uncovered(pool: list[Evidence]) -> list[Evidence]:
    """The evidence for which the theme model suggests no existing theme with a score of COVERED or more
    (all of it before a model is trained)."""
    from ..theme_model import suggest_themes

    best = suggest_themes([e.text for e in pool], top=1)
    return [e for e, found in zip(pool, best, strict=True) if not found or found[0].score < COVERED]


def emerging_themes(filters: Filters) -> Emerging:
    """The candidate themes for the filters (from the cache when the evidence and the model are unchanged)."""
    from ..theme_model import current_model

    pool, capped = evidence_pool(filters)
    model = current_model()
    version = f"{_version(pool)}-{model.version if model else 0}"
    key = (filters, version)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    left = uncovered(pool)
    result = Emerging(version, group(left), len(pool), capped, len(pool) - len(left))
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def topic_count(texts: int) -> int:
    """About one group per fifty texts at first, growing slowly, between 2 and MAX_TOPICS."""
    return max(2, min(MAX_TOPICS, round(math.sqrt(texts / 5))))


def group(pool: list[Evidence]) -> list[Candidate]:
    """Candidate themes: each text goes to the NMF topic it weighs most in; topics of fewer than MIN_SIZE
    texts are dropped. Largest first."""
    if len(pool) < MIN_TEXTS:
        return []
    from sklearn.decomposition import NMF  # imported here: only this page needs scikit-learn loaded
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        stop_words="english",
        token_pattern=TOKENS,
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.9,
        sublinear_tf=True,
        max_features=2000,
    )
    try:
        matrix = vectoriser.fit_transform([without_names(e.text) for e in pool])
    except ValueError:  # no word is in two texts: nothing to group
        return []
    topics = min(topic_count(len(pool)), matrix.shape[1])
    if topics < 2:
        return []
    model = NMF(n_components=topics, init="nndsvd", random_state=0, max_iter=200, tol=1e-3)
    with warnings.catch_warnings():  # groups good enough to read come long before full convergence
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    vocabulary = vectoriser.get_feature_names_out()
    return _candidates(pool, weights, model.components_, vocabulary)


def _candidates(pool, weights, components, vocabulary) -> list[Candidate]:
    members: dict[int, list[Member]] = {}
    for index, row in enumerate(weights):
        topic = int(row.argmax())
        if row[topic] > 0:
            members.setdefault(topic, []).append(Member(pool[index], float(row[topic])))
    groups = []
    for topic, found in members.items():
        if len(found) < MIN_SIZE:
            continue
        order = components[topic].argsort()[::-1][:TOP_WORDS]
        words = [str(vocabulary[i]) for i in order if components[topic][i] > 0]
        groups.append((words, sorted(found, key=lambda m: (-m.weight, m.key))))
    groups.sort(key=lambda g: (-len(g[1]), g[0]))
    return [Candidate(number, words, found) for number, (words, found) in enumerate(groups, start=1)]
