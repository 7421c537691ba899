"""The review of untagged weak evidence, and naming an emerging theme: plain functions over db.session."""

from dataclasses import dataclass

from sqlalchemy import literal, select

from ..extensions import db
from ..idempotency import create_once
from ..models import Judgement, LensJudgement, RejectedSuggestion, Theme
from ..parsing import parse_id
from ..reporting.filters import Filters
from .services import new_theme
from .tagging import tag_records
from .untagged import (
    RECORD_TYPES,
    WEAK,
    Evidence,
    parse_key,
    untagged_counts,
    untagged_judgements,
    untagged_lens_judgements,
)

REVIEW_PAGE_SIZE = 20
SUGGESTIONS = 3


def active_themes() -> list[tuple[int, str]]:
    return db.session.execute(select(Theme.id, Theme.name).where(Theme.is_active.is_(True)).order_by(Theme.name)).all()


def review_page(filters: Filters, page: int) -> dict:
    """A page of weak untagged audit judgements and of weak untagged observation lenses, with the totals."""
    offset = (page - 1) * REVIEW_PAGE_SIZE
    counts = untagged_counts(filters)
    judgements = untagged_judgements(filters, REVIEW_PAGE_SIZE, offset)
    lenses = untagged_lens_judgements(filters, REVIEW_PAGE_SIZE, offset)
    return {
        "counts": counts,
        "judgements": judgements,
        "lenses": lenses,
        "suggestions": suggestions_for(judgements + lenses),
        "themes": active_themes(),
        "page": page,
        "pages": max(1, -(-max(counts.judgements, counts.lens_judgements) // REVIEW_PAGE_SIZE)),
    }


def _rejected(rows: list[Evidence]) -> set[tuple[str, int, int]]:
    ids = {
        record_type: {e.record_id for e in rows if e.record_type == record_type}
        for record_type in ("judgement", "observation")
    }
    found = set()
    for record_type, record_ids in ids.items():
        if record_ids:
            found |= set(
                db.session.execute(
                    select(
                        RejectedSuggestion.record_type, RejectedSuggestion.record_id, RejectedSuggestion.theme_id
                    ).where(RejectedSuggestion.record_type == record_type, RejectedSuggestion.record_id.in_(record_ids))
                ).all()
            )
    return found


def suggestions_for(rows: list[Evidence]) -> list[list]:
    """For each row, up to SUGGESTIONS themes the model suggests for its evidence (one call for the page),
    leaving out those a QA lead rejected for its record."""
    from ..theme_model import suggest_themes

    rejected = _rejected(rows)
    suggested = suggest_themes([e.text for e in rows], top=SUGGESTIONS + 3)
    return [
        [s for s in found if (e.record_type, e.record_id, s.theme_id) not in rejected][:SUGGESTIONS]
        for e, found in zip(rows, suggested, strict=True)
    ]


def reject_suggestion(record_type: str, record_id: int, theme_id: int, user_id: int | None) -> None:
    """Remember that this theme is not to be suggested for the record again (once, however often sent)."""
    keys = {"record_type": record_type, "record_id": record_id, "theme_id": theme_id}
    create_once(
        RejectedSuggestion,
        lambda: db.session.add(RejectedSuggestion(**keys, rejected_by_id=user_id)),
        find_existing=lambda: db.session.scalar(select(RejectedSuggestion).filter_by(**keys)),
    )


@dataclass
class ReviewResult:
    tagged: int
    rejected: int
    problems: list[tuple[str, str]]


@dataclass
class Decisions:
    chosen: dict  # theme id -> record keys a QA lead tagged with it from the list of themes
    accepted: dict  # theme id -> record keys whose suggestion of it was accepted
    rejected: list  # (record type, record id, theme id)
    problems: list


def _decisions(form, themes: dict) -> Decisions:
    """Read the rows' fields: "tag-judgement-12" = a theme id (0 or nothing: left for now), and
    "suggestion-judgement-12-7" = "accept" or "reject" the suggestion of theme 7 (nothing: decide later)."""
    decisions = Decisions({}, {}, [], [])
    for name, value in form.items(multi=True):  # one observation's lenses may each have sent its field
        if name.startswith("tag-") and value and value != "0":
            key, theme_id = parse_key(name.removeprefix("tag-")), parse_id(value)
            target = decisions.chosen
        elif name.startswith("suggestion-") and value in ("accept", "reject"):
            record, _, theme = name.removeprefix("suggestion-").rpartition("-")
            key, theme_id = parse_key(record), parse_id(theme)
            target = decisions.accepted if value == "accept" else None
        else:
            continue
        if key is None or theme_id not in themes:
            decisions.problems.append((name, "Choose a theme from the list"))
        elif target is None:
            decisions.rejected.append((*key, theme_id))
        else:
            target.setdefault(theme_id, []).append(key)
    return decisions


def _still_suggested(accepted: dict) -> set[tuple[str, int, int]]:
    """Which (record type, id, theme id) of the accepted ones the model suggests for the record's weak evidence
    now, so the change log never says "suggested by the model" of a theme it did not suggest."""
    from ..theme_model import suggest_themes

    ids = {kind: {i for keys in accepted.values() for k, i in keys if k == kind} for kind in RECORD_TYPES}
    texts = []
    if ids["judgement"]:
        texts += db.session.execute(
            select(literal("judgement"), Judgement.id, Judgement.evidence).where(Judgement.id.in_(ids["judgement"]))
        ).all()
    if ids["observation"]:
        texts += db.session.execute(
            select(literal("observation"), LensJudgement.observation_id, LensJudgement.note).where(
                LensJudgement.observation_id.in_(ids["observation"]), LensJudgement.grade >= WEAK
            )
        ).all()
    suggested = suggest_themes([text or "" for _, _, text in texts], top=SUGGESTIONS + 3)
    return {(kind, i, s.theme_id) for (kind, i, _), found in zip(texts, suggested, strict=True) for s in found}


def apply_review(form, who) -> ReviewResult:
    """Tag, accept and reject as the review's rows say; a row that names no record or a theme not in use is
    a problem on that row, and the rest are saved. Accepted suggestions are logged as the model's, accepted
    by `who` (a User)."""
    decisions = _decisions(form, dict(active_themes()))
    if decisions.accepted:
        still = _still_suggested(decisions.accepted)
        for theme_id, keys in decisions.accepted.items():
            gone = [k for k in keys if (*k, theme_id) not in still]
            for record_type, record_id in gone:
                field = f"suggestion-{record_type}-{record_id}-{theme_id}"
                decisions.problems.append((field, "This theme is no longer suggested: choose it from the list instead"))
            decisions.accepted[theme_id] = [k for k in keys if k not in gone]
    tagged = 0
    note = f"suggested by the model and accepted by {who.display_name}"
    for chosen, how in ((decisions.chosen, None), (decisions.accepted, note)):
        for theme_id, keys in chosen.items():
            tagged += tag_records(db.session.get(Theme, theme_id), keys, note=how, commit=False)
    db.session.commit()
    for record_type, record_id, theme_id in decisions.rejected:
        reject_suggestion(record_type, record_id, theme_id, who.id)
    return ReviewResult(tagged, len(decisions.rejected), decisions.problems)


def add_emerging_theme(name: str, description: str | None, keywords: str | None, keys) -> Theme:
    """A new theme named by a QA lead from an emerging group, tagged on the records `keys` (uncommitted:
    create_once commits the theme and its tags together)."""
    theme = new_theme(name, description, keywords)
    db.session.flush()
    tag_records(theme, keys, commit=False)
    return theme
