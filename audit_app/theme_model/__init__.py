"""Theme suggestions: a model learnt from the authority's own tagged evidence (and each theme's name,
description and keywords) that suggests up to three themes for a text, with the words that led to each.

Other code calls `suggest_themes`; `flask train-themes` trains and stores versions (training.py)."""

import pickle
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import Theme, ThemeModel
from .classifier import ThemeClassifier
from .training import MIN_SCORE, TOP

__all__ = ["Suggestion", "suggest_themes", "current_model", "MIN_SCORE"]


@dataclass(frozen=True)
class Suggestion:
    theme_id: int
    name: str
    score: float  # the calibrated probability that the text carries the theme, 0 to 1
    because: list[str]  # the words of the text that led to it, strongest first


# The current model, unpickled once per process: {database URL: (version, trained_at, classifier)}.
_loaded: dict[str, tuple[int, object, ThemeClassifier]] = {}


def current_model() -> ThemeModel | None:
    """The newest stored model's figures (not its bytes)."""
    return db.session.scalar(
        select(ThemeModel).options(defer(ThemeModel.model)).order_by(ThemeModel.version.desc()).limit(1)
    )


def _classifier() -> ThemeClassifier | None:
    newest = db.session.execute(
        select(ThemeModel.version, ThemeModel.trained_at).order_by(ThemeModel.version.desc()).limit(1)
    ).first()
    if newest is None:
        return None
    key = str(db.engine.url)
    cached = _loaded.get(key)
    if cached is None or cached[:2] != tuple(newest):
        data = db.session.scalar(select(ThemeModel.model).where(ThemeModel.version == newest.version))
        try:
            classifier = pickle.loads(data)  # noqa: S301  # nosec B301: our own table, written only by train()
        except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
            # Stored by another version of scikit-learn, say: no suggestions until the next training.
            current_app.logger.warning(
                "Theme model version %s cannot be loaded: run flask train-themes", newest.version
            )
            classifier = None
        cached = _loaded[key] = (*newest, classifier)
    return cached[2]


def suggest_themes(texts: list[str], top: int = TOP) -> list[list[Suggestion]]:
    """For each text, up to `top` active themes it seems to carry, best first, each with its score and the
    words that led to it. Nothing for a text without words the model knows, or before any model is trained.
    Never stores or logs the text."""
    top = max(0, min(top, 10))
    classifier = _classifier() if any((t or "").strip() for t in texts) else None
    if classifier is None or top == 0:
        return [[] for _ in texts]
    picked = classifier.top([t or "" for t in texts], top, MIN_SCORE)
    wanted = {theme_id for row in picked for theme_id, _, _ in row}
    names = (
        dict(
            db.session.execute(
                select(Theme.id, Theme.name).where(
                    Theme.id.in_(wanted), Theme.is_active.is_(True), Theme.merged_into_id.is_(None)
                )
            ).all()
        )
        if wanted
        else {}
    )
    return [
        [Suggestion(t, names[t], round(score, 2), words) for t, score, words in row if t in names] for row in picked
    ]
