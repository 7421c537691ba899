"""The child and family's voice on a tablet (768x1024): entered with and without JavaScript, the name warning,
check your answers; the theme summary's "What families said" and the inspection pack page, axe-core clean."""

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import CaseAudit
from tests.browser.conftest import assert_accessible, assert_touch_targets, goto, open_as, sign_in
from tests.browser.test_audit_tablet import new_audit
from tests.browser.test_audits import wait_until_saved


def fill_in_voice(page):
    page.get_by_label("The child", exact=True).check()
    page.get_by_label("A parent", exact=True).check()
    page.get_by_label("Visit", exact=True).check()
    page.locator("#voice-consent").check()  # Yes
    page.locator('input[name="voice-worker_listened"][value="5"]').check()
    page.locator('input[name="voice-things_better"][value="dont_know"]').check()
    page.locator("#voice-quote1-text").fill("Things at home are calmer now.")


def stored_voice(live_app, audit_id):
    with live_app.app_context():
        voice = db.session.scalar(select(CaseAudit).where(CaseAudit.id == audit_id)).family_voice
        result = voice and (
            voice.contacted_child,
            voice.worker_listened,
            voice.things_better,
            [q.text for q in voice.quotes],
        )
        db.session.remove()
    return result


def test_family_voice_is_entered_on_a_tablet_with_autosave_and_a_name_is_flagged(page, live_app):
    audit_id, _ = new_audit(live_app)
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key="family-voice")
    assert_accessible(page, "family voice page")
    assert_touch_targets(page, "family voice page")
    fill_in_voice(page)
    wait_until_saved(page)
    assert stored_voice(live_app, audit_id) == (True, 5, 0, ["Things at home are calmer now."])
    # A name in a quote: said at once, beside the quote.
    page.locator("#voice-quote2-text").fill("I told Jane Smith everything.")
    wait_until_saved(page)
    page.get_by_text("quote 2 may hold a name (“Jane Smith”)").first.wait_for()
    # Not contacted: the reason is asked for.
    page.get_by_label("Not contacted", exact=True).check()
    page.get_by_label("Why were they not contacted?").fill("The family moved away.")
    wait_until_saved(page)
    page.goto(f"/audits/{audit_id}/check")
    page.get_by_role("button", name="Submit audit").click()
    assert page.locator(".govuk-error-summary").get_by_text("quote 2 may hold a name").count() == 1
    assert page.get_by_text("The family moved away.").count() == 1
    assert_accessible(page, "check your answers with family voice")


def test_family_voice_is_entered_without_javascript(page_without_js, live_app):
    page = page_without_js
    audit_id, _ = new_audit(live_app)
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key="family-voice")
    fill_in_voice(page)
    page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith(f"/audits/{audit_id}/domains/overall")
    assert stored_voice(live_app, audit_id) == (True, 5, 0, ["Things at home are calmer now."])
    assert_accessible(page, "overall page after family voice, no JavaScript")


def test_what_families_said_and_the_inspection_pack_are_accessible_on_a_tablet(page):
    sign_in(page, "qa@example.org")
    # The demo's audits and their families' quotes are from 2021 (other tests may have submitted audits today).
    goto(page, "themes.summary", period="2021")
    page.locator("#family-voice").wait_for()
    page.locator("#table-family-quote-themes a").first.click()
    page.locator("#family-quotes").wait_for()
    assert_accessible(page, "theme summary with quotes for a theme")
    page.goto("/inspection-pack/")
    assert page.get_by_role("heading", name="What families said").count() == 1
    assert_accessible(page, "inspection pack")
    assert_touch_targets(page, "inspection pack")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the workbook (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
