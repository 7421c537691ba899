"""Moderation on a tablet (768x1024): side by side, with and without JavaScript, and the agreement page."""

import re

import pytest

from audit_app.extensions import db
from audit_app.permissions import Role
from tests.browser.conftest import assert_accessible, goto, live_path, open_as, sign_in
from tests.factories import published_tool, submitted_audit, user_with

KEYS = ("browser_assessment", "browser_voice", "browser_oversight")


@pytest.fixture
def audits(live_app):
    """Three submitted audits by an auditor who is not one of the demo moderators."""
    with live_app.app_context():
        version = published_tool(KEYS)
        auditor = user_with(Role.AUDITOR)
        made = [submitted_audit(version, dict(zip(KEYS, (2, 3, 2))), overall=2, auditor=auditor) for _ in range(3)]
        ids = [(a.id, a.case.case_reference, auditor.display_name, auditor.id) for a in made]
        db.session.remove()
    return ids


def test_moderating_side_by_side_on_a_tablet(page, audits):
    audit_id, reference, _, _ = audits[0]
    open_as(page, "manager@example.org", "moderation.moderate", audit_id=audit_id)
    assert page.get_by_role("heading", level=1).inner_text() == f"Audit of {reference}"
    assert_accessible(page, "moderation form")

    # The auditor's evidence sits to the left of the moderator's grade, on the same row.
    evidence = page.locator(".app-moderation-row").first.locator(".app-evidence").bounding_box()
    radios = page.locator(".app-moderation-row").first.locator(".govuk-radios").bounding_box()
    assert evidence["x"] + evidence["width"] <= radios["x"]
    assert abs(evidence["y"] - radios["y"]) < 200

    # Change one grade without saying why: the error summary links to the rationale.
    page.locator(".app-moderation-row").nth(1).get_by_label("Good", exact=True).check()
    page.get_by_role("button", name="Confirm moderation").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()  # the form posts once the autosave of the change has answered
    assert "Explain why you changed the grade" in summary.inner_text()
    assert_accessible(page, "moderation form with an error")
    assert page.locator(".app-moderation-row").nth(1).get_by_label("Good", exact=True).is_checked()  # nothing lost

    page.locator(".app-moderation-row").nth(1).locator("textarea").fill("The child's wishes shaped the plan.")
    page.get_by_role("button", name="Confirm moderation").click()
    page.get_by_text("Moderation recorded: grades changed.").wait_for()
    assert page.get_by_text("The child's wishes shaped the plan.").first.is_visible()
    assert_accessible(page, "moderated audit")

    goto(page, "moderation.return_audit", audit_id=audits[0][0])  # moderated already: back to the audit
    assert page.get_by_text("This audit has already been moderated.").is_visible()
    goto(page, "moderation.return_audit", audit_id=audits[2][0])
    assert_accessible(page, "return form")


def test_moderating_and_returning_without_javascript(page_without_js, audits):
    # Without JavaScript Playwright cannot evaluate scripts (so no axe here: the same pages are
    # checked with JavaScript on) and its wait after a form post never ends, so each step waits
    # for what the person would see instead.
    page = page_without_js
    sign_in(page, "qa@example.org")
    agreed_id, _, _, _ = audits[1]
    goto(page, "moderation.moderate", audit_id=agreed_id)
    page.get_by_role("button", name="Confirm moderation").click(no_wait_after=True)
    page.get_by_text("Moderation recorded: grades agreed.").wait_for()

    returned_id, reference, auditor, _ = audits[2]
    goto(page, "moderation.return_audit", audit_id=returned_id)
    page.get_by_role("heading", name="Return the audit to the auditor").wait_for()
    page.get_by_role("button", name="Return the audit").click(no_wait_after=True)
    page.locator(".govuk-error-summary").get_by_text("Tell the auditor what to change").wait_for()
    page.get_by_label("What the auditor needs to change").fill("Add evidence for the plan.")
    page.get_by_role("button", name="Return the audit").click(no_wait_after=True)
    page.get_by_text(f"Returned the audit of {reference} to {auditor}.").wait_for()


