"""The audit form's fields: values as stored and as typed, their labels, and check your answers."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, cast, null, select, union_all
from sqlalchemy.orm.attributes import set_committed_value

from ...autosave import update_together
from ...changelog import log_change_on_flush
from ...date_field import parse_date_parts
from ...dates import long_date
from ...extensions import db
from ...models import CaseAudit, Grade, Judgement, Question, ResponseType, Theme
from ...models.audits import judgement_theme
from ...models.grades import GRADE_LABELS
from ...models.tools import question_default_theme
from ...parsing import parse_ids
from . import family_voice
from .applicability import answerable_questions, answered_sections, sections

OVERALL = "overall"

GRADE_DESCRIPTORS = {
    Grade.OUTSTANDING: "Practice is consistently strong and makes a real difference; it could be shared as an example.",
    Grade.GOOD: "Practice meets the expected standard: the child's needs are understood and met in a timely way.",
    Grade.REQUIRES_IMPROVEMENT: "Practice is not yet good: there are gaps, but the child is not left at risk of harm.",
    Grade.INADEQUATE: "Practice is weak and the child may be at risk or left without help: needs immediate follow-up.",
}
ANSWER_LABELS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"}
OVERALL_FIELDS = {
    "overall_grade": "Overall grade",
    "strengths": "Strengths",
    "areas_for_improvement": "Areas for improvement",
    "audited_alongside_worker": "Was the audit done alongside the worker?",
    "alongside_conversation_on": "When did you talk the audit through with the worker?",
    "child_and_family_feedback": "What the child and family said",
    "child_not_safe": "Is the child safe?",
}
# A supervision audit has no child, family or allocated worker: its overall page asks only these.
SUPERVISION_OVERALL_FIELDS = ["overall_grade", "strengths", "areas_for_improvement"]


@dataclass
class Page:
    key: str
    title: str
    description: str | None
    questions: list
    status: str = "not_started"  # not_started / in_progress / completed / not_applicable
    not_applicable: object = None  # the SectionNotApplicable record, with its reason
    supervision: bool = False  # a supervision audit's page


def question_fields(question: Question) -> list[str]:
    q = f"q{question.id}"
    if question.response_type == ResponseType.TEXT:
        return [f"{q}-text"]
    first = f"{q}-grade" if question.response_type == ResponseType.GRADE else f"{q}-answer"
    return [first, f"{q}-evidence", f"{q}-themes", f"{q}-good_practice"]


def page_fields(page: Page) -> list[str]:
    if page.key == OVERALL:
        return list(SUPERVISION_OVERALL_FIELDS if page.supervision else OVERALL_FIELDS)
    if page.key == family_voice.FAMILY_VOICE:
        return list(family_voice.FIELD_NAMES)
    return [name for q in page.questions for name in question_fields(q)]


def _judgements(audit: CaseAudit) -> dict[int, Judgement]:
    return {j.question_id: j for j in audit.judgements}


def _question_values(question: Question, j: Judgement | None) -> dict:
    """One question's fields as stored (j None when not answered)."""
    values, q = {}, f"q{question.id}"
    if question.response_type == ResponseType.GRADE:
        values[f"{q}-grade"] = str(j.grade) if j and j.grade else ("na" if j and j.answer == "not_applicable" else "")
    elif question.response_type == ResponseType.YES_NO:
        values[f"{q}-answer"] = (j.answer if j else "") or ""
    if question.response_type == ResponseType.TEXT:
        values[f"{q}-text"] = (j.text if j else "") or ""
    else:
        values[f"{q}-evidence"] = (j.evidence if j else "") or ""
        values[f"{q}-themes"] = [str(t.id) for t in j.themes] if j else []
        values[f"{q}-good_practice"] = "yes" if j and j.good_practice else ""
    return values


