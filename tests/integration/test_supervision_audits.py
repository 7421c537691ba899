"""Supervision audits: a tool whose subject is a supervisor-supervisee pair and a period of supervision
records, not a case. The pair page's validation, the same form, submission and moderation as case audits,
and figures kept apart from case audits'. SQLite and PostgreSQL."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from audit_app.audits import services as audits
from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, ToolSubject
from audit_app.permissions import Role
from audit_app.reaudits.services import needs_reaudit
from audit_app.reporting import queries
from audit_app.reporting.filters import Filters
from tests.conftest import get, post, sign_in_as
from tests.factories import AuditProgrammeFactory, published_tool, submitted_audit, user_with

KEYS = ("management_oversight", "reflective_discussion")
Q4 = "2021-Q4"
OCTOBER = datetime(2021, 10, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def tool(app):
    version = published_tool(KEYS)
    version.tool.subject = ToolSubject.SUPERVISION.value
    db.session.commit()
    return version


@pytest.fixture
def people(app):
    return {
        "supervisor": user_with(Role.TEAM_MANAGER, display_name="Taylor Supervisor"),
        "supervisee": user_with(Role.PRACTITIONER, display_name="Sam Supervisee", worker_ref="SW9001"),
        "auditor": user_with(Role.AUDITOR, display_name="Alex Auditor"),
        "qa": user_with(Role.QA_LEAD),
        "manager": user_with(Role.SENIOR_MANAGER, Role.AUDITOR),  # may supervise and may audit
    }


@pytest.fixture
def programme(tool):
    return AuditProgrammeFactory(tool_version=tool, name="Supervision audit Q4")


def pair_of(people, **changes) -> dict:
    return {
        "supervisor_id": people["supervisor"].id,
        "supervisee_id": people["supervisee"].id,
        "supervision_from": date(2021, 7, 1),
        "supervision_to": date(2021, 9, 30),
        **changes,
    }


def supervision_audit(tool, people, grades, **kwargs) -> CaseAudit:
    return submitted_audit(tool, grades, case=None, auditor=people["auditor"], **pair_of(people), **kwargs)


def pair_form(people, token="pair-token-number-one", **changes) -> dict:
    data = {
        "form_token": token,
        "supervisor_id": str(people["supervisor"].id),
        "supervisee_id": str(people["supervisee"].id),
        "supervision_from": ["1", "7", "2021"],  # day, month and year boxes
        "supervision_to": ["30", "9", "2021"],
        "auditor_id": str(people["auditor"].id),
    }
    return data | changes


# --- The model ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"supervisor_id": None},  # no case and no supervisor: no subject at all
        {"supervisee_id": "supervisor"},  # the same person both sides
        {"supervision_from": date(2021, 10, 1)},  # a period that runs backwards
    ],
)
def test_the_database_refuses_a_supervision_audit_without_a_whole_subject(tool, people, changes):
    pair = pair_of(people)
    for name, value in changes.items():
        pair[name] = pair["supervisor_id"] if value == "supervisor" else value
    db.session.add(CaseAudit(tool_version_id=tool.id, auditor_id=people["auditor"].id, **pair))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_supervision_audit_is_of_the_pair_and_period(tool, people):
    audit = supervision_audit(tool, people, {"management_oversight": 2})
    assert audit.is_supervision and audit.case is None
    assert audit.subject_label == "supervision of Sam Supervisee by Taylor Supervisor"
    assert audit.subject_detail == "Supervision records from 1 July 2021 to 30 September 2021"


# --- Adding pairs to a programme ----------------------------------------------------------------


def test_a_qa_lead_adds_a_pair_once_however_often_the_form_is_posted(client, programme, people):
    sign_in_as(client, people["qa"])
    page = get(client, "programmes.programme", programme_id=programme.id)
    assert "Add a supervision pair" in page.text and "Draw a sample" not in page.text
    assert get(client, "programmes.add_pair", programme_id=programme.id).status_code == 200

    for _ in range(2):  # a double tap
        response = post(client, "programmes.add_pair", programme_id=programme.id, data=pair_form(people))
        assert response.status_code == 302
    audits_made = db.session.scalars(select(CaseAudit).where(CaseAudit.programme_id == programme.id)).all()
    assert len(audits_made) == 1
    audit = audits_made[0]
    assert (audit.supervisor_id, audit.supervisee_id, audit.auditor_id, audit.case_id) == (
        people["supervisor"].id,
        people["supervisee"].id,
        people["auditor"].id,
        None,
    )
    assert (audit.supervision_from, audit.supervision_to, audit.due_date) == (
        date(2021, 7, 1),
        date(2021, 9, 30),
        programme.due_date,
    )
    listed = get(client, "programmes.programme", programme_id=programme.id).text
    assert "supervision of Sam Supervisee by Taylor Supervisor" in listed and "Supervision pair" in listed

    # The same pair and period from a new form is refused, with the reason.
    again = post(
        client, "programmes.add_pair", programme_id=programme.id, data=pair_form(people, token="pair-token-number-two")
    )
    assert again.status_code == 400 and "already in the programme for this period" in again.text


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"supervisor_id": "0"}, "Select the supervisor"),
        ({"supervisee_id": ""}, "Select the supervisee"),
        ({"supervisee_id": "supervisor"}, "The supervisee must be someone other than the supervisor"),
        ({"supervision_to": ["30", "6", "2021"]}, "The end of the supervision period must be on or after its start"),
        ({"supervision_from": ["", "7", "2021"]}, "the start of the supervision period must include a day"),
        ({"auditor_id": "supervisee"}, "Not a valid choice"),  # a practitioner does not audit
        (
            {"supervisor_id": "manager", "auditor_id": "manager"},
            "The auditor must be someone other than the supervisor and the supervisee",
        ),
        ({"supervisor_id": "99999999"}, "Not a valid choice"),
    ],
)
def test_a_pair_is_checked_on_the_server_and_what_was_typed_is_kept(client, programme, people, changes, message):
    sign_in_as(client, people["qa"])
    data = pair_form(people)
    for name, value in changes.items():
        data[name] = str(people[value].id) if isinstance(value, str) and value in people else value
    response = post(client, "programmes.add_pair", programme_id=programme.id, data=data)
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert message.lower() in response.text.lower()
    assert 'value="2021"' in response.text  # the period typed is still there
    assert db.session.scalar(select(func.count(CaseAudit.id))) == 0


def test_a_case_programme_takes_no_pairs_and_a_supervision_programme_no_cases(client, people, programme):
    case_programme = AuditProgrammeFactory(tool_version=published_tool(KEYS))
    sign_in_as(client, people["qa"])
    response = post(client, "programmes.add_pair", programme_id=case_programme.id, data=pair_form(people))
    assert response.status_code == 302
    assert get(client, "programmes.sample", programme_id=programme.id).status_code == 302
    assert db.session.scalar(select(func.count(CaseAudit.id))) == 0


# --- The same form, submission and moderation ----------------------------------------------------


@pytest.fixture
def open_audit(tool, people, programme):
    audit = CaseAudit(
        tool_version_id=tool.id,
        programme_id=programme.id,
        auditor_id=people["auditor"].id,
        status=AuditStatus.NOT_STARTED.value,
        due_date=date(2021, 11, 15),
        **pair_of(people),
    )
    db.session.add(audit)
    db.session.commit()
    return audit


def test_the_form_asks_nothing_about_a_child_family_or_allocated_worker(client, open_audit, people):
    sign_in_as(client, people["auditor"])
    keys = [p.key for p in audits.pages(open_audit)]
    assert keys == [*KEYS, "overall"]  # no family-voice page
    task_list = get(client, "audits.task_list", audit_id=open_audit.id)
    assert "Supervision records from 1 July 2021 to 30 September 2021" in task_list.text
    assert get(client, "audits.page", audit_id=open_audit.id, page_key="family-voice").status_code == 404
    overall = get(client, "audits.page", audit_id=open_audit.id, page_key="overall").text
    assert 'name="overall_grade"' in overall
    assert 'name="audited_alongside_worker"' not in overall and 'name="child_not_safe"' not in overall


def test_a_supervision_audit_is_saved_submitted_and_moderated_like_a_case_audit(client, open_audit, people):
    sign_in_as(client, people["auditor"])
    for key, question in zip(KEYS, [d.questions[0] for d in open_audit.tool_version.domains]):
        data = {"version": str(open_audit.version), f"q{question.id}-grade": "2", "action": "continue"}
        assert post(client, "audits.page", audit_id=open_audit.id, page_key=key, data=data).status_code == 302
        db.session.refresh(open_audit)
    data = {"version": str(open_audit.version), "overall_grade": "2", "strengths": "Regular, reflective"}
    assert post(client, "audits.page", audit_id=open_audit.id, page_key="overall", data=data).status_code == 302
    db.session.refresh(open_audit)
    assert audits.validate(open_audit) == []  # nothing about the worker or the family is asked for

    check = get(client, "audits.check", audit_id=open_audit.id).text
    assert "Regular, reflective" in check and "Done alongside the worker" not in check
    response = post(client, "audits.submit", audit_id=open_audit.id, data={"version": open_audit.version})
    assert response.status_code == 302
    db.session.refresh(open_audit)
    assert open_audit.status == AuditStatus.SUBMITTED
    assert not audits.is_shared_with(open_audit, people["supervisee"])  # no allocated-worker sharing

    sign_in_as(client, people["qa"])
    queue = get(client, "moderation.index").text
    assert "supervision of Sam Supervisee by Taylor Supervisor" in queue
    page = get(client, "moderation.moderate", audit_id=open_audit.id)
    assert page.status_code == 200 and "Supervision records" in page.text
    form = {f"grade_{j.id}": str(j.grade) for j in open_audit.judgements}
    form |= {f"rationale_{j.id}": "" for j in open_audit.judgements}
    form |= {"overall_grade": "2", "overall_rationale": ""}
    assert post(client, "moderation.moderate", audit_id=open_audit.id, data=form).status_code == 302
    db.session.refresh(open_audit)
    assert open_audit.status == AuditStatus.MODERATED
    assert get(client, "audits.view", audit_id=open_audit.id).status_code == 200


def test_an_inadequate_supervision_audit_schedules_no_re_audit_of_a_case(tool, people):
    audit = supervision_audit(tool, people, {"management_oversight": 4}, overall=4)
    assert not needs_reaudit(audit)


# --- Figures kept apart ---------------------------------------------------------------------------


@pytest.fixture
def both_kinds(tool, people):
    """A case audit and a supervision audit in the same quarter, with a domain key in common."""
    case_tool = published_tool(KEYS)
    case_audit = submitted_audit(case_tool, {"management_oversight": 4}, overall=4, submitted_at=OCTOBER)
    supervision = supervision_audit(
        tool, people, {"management_oversight": 1, "reflective_discussion": 2}, overall=2, submitted_at=OCTOBER
    )
    return case_audit, supervision


def spread(subject=None) -> dict:
    rows = queries.domain_spread(Filters(period=Q4, subject=subject))
    return {r.key: {g: n for g, n in r.counts.items() if n} for r in rows}


def test_case_and_supervision_figures_are_never_mixed(both_kinds):
    assert spread() == {"management_oversight": {4: 1}}
    assert spread("supervision") == {"management_oversight": {1: 1}, "reflective_discussion": {2: 1}}


def test_the_summary_shows_each_kind_with_its_own_figures(client, both_kinds, people):
    sign_in_as(client, people["qa"])
    cases = get(client, "themes.summary", period=Q4).text
    assert "Grades by domain (audits)" in cases and "see the figures of supervision audits" in cases
    supervision = get(client, "themes.summary", period=Q4, subject="supervision").text
    assert "Grades by domain (supervision audits)" in supervision
    assert "Reflective discussion" in supervision and "Reflective discussion" not in cases

    drill = get(client, "themes.evidence", period=Q4, subject="supervision", domain="management_oversight").text
    assert "Supervision audit" in drill and both_kinds[0].case.case_reference not in drill
    export = get(client, "themes.export", period=Q4, subject="supervision", table="judgements", fmt="csv")
    assert export.status_code == 200 and "Supervision audit" in export.get_data(as_text=True)


def test_the_inspection_pack_labels_supervision_audits(client, both_kinds, people):
    sign_in_as(client, people["qa"])
    response = get(client, "inspection.download", fmt="xlsx", period=Q4)
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    cells = [
        str(c.value) for ws in load_workbook(BytesIO(response.data)).worksheets for row in ws.iter_rows() for c in row
    ]
    assert any(re.match(r"Supervision audits: Reflective discussion", c) for c in cells)
    assert not any(c == "Reflective discussion" for c in cells)


# --- Tools --------------------------------------------------------------------------------------


def test_a_tool_is_created_for_supervision_records_and_keeps_it_through_export(client, people):
    sign_in_as(client, user_with(Role.QA_LEAD, Role.ADMIN))
    data = {"form_token": "tool-token-number-one", "name": "Supervision audit 2022", "subject": "supervision"}
    assert post(client, "tools.new_tool", data=data).status_code == 302
    from audit_app.models import AuditTool
    from audit_app.tools.services.transfer import export_version

    tool = db.session.scalar(select(AuditTool).where(AuditTool.name == "Supervision audit 2022"))
    assert tool.is_supervision
    exported = export_version(tool.versions[0])
    assert exported["subject"] == "supervision"

    import json

    from audit_app.tools.services.transfer import ImportProblem, import_json

    exported["domains"] = [
        {
            "key": "reflective",
            "title": "Reflective",
            "questions": [{"key": "q", "text": "Is it?", "response_type": "grade"}],
        }
    ]
    copy = import_json(json.dumps(exported | {"tool": "Supervision audit copy"}))
    assert copy.tool.is_supervision
    with pytest.raises(ImportProblem, match="subject must be case or supervision"):
        import_json(json.dumps(exported | {"tool": "Another copy", "subject": "children"}))


def test_cases_stay_eligible_for_samples_and_assignment_beside_supervision_audits(tool, people, programme):
    from audit_app.programmes import samples
    from audit_app.programmes import services as programmes
    from tests.factories import CaseFactory

    supervision_audit(tool, people, {"management_oversight": 2}, programme=programme)
    case = CaseFactory()
    case_programme = AuditProgrammeFactory(tool_version=published_tool(KEYS))
    assert [c.id for c in samples.eligible_cases(case_programme, date(2021, 1, 1))] == [case.id]
    assert programmes.filter_cases(case_programme)[1] == 1
