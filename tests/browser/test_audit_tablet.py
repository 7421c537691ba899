"""What an auditor sees on a tablet (768x1024) while filling in an audit: error links that land on the
field below the sticky status bar, what the page still needs shown beside its field, a conflict shown where
the person is typing, theme lists that fit, resuming at the next section to do, and check your answers."""
import re

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_audits import not_started_audits, wait_until_saved

# Every sticky or fixed element's box, and the field's legend (or label) and error message boxes.
FIELD_IN_VIEW_JS = """(id) => {
  const field = document.getElementById(id);
  const group = field.closest('.govuk-form-group');
  const fieldset = field.closest('fieldset');
  const legend = fieldset ? fieldset.querySelector('legend') : document.querySelector(`label[for="${id}"]`);
  const error = group.querySelector('.govuk-error-message');
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  const sticky = [...document.querySelectorAll('body *')]
    .filter((el) => ['sticky', 'fixed'].includes(getComputedStyle(el).position) && el.getBoundingClientRect().height > 0)
    .map(box);
  return {legend: box(legend), error: error && box(error), sticky, height: window.innerHeight,
          focused: document.activeElement && document.activeElement.id};
}"""


def assert_field_in_view(page, field_id, where):
    boxes = page.evaluate(FIELD_IN_VIEW_JS, field_id)
    assert boxes["error"], f"{where}: no error message by {field_id}"
    covered_to = max([s["bottom"] for s in boxes["sticky"] if s["top"] <= 0.5] + [0])
    for name in ("legend", "error"):
        box = boxes[name]
        assert box["top"] >= covered_to - 0.5 and box["bottom"] <= boxes["height"], (
            f"{where}: the {name} of {field_id} is at {box}, the sticky bar covers 0-{covered_to}px, the screen is {boxes['height']}px"
        )
    assert boxes["focused"] == field_id, f"{where}: focus is on {boxes['focused']}, not {field_id}"


def test_every_error_link_lands_with_the_question_and_its_error_in_view_below_the_sticky_bar(page, live_app):
    audit_id, reference, domains = not_started_audits(live_app, "auditor@example.org")[1]
    sign_in(page, "auditor@example.org")
    # Inadequate without evidence on the first question; everything else left unanswered.
    key, questions = domains[0]
    page.goto(f"/audits/{audit_id}/domains/{key}")
    page.locator(f'input[name="q{questions[0][0]}-grade"][value="4"]').check()
    page.locator("#autosave-status [data-autosave-hints], #autosave-status").first.wait_for()
    wait_until_saved(page)
    page.goto(f"/audits/{audit_id}/check")
    page.get_by_role("button", name="Submit audit").click()
    links = page.locator(".govuk-error-summary a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    domain_links = [h for h in hrefs if "/domains/" in h]
    assert len(domain_links) >= 10
    for href in domain_links:
        # From check your answers to the section's page: a new page, opened at the field.
        page.goto(f"/audits/{audit_id}/check")
        page.get_by_role("button", name="Submit audit").click()
        page.locator(f'.govuk-error-summary a[href="{href}"]').click()
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)
        field_id = href.split("#", 1)[1]
        assert_field_in_view(page, field_id, f"following {href}")
        if href == domain_links[0]:
            page.screenshot(path="/tmp/uia/error-link.png")
        # The section's own error summary: links within the page.
        for other in page.locator(".govuk-error-summary a").all():
            other_id = other.get_attribute("href").split("#", 1)[1]
            page.evaluate("window.scrollTo(0, 0)")
            other.click()
            page.wait_for_timeout(150)
            assert_field_in_view(page, other_id, f"{page.url}: the summary link to #{other_id}")
    assert_accessible(page, "a section opened at an error")
