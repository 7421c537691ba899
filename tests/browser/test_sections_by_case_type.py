"""Sections by case type on a tablet (768x1024): a care leaver's audit shows the sections for care
leavers and not the others, axe-core clean; a section marked not applicable without JavaScript."""

from sqlalchemy import select

from audit_app.audits.demo_sections import TOOL_NAME
from audit_app.extensions import db
from audit_app.models import AuditStatus, AuditTool, CaseAudit, ToolVersion
from tests.browser.conftest import assert_accessible, open_as, sign_in


def care_leaver_audit(live_app) -> tuple[int, str]:
    """The demo's not-started care-leaver audit of the care leavers tool: its id and case reference."""
    with live_app.app_context():
        audit = db.session.scalars(
            select(CaseAudit)
            .join(ToolVersion, ToolVersion.id == CaseAudit.tool_version_id)
            .join(AuditTool, AuditTool.id == ToolVersion.tool_id)
            .where(AuditTool.name == TOOL_NAME, CaseAudit.status == AuditStatus.NOT_STARTED.value)
        ).first()
        result = audit.id, audit.case.case_reference
        db.session.remove()
    return result


def test_a_care_leavers_audit_shows_its_sections_and_not_the_others(page, live_app):
    audit_id, reference = care_leaver_audit(live_app)
    open_as(page, "auditor@example.org", "audits.task_list", audit_id=audit_id)
    assert page.get_by_role("heading", level=1).inner_text() == f"Audit of {reference}"
    tasks = page.locator(".app-task-list")
    assert tasks.get_by_role("link", name="Pathway planning").is_visible()
    assert tasks.get_by_role("link", name="Relationships and the young person's voice").is_visible()
    assert tasks.get_by_text("Placement stability").count() == 0
    assert_accessible(page, "care leaver's task list")
    tasks.get_by_role("link", name="Relationships and the young person's voice").click()
    assert page.get_by_role("heading", name="Does the worker know the young person well?").is_visible()
    assert page.get_by_text("Is the care plan reviewed on time").count() == 0  # for children in care only
    assert_accessible(page, "care leaver's first section")


def test_a_section_is_marked_not_applicable_without_javascript(page_without_js, live_app):
    page = page_without_js
    audit_id, _ = care_leaver_audit(live_app)
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key="pathway_planning")
    page.get_by_text("This section does not apply to this case").click()
    page.get_by_role("button", name="Mark this section not applicable").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter why this section does not apply to this case").is_visible()
    assert_accessible(page, "reason missing")
    page.get_by_label("Why does this section not apply to this case?").fill("Moved to adult services last month.")
    page.get_by_role("button", name="Mark this section not applicable").click()
    assert page.get_by_text("Reason: Moved to adult services last month.").is_visible()
    assert page.get_by_text("Is there an up-to-date pathway plan?").count() == 0
    assert_accessible(page, "section marked not applicable")
    page.goto(f"/audits/{audit_id}")
    assert page.locator(".app-task-list").get_by_text("Not applicable").is_visible()
    page.goto(f"/audits/{audit_id}/domains/pathway_planning")
    page.get_by_role("button", name="This section applies after all").click()
    assert page.get_by_text("Is there an up-to-date pathway plan?").is_visible()


def test_qa_lead_opens_the_good_practice_list_by_theme(page):
    sign_in(page, "qa@example.org")
    page.goto("/themes/")
    page.get_by_role("link", name="Good practice to share").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Good practice to share"
    assert page.get_by_label("Theme").is_visible()
    assert_accessible(page, "good practice list")
