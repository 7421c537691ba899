"""Sections by case type: a care leaver's audit asks only what applies to care leavers, validation and
every figure count only that, and an auditor can mark a section not applicable with a reason.
Runs on SQLite and PostgreSQL."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from audit_app.audits import services
from audit_app.extensions import db
from audit_app.models import ChangeLog, SectionNotApplicable
from audit_app.permissions import Role
from audit_app.reporting import queries
from audit_app.reporting.filters import Filters
from tests.conftest import get, post, sign_in_as
from tests.factories import (
    AuditProgrammeFactory,
    CaseAuditFactory,
    CaseFactory,
    DomainFactory,
    JudgementFactory,
    QuestionFactory,
    ToolVersionFactory,
    submitted_audit,
    user_with,
)


@pytest.fixture
def tool(app):
    """Assessment (every case, with one question for children in care only), Pathway planning (care
    leavers only) and Placement stability (children in care only)."""
    version = ToolVersionFactory()
    assessment = DomainFactory(version=version, position=0, key="assessment", title="Assessment")
    QuestionFactory(domain=assessment, position=0, key="assessment_grade", text="How good is the assessment?")
    QuestionFactory(
        domain=assessment,
        position=1,
        key="care_plan",
        text="Is the care plan up to date?",
        case_types=",child_in_care,",
    )
    pathway = DomainFactory(
        version=version, position=1, key="pathway_planning", title="Pathway planning", case_types=",care_leaver,"
    )
    QuestionFactory(domain=pathway, position=0, key="pathway_grade", text="How good is the pathway plan?")
    placement = DomainFactory(
        version=version, position=2, key="placement", title="Placement stability", case_types=",child_in_care,"
    )
    QuestionFactory(domain=placement, position=0, key="placement_grade", text="How stable is the placement?")
    db.session.refresh(version)
    return version


def audit_of(tool, case_type, **kwargs):
    return CaseAuditFactory(tool_version=tool, case=CaseFactory(case_type=case_type), **kwargs)


def question(tool, key):
    return next(q for d in tool.domains for q in d.questions if q.key == key)


def test_a_care_leavers_audit_shows_only_the_sections_for_care_leavers(client, tool):
    audit = audit_of(tool, "care_leaver")
    sign_in_as(client, audit.auditor)
    task_list = get(client, "audits.task_list", audit_id=audit.id).get_data(as_text=True)
    assert "Assessment" in task_list and "Pathway planning" in task_list
    assert "Placement stability" not in task_list
    page = get(client, "audits.page", audit_id=audit.id, page_key="assessment").get_data(as_text=True)
    assert "How good is the assessment?" in page
    assert "Is the care plan up to date?" not in page  # a child-in-care question
    assert get(client, "audits.page", audit_id=audit.id, page_key="placement").status_code == 404
    in_care = audit_of(tool, "child_in_care")
    assert [p.key for p in services.pages(in_care)] == ["assessment", "placement", "family-voice", "overall"]


def test_validation_asks_only_for_what_applies(tool):
    audit = audit_of(tool, "care_leaver")
    asked = {p.field for p in services.validate(audit, include_follow_up=False)}
    assert f"q{question(tool, 'pathway_grade').id}-grade" in asked
    assert f"q{question(tool, 'placement_grade').id}-grade" not in asked
    assert f"q{question(tool, 'care_plan').id}-grade" not in asked


def test_answers_to_what_does_not_apply_are_not_saved(client, tool):
    audit = audit_of(tool, "care_leaver")
    sign_in_as(client, audit.auditor)
    assessment, care_plan = question(tool, "assessment_grade"), question(tool, "care_plan")
    data = {"version": audit.version, f"q{assessment.id}-grade": "2", f"q{care_plan.id}-grade": "4"}
    post(client, "audits.page", audit_id=audit.id, page_key="assessment", data=data)
    db.session.refresh(audit)
    assert {j.question.key: j.grade for j in audit.judgements} == {"assessment_grade": 2}


def test_figures_count_only_the_questions_that_apply_to_each_case(tool):
    leaver = submitted_audit(tool, {}, case=CaseFactory(case_type="care_leaver"))
    in_care = submitted_audit(tool, {}, case=CaseFactory(case_type="child_in_care"))
    for audit, key, grade in [
        (leaver, "assessment_grade", 2),
        (leaver, "pathway_grade", 1),
        (leaver, "placement_grade", 4),  # not asked of a care leaver: never counted
        (leaver, "care_plan", 4),  # likewise
        (in_care, "assessment_grade", 3),
        (in_care, "care_plan", 3),
        (in_care, "placement_grade", 2),
        (in_care, "pathway_grade", 4),  # not asked of a child in care
    ]:
        JudgementFactory(audit=audit, question=question(tool, key), grade=grade)
    rows = {r.key: r for r in queries.domain_spread(Filters(period="2021-Q4", grades="original"))}
    assert rows["assessment"].total == 3  # two from the child in care, one from the care leaver
    assert rows["pathway_planning"].total == 1
    assert rows["placement"].total == 1
    assert set(rows) == {"assessment", "pathway_planning", "placement"}


def test_drill_downs_and_the_export_list_only_the_judgements_that_count(client, tool):
    leaver = submitted_audit(tool, {}, case=CaseFactory(case_type="care_leaver", case_reference="CL0001"))
    in_care = submitted_audit(tool, {}, case=CaseFactory(case_type="child_in_care", case_reference="CC0001"))
    marked = submitted_audit(tool, {}, case=CaseFactory(case_type="child_in_care", case_reference="CC0002"))
    for audit, key in [
        (leaver, "assessment_grade"),
        (leaver, "placement_grade"),  # not asked of a care leaver
        (in_care, "care_plan"),
        (in_care, "placement_grade"),
        (in_care, "pathway_grade"),  # not asked of a child in care
        (marked, "placement_grade"),  # in a section its auditor marked not applicable
        (marked, "assessment_grade"),
    ]:
        JudgementFactory(audit=audit, question=question(tool, key), grade=3)
    db.session.add(SectionNotApplicable(audit_id=marked.id, domain_key="placement", reason="Placement ended."))
    db.session.commit()
    sign_in_as(client, user_with(Role.QA_LEAD))

    text = get(client, "themes.export", table="judgements", fmt="csv", period="2021-Q4").get_data(as_text=True)
    exported = sorted((r[1], r[5]) for r in csv.reader(io.StringIO(text)) if r and r[0] == "Audit")
    assert exported == [
        ("CC0001", "How stable is the placement?"),
        ("CC0001", "Is the care plan up to date?"),
        ("CC0002", "How good is the assessment?"),
        ("CL0001", "How good is the assessment?"),
    ]
    placement = get(client, "themes.evidence", period="2021-Q4", domain="placement", grade="3").get_data(as_text=True)
    assert "1 judgement from audits" in placement
    assert "CC0001" in placement and "CL0001" not in placement and "CC0002" not in placement
    # In one programme the total is counted from the raw rows (the rollups hold no programme), the same way.
    leaver.programme = in_care.programme = marked.programme = AuditProgrammeFactory(tool_version=tool)
    db.session.commit()
    by_programme = get(
        client, "themes.evidence", period="2021-Q4", programme=leaver.programme_id, domain="placement"
    ).get_data(as_text=True)
    assert "1 judgement from audits" in by_programme and "CC0001" in by_programme


def test_a_section_marked_not_applicable_with_a_reason(client, tool):
    audit = audit_of(tool, "care_leaver")
    sign_in_as(client, audit.auditor)
    pathway = question(tool, "pathway_grade")
    post(
        client,
        "audits.page",
        audit_id=audit.id,
        page_key="pathway_planning",
        data={"version": audit.version, f"q{pathway.id}-grade": "4", f"q{pathway.id}-evidence": "No plan."},
    )

    refused = post(
        client, "audits.section_applies", audit_id=audit.id, page_key="pathway_planning", data={"reason": " "}
    )
    assert refused.status_code == 400
    assert "Enter why this section does not apply to this case" in refused.get_data(as_text=True)
    too_long = "Ended. " * 285 + "x" * 6  # 2,001 characters: refused, shown again as typed
    refused = post(
        client, "audits.section_applies", audit_id=audit.id, page_key="pathway_planning", data={"reason": too_long}
    )
    assert refused.status_code == 400
    assert "The reason must be 2,000 characters or fewer" in refused.text and too_long in refused.text
    assert db.session.scalar(select(SectionNotApplicable)) is None

    reason = "Turned 21 last month; the pathway plan has ended."
    response = post(
        client, "audits.section_applies", audit_id=audit.id, page_key="pathway_planning", data={"reason": reason}
    )
    assert response.status_code == 302
    again = post(
        client, "audits.section_applies", audit_id=audit.id, page_key="pathway_planning", data={"reason": reason}
    )
    assert again.status_code == 302  # a second tap: still one record
    assert len(db.session.scalars(select(SectionNotApplicable)).all()) == 1
    page = get(client, "audits.page", audit_id=audit.id, page_key="pathway_planning").get_data(as_text=True)
    assert reason in page and "How good is the pathway plan?" not in page
    db.session.expire_all()
    assert {p.key: p.status for p in services.pages(audit)}["pathway_planning"] == "not_applicable"
    assert not [p for p in services.validate(audit, include_follow_up=False) if p.page == "pathway_planning"]
    logged = db.session.scalars(select(ChangeLog).where(ChangeLog.record_type == "section_not_applicable")).all()
    assert {(c.field, c.new_value) for c in logged} >= {("reason", reason), ("domain_key", "pathway_planning")}
    assert all(c.user_id == audit.auditor_id for c in logged)
    check = get(client, "audits.check", audit_id=audit.id).get_data(as_text=True)
    assert f"Not applicable to this case: {reason}" in check

    # Submitted, the answer given before the section was marked does not count anywhere.
    assert [j.grade for j in audit.judgements] == [4]
    audit.status, audit.submitted_at = "submitted", datetime(2021, 10, 20, tzinfo=UTC)
    db.session.commit()
    rows = {r.key: r for r in queries.domain_spread(Filters(period="2021-Q4", grades="original"))}
    assert "pathway_planning" not in rows


def test_a_section_that_applies_after_all_asks_its_questions_again(client, tool):
    audit = audit_of(tool, "care_leaver")
    sign_in_as(client, audit.auditor)
    post(client, "audits.section_applies", audit_id=audit.id, page_key="pathway_planning", data={"reason": "Ended."})
    post(client, "audits.section_applies", audit_id=audit.id, page_key="pathway_planning", data={"applies": "yes"})
    db.session.expire_all()
    assert audit.sections_not_applicable == []
    page = get(client, "audits.page", audit_id=audit.id, page_key="pathway_planning").get_data(as_text=True)
    assert "How good is the pathway plan?" in page
    deleted = db.session.scalar(
        select(ChangeLog).where(ChangeLog.record_type == "section_not_applicable", ChangeLog.field == "deleted")
    )
    assert deleted is not None


def test_only_the_audits_own_auditor_marks_a_section(client, tool):
    audit = audit_of(tool, "care_leaver")
    sign_in_as(client, user_with(Role.AUDITOR))
    response = post(
        client, "audits.section_applies", audit_id=audit.id, page_key="pathway_planning", data={"reason": "x"}
    )
    assert response.status_code in (403, 404)
    assert db.session.scalar(select(SectionNotApplicable)) is None
