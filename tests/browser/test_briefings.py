"""Learning briefings on a tablet (768x1024): a QA lead publishes one, the social worker sees it on their home
page and acknowledges it, and the QA lead sees the count; every form also works with JavaScript off."""

import re

from tests.browser.conftest import assert_accessible, assert_touch_targets, sign_in

TEAM = "North Children & Families 1"  # the demo social worker's team


def write_and_publish(page, title):
    """As a signed-in QA lead: write a briefing (refused once for a case reference), save it, publish it."""
    page.goto("/briefings/")
    assert_accessible(page, "briefings list")
    page.get_by_role("button", name="Write a briefing").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Key findings").fill("Seen on CMS104233: plans did not say what would change.")
    page.get_by_label("What good looks like").fill("Every plan says what will change, by when.")
    assert_accessible(page, "write a briefing")
    assert_touch_targets(page, "write a briefing")
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator(".govuk-error-summary")
    assert "must not hold a case reference: remove CMS104233" in summary.inner_text()
    assert page.get_by_label("What good looks like").input_value() == "Every plan says what will change, by when."
    assert_accessible(page, "a briefing refused for a case reference")
    page.get_by_label("Key findings").fill("Plans did not always say what would change for the child.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("heading", name=title).wait_for()
    assert_accessible(page, "a draft briefing")
    page.get_by_role("button", name="Publish").click()
    page.get_by_label(TEAM, exact=True).check()
    assert_accessible(page, "publish a briefing")
    assert_touch_targets(page, "publish a briefing")
    page.get_by_role("button", name="Publish briefing").click()
    page.get_by_role("heading", name="Who has read it").wait_for()


def team_counts(page) -> list[str]:
    row = page.locator("#readers tr", has=page.get_by_role("rowheader", name=TEAM, exact=True))
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def test_a_qa_lead_publishes_the_worker_acknowledges_it_and_the_qa_lead_sees_the_count(page, page_without_js):
    title = "Seeing children alone, and saying so"
    sign_in(page, "qa@example.org")
    write_and_publish(page, title)
    read, acknowledged = team_counts(page)
    audience = int(re.match(r"0 of (\d+)", read).group(1))
    assert audience >= 2 and acknowledged == f"0 of {audience}"
    assert page.locator("#waiting").get_by_text("Sam Social Worker").is_visible()
    assert_accessible(page, "who has read it")

    worker = page_without_js
    sign_in(worker, "worker@example.org")
    panel = worker.locator(".govuk-table", has=worker.get_by_role("link", name=title))
    assert panel.locator("tr", has=worker.get_by_role("link", name=title)).get_by_text("New").is_visible()
    assert_accessible(worker, "the worker's home page with a briefing")
    worker.get_by_role("link", name=title).click()
    worker.get_by_role("button", name="I have read this and will use it in my practice").click()
    assert worker.get_by_text("You acknowledged this briefing on").is_visible()
    assert_accessible(worker, "an acknowledged briefing")
    assert_touch_targets(worker, "an acknowledged briefing")

    page.reload()
    assert team_counts(page) == [f"1 of {audience}", f"1 of {audience}"]
    assert not page.locator("#waiting").get_by_text("Sam Social Worker").count()


def test_writing_and_publishing_work_without_javascript(page_without_js):
    page = page_without_js
    sign_in(page, "qa@example.org")
    write_and_publish(page, "Fathers in assessments")
    assert team_counts(page)[1].startswith("0 of")
    page.get_by_role("link", name="Back to the briefing").click()
    history = page.locator("#history ~ table")
    assert "audience" in history.inner_text() and TEAM in history.inner_text()
