"""A senior manager records practice-week observations on a tablet: with autosave, and with JavaScript off."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Case
from tests.browser.conftest import assert_accessible, open_as, sign_in


def lens(page, name):
    return page.get_by_role("group", name=name, exact=True)


def judge_every_lens(page, grade="Good"):
    for name in [
        "Assessment quality",
        "Voice of the child",
        "Management oversight and direction",
        "Parental participation",
        "Safety planning",
    ]:
        lens(page, name).get_by_label(grade, exact=True).check()
        page.get_by_label(f"Note on {name.lower()}").fill(f"Practitioners described {name.lower()} clearly.")
    lens(page, "Multi-agency work").get_by_label("Not observed", exact=True).check()


def test_a_senior_manager_records_an_observation_with_autosave(page):
    sign_in(page, "manager@example.org")
    page.get_by_role("link", name="Practice week", exact=True).click()
    page.get_by_role("link", name=re.compile("My practice week")).click()
    assert_accessible(page, "my practice week")
    page.get_by_role("button", name=re.compile("Record observation of Staff focus group")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an observation")
    assert_accessible(page, "observation form")
    expect(page.get_by_label("Activity", exact=True)).to_have_value("staff_focus_group")

    # Typing is saved without pressing anything.
    page.get_by_label("What is working well").fill("Practitioners support each other well under high workloads.")
    lens(page, "Voice of the child").get_by_label("Requires improvement to be good").check()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=10000)
    # The judgement has no note yet: the autosave says so at once, linked to the note.
    expect(
        page.locator("#autosave-status").get_by_role("link", name="Enter a note on what you saw of voice of the child")
    ).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.reload()
    expect(page.get_by_label("What is working well")).to_have_value(
        "Practitioners support each other well under high workloads."
    )
    expect(lens(page, "Voice of the child").get_by_label("Requires improvement to be good")).to_be_checked()

    judge_every_lens(page)
    page.get_by_label("What needs to improve").fill("Complex systems slow down the transfer of Early Help contacts.")
    page.get_by_label("Quick win 1", exact=True).fill("A single point of contact for Early Help step-down.")
    page.get_by_label("Theme of quick win 1").select_option(label="Early help timeliness")
    page.get_by_role("group", name="Which themes did this activity show?").get_by_label("Early help timeliness").check()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=10000)
    for target in page.locator(".govuk-button, .govuk-radios__input, .govuk-checkboxes__input").all():
        box = target.bounding_box()
        if box:
            assert box["height"] >= 44 and box["width"] >= 44, (
                f"{target.evaluate('e => e.outerHTML')[:80]} is too small"
            )
    page.get_by_role("button", name="Submit observation").click()
    expect(page.get_by_text("Observation submitted. Thank you.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Observation of staff focus group")
    expect(
        page.get_by_role("listitem").filter(has_text="A single point of contact for Early Help step-down.")
    ).to_be_visible()
    assert_accessible(page, "submitted observation")


def test_a_senior_manager_records_an_observation_with_javascript_off(page_without_js, live_app):
    page = page_without_js
    with live_app.app_context():
        case_reference = db.session.scalar(select(Case.case_reference).order_by(Case.id))
        db.session.remove()
    open_as(page, "manager@example.org", "practice_week.index")
    page.get_by_role("link", name="Second practice week", exact=True).click()
    page.get_by_role("button", name="Record an unscheduled observation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an observation")
    page.get_by_label("Activity", exact=True).select_option(label="Shadowing a practitioner")
    page.get_by_label("Case reference (if there is one)").fill(case_reference.lower())
    page.get_by_label("What is working well").fill("The worker knew the family well.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your observation is saved")).to_be_visible()
    expect(page.get_by_label("What is working well")).to_have_value("The worker knew the family well.")

    # Submitting too early: the error summary, with everything typed still there.
    page.get_by_label("I have an immediate concern").check()
    page.get_by_role("button", name="Submit observation").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Select a judgement for assessment quality")
    expect(summary).to_contain_text("Enter what needs to improve")
    expect(page.get_by_label("What is working well")).to_have_value("The worker knew the family well.")
    assert_accessible(page, "observation form with errors")

    judge_every_lens(page)
    page.get_by_label("What needs to improve").fill("Safety planning did not include the father.")
    page.get_by_role("button", name="Submit observation").click()
    expect(page.get_by_role("alert")).to_contain_text("record the follow-up before submitting")

    page.get_by_label("What must happen").fill("Team manager to review the safety plan with the worker today.")
    page.get_by_label("Who will make sure it happens").select_option(label="Morgan Manager")
    due = page.get_by_role("group", name="By when")
    due.get_by_label("Day").fill("8")
    due.get_by_label("Month").fill("10")
    due.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Submit observation").click()
    expect(page.get_by_text("Observation submitted. Thank you.")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text=case_reference)).to_be_visible()
    expect(
        page.get_by_role("cell", name="Team manager to review the safety plan with the worker today.").first
    ).to_be_visible()
    assert_accessible(page, "submitted observation without JavaScript")


def test_the_week_summary_and_headline_findings_on_a_tablet(page):
    open_as(page, "qa@example.org", "practice_week.index")
    page.get_by_role("link", name="Summary of Second practice week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The week's summary")
    expect(page.locator("#progress-total")).to_contain_text("booked activities observed")
    expect(page.locator("#comparison-table")).to_contain_text("First practice week")
    assert_accessible(page, "summary")
    page.get_by_role("button", name="Headline findings (print layout)").click()
    expect(page.get_by_text(re.compile("Second practice week took place 4–8 October 2021"))).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    page.emulate_media(media="screen")
    assert_accessible(page, "headline findings")


def test_a_reload_after_a_validation_error_never_wipes_saved_answers(page):
    """The reported sequence: a validation error; answers autosaved on that page; reload (the browser
    re-posts the first form) shows the conflict with the old, blank values; "Save and come back later"
    from there must not replace the saved grade and text with blanks. Only "Keep my answers" would."""
    open_as(page, "manager@example.org", "practice_week.index")
    page.get_by_role("link", name="Second practice week", exact=True).click()
    page.get_by_role("button", name="Record an unscheduled observation").click()
    observation_url = page.url
    page.get_by_label("Case reference (if there is one)").fill("NOT-A-CASE-1")
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("link", name=re.compile("Enter a case reference that exists"))).to_be_visible()

    page.get_by_label("What needs to improve").fill("Plans should carry the child's own words.")
    lens(page, "Voice of the child").get_by_label("Good", exact=True).check()  # a change: saved at once, with the text
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=10000)
    page.wait_for_timeout(1500)  # the typing's own autosave, a second after the last key
    page.wait_for_load_state("networkidle")

    page.reload()  # re-posts the form sent before the answers were typed
    expect(page.get_by_role("heading", name="Your latest changes have not been saved")).to_be_visible()
    expect(page.get_by_label("What needs to improve")).to_have_value("")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("heading", name="Your latest changes have not been saved")).to_be_visible()

    page.goto(observation_url)  # the observation just left, by the address it had
    expect(lens(page, "Voice of the child").get_by_label("Good", exact=True)).to_be_checked()
    expect(page.get_by_label("What needs to improve")).to_have_value("Plans should carry the child's own words.")