def _overall_values(audit: CaseAudit) -> dict:
    alongside = audit.audited_alongside_worker
    conversation = audit.alongside_conversation_on
    return {
        "overall_grade": str(audit.overall_grade) if audit.overall_grade else "",
        "strengths": audit.strengths or "",
        "areas_for_improvement": audit.areas_for_improvement or "",
        "audited_alongside_worker": "" if alongside is None else ("yes" if alongside else "no"),
        "alongside_conversation_on": conversation.isoformat() if conversation else "",
        "child_and_family_feedback": audit.child_and_family_feedback or "",
        "child_not_safe": "yes" if audit.child_not_safe else "",
    }


def current_values(audit: CaseAudit) -> dict:
    """Every form field's value as stored, in the form's own terms."""
    values = {}
    judgements = _judgements(audit)
    for section in answered_sections(audit):
        for question in section.questions:
            values |= _question_values(question, judgements.get(question.id))
    return values | _overall_values(audit) | family_voice.current_values(audit)


def page_values(audit: CaseAudit, page: Page) -> dict:
    """The fields of one page as stored: what an autosave compares with, reading nothing of other pages."""
    if page.key == OVERALL:
        return _overall_values(audit)
    if page.key == family_voice.FAMILY_VOICE:
        return family_voice.current_values(audit)
    judgements = _judgements(audit)
    values = {}
    for question in page.questions:
        values |= _question_values(question, judgements.get(question.id))
    return values


def changes_from_form(page: Page, form) -> dict:
    """The page's fields from a submitted form (a MultiDict); missing radios and checkboxes are empty."""
    if page.key == family_voice.FAMILY_VOICE:
        return family_voice.changes_from_form(form)
    changes = {}
    for name in page_fields(page):
        if name.endswith("-themes"):
            changes[name] = [str(v) for v in parse_ids(form.getlist(name))]
        elif name == "alongside_conversation_on":
            changes[name] = date_from_boxes([form.get(f"{name}-{part}") or "" for part in ("day", "month", "year")])
        else:
            changes[name] = (form.get(name) or "").replace("\r\n", "\n").strip()
    return changes


def date_from_boxes(boxes: list[str]) -> str:
    """The GOV.UK date input's day, month and year boxes as an ISO date ("" when not a real date): the
    same parsing as GovDateField, for the audit form's hand-built fields."""
    day, month, year = (list(boxes) + ["", "", ""])[:3]
    parsed, _ = parse_date_parts(str(day), str(month), str(year))
    return parsed.isoformat() if parsed else ""


def date_boxes(value: str) -> list[str]:
    """An ISO date as the three boxes show it."""
    if not value:
        return ["", "", ""]
    parsed = date.fromisoformat(value)
    return [str(parsed.day), str(parsed.month), str(parsed.year)]


def _grade(value: str) -> int | None:
    return int(value) if value in {"1", "2", "3", "4"} else None


def _apply_family_voice(audit: CaseAudit, changes: dict) -> dict:
    """Store the family's voice fields (its own page and table); the rest are returned."""
    voice = {name: value for name, value in changes.items() if name.startswith("voice-")}
    if voice:
        family_voice.apply_changes(audit, voice)
    return {name: value for name, value in changes.items() if name not in voice}


def _apply_overall(audit: CaseAudit, name: str, value) -> None:
    """One field of the overall page, stored on the audit itself."""
    if name == "overall_grade":
        audit.overall_grade = _grade(value)
    elif name == "audited_alongside_worker":
        audit.audited_alongside_worker = {"yes": True, "no": False}.get(value)
    elif name == "child_not_safe":
        audit.child_not_safe = value == "yes"
    elif name == "alongside_conversation_on":
        audit.alongside_conversation_on = date.fromisoformat(value) if value else None
    else:
        setattr(audit, name, value or None)  # all of it, however long: too long is flagged (limits.py)


