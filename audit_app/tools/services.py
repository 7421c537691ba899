"""Audit tools: build versions, publish (immutable from then on), retire, copy into a new draft,
export to JSON and import from it, and the seeded tool."""
import json
import re

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..changelog import log_change
from ..extensions import db
from ..history import HistoryRow, field_words, record_history
from ..models import AuditTool, ChangeLog, Domain, Question, ResponseType, Theme, ToolVersion, VersionStatus
from ..models.base import utcnow

EXPORT_FORMAT = "case-audit-tool/1"


class VersionLocked(Exception):
    """A published or retired version is immutable."""


class ImportProblem(Exception):
    pass


def _require_draft(version: ToolVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise VersionLocked(f"Version {version.number} is {version.status}: it cannot be changed. Make a new draft instead.")


@event.listens_for(Session, "before_flush")
def _published_versions_are_immutable(session, flush_context, instances):
    """Belt and braces under the services: no UPDATE or DELETE of a published version's domains or questions."""
    with session.no_autoflush:
        for obj in list(session.dirty) + list(session.deleted):
            deleted = obj in session.deleted
            if isinstance(obj, Question):
                if not deleted and not session.is_modified(obj, include_collections=True):
                    continue
                version = obj.domain.version if obj.domain else None
            elif isinstance(obj, Domain):
                if not deleted and not session.is_modified(obj, include_collections=False):
                    continue
                version = obj.version
            else:
                continue
            if version is None or version.status == VersionStatus.DRAFT or version in session.deleted:
                continue
            raise VersionLocked("A published tool version cannot be changed")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "item"


def list_tools() -> list[AuditTool]:
    return list(db.session.scalars(select(AuditTool).order_by(AuditTool.name)))


def published_versions() -> list[ToolVersion]:
    return list(
        db.session.scalars(
            select(ToolVersion).join(AuditTool).where(ToolVersion.status == VersionStatus.PUBLISHED.value).order_by(AuditTool.name, ToolVersion.number)
        )
    )


def name_taken(name: str, tool_id: int | None = None) -> bool:
    query = select(AuditTool.id).where(func.lower(AuditTool.name) == name.strip().lower())
    if tool_id:
        query = query.where(AuditTool.id != tool_id)
    return db.session.scalar(query) is not None


def create_tool(name: str, description: str | None = None) -> ToolVersion:
    tool = AuditTool(name=name.strip(), description=(description or "").strip() or None)
    version = ToolVersion(tool=tool, number=1, status=VersionStatus.DRAFT.value)
    db.session.add_all([tool, version])
    db.session.commit()
    return version


def save_domain(version: ToolVersion, domain: Domain | None, *, title: str, description: str | None) -> Domain:
    _require_draft(version)
    if domain is None:
        keys = {d.key for d in version.domains}
        key, n = slug(title), 2
        while key in keys:
            key, n = f"{slug(title)}_{n}", n + 1
        domain = Domain(version=version, key=key, position=len(version.domains))
        db.session.add(domain)
    domain.title = title.strip()
    domain.description = (description or "").strip() or None
    db.session.commit()
    return domain


def save_question(domain: Domain, question: Question | None, *, text, guidance, response_type, allow_not_applicable,
                  evidence_required, required=True, theme_ids=()) -> Question:
    _require_draft(domain.version)
    if question is None:
        keys = {q.key for q in domain.questions}
        key, n = slug(text)[:40], 2
        while key in keys:
            key, n = f"{slug(text)[:40]}_{n}", n + 1
        question = Question(domain=domain, key=key, position=len(domain.questions))
        db.session.add(question)
    question.text = text.strip()
    question.guidance = (guidance or "").strip() or None
    question.response_type = ResponseType(response_type).value
    question.allow_not_applicable = bool(allow_not_applicable)
    question.evidence_required = bool(evidence_required)
    question.required = bool(required)
    old_themes = theme_names(question) if question.id else None
    question.default_themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(list(theme_ids) or [0]))))
    db.session.flush()
    log_change(db.session, question, "default_themes", old_themes, theme_names(question))
    db.session.commit()
    return question


def theme_names(question: Question) -> str | None:
    """A question's default themes as a person reads them in the change log: "Drift and delay, Voice of the child"."""
    return ", ".join(sorted(t.name for t in question.default_themes)) or None


def delete_question(question: Question) -> None:
    _require_draft(question.domain.version)
    db.session.delete(question)
    db.session.commit()


def delete_domain(domain: Domain) -> None:
    _require_draft(domain.version)
    db.session.delete(domain)
    db.session.commit()


def publish(version: ToolVersion) -> None:
    _require_draft(version)
    if not version.domains or not all(d.questions for d in version.domains):
        raise VersionLocked("Add at least one question to every domain before publishing")
    version.status = VersionStatus.PUBLISHED.value
    version.published_at = utcnow()
    db.session.commit()


def retire(version: ToolVersion) -> None:
    """A retired version takes no new programmes; audits already on it keep it."""
    if version.status != VersionStatus.PUBLISHED:
        raise VersionLocked("Only a published version can be retired")
    version.status = VersionStatus.RETIRED.value
    version.retired_at = utcnow()
    db.session.commit()


