"""Malformed imports: an audit tool JSON of the wrong shape, and case, assignment and indicator CSVs
with huge values, another encoding, binary content or missing columns. Each says what is wrong in the
page's error summary and imports nothing; never a 500. Runs on SQLite and PostgreSQL."""

import io
import json

import pytest
from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import AuditTool, Case, CaseAudit, Domain, IndicatorValue, Question, Theme
from audit_app.permissions import Role
from audit_app.tools import services as tools
from audit_app.tools.services import seed_tool
from tests.conftest import path_for, sign_in_as, text_of_html
from tests.factories import AuditProgrammeFactory, CaseFactory, IndicatorFactory, PlanFactory, TeamFactory, user_with


def summary_of(response) -> str:
    """The error summary at the top of the page, as read."""
    html = response.get_data(as_text=True)
    assert 'class="govuk-error-summary"' in html, "no error summary"
    return text_of_html(html.split('class="govuk-error-summary"')[1].split("</ul>")[0])


def upload(client, url, content: bytes, filename):
    return client.post(url, data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


# --- Audit tool JSON -------------------------------------------------------------------------


def tool_file(**changes) -> dict:
    question = {
        "key": "q1",
        "text": "Is the child seen?",
        "guidance": "Seen alone",
        "response_type": "grade",
        "allow_not_applicable": False,
        "required": True,
        "evidence_required": False,
        "default_themes": ["Voice of the child"],
    }
    domain = {"key": "visits", "title": "Visits", "description": None, "questions": [question]}
    data = {
        "format": "case-audit-tool/1",
        "tool": "Shared tool",
        "description": "From another authority",
        "domains": [domain],
    }
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return data


BAD_TOOLS = [
    (tool_file(tool=12345), "tool must be text"),
    (tool_file(tool="T" * 161), "tool must be 160 characters or fewer"),
    (tool_file(description=["a list"]), "description must be text"),
    (tool_file(domains={"visits": {}}), "The file has no domains"),
    (tool_file(domains=["visits"]), "Domain 1 must be a domain with a key, a title and questions"),
    (tool_file(domains__0__key={"a": 1}), "Domain 1: key must be text"),
    (tool_file(domains__0__key="k" * 61), "Domain 1: key must be 60 characters or fewer"),
    (tool_file(domains__0__title="T" * 161), "Domain 1: title must be 160 characters or fewer"),
    (tool_file(domains__0__questions="q1"), "Domain 1 has no questions"),
    (tool_file(domains__0__questions__0__key=["q1"]), "Domain 1, question 1: key must be text"),
    (tool_file(domains__0__questions__0__key="k" * 61), "Domain 1, question 1: key must be 60 characters or fewer"),
    (tool_file(domains__0__questions__0__text="Q" * 501), "Domain 1, question 1: text must be 500 characters or fewer"),
    (
        tool_file(domains__0__questions__0__response_type={"grade": 1}),
        "Domain 1, question 1: response_type must be text",
    ),
    (tool_file(domains__0__questions__0__required="no"), "Domain 1, question 1: required must be true or false"),
    (
        tool_file(domains__0__questions__0__default_themes=[{"name": "Voice"}]),
        "Domain 1, question 1: default_themes must be a list of theme names",
    ),
    (
        tool_file(domains__0__questions__0__default_themes=["V" * 121]),
        "Domain 1, question 1: at most 30 default themes, each 120 characters or fewer",
    ),
]


@pytest.mark.parametrize("data, message", BAD_TOOLS, ids=[m for _, m in BAD_TOOLS])
def test_a_tool_file_of_the_wrong_shape_is_refused_with_the_reason(qa_client, data, message):
    response = upload(qa_client, path_for("tools.import_tool"), json.dumps(data).encode(), "tool.json")
    assert response.status_code == 200
    summary = summary_of(response)
    assert "The file was not imported" in summary and message in summary
    assert db.session.scalar(select(func.count(AuditTool.id))) == 0
    assert db.session.scalar(select(func.count(Domain.id))) == 0


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nested deeper than Python recurses
        b'{"format": "case-audit-tool/1", "tool": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"format": "case-audit-tool/1", "tool": ' + b"9" * 5000 + b"}",  # a number too long to read
        "{}".encode("utf-16"),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    ],
    ids=["deep", "deep-inside", "long-number", "utf-16", "binary"],
)
def test_a_file_that_is_not_a_tool_at_all_is_refused_with_the_reason(qa_client, content):
    response = upload(qa_client, path_for("tools.import_tool"), content, "tool.json")
    assert response.status_code == 200
    summary = summary_of(response)
    assert "The file was not imported" in summary
    assert "must be a JSON file exported from an audit tool" in summary or "nested too deeply" in summary
    assert db.session.scalar(select(func.count(AuditTool.id))) == 0


