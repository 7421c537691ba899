"""Training: hold out a fifth, learn from the rest and the themes' own words, measure, store as the next version."""

import pickle
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import ThemeModel
from . import examples as sources
from .classifier import Example, ThemeClassifier

TOP = 3
# Below this probability a theme is not suggested: three weak guesses would teach people to ignore the box.
MIN_SCORE = 0.3
SPLIT_SEED = 2021


@dataclass
class Evaluation:
    """On the held-out fifth, of the suggestions shown (up to three a text, at or above MIN_SCORE) the share
    that the person had tagged (precision@3), and of the tags the share suggested (recall@3)."""

    held_out: int
    suggested: int
    tags: int
    hits: int

    @property
    def precision_at_3(self) -> float | None:
        return self.hits / self.suggested if self.suggested else None

    @property
    def recall_at_3(self) -> float | None:
        return self.hits / self.tags if self.tags else None


def split(examples: list[Example], seed: int = SPLIT_SEED) -> tuple[list[Example], list[Example]]:
    """(four fifths to learn from, the held-out fifth), the same every run on the same data."""
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    cut = len(shuffled) // 5
    return shuffled[cut:], shuffled[:cut]


def evaluate(classifier: ThemeClassifier, held_out: list[Example]) -> Evaluation:
    suggested = classifier.top([e.text for e in held_out], TOP, MIN_SCORE)
    hits = sum(len({theme_id for theme_id, _, _ in picked} & e.theme_ids) for picked, e in zip(suggested, held_out))
    return Evaluation(
        held_out=len(held_out),
        suggested=sum(len(picked) for picked in suggested),
        tags=sum(len(e.theme_ids) for e in held_out),
        hits=hits,
    )


@dataclass
class Trained:
    record: ThemeModel
    evaluation: Evaluation
    seconds: float


def train(examples: list[Example], themes: list[sources.ThemeWords], source: str) -> Trained:
    """Learn from four fifths of `examples` and every theme's own words, measure on the fifth held out,
    and store the model as the next version, which becomes the current one."""
    started = time.perf_counter()
    learn, held_out = split(examples)
    seeds = [example for theme in themes for example in theme.examples()]
    classifier = ThemeClassifier().fit(learn + seeds, [t.id for t in themes])
    evaluation = evaluate(classifier, held_out)
    version = (db.session.scalar(select(func.max(ThemeModel.version))) or 0) + 1
    record = ThemeModel(
        version=version,
        trained_at=datetime.now(UTC),
        source=source[:200],
        examples=len(learn),
        held_out=len(held_out),
        themes=len(classifier.theme_ids),
        precision_at_3=evaluation.precision_at_3,
        recall_at_3=evaluation.recall_at_3,
        model=pickle.dumps(classifier, protocol=pickle.HIGHEST_PROTOCOL),
    )
    seconds = time.perf_counter() - started
    db.session.add(record)
    db.session.commit()
    return Trained(record, evaluation, seconds)


def train_from_database() -> Trained:
    themes = sources.taxonomy()
    return train(sources.from_database(themes), themes, "the database")


def train_from_csv(stream, name: str) -> tuple[Trained, dict[str, int]]:
    """Train on a CSV (text,themes) instead of the database; returns the unknown theme names too."""
    themes = sources.taxonomy()
    read = sources.from_csv(stream, themes)
    return train(read.examples, themes, name), read.unknown
