"""Actions for the child on a tablet (768x1024): the team manager adds two on a shared audit, one of them with
JavaScript off, and marks one done; the QA lead sees them by theme. axe-core on every new page."""

from datetime import date, timedelta

from sqlalchemy import select

from audit_app.demo import DEMO_WORKER_REF
from audit_app.extensions import db
from audit_app.models import Case, CaseAudit
from tests.browser.conftest import assert_accessible, assert_touch_targets, sign_in

DUE = date.today() + timedelta(days=30)


def worker_audit(live_app) -> tuple[int, str]:
    """The demo worker's most recent submitted audit: its id and case reference."""
    with live_app.app_context():
        audit = db.session.scalar(
            select(CaseAudit)
            .join(Case, Case.id == CaseAudit.case_id)
            .where(Case.allocated_worker_ref == DEMO_WORKER_REF, CaseAudit.submitted_at.is_not(None))
            .order_by(CaseAudit.submitted_at.desc(), CaseAudit.id.desc())
            .limit(1)
        )
        result = audit.id, audit.case.case_reference
        db.session.remove()
    return result


def fill_action(page, description: str, person: str | None = None, outside: str | None = None) -> None:
    page.get_by_label("What will be done for the child").fill(description)
    if person:
        page.get_by_label("By whom, in the team").select_option(label=person)
    if outside:
        page.get_by_label("Or someone outside the team").fill(outside)
    page.get_by_label("Day").fill(str(DUE.day))
    page.get_by_label("Month").fill(str(DUE.month))
    page.get_by_label("Year").fill(str(DUE.year))
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Add action").click()


def test_the_team_manager_adds_two_actions_for_the_child_and_completes_one(page, page_without_js, live_app):
    audit_id, reference = worker_audit(live_app)
    sign_in(page, "teammanager@example.org")
    assert page.get_by_role("heading", name="Overdue actions for children").is_visible()
    assert_accessible(page, "team manager's home with overdue actions for children")

    page.goto(f"/audits/{audit_id}")
    page.get_by_role("link", name="Add an action for the child").click()
    page.get_by_role("heading", name="Add an action for the child").wait_for()
    assert_accessible(page, "add an action for the child")
    assert_touch_targets(page, "add an action for the child")
    page.get_by_role("button", name="Add action").click()
    page.locator(".govuk-error-summary").get_by_text("Enter what will be done for the child").wait_for()
    assert_accessible(page, "add an action for the child, with errors")
    fill_action(page, "Visit the child at school to hear their views.", person="Sam Social Worker")
    page.get_by_text("Action for the child added.").wait_for()

    # The second one with JavaScript off: the form posts and the page comes back with the action.
    sign_in(page_without_js, "teammanager@example.org")
    page_without_js.goto(f"/child-actions/audits/{audit_id}/new")
    fill_action(page_without_js, "Ask the IRO to review the care plan.", outside="IRO")
    page_without_js.get_by_text("Action for the child added.").wait_for()
    actions = page_without_js.locator(".app-child-actions")
    assert actions.get_by_text("Ask the IRO to review the care plan.").is_visible()
    assert actions.get_by_text("Visit the child at school to hear their views.").is_visible()

    page.goto(f"/audits/{audit_id}")
    page.get_by_role("link", name="Visit the child at school to hear their views.").click()
    page.get_by_role("heading", name="Action for the child").wait_for()
    assert_accessible(page, "an action for the child")
    page.get_by_role("link", name="Mark as done").click()
    page.get_by_role("heading", name="Mark the action as done").wait_for()
    assert_accessible(page, "mark an action for the child as done")
    assert_touch_targets(page, "mark an action for the child as done")
    page.get_by_label("What was done").fill("Visited at school; the child's views are in the plan.")
    page.get_by_role("button", name="Mark as done").click()
    page.get_by_text("Action for the child marked as done.").wait_for()
    row = page.locator(".app-child-actions tr", has=page.get_by_text("Visit the child at school"))
    assert row.get_by_text("Done", exact=True).is_visible()
    other = page.locator(".app-child-actions tr", has=page.get_by_text("Ask the IRO to review"))
    assert other.get_by_text("Open", exact=True).is_visible()
    assert reference in page.get_by_role("heading", level=1).inner_text()


def test_the_qa_lead_sees_actions_for_children_by_theme(page):
    sign_in(page, "qa@example.org")
    page.get_by_role("link", name="Actions for children by theme").click()
    page.get_by_role("heading", name="Actions for children by theme").wait_for()
    assert page.locator(".app-child-actions-by-theme tbody tr").count() >= 1
    assert_accessible(page, "actions for children by theme")
    assert_touch_targets(page, "actions for children by theme")
