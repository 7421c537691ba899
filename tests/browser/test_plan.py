"""The improvement plan on a tablet: My actions, filtering, recording progress without JavaScript,
form errors and the board report, with axe-core on each state."""

import re

from tests.browser.conftest import assert_accessible, open_as, sign_in


def test_an_owner_sees_the_overdue_action_first_and_records_progress_without_javascript(page_without_js):
    page = page_without_js
    sign_in(page, "auditor@example.org")
    panel = page.locator("section", has=page.get_by_role("heading", name="My actions"))
    first_row = panel.locator("tbody tr").first
    assert "Record the child's own words" in first_row.inner_text()
    assert "Overdue: due" in first_row.inner_text() and "Red" in first_row.inner_text()
    first_row.get_by_role("link").click()  # (axe-core needs JavaScript: the foundation test checks this page)
    assert "(entered as Green)" in page.locator(".govuk-summary-list").inner_text()
    assert page.get_by_text("The action has been completed").is_visible()  # the RAG definitions

    page.get_by_label("Amber").check()
    page.get_by_label("Progress").fill("Toolkit drafted; launch moved to the spring.")
    page.get_by_role("button", name="Save progress").click()
    assert page.get_by_text("Progress saved.").is_visible()
    summary = page.locator(".govuk-summary-list").inner_text()
    assert "Toolkit drafted; launch moved to the spring." in summary
    assert "Overdue" in summary  # still past its due date: Red whatever was entered
    assert "amber" in page.locator(".app-history").inner_text().lower()


def test_a_qa_lead_filters_actions_by_rag_with_htmx(page):
    sign_in(page, "qa@example.org")
    page.get_by_role("link", name="Improvement plan").click()
    assert_accessible(page, "plan overview")
    page.get_by_role("link", name=re.compile("All actions")).click()
    rows = page.locator("#actions-table tbody tr")
    total = rows.count()
    page.get_by_label("RAG").select_option("red")
    page.wait_for_url(re.compile(r"rag=red"))
    page.wait_for_function(f"document.querySelectorAll('#actions-table tbody tr').length < {total}")
    for row in rows.all():
        assert "Red" in row.inner_text()
    assert_accessible(page, "actions filtered to Red")


def test_a_new_action_with_errors_is_accessible_and_keeps_what_was_typed(page):
    open_as(page, "qa@example.org", "plan.new_action")
    page.get_by_label("What will be done").fill("Audit every CIN plan for the child's voice")
    page.get_by_role("button", name="Save action").click()
    assert page.get_by_role("alert").get_by_text("Select who owns the action").is_visible()
    assert page.get_by_label("What will be done").input_value() == "Audit every CIN plan for the child's voice"
    assert_accessible(page, "new action with errors")


def test_a_due_date_missing_its_month_is_explained_beside_the_boxes_and_keeps_the_day_and_year(page):
    open_as(page, "qa@example.org", "plan.new_action")
    page.get_by_label("What will be done").fill("Audit every CIN plan for the child's voice")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Year").fill("2022")
    page.get_by_role("button", name="Save action").click()
    assert page.get_by_role("alert").get_by_text("The due date must include a month").is_visible()
    assert page.locator("#due_date-month.govuk-input--error").is_visible()
    assert page.locator("#due_date-day:not(.govuk-input--error)").input_value() == "31"
    assert page.get_by_label("Year").input_value() == "2022"
    assert_accessible(page, "new action with a date missing its month")
    page.get_by_role("alert").get_by_role("link", name="The due date must include a month").click()
    assert page.evaluate("document.activeElement.id") == "due_date-month"


def test_the_board_report_is_print_ready(page):
    open_as(page, "manager@example.org", "plan.board_report", month="2020-12")
    assert page.get_by_role("heading", level=1).inner_text() == "Progress update – December 2020"
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.get_by_role("button", name="Show month").is_visible()
    assert page.get_by_role("heading", name="Key achievements this period").is_visible()
    page.emulate_media(media="screen")
    for link in page.locator("main a.govuk-link, main .govuk-button").all():
        box = link.bounding_box()
        assert box["height"] >= 44, f"{link.inner_text()} is {box['height']}px high"