VERSION_RECORD_LABELS = {"tool_version": "Version", "domain": "Domain", "question": "Question"}


def version_history(version: ToolVersion) -> list[HistoryRow]:
    """Every recorded change to the version, its domains and its questions (default themes too),
    newest first, each named in words: 'Question “Is the child seen alone?”: default themes'."""
    domain_ids = select(Domain.id).where(Domain.version_id == version.id)
    question_ids = select(Question.id).where(Question.domain_id.in_(domain_ids))
    names = {("domain", d.id): d.title for d in version.domains}
    names |= {("question", q.id): q.text for d in version.domains for q in d.questions}

    def describe(change: ChangeLog) -> str:
        label = VERSION_RECORD_LABELS.get(change.record_type, change.record_type)
        name = names.get((change.record_type, change.record_id))
        if name:
            label = f"{label} “{name if len(name) <= 80 else name[:79] + '…'}”"
        return f"{label}: {field_words(change)}"

    return record_history(
        [("tool_version", version.id), ("domain", domain_ids), ("question", question_ids)], describe
    )


def draft_of(tool: AuditTool) -> ToolVersion | None:
    return next((v for v in tool.versions if v.status == VersionStatus.DRAFT), None)


def new_draft(version: ToolVersion) -> ToolVersion:
    """A new draft version of the same tool, copied from `version` (only one draft at a time)."""
    existing = draft_of(version.tool)
    if existing is not None:
        return existing
    number = (db.session.scalar(select(func.max(ToolVersion.number)).where(ToolVersion.tool_id == version.tool_id)) or 0) + 1
    draft = ToolVersion(tool=version.tool, number=number, status=VersionStatus.DRAFT.value)
    db.session.add(draft)
    _fill(draft, export_version(version)["domains"])
    db.session.commit()
    return draft


# --- Export and import ---------------------------------------------------------------------


def export_version(version: ToolVersion) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "tool": version.tool.name,
        "description": version.tool.description,
        "domains": [
            {
                "key": d.key,
                "title": d.title,
                "description": d.description,
                "questions": [
                    {
                        "key": q.key,
                        "text": q.text,
                        "guidance": q.guidance,
                        "response_type": q.response_type,
                        "allow_not_applicable": q.allow_not_applicable,
                        "required": q.required,
                        "evidence_required": q.evidence_required,
                        "default_themes": [t.name for t in q.default_themes],
                    }
                    for q in d.questions
                ],
            }
            for d in version.domains
        ],
    }


def export_json(version: ToolVersion) -> str:
    return json.dumps(export_version(version), indent=2, ensure_ascii=False)


def _fill(version: ToolVersion, domains: list[dict]) -> None:
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    questions = []
    for dpos, d in enumerate(domains):
        domain = Domain(version=version, position=dpos, key=d["key"], title=d["title"], description=d.get("description"))
        db.session.add(domain)
        for qpos, q in enumerate(d["questions"]):
            question = Question(
                domain=domain,
                position=qpos,
                key=q["key"],
                text=q["text"],
                guidance=q.get("guidance"),
                response_type=q["response_type"],
                allow_not_applicable=bool(q.get("allow_not_applicable")),
                required=bool(q.get("required", True)),
                evidence_required=bool(q.get("evidence_required")),
            )
            for name in dict.fromkeys(q.get("default_themes", [])):  # each theme once
                if name not in themes:
                    themes[name] = Theme(name=name)
                    db.session.add(themes[name])
                question.default_themes.append(themes[name])
            db.session.add(question)
            questions.append(question)
    db.session.flush()
    for question in questions:  # the columns of new questions are logged on flush; their themes here
        log_change(db.session, question, "default_themes", None, theme_names(question))


# The shape of an exported file: each field's type and longest length (the columns' and the forms' limits).
TOOL_FIELDS = {"tool": (str, 160, True), "description": (str, 2000, False)}
DOMAIN_FIELDS = {"key": (str, 60, True), "title": (str, 160, True), "description": (str, 2000, False)}
QUESTION_FIELDS = {
    "key": (str, 60, True),
    "text": (str, 500, True),
    "guidance": (str, 4000, False),
    "response_type": (str, 12, True),
    "allow_not_applicable": (bool, None, False),
    "required": (bool, None, False),
    "evidence_required": (bool, None, False),
}
MAX_DOMAINS, MAX_QUESTIONS, MAX_THEMES, THEME_NAME_LENGTH = 50, 100, 30, 120
MAX_PROBLEMS = 10
TYPE_WORDS = {str: "text", bool: "true or false"}


def _field_problems(where: str, record: dict, fields: dict) -> list[str]:
    problems = []
    for name, (kind, longest, needed) in fields.items():
        value = record.get(name)
        if value is None or (kind is str and isinstance(value, str) and not value.strip()):
            if needed:
                problems.append(f"{where} has no {name}")
        elif not isinstance(value, kind):
            problems.append(f"{where}: {name} must be {TYPE_WORDS[kind]}")
        elif longest and len(value) > longest:
            problems.append(f"{where}: {name} must be {longest} characters or fewer")
    return problems


