"""The OpenAPI 3.1 description of /api/v1/: every operation, parameter, response and the bearer scheme.
Schemathesis tests the API against it (tests/integration/test_api_schema.py), so it cannot drift."""

from flask import url_for

from ..models.audits import PROGRAMME_KIND_LABELS
from ..models.cases import CASE_TYPE_LABELS
from ..reporting.filters import GRADE_VIEWS, SOURCES
from .params import DEFAULT_LIMIT, MAX_LIMIT
from .tokens import SCOPES

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_INTEGER = {"type": ["integer", "null"]}
GRADE = {"type": ["integer", "null"], "minimum": 1, "maximum": 4}
ID = {"type": "string", "pattern": "^[1-9][0-9]{0,8}$"}
# Years 2000 to 2100, as reporting/filters.py reads them; a range's first month must come before its last.
YEAR = "(20[0-9]{2}|2100)"
MONTH = YEAR + "-(0[1-9]|1[0-2])"
PERIOD_PATTERN = f"^({YEAR}|{YEAR}-Q[1-4]|{MONTH}|{MONTH}[.][.]{MONTH})$"
MONTH_SCHEMA = {"type": "string", "pattern": f"^{MONTH}$"}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PAGING = [
    _query(
        "limit",
        f"Rows per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    ),
    _query(
        "cursor",
        "Where the page starts: copy it from the previous page's `next` link.",
        {"type": "string", "maxLength": 200},
    ),
]
PERIOD = "A quarter (2021-Q4), a month (2021-10), a year (2021) or a range of months (2021-03..2021-08)."
FILTERS = [
    _query(
        "period",
        PERIOD + " Default: the quarter of the latest audit or observation.",
        {"type": "string", "pattern": PERIOD_PATTERN},
    ),
    _query("period_from", "First month of a range (with period_to), like 2021-03.", MONTH_SCHEMA),
    _query("period_to", "Last month of a range (with period_from), like 2021-08.", MONTH_SCHEMA),
    _query("locality", "Locality id.", ID),
    _query("service", "Service id.", ID),
    _query("team", "Team id.", ID),
    _query("case_type", "Case type.", {"type": "string", "enum": list(CASE_TYPE_LABELS)}),
    _query("programme", "Audit programme id (audits only).", ID),
    _query(
        "programme_kind",
        "Kind of audit programme (audits only); re-audit also takes every re-audit of an earlier audit.",
        {"type": "string", "enum": list(PROGRAMME_KIND_LABELS)},
    ),
    _query("practice_week", "Practice week id.", ID),
    _query(
        "subject",
        "supervision: supervision audits only (never counted with case audits); left out: case audits.",
        {"type": "string", "enum": ["supervision"]},
    ),
    _query("source", "Audits, observations or both (default).", {"type": "string", "enum": list(SOURCES)}),
    _query(
        "grades",
        "Moderated grades where moderated (default), or the auditors' original grades.",
        {"type": "string", "enum": list(GRADE_VIEWS)},
    ),
]
JUDGEMENT_FILTERS = [
    *FILTERS,
    _query("tool", "Audit tool id (audits only).", ID),
    _query(
        "domain", "Domain key (audits) or lens key (observations).", {"type": "string", "minLength": 1, "maxLength": 60}
    ),
]
PERIOD_SCHEMA = {
    "type": "object",
    "required": ["key", "start", "end"],
    "properties": {
        "key": {"type": "string"},
        "start": {"type": "string", "format": "date", "description": "First day, included."},
        "end": {"type": "string", "format": "date", "description": "First day after the period."},
    },
}
NEXT = {"type": ["string", "null"], "description": "The next page's address; null on the last page."}


def _object(properties: dict, description: str = "") -> dict:
    schema = {"type": "object", "required": list(properties), "properties": properties}
    return schema | ({"description": description} if description else {})


JUDGEMENT = _object(
    {
        "source": {"type": "string", "enum": ["audit", "observation"]},
        "id": {"type": "integer", "description": "The judgement's id within its source."},
        "record_id": {"type": "integer", "description": "The audit's or observation's id."},
        "case_reference": {**NULLABLE_STRING, "description": "null for a supervision audit, which has no case."},
        "subject": {"type": "string", "enum": ["case", "supervision"], "description": "What the audit looked at."},
        "date": {"type": "string", "format": "date"},
        "domain": {"type": "string"},
        "domain_label": {"type": "string"},
        "question": {"type": "string"},
        "team": NULLABLE_STRING,
        "original_grade": GRADE,
        "grade": GRADE,
        "grade_label": {"type": "string"},
        "themes": {"type": "string", "description": "Theme names, separated by '; '."},
    },
    "A judgement: grades are 1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate, null not applicable.",
)
THEME = _object(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "active": {"type": "boolean"},
        **{name: {"type": "integer"} for name in ("audits", "observations", "total")},
        **{name: {"type": "integer"} for name in ("previous_audits", "previous_observations", "previous_total")},
        "change": {"type": "integer"},
    }
)
RAG = {"type": "string", "enum": ["green", "amber", "red", "complete"]}
ACTION = _object(
    {
        "id": {"type": "integer"},
        "plan_id": {"type": "integer"},
        "priority_number": {"type": "integer"},
        "outcome_id": NULLABLE_INTEGER,
        "description": {"type": "string"},
        "status": {"type": "string", "enum": ["Open", "Complete"]},
        "rag": RAG,
        "effective_rag": RAG,
        "started_on": {"type": "string", "format": "date"},
        "due_date": {"type": "string", "format": "date"},
        "completed_on": {"type": ["string", "null"], "format": "date"},
        "rag_history": {
            "type": "array",
            "items": _object({"month": {"type": "string"}, "rag": {"type": ["string", "null"]}}),
        },
    }
)
INDICATOR = _object(
    {
        "id": {"type": "integer"},
        "plan_id": {"type": "integer"},
        "area": {"type": "string"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "polarity": {"type": "string", "enum": ["higher", "lower", "neutral"]},
        "england_average": NULLABLE_STRING,
        "good_la_comparator": NULLABLE_STRING,
        "values": {
            "type": "array",
            "items": _object(
                {"month": {"type": "string"}, "value": {"type": ["number", "null"]}, "note": NULLABLE_STRING}
            ),
        },
    }
)
PROBLEM = {
    "type": "object",
    "required": ["title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
}


def _problem(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _list(item: str, **extra) -> dict:
    properties = {"data": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}, **extra, "next": NEXT}
    return {"type": "object", "required": list(properties), "properties": properties}


def _operation(operation_id: str, summary: str, scope: str, parameters: list, body: dict) -> dict:
    responses = {
        "200": {"description": "A page of rows.", "content": {"application/json": {"schema": body}}},
        "401": _problem("No token, or one that is unknown, expired or revoked."),
        "403": _problem(f"The token's scope does not include '{scope}'."),
    }
    if parameters:
        responses["400"] = _problem("A parameter that does not parse, or a cursor this API did not give out.")
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": f"Needs a token with the '{scope}' scope.",
            "parameters": parameters,
            "responses": responses,
        }
    }


