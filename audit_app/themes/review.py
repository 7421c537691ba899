"""The review of untagged weak evidence, and naming an emerging theme: plain functions over db.session."""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Theme
from ..parsing import parse_id
from ..reporting.filters import Filters
from .tagging import tag_records
from .untagged import parse_key, untagged_counts, untagged_judgements, untagged_lens_judgements

REVIEW_PAGE_SIZE = 20


def active_themes() -> list[tuple[int, str]]:
    return db.session.execute(select(Theme.id, Theme.name).where(Theme.is_active.is_(True)).order_by(Theme.name)).all()


def review_page(filters: Filters, page: int) -> dict:
    """A page of weak untagged audit judgements and of weak untagged observation lenses, with the totals."""
    offset = (page - 1) * REVIEW_PAGE_SIZE
    counts = untagged_counts(filters)
    return {
        "counts": counts,
        "judgements": untagged_judgements(filters, REVIEW_PAGE_SIZE, offset),
        "lenses": untagged_lens_judgements(filters, REVIEW_PAGE_SIZE, offset),
        "themes": active_themes(),
        "page": page,
        "pages": max(1, -(-max(counts.judgements, counts.lens_judgements) // REVIEW_PAGE_SIZE)),
    }


@dataclass
class ReviewResult:
    tagged: int
    problems: list[tuple[str, str]]


def apply_review(form) -> ReviewResult:
    """Tag each record whose row chose a theme ("tag-judgement-12" = theme id; 0 or nothing leaves it). A
    theme that is not in use, or a row that is not a record, is a problem on that row; the rest are saved."""
    themes = dict(active_themes())
    chosen: dict[int, list[tuple[str, int]]] = {}
    problems = []
    for name, value in form.items():
        if not name.startswith("tag-") or not value or value == "0":
            continue
        key, theme_id = parse_key(name.removeprefix("tag-")), parse_id(value)
        if key is None or theme_id not in themes:
            problems.append((name, "Choose a theme from the list"))
            continue
        chosen.setdefault(theme_id, []).append(key)
    tagged = 0
    for theme_id, keys in chosen.items():
        tagged += tag_records(db.session.get(Theme, theme_id), keys, commit=False)
    db.session.commit()
    return ReviewResult(tagged, problems)


def add_emerging_theme(name: str, description: str | None, keys) -> Theme:
    """A new theme named by a QA lead from an emerging group, tagged on the records `keys` (uncommitted:
    create_once commits the theme and its tags together)."""
    theme = Theme(name=name.strip(), description=(description or "").strip() or None, is_active=True)
    db.session.add(theme)
    db.session.flush()
    tag_records(theme, keys, commit=False)
    return theme
