"""Tagging many judgements and observations with a theme at once, each change in the change log."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..changelog import log_changes
from ..extensions import db
from ..models import Judgement, Observation, Theme

MODELS = {"judgement": Judgement, "observation": Observation}


def _records(keys) -> list:
    """The judgements and observations named by (record_type, id) pairs, each once; unknown ids left out."""
    ids: dict[str, set[int]] = defaultdict(set)
    for record_type, record_id in keys:
        if record_type in MODELS:
            ids[record_type].add(record_id)
    records = []
    for record_type, wanted in ids.items():
        model = MODELS[record_type]
        records += db.session.scalars(
            select(model).where(model.id.in_(wanted)).options(selectinload(model.themes)).order_by(model.id)
        ).all()
    return records


def _names(themes) -> str | None:
    return ", ".join(sorted(t.name for t in themes)) or None


def tag_records(theme: Theme, keys, note: str | None = None, commit: bool = True) -> int:
    """Add `theme` to each record named in `keys` that does not carry it yet; log the themes before and
    after on each record, and `note` (how the tag was chosen) as a second entry. Returns how many changed."""
    changes: dict[tuple[str, str | None, str | None], list[int]] = defaultdict(list)
    for record in _records(keys):
        if any(t.id == theme.id for t in record.themes):
            continue
        old = _names(record.themes)
        record.themes = sorted([*record.themes, theme], key=lambda t: t.name)
        changes[(record.__tablename__, old, _names(record.themes))].append(record.id)
    db.session.flush()
    for (record_type, old, new), record_ids in changes.items():
        log_changes(db.session, record_type, record_ids, "themes", old, new)
        if note:
            log_changes(db.session, record_type, record_ids, "theme suggestion", None, f"{theme.name}: {note}")
    if commit:
        db.session.commit()
    return sum(len(record_ids) for record_ids in changes.values())