PERIOD_REF = {"$ref": "#/components/schemas/Period"}
PATHS = {
    "/judgements": _operation(
        "listJudgements",
        "Judgements by domain, with the theme summary's filters",
        "judgements",
        JUDGEMENT_FILTERS + PAGING,
        _list("Judgement", period=PERIOD_REF),
    ),
    "/themes": _operation(
        "listThemeCounts",
        "How often each theme was raised in the period and the one before",
        "themes",
        FILTERS,
        _list(
            "ThemeCount",
            period=PERIOD_REF,
            previous_period=PERIOD_REF,
        ),
    ),
    "/actions": _operation(
        "listActions", "Improvement plan actions with their RAG by month", "plan", PAGING, _list("Action")
    ),
    "/indicators": _operation(
        "listIndicators",
        "Performance indicators with every month's value",
        "indicators",
        PAGING,
        _list("Indicator"),
    ),
}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Practice quality reporting API",
            "version": "1",
            "description": "Read-only data for reporting tools. Children appear only as case references; no person's name is given. Scopes: "
            + "; ".join(f"{k}: {v}" for k, v in SCOPES.items()),
        },
        "servers": [{"url": url_for("api.judgements", _external=True).rsplit("/", 1)[0]}],
        "security": [{"bearerToken": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token made by an administrator.",
                }
            },
            "schemas": {
                "Judgement": JUDGEMENT,
                "ThemeCount": THEME,
                "Action": ACTION,
                "Indicator": INDICATOR,
                "Period": PERIOD_SCHEMA,
                "Problem": PROBLEM,
            },
        },
    }