def _question_problems(where: str, q, keys: set) -> list[str]:
    if not isinstance(q, dict):
        return [f"{where} must be a question with a key and a text"]
    problems = _field_problems(where, q, QUESTION_FIELDS)
    if isinstance(q.get("key"), str):
        if q["key"] in keys:
            problems.append(f"{where}: its key appears twice in the domain")
        keys.add(q["key"])
    if isinstance(q.get("response_type"), str) and q["response_type"] not in {r.value for r in ResponseType}:
        problems.append(f"{where}: the response type must be grade, yes_no or text")
    themes = q.get("default_themes", [])
    if not isinstance(themes, list) or not all(isinstance(t, str) and t.strip() for t in themes):
        problems.append(f"{where}: default_themes must be a list of theme names")
    elif len(themes) > MAX_THEMES or any(len(t) > THEME_NAME_LENGTH for t in themes):
        problems.append(f"{where}: at most {MAX_THEMES} default themes, each {THEME_NAME_LENGTH} characters or fewer")
    return problems


def _check(data) -> list[str]:
    """Everything wrong with the structure of an imported file: types and lengths of every field,
    checked before any of it is used."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        return [f"The file is not an audit tool exported from this service (format {EXPORT_FORMAT})"]
    problems = _field_problems("The file", data, TOOL_FIELDS)
    domains = data.get("domains")
    if not isinstance(domains, list) or not domains:
        return problems + ["The file has no domains"]
    if len(domains) > MAX_DOMAINS:
        return problems + [f"The file has more than {MAX_DOMAINS} domains"]
    domain_keys = set()
    for i, d in enumerate(domains, 1):
        if not isinstance(d, dict):
            problems.append(f"Domain {i} must be a domain with a key, a title and questions")
            continue
        problems += _field_problems(f"Domain {i}", d, DOMAIN_FIELDS)
        if isinstance(d.get("key"), str):
            if d["key"] in domain_keys:
                problems.append(f"Domain {i}: its key appears twice in the file")
            domain_keys.add(d["key"])
        questions = d.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.append(f"Domain {i} has no questions")
            continue
        if len(questions) > MAX_QUESTIONS:
            problems.append(f"Domain {i} has more than {MAX_QUESTIONS} questions")
            continue
        question_keys = set()
        for j, q in enumerate(questions, 1):
            problems += _question_problems(f"Domain {i}, question {j}", q, question_keys)
    if len(problems) > MAX_PROBLEMS:
        problems = problems[:MAX_PROBLEMS] + [f"and {len(problems) - MAX_PROBLEMS} more problems"]
    return problems


def import_json(raw: bytes | str) -> ToolVersion:
    """A new draft version from an exported file: of the tool with the same name, or a new tool."""
    try:
        data = json.loads(raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw)
    except ValueError:  # not UTF-8, not JSON, or a number too long to read
        raise ImportProblem("The file must be a JSON file exported from an audit tool") from None
    except RecursionError:
        raise ImportProblem("The file is nested too deeply to be an audit tool exported from this service") from None
    problems = _check(data)
    if problems:
        raise ImportProblem("; ".join(problems))
    name = data["tool"].strip()
    tool = db.session.scalar(select(AuditTool).where(AuditTool.name == name))
    if tool is None:
        tool = AuditTool(name=name, description=data.get("description"))
        db.session.add(tool)
        number = 1
    else:
        if draft_of(tool) is not None:
            raise ImportProblem(f"{name} already has a draft version: publish or change that draft first")
        number = max(v.number for v in tool.versions) + 1 if tool.versions else 1
    version = ToolVersion(tool=tool, number=number, status=VersionStatus.DRAFT.value)
    db.session.add(version)
    _fill(version, data["domains"])
    db.session.commit()
    return version


# --- The seeded tool -----------------------------------------------------------------------


def seed_tool() -> ToolVersion:
    """The published case file audit tool from the seeds (idempotent)."""
    from .demo import SEEDED_TOOL

    tool = db.session.scalar(select(AuditTool).where(AuditTool.name == SEEDED_TOOL["name"]))
    if tool is not None and tool.versions:
        published = [v for v in tool.versions if v.status == VersionStatus.PUBLISHED]
        return published[-1] if published else tool.versions[-1]
    data = {
        "domains": [
            {
                "key": key,
                "title": title,
                "description": description,
                "questions": [
                    {"key": qk, "text": text, "response_type": rt, "guidance": guidance, "allow_not_applicable": na,
                     "evidence_required": ev, "required": True, "default_themes": themes}
                    for qk, text, rt, guidance, na, ev, themes in questions
                ],
            }
            for key, title, description, questions in SEEDED_TOOL["domains"]
        ]
    }
    tool = tool or AuditTool(name=SEEDED_TOOL["name"], description=SEEDED_TOOL["description"])
    version = ToolVersion(tool=tool, number=1, status=VersionStatus.DRAFT.value)
    db.session.add_all([tool, version])
    _fill(version, data["domains"])
    db.session.flush()
    version.status = VersionStatus.PUBLISHED.value
    version.published_at = utcnow()
    db.session.commit()
    return version
