"""The moderator's draft: what they have typed so far, saved by autosave with the audit form's conflict check."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...autosave import keeping_state, normalise, save_with_version
from ...extensions import db
from ...idempotency import create_once
from ...models import CaseAudit, Judgement, ModerationDraft, ModerationDraftGrade, User
from ...models.grades import GRADE_LABELS, Grade
from ...parsing import parse_id
from .moderating import check_open_to

DRAFT_FIELDS = ("overall_grade", "overall_rationale", "comments_for_auditor")


def draft_for(audit: CaseAudit, moderator: User) -> ModerationDraft | None:
    return (
        db.session.scalars(
            select(ModerationDraft)
            .where(ModerationDraft.audit_id == audit.id, ModerationDraft.moderator_id == moderator.id)
            .options(joinedload(ModerationDraft.grades))
        )
        .unique()
        .one_or_none()
    )


def draft_values(draft: ModerationDraft) -> dict:
    """The draft in the moderation form's field names."""
    values = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    for grade in draft.grades:
        values[f"grade_{grade.judgement_id}"] = grade.grade
        values[f"rationale_{grade.judgement_id}"] = grade.rationale
    return values


def _grade_or_none(value) -> int | None:
    """A grade the form offers, or None: autosave keeps everything else typed when one value is not a grade."""
    grade = parse_id(value)
    return grade if grade in {g.value for g in Grade} else None


def draft_changes(judgements: list[Judgement], form) -> dict:
    """What the form sent, in its field names: grades as numbers, text as typed ("" is None)."""
    changes = {
        "overall_grade": _grade_or_none(form.get("overall_grade")),
        "overall_rationale": form.get("overall_rationale") or None,
        "comments_for_auditor": form.get("comments_for_auditor") or None,
    }
    for judgement in judgements:
        changes[f"grade_{judgement.id}"] = _grade_or_none(form.get(f"grade_{judgement.id}"))
        changes[f"rationale_{judgement.id}"] = form.get(f"rationale_{judgement.id}") or None
    return changes


def _apply_draft(draft: ModerationDraft, changes: dict) -> None:
    for name in DRAFT_FIELDS:
        setattr(draft, name, changes[name])
    by_judgement = {g.judgement_id: g for g in draft.grades}
    for name, value in changes.items():
        prefix, _, judgement_id = name.partition("_")
        if prefix not in ("grade", "rationale"):
            continue
        row = by_judgement.get(int(judgement_id))
        if row is None:
            row = by_judgement[int(judgement_id)] = ModerationDraftGrade(judgement_id=int(judgement_id))
            draft.grades.append(row)
        setattr(row, prefix, value)


def draft_labels(judgements: list[Judgement]) -> dict[str, str]:
    labels = {
        "overall_grade": "Your overall grade",
        "overall_rationale": "Rationale for the overall grade",
        "comments_for_auditor": "Comments for the auditor",
    }
    for judgement in judgements:
        title = f"{judgement.question.domain.title}: {judgement.question.text}"
        labels[f"grade_{judgement.id}"] = f"Your grade for {title}"
        labels[f"rationale_{judgement.id}"] = f"Rationale for {title}"
    return labels


def _display_draft(name: str, value) -> str:
    if name.endswith("grade") or name.startswith("grade_"):
        return GRADE_LABELS.get(value, "(blank)") if value is not None else "(blank)"
    return normalise(value) or "(blank)"


_UNREAD = object()


def save_draft(audit: CaseAudit, moderator: User, judgements: list[Judgement], form, client_version, draft=_UNREAD):
    """Save what the moderator has typed into their draft of this audit's moderation, through the audit
    form's optimistic-locking save: a copy older than the stored draft (another tab) is refused with
    both values (audit_app/autosave.py). The first save makes the draft, with what was typed in it.
    `draft`: the moderator's draft (or None) when the caller has read it already."""
    check_open_to(audit, moderator)
    if draft is _UNREAD:
        draft = draft_for(audit, moderator)
    changes = draft_changes(judgements, form)
    if draft is None:
        first = normalise(client_version) in ("", "0")  # the page was opened before any draft
        with keeping_state():  # what is loaded (the audit's judgements) stays loaded after the commit
            draft, created = create_once(
                ModerationDraft,
                lambda: _new_draft(audit, moderator, changes if first else {}),
                find_existing=lambda: draft_for(audit, moderator),
            )
        if created and first:
            client_version = draft.version  # this save is the first: it made the draft with the changes
    return save_with_version(
        draft,
        client_version,
        changes,
        apply=_apply_draft,
        current=lambda record: {name: draft_values(record).get(name) for name in changes},
        labels=draft_labels(judgements),
        display=_display_draft,
    )


def _new_draft(audit: CaseAudit, moderator: User, changes: dict) -> ModerationDraft:
    draft = ModerationDraft(audit=audit, moderator=moderator, grades=[])
    if changes:
        _apply_draft(draft, changes)
    db.session.add(draft)
    return draft
