"""A re-audit on a tablet (768x1024): due soon, it is in the auditor's list, and its form shows the previous
audit's grade and evidence beside each question."""

from datetime import timedelta

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, User
from audit_app.models.grades import GRADE_LABELS
from audit_app.reaudits import services
from tests.browser.conftest import assert_accessible, assert_touch_targets, goto, open_as


def due_reaudit(live_app, email):
    """The person's demo re-audit that is due now: its id, case, the previous audit's date and, for the first
    domain, its key and each question's previous grade."""
    with live_app.app_context():
        reaudit = db.session.scalar(
            select(CaseAudit)
            .join(User, CaseAudit.auditor_id == User.id)
            .where(
                User.email == email,
                CaseAudit.reaudit_of_id.is_not(None),
                CaseAudit.status != AuditStatus.SUBMITTED.value,
                CaseAudit.due_date <= services.today() + timedelta(days=14),
            )
            .order_by(CaseAudit.due_date)
            .limit(1)
        )
        previous = services.previous_audit(reaudit)
        domain = reaudit.tool_version.domains[0]
        grades = [previous.answer_for(domain.key, q).answer for q in domain.questions]
        result = (reaudit.id, reaudit.case.case_reference, f"{previous.on:%-d %B %Y}", domain.key, grades)
        db.session.remove()
    return result


def test_a_due_reaudit_is_in_the_auditors_list_with_the_previous_grades_beside_each_question(page, live_app):
    audit_id, reference, on, key, grades = due_reaudit(live_app, "auditor@example.org")
    assert any(grade in GRADE_LABELS.values() for grade in grades)
    open_as(page, "auditor@example.org", "audits.my_audits")
    row = page.locator("tr", has=page.get_by_role("link", name=reference, exact=True))
    assert row.get_by_text("Re-audit").is_visible()
    assert_accessible(page, "my audits with a re-audit")

    goto(page, "audits.page", audit_id=audit_id, page_key=key)
    previous = page.locator(".app-previous")
    assert previous.count() == len(grades)
    for index, grade in enumerate(grades):
        beside = previous.nth(index)
        assert beside.get_by_text(f"Previous audit, {on}").is_visible()
        assert beside.get_by_text(grade, exact=True).is_visible()
    assert_accessible(page, "re-audit form")
    assert_touch_targets(page, "re-audit form")

    goto(page, "audits.check", audit_id=audit_id)
    assert page.get_by_text(f"Previous audit, {on}").count() >= len(grades)
    assert_accessible(page, "re-audit check your answers")


def test_a_qa_lead_sees_scheduled_reaudits_and_can_change_the_auditor(page):
    open_as(page, "qa@example.org", "programmes.index")
    table = page.locator("#re-audits")
    assert table.get_by_text("Re-audits scheduled").is_visible()
    assert_accessible(page, "programmes with scheduled re-audits")
    assert_touch_targets(page, "programmes with scheduled re-audits")
    table.get_by_role("link", name="Change").first.click()  # other tests may have scheduled more
    page.get_by_role("heading", name="Change the auditor").wait_for()
    page.get_by_role("button", name="Save auditor").click()
    page.get_by_text("is now").wait_for()
    assert_accessible(page, "programme after changing the auditor")
