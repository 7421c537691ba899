"""The audit form's pages: each page's status, saving a page, the next page, and where coming back resumes."""

from flask import abort
from sqlalchemy.orm.attributes import set_committed_value

from ...autosave import SaveResult, commit_keeping_state, save_with_version
from ...extensions import db
from ...models import AuditStatus, CaseAudit
from ...models.base import utcnow
from .access import is_editable
from .applicability import sections
from .family_voice import FAMILY_VOICE
from .fields import (
    OVERALL,
    Page,
    apply_changes,
    changes_from_form,
    current_values,
    display_value,
    labels_for,
    page_fields,
    page_values,
    read_answers,
)
from .submission import validate


def _page_list(audit: CaseAudit) -> list[Page]:
    """The form's pages in order, without their status (which reads every answer)."""
    result = [
        Page(
            s.domain.key,
            s.domain.title,
            s.domain.description,
            [] if s.not_applicable else s.questions,
            not_applicable=s.not_applicable,
        )
        for s in sections(audit)
    ]
    if not audit.is_supervision:  # supervision records have no family to hear from
        result.append(
            Page(
                FAMILY_VOICE,
                "The child and family's voice",
                "Who you spoke to and how, what they said and short quotes: never a name, in quotes or anywhere else.",
                [],
            )
        )
    result.append(_overall_page(audit))
    return result


def pages(audit: CaseAudit) -> list[Page]:
    """The form's pages, each with its status for the task list and the page's navigation."""
    result = _page_list(audit)
    problems = validate(audit, include_follow_up=False)
    by_page = {}
    for p in problems:
        by_page.setdefault(p.page, []).append(p)
    values = current_values(audit)
    for page in result:
        if page.not_applicable is not None:
            page.status = "not_applicable"
            continue
        names = page_fields(page)
        answered = any(
            values.get(n)
            for n in names
            if not n.endswith(("-themes", "names_checked", "-good_practice")) and n != "child_not_safe"
        )
        if not answered:
            page.status = "not_started"
        elif by_page.get(page.key):
            page.status = "in_progress"
        else:
            page.status = "completed"
    return result


def _overall_page(audit: CaseAudit) -> Page:
    if audit.is_supervision:
        words = "Strengths, areas for improvement and the overall grade of the supervision and oversight."
        return Page(OVERALL, "Overall judgement", words, [], supervision=True)
    words = "Strengths, areas for improvement, the family's views and the overall grade."
    return Page(OVERALL, "Overall judgement", words, [])


def page_for(audit: CaseAudit, key: str) -> Page | None:
    """One page of the form (its status not worked out: see pages)."""
    return next((p for p in _page_list(audit) if p.key == key), None)


def next_page_key(audit: CaseAudit, key: str) -> str | None:
    keys = [s.domain.key for s in sections(audit)] + ([] if audit.is_supervision else [FAMILY_VOICE]) + [OVERALL]
    index = keys.index(key) if key in keys else -1
    return keys[index + 1] if 0 <= index < len(keys) - 1 else None


def save_page(audit: CaseAudit, page_key: str, form, client_version) -> SaveResult:
    """Save one page of the audit with the version the person's form was rendered with."""
    page = page_for(audit, page_key)
    if page is None:
        abort(404)
    changes = changes_from_form(page, form)
    themes = read_answers(audit, changes) if page.questions else {}  # a section's answers: not loaded before

    def apply(record, values):
        apply_changes(record, values, themes)
        if record.status == AuditStatus.NOT_STARTED:
            record.status = AuditStatus.IN_PROGRESS.value
            record.started_at = utcnow()
        if record.last_domain_key != page_key:  # set only when it moves: an audit left unchanged is not flushed
            record.last_domain_key = page_key

    def read(record):
        values = page_values(record, page)
        return {name: values.get(name) for name in changes}

    return save_with_version(
        audit, client_version, changes, apply=apply, current=read, labels=labels_for(audit), display=display_value
    )


def remember_page(audit: CaseAudit, page_key: str) -> None:
    """Where the person is, so coming back resumes there (no version change: it is not an answer)."""
    if audit.last_domain_key != page_key and is_editable(audit):
        db.session.execute(
            CaseAudit.__table__.update().where(CaseAudit.id == audit.id).values(last_domain_key=page_key)
        )
        set_committed_value(audit, "last_domain_key", page_key)
        commit_keeping_state()  # the page renders from what is loaded: nothing to read again


def resume_page_key(audit: CaseAudit) -> str | None:
    """Where coming back to the audit starts: the first section not yet completed (None when all are).
    The family's voice is optional until started (not every family can be reached), so it is skipped then."""
    return next(
        (
            page.key
            for page in pages(audit)
            if page.status not in ("completed", "not_applicable")
            and not (page.key == FAMILY_VOICE and page.status == "not_started")
        ),
        None,
    )