def test_the_list_filters_with_htmx_without_reloading(page, audits):
    _, reference, auditor, auditor_id = audits[0]
    open_as(page, "manager@example.org", "moderation.index", status="all")
    assert_accessible(page, "moderation list")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Auditor").select_option(str(auditor_id))
    page.wait_for_url(re.compile(rf"auditor_id={auditor_id}"))
    page.locator("#moderation-results").get_by_text(reference).wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#moderation-results tbody tr").count() == 3


def test_taking_a_sample_and_the_agreement_page(page, audits):
    open_as(page, "qa@example.org", "moderation.new_sample")
    assert_accessible(page, "take a sample")
    page.get_by_label("Share of each auditor's submitted audits to moderate (%)").fill("100")
    page.get_by_role("button", name="Take the sample").click()
    assert page.get_by_text("Sample taken:").is_visible()
    assert page.get_by_text("Random seed").is_visible()
    assert_accessible(page, "sample")

    goto(page, "moderation.agreement")
    assert page.get_by_role("heading", level=1).inner_text() == "Agreement between auditors and moderators"
    assert page.locator("#by-domain").is_visible()
    assert_accessible(page, "agreement")


def test_the_agreement_page_shows_the_demo_figures(page):
    """The demo seeder moderated a sample of the demo audits: the page shows a kappa with its n."""
    open_as(page, "manager@example.org", "moderation.agreement")
    overall = page.locator("#overall-agreement")
    assert re.search(r"Weighted kappa\s+-?[01]\.\d\d", overall.inner_text())
    assert int(overall.locator(".app-figure__value").first.inner_text()) > 0
    assert page.locator("#changed-grades + table tbody tr").count() > 0
    page.get_by_label("Period").select_option("month")
    page.get_by_role("button", name="Show figures").click()
    assert page.locator("#by-period tbody tr").count() >= 2
    assert_accessible(page, "agreement by month")


@pytest.mark.parametrize("email", ["manager@example.org", "qa@example.org"])
def test_every_moderation_page_is_accessible(page, audits, email):
    sign_in(page, email)
    assert_accessible(page, "home with the moderation panel")
    assert page.get_by_role("heading", name="Audits awaiting moderation").is_visible()
    for url in [
        live_path("moderation.index"),
        live_path("moderation.index", status="moderated"),
        live_path("moderation.samples"),
        live_path("moderation.agreement", period="month"),
    ]:
        response = page.goto(url)
        assert response.status < 400, url
        assert_accessible(page, url)


def test_the_moderation_form_autosaves_and_a_reload_keeps_it(page, audits):
    audit_id, _, _, _ = audits[0]
    open_as(page, "manager@example.org", "moderation.moderate", audit_id=audit_id)
    row = page.locator(".app-moderation-row").nth(1)

    # Each change is its own autosave: wait for each answer, not for a "Saved at" an earlier save left.
    def saved(response):
        return response.request.method == "POST" and response.url.endswith(f"/moderation/audits/{audit_id}")

    with page.expect_response(saved):
        row.get_by_label("Inadequate", exact=True).check()
    with page.expect_response(saved):
        row.locator("textarea").fill("No direct work with the child since March.")
    status = page.locator("#autosave-status")
    status.get_by_text("Saved at").wait_for()
    assert_accessible(page, "moderation form, saved")

    page.reload()
    row = page.locator(".app-moderation-row").nth(1)
    assert row.locator("textarea").input_value() == "No direct work with the child since March."
    assert row.get_by_label("Inadequate", exact=True).is_checked()

    # A second tab still holding the page as it was before: its save is refused, both values shown.
    other = page.context.new_page()
    goto(other, "moderation.moderate", audit_id=audit_id)
    page.locator(".app-moderation-row").nth(1).locator("textarea").fill("Seen alone twice; no plan.")
    page.locator("#autosave-status").get_by_text("Saved at").wait_for()
    other.locator(".app-moderation-row").nth(1).locator("textarea").fill("Mine from the second tab.")
    conflict = other.locator("#autosave-status .app-conflict")
    conflict.wait_for()
    conflict.get_by_text("Compare the two versions").click()
    both = conflict.inner_text()
    assert "Seen alone twice; no plan." in both and "Mine from the second tab." in both
    assert_accessible(other, "moderation form, conflict")
    other.get_by_role("button", name="Keep my answers").click()
    other.get_by_text("Your answers have replaced the ones saved before.").wait_for()
    assert other.locator(".app-moderation-row").nth(1).locator("textarea").input_value() == "Mine from the second tab."
