"""Audit programmes: create, assign by filter and in bulk, import from CSV (all or nothing)."""

import io
from datetime import date

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import AuditProgramme, CaseAudit, CaseType
from audit_app.permissions import Role
from audit_app.tools.services import seed_tool
from tests.conftest import date_boxes, get, post, sign_in_as, url
from tests.factories import AuditProgrammeFactory, CaseFactory, user_with


def programme_form(version, name: str, period: tuple[date, date], due: date, **fields) -> dict:
    """The new-programme form as posted, its dates in their boxes; `fields` adds or replaces any other."""
    start, end = period
    boxes = {"period_start": date_boxes(start), "period_end": date_boxes(end), "due_date": date_boxes(due)}
    return {"name": name, "focus": "", "tool_version_id": version.id, **boxes, **fields}


def test_a_qa_lead_creates_a_programme_on_a_published_tool(qa_client):
    version = seed_tool()
    october = (date(2021, 10, 1), date(2021, 10, 31))
    data = programme_form(
        version, "October 2021 monthly audit", october, date(2021, 11, 15), kind="thematic", focus="Front Door"
    )
    response = post(qa_client, "programmes.new", data=data)
    programme = db.session.scalar(select(AuditProgramme))
    assert response.headers["Location"] == url(qa_client, "programmes.programme", programme_id=programme.id)
    assert (programme.focus, programme.due_date) == ("Front Door", date(2021, 11, 15))
    assert programme.kind == "thematic"
    assert "Thematic (deep dive)" in get(qa_client, "programmes.index").get_data(as_text=True)
    AuditProgrammeFactory(name="Dip sample March", tool_version=version)
    thematic = get(qa_client, "programmes.index", kind="thematic").get_data(as_text=True)
    assert "October 2021 monthly audit" in thematic and "Dip sample March" not in thematic
    assert "Dip sample March" in get(qa_client, "programmes.index", kind="bogus").get_data(as_text=True)


def test_programme_form_errors_keep_what_was_typed(qa_client):
    seed_tool()
    response = post(
        qa_client,
        "programmes.new",
        data={
            "name": "Keep this name",
            "period_start": ["1", "10", "2021"],
            "period_end": ["1", "9", "2021"],
            "due_date": ["", "", ""],
            "tool_version_id": "0",
        },
    )
    html = response.get_data(as_text=True)
    assert "The end of the period must be on or after its start" in html
    assert "Select a published audit tool" in html
    assert 'value="Keep this name"' in html
    assert db.session.scalar(select(func.count(AuditProgramme.id))) == 0


def test_filter_the_cases_and_assign_them_in_bulk(qa_client):
    programme = AuditProgrammeFactory(tool_version=seed_tool())
    auditor = user_with(Role.AUDITOR, display_name="Alex Auditor")
    cp = [CaseFactory(case_type=CaseType.CP.value) for _ in range(3)]
    CaseFactory(case_type=CaseType.CIN.value)
    page = get(qa_client, "programmes.programme", programme_id=programme.id, case_type="cp").get_data(as_text=True)
    assert "3 cases match" in page
    ids = [str(c.id) for c in cp[:2]]
    chosen = {"case_ids": ids, "auditor_id": auditor.id}
    response = post(qa_client, "programmes.programme", data=chosen, programme_id=programme.id, case_type="cp")
    assert response.status_code == 302
    again = post(qa_client, "programmes.programme", data=chosen, programme_id=programme.id)  # a double tap
    assert again.status_code == 302
    audits = db.session.scalars(select(CaseAudit).order_by(CaseAudit.case_id)).all()
    assert [a.case_id for a in audits] == [c.id for c in cp[:2]]
    assert {a.due_date for a in audits} == {programme.due_date} and {a.auditor_id for a in audits} == {auditor.id}
    filtered = get(qa_client, "programmes.programme", programme_id=programme.id, case_type="cp")
    assert "1 case matches" in filtered.get_data(as_text=True)

    sign_in_as(qa_client, auditor)
    mine = get(qa_client, "audits.my_audits").get_data(as_text=True)
    assert "To do (2)" in mine and cp[0].case_reference in mine and "15 November 2021" in mine


def test_assigning_needs_cases_and_an_auditor(qa_client):
    programme = AuditProgrammeFactory(tool_version=seed_tool())
    CaseFactory()
    response = post(qa_client, "programmes.programme", data={}, programme_id=programme.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Select at least one case to assign" in html and "Select an auditor" in html


def upload(client, programme, text):
    return post(
        client,
        "programmes.import_assignments",
        data={"file": (io.BytesIO(text.encode()), "cases.csv")},
        content_type="multipart/form-data",
        programme_id=programme.id,
    )


def test_csv_import_with_any_error_imports_nothing_and_lists_errors_by_row(qa_client):
    programme = AuditProgrammeFactory(tool_version=seed_tool())
    auditor = user_with(Role.AUDITOR, email="alex@example.org")
    user_with(Role.ADMIN, email="ash@example.org")
    case = CaseFactory(case_reference="CMS200001")
    CaseFactory(case_reference="CMS200002")
    text = (
        "case_reference,auditor_email,due_date\n"
        "CMS200001,alex@example.org,20/11/2021\n"
        "CMS999999,alex@example.org,\n"
        "CMS200002,ash@example.org,\n"
        "CMS200001,alex@example.org,31/02/2021\n"
        ",nobody@example.org,\n"
    )
    html = upload(qa_client, programme, text).get_data(as_text=True)
    assert "Row 3: There is no case with the reference CMS999999" in html
    assert "Row 4: ash@example.org is not an auditor" in html
    assert "Row 5: CMS200001 appears more than once in the file" in html
    assert "Row 5: The due date 31/02/2021 must be a date like 15/11/2021" in html
    assert "Row 6: Enter a case reference" in html
    assert "Row 6: There is no user with the email address nobody@example.org" in html
    assert db.session.scalar(select(func.count(CaseAudit.id))) == 0

    response = upload(
        qa_client, programme, "case_reference,auditor_email,due_date\ncms200001,ALEX@example.org,20/11/2021\n"
    )
    assert response.status_code == 302
    audit = db.session.scalar(select(CaseAudit))
    assert (audit.case_id, audit.auditor_id, audit.due_date) == (case.id, auditor.id, date(2021, 11, 20))
    # The same file again: already in the programme.
    assert "CMS200001 is already in this programme" in upload(
        qa_client, programme, "case_reference,auditor_email\nCMS200001,alex@example.org\n"
    ).get_data(as_text=True)