def test_a_theme_named_twice_on_a_question_is_linked_once(qa_client):
    data = tool_file(domains__0__questions__0__default_themes=["Voice of the child", "Voice of the child"])
    response = upload(qa_client, path_for("tools.import_tool"), json.dumps(data).encode(), "tool.json")
    assert response.status_code == 302
    question = db.session.scalar(select(Question))
    assert [t.name for t in question.default_themes] == ["Voice of the child"]
    assert db.session.scalar(select(func.count(Theme.id))) == 1


def test_a_good_file_still_imports(qa_client):
    response = upload(qa_client, path_for("tools.import_tool"), json.dumps(tool_file()).encode(), "tool.json")
    assert response.status_code == 302
    version = db.session.scalar(select(AuditTool)).versions[0]
    assert tools.export_version(version)["domains"] == tool_file()["domains"]


# --- CSV imports -----------------------------------------------------------------------------

HUGE = "x" * 200_000
LONG = "x" * 1_001
TOO_LONG_MESSAGE = "must be 1,000 characters or fewer"
UNREADABLE = "The row could not be read: a value may be longer than 1,000 characters"
NOT_UTF8 = "The file must be a CSV saved as UTF-8"


def csv_import(url, header, good, row_with, column, model):
    """One import for the malformed-CSV test: its URL, a good file, a row to break, the column its errors
    name, and how many records of `model` there are."""
    return url, header, good, row_with, column, lambda: db.session.scalar(select(func.count(model.id)))


def _cases(client):
    sign_in_as(client, user_with(Role.ADMIN))
    TeamFactory(name="MASH", locality__name="North")
    header = "case_reference,case_type,locality,team\n"
    good = "CMS100001,CIN,North,MASH\n"
    return csv_import(path_for("admin.import_cases"), header, good, "CMS100002,CIN,North,{}\n", "team", Case)


def _assignments(client):
    sign_in_as(client, user_with(Role.QA_LEAD))
    programme = AuditProgrammeFactory(tool_version=seed_tool())
    user_with(Role.AUDITOR, email="alex@example.org")
    CaseFactory(case_reference="CMS100001")
    header = "case_reference,auditor_email,due_date\n"
    good = "CMS100001,alex@example.org,20/11/2021\n"
    return csv_import(
        path_for("programmes.import_assignments", programme_id=programme.id),
        header,
        good,
        "CMS100001,{},\n",
        "auditor_email",
        CaseAudit,
    )


def _indicators(client):
    sign_in_as(client, user_with(Role.QA_LEAD))
    IndicatorFactory(plan=PlanFactory(), name="Average caseloads")
    header = "indicator,month,value\n"
    good = "Average caseloads,2021-11,18\n"
    return csv_import(
        path_for("plan.import_indicators"), header, good, "Average caseloads,2021-12,{}\n", "value", IndicatorValue
    )


IMPORTS = {"cases": _cases, "assignments": _assignments, "indicators": _indicators}


@pytest.mark.parametrize("name", IMPORTS)
def test_a_malformed_csv_is_refused_with_the_row_and_reason(app, client, name):
    url, header, good, row_with, column, count = IMPORTS[name](client)
    files = [
        ((header + good + row_with.format(HUGE)).encode(), f"Row 3: {UNREADABLE}"),
        (
            (header + row_with.format(LONG) + good).encode(),
            f"Row 2: The value in the {column} column {TOO_LONG_MESSAGE}",
        ),
        ((header + good).encode("utf-16"), f"Row 1: {NOT_UTF8}"),
        ((header + good).encode("cp1252") + "£".encode("cp1252"), f"Row 1: {NOT_UTF8}"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), f"Row 1: {NOT_UTF8}"),
        ((header + good.replace(",", ",\x00", 1)).encode(), f"Row 1: {NOT_UTF8}"),
        (("a" + HUGE + "\n" + good).encode(), f"Row 1: {UNREADABLE}"),
        (("case_reference\n" + good).encode(), "Row 1: The header row is missing"),
        (b"", "Row 1: The file is empty"),
    ]
    for content, message in files:
        response = upload(client, url, content, "import.csv")
        assert response.status_code == 200, (message, response.status_code)
        summary = summary_of(response)
        assert "The file was not imported" in summary and message in summary, (message, summary[:500])
        assert len(response.get_data()) < 100_000  # the huge value is not echoed back
        assert count() == 0
    response = upload(client, url, (header + good).encode(), "import.csv")
    assert response.status_code == 302 and count() == 1