def read_answers(audit: CaseAudit, changes: dict) -> dict[int, Theme]:
    """The audit's answers with their themes, and every theme the changes tick, in one statement (a save
    that rewrites a section would otherwise read the answers, their themes and the new themes in three):
    set on the audit as loaded, so the save and the status after it read them from memory. Every theme
    read, by id."""
    ticked = {v for name, values in changes.items() if name.endswith("-themes") for v in parse_ids(values)}
    rows = db.session.execute(_answers_statement(bool(ticked)), {"audit_id": audit.id, "ticked": list(ticked)})
    themes, linked = {}, {}
    for j, t in rows:
        if t is not None:
            themes[t.id] = t
        if j is not None:  # a row of the answers (a ticked theme's own row has none)
            linked.setdefault(j, []).extend([t] if t is not None else [])
    for j, its_themes in linked.items():
        set_committed_value(j, "themes", sorted(its_themes, key=lambda t: t.name))
    set_committed_value(audit, "judgements", sorted(linked, key=lambda j: j.id))
    return themes


@cache
def _answers_statement(with_ticked: bool):
    """read_answers' statement, built once (with or without the ticked themes): SQLAlchemy works out the
    cache key of a statement once per object, rather than on every save."""
    answer, theme, link = Judgement.__table__, Theme.__table__, judgement_theme
    statement = (
        select(*answer.c, *theme.c)
        .select_from(answer.outerjoin(link, link.c.judgement_id == answer.c.id).outerjoin(theme))
        .where(answer.c.audit_id == bindparam("audit_id"))
    )
    if with_ticked:
        no_answer = [cast(null(), column.type) for column in answer.c]
        ticked = select(*no_answer, *theme.c).where(theme.c.id.in_(bindparam("ticked", expanding=True)))
        statement = union_all(statement, ticked)
    return select(Judgement, Theme).from_statement(statement)


ANSWER_COLUMNS = ("grade", "answer", "text", "evidence", "good_practice")


def _answer_columns(question: Question, kind: str, value) -> dict:
    """One field of a question's answer (not its themes) as the judgement's columns it sets."""
    if kind == "grade":
        return {
            "grade": _grade(value),
            "answer": "not_applicable" if value == "na" and question.allow_not_applicable else None,
        }
    if kind == "answer":
        allowed = value in ANSWER_LABELS and (value != "not_applicable" or question.allow_not_applicable)
        return {"answer": value if allowed else None}
    if kind in ("text", "evidence"):
        return {kind: value or None}  # all of it, however long: too long is flagged (limits.py)
    if kind == "good_practice":
        return {"good_practice": value == "yes"}
    return {}


def _apply_themes(j: Judgement, value, themes: dict) -> None:
    wanted = sorted((themes[v] for v in parse_ids(value) if v in themes), key=lambda t: t.name)
    old, new = ", ".join(sorted(t.name for t in j.themes)), ", ".join(t.name for t in wanted)
    if old != new:  # written with the flush's other change-log rows, once the judgement has its id
        log_change_on_flush(db.session, j, "themes", old or None, new or None)
        j.themes = wanted


def apply_changes(audit: CaseAudit, changes: dict, themes: dict[int, Theme]) -> None:
    """Write a page's changes onto the audit; `themes`: those read_answers read, by id. Answers already saved
    change in one UPDATE after the version check (update_together) rather than through the flush, whose unit
    of work is most of an autosave's CPU: an audit that can be edited is counted in no rollup, so no flush
    listener needs to see them. New answers and themes go through the flush."""
    changes = _apply_family_voice(audit, changes)
    if not any(name not in OVERALL_FIELDS for name in changes):  # the overall page: no answer to read
        for name, value in changes.items():
            _apply_overall(audit, name, value)
        return
    judgements = _judgements(audit)
    questions = {q.id: q for q in answerable_questions(audit)}  # what does not apply is never saved
    saved = {}  # judgement already in the database: its answer columns as they will be
    for name, value in changes.items():
        if name in OVERALL_FIELDS:
            _apply_overall(audit, name, value)
            continue
        prefix, kind = name.split("-", 1)
        question = questions.get(int(prefix[1:]))
        if question is None:
            continue
        j = judgements.get(question.id)
        if j is None:
            if not value:
                continue
            # good_practice given, not left to the server's default: every new answer inserts the same
            # columns, so a page of them goes in one statement.
            j = Judgement(audit=audit, question=question, domain_key=question.domain.key, good_practice=False)
            db.session.add(j)
            judgements[question.id] = j
        if kind == "themes":
            _apply_themes(j, value, themes)
        elif j.id is None:
            for column, column_value in _answer_columns(question, kind, value).items():
                setattr(j, column, column_value)
        else:
            columns = saved.setdefault(j, {column: getattr(j, column) for column in ANSWER_COLUMNS})
            columns.update(_answer_columns(question, kind, value))
    update_together(list(saved.items()))


