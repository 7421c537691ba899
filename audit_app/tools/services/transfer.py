"""Export a tool version to JSON, import it back (every field checked first), and copy it into a new draft."""

import json

from sqlalchemy import func, select

from ...changelog import log_change
from ...extensions import db
from ...forms import too_long
from ...models import AuditTool, CaseType, Domain, Question, ResponseType, Theme, ToolVersion, VersionStatus
from ...models.tools import ToolSubject
from .versions import draft_of, theme_names

EXPORT_FORMAT = "case-audit-tool/1"


class ImportProblem(Exception):
    pass


def new_draft(version: ToolVersion) -> ToolVersion:
    """A new draft version of the same tool, copied from `version` (only one draft at a time)."""
    existing = draft_of(version.tool)
    if existing is not None:
        return existing
    number = (
        db.session.scalar(select(func.max(ToolVersion.number)).where(ToolVersion.tool_id == version.tool_id)) or 0
    ) + 1
    draft = ToolVersion(tool=version.tool, number=number, status=VersionStatus.DRAFT.value)
    db.session.add(draft)
    _fill(draft, export_version(version)["domains"])
    db.session.commit()
    return draft


def export_version(version: ToolVersion) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "tool": version.tool.name,
        "description": version.tool.description,
        "subject": version.tool.subject,
        "domains": [
            {
                "key": d.key,
                "title": d.title,
                "description": d.description,
                **_case_types(d),
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
                        **_case_types(q),
                    }
                    for q in d.questions
                ],
            }
            for d in version.domains
        ],
    }


def _case_types(record) -> dict:
    """Only a domain or question for some case types says which: files for every case type stay as before."""
    return {"case_types": record.case_type_list} if record.case_types else {}


def export_json(version: ToolVersion) -> str:
    return json.dumps(export_version(version), indent=2, ensure_ascii=False)


def _fill(version: ToolVersion, domains: list[dict]) -> None:
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    questions = []
    for dpos, d in enumerate(domains):
        domain = Domain(
            version=version, position=dpos, key=d["key"], title=d["title"], description=d.get("description")
        )
        domain.case_type_list = d.get("case_types") or ()
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
            question.case_type_list = q.get("case_types") or ()
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
TOOL_FIELDS = {"tool": (str, 160, True), "description": (str, 2000, False), "subject": (str, 16, False)}
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
            problems.append(f"{where}: {too_long(name, longest)}")
    return problems


def _case_type_problems(where: str, record: dict) -> list[str]:
    """Files exported before case types were added have none: every case type."""
    case_types = record.get("case_types") or []
    known = {t.value for t in CaseType}
    if not isinstance(case_types, list) or not all(isinstance(t, str) and t in known for t in case_types):
        return [f"{where}: case_types must be a list of case types ({', '.join(sorted(known))})"]
    return []


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
    problems += _case_type_problems(where, q)
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
    if data.get("subject", "case") not in tuple(s.value for s in ToolSubject):
        problems.append("The file's subject must be case or supervision")
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
        problems += _field_problems(f"Domain {i}", d, DOMAIN_FIELDS) + _case_type_problems(f"Domain {i}", d)
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
        tool = AuditTool(name=name, description=data.get("description"), subject=data.get("subject") or "case")
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