def load_default_themes(questions: list[Question]) -> None:
    """The themes suggested for each question on a page, in one statement rather than one per question."""
    ids = [q.id for q in questions]
    rows = db.session.execute(
        select(question_default_theme.c.question_id, Theme)
        .join(Theme, Theme.id == question_default_theme.c.theme_id)
        .where(question_default_theme.c.question_id.in_(ids))
    ).all()
    for question in questions:
        themes = sorted((theme for qid, theme in rows if qid == question.id), key=lambda t: t.name)
        set_committed_value(question, "default_themes", themes)


def labels_for(audit: CaseAudit) -> dict[str, str]:
    labels = dict(OVERALL_FIELDS) | family_voice.LABELS
    for section in answered_sections(audit):
        for q in section.questions:
            base = f"{section.domain.title}: {q.text}"
            for name in question_fields(q):
                kind = name.split("-", 1)[1]
                words = kind.replace("_", " ")
                labels[name] = base if kind in ("grade", "answer", "text") else f"{base} ({words})"
    return labels


def display_value(name: str, value) -> str:
    if name.startswith("voice-"):
        return family_voice.display_value(name, value)
    if isinstance(value, list):
        ids = parse_ids(value)
        names = db.session.scalars(select(Theme.name).where(Theme.id.in_(ids or [0])).order_by(Theme.name)).all()
        return ", ".join(names) or "(none)"
    if name.endswith("-grade") or name == "overall_grade":
        return GRADE_LABELS.get(_grade(str(value or "")), "Not applicable" if value == "na" else "(blank)")
    if name.endswith("-answer") or name in ("audited_alongside_worker",):
        return ANSWER_LABELS.get(value or "", "(blank)")
    if name.endswith("-good_practice"):
        return "Good practice to share" if value == "yes" else "Not flagged as good practice"
    if name == "child_not_safe":
        return "Not safe" if value == "yes" else "No safety concern flagged"
    if name == "alongside_conversation_on" and value:
        return long_date(date.fromisoformat(value))
    return str(value or "") or "(blank)"


def themes_for_form() -> list[Theme]:
    return list(
        db.session.scalars(
            select(Theme).where(Theme.is_active.is_(True), Theme.merged_into_id.is_(None)).order_by(Theme.name)
        )
    )


def answers(audit: CaseAudit) -> list[dict]:
    """Per page, each question with its answer as people read it, for check-your-answers and the view."""
    values = current_values(audit)
    result = []
    judgements = _judgements(audit)
    for section in sections(audit):
        domain, rows = section.domain, []
        for q in section.questions if section.not_applicable is None else []:
            j = judgements.get(q.id)
            name = question_fields(q)[0]
            rows.append(
                {
                    "question": q,
                    "field": name,
                    "answer": display_value(name, values.get(name)) if values.get(name) else "Not answered",
                    "evidence": (j.evidence if j else None),
                    "themes": [t.name for t in j.themes] if j else [],
                    "grade": j.grade if j else None,
                    "good_practice": bool(j and j.good_practice),
                }
            )
        result.append(
            {"key": domain.key, "title": domain.title, "rows": rows, "not_applicable": section.not_applicable}
        )
    return result
