"""Issue 12: what senior managers, QA leads and admins hit walking every journey on a tablet."""

import re

import pytest

from tests.browser.conftest import assert_accessible, assert_touch_targets, goto, open_as, sign_in

# For each figures table: each heading's box and the boxes of the cells in every row under it, and
# whether the table fits, or else scrolls inside its own container rather than the page.
TABLE_GEOMETRY_JS = """(selector) => {
  const table = document.querySelector(selector);
  const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const region = table.closest('.app-table-scroll');
  return {
    headings: [...table.querySelectorAll('thead th')].map(th => ({text: th.innerText.trim(), ...box(th)})),
    rows: [...table.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(cell => ({text: cell.innerText.trim(), ...box(cell)}))),
    table: box(table),
    region: region ? {...box(region), overflowX: getComputedStyle(region).overflowX,
                      scrollWidth: region.scrollWidth, clientWidth: region.clientWidth} : null,
    pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
  };
}"""


@pytest.mark.parametrize("width", [768, 1024])
def test_figures_tables_line_up_with_their_headings_and_scroll_in_their_own_box(page, width):
    page.set_viewport_size({"width": width, "height": 1024})
    open_as(
        page, "qa@example.org", "themes.summary", period="2021-Q4"
    )  # the demo's busiest quarter, whatever other tests have added since
    page.locator("#table-trend").wait_for()
    for selector in ("#table-trend", "#table-domains", "#table-themes"):
        geometry = page.evaluate(TABLE_GEOMETRY_JS, selector)
        headings = geometry["headings"]
        assert geometry["rows"], selector
        for row in geometry["rows"]:
            assert len(row) == len(headings), (selector, row)
            for heading, cell in zip(headings, row):
                middle = (cell["left"] + cell["right"]) / 2
                assert heading["left"] <= middle <= heading["right"], (
                    f"{selector} at {width}px: {cell['text']!r} is not under {heading['text']!r}"
                )
        region = geometry["region"]
        if geometry["table"]["right"] > region["right"] + 1:  # wider than its box: it scrolls there
            assert region["overflowX"] == "auto" and region["scrollWidth"] > region["clientWidth"], selector
        assert not geometry["pageScrolls"], f"the page scrolls sideways at {width}px"
    last_month = page.locator("#table-trend thead th").last
    last_month.scroll_into_view_if_needed()
    assert last_month.inner_text().replace("\n", " ") == "Dec 2021"
    assert last_month.is_visible()
    page.locator("#trend-section").screenshot(path=f"/tmp/uiqa-trend-{width}.png")
    assert_accessible(page, f"theme summary at {width}px")
    assert_touch_targets(page, f"theme summary at {width}px")


def test_theme_summary_opens_on_data_and_any_month_quarter_year_or_range_can_be_chosen(page):
    open_as(page, "qa@example.org", "themes.summary")
    period = page.get_by_label("Period")
    # The quarter of the latest record (2021-Q4 in the demo; later if other tests here have added records).
    assert re.fullmatch(r"20\d\d-Q[1-4]", period.input_value())
    assert page.locator("#table-domains tbody tr, #table-lenses tbody tr").count() >= 1  # it opens on figures
    offered = period.locator("option").all_inner_texts()
    assert {"Q2 2021", "The year 2021", "May 2021", "November 2021"} <= set(offered)

    page.get_by_text("Choose a range of months").click()
    page.get_by_label("From", exact=True).select_option(label="June 2021")
    page.get_by_label("To", exact=True).select_option(label="September 2021")
    page.get_by_role("button", name="Show these months").click()
    page.wait_for_url(lambda url: "period_from=2021-06" in url)
    assert page.get_by_role("heading", name="June 2021 to September 2021").is_visible()
    assert period.locator("option:checked").inner_text() == "Jun 2021 to Sep 2021"
    assert (
        page.get_by_label("From", exact=True).input_value() == "2021-06"
        and page.get_by_label("To", exact=True).input_value() == "2021-09"
    )
    assert page.locator("#table-domains tbody tr").count() >= 1
    # Every link out of the figures keeps the range.
    assert "period=2021-06..2021-09" in page.locator("#table-domains td a").first.get_attribute("href")
    page.screenshot(path="/tmp/uiqa-theme-range.png")
    assert_accessible(page, "theme summary for a range of months")
    assert_touch_targets(page, "theme summary for a range of months")

    period.select_option("2021-05")
    page.wait_for_url(lambda url: "period=2021-05" in url)
    assert page.get_by_role("heading", name="May 2021", exact=True).is_visible()


def test_the_evidence_says_which_question_who_audited_the_team_and_the_themes_and_fits_a_tablet(page):
    open_as(page, "qa@example.org", "themes.summary", period="2021-Q4")
    page.locator("#table-themes td[data-col=observations] a").first.click()  # a theme raised by both
    page.wait_for_url(lambda url: "/themes/evidence" in url)
    headings = page.locator("#evidence-audits thead th").all_inner_texts()
    assert [h.replace("\n", " ") for h in headings] == [
        "Case, team and auditor",
        "Submitted",
        "Domain and question",
        "Grade and themes",
        "Evidence",
    ]
    first = page.locator("#evidence-audits tbody tr").first
    assert "Audited by Alex Auditor" in first.inner_text() and "Themes: " in first.inner_text()
    assert "Observed by " in page.locator("#evidence-observations tbody tr").first.inner_text()
    for table in ("#evidence-audits", "#evidence-observations"):  # the evidence is read without scrolling sideways
        assert page.evaluate(
            f"document.querySelector('{table}').scrollWidth <= document.querySelector('{table}').parentElement.clientWidth"
        )
    page.screenshot(path="/tmp/uiqa-evidence.png")
    assert_accessible(page, "evidence")
    assert_touch_targets(page, "evidence")


def test_the_plan_opens_on_its_latest_month_and_an_old_report_judges_overdue_at_its_months_end(page):
    open_as(page, "qa@example.org", "plan.index")
    # The demo's actions started in September 2021, after the last monthly update (December 2020); other
    # tests in this session may record later months of the plan.
    month = page.get_by_label("Reporting month").input_value()
    assert "2021-09" <= month <= "2022-03"
    shown = page.get_by_label("Reporting month").locator("option:checked").inner_text()
    assert page.get_by_text(f"Progress update – {shown}").is_visible()
    goto(page, "plan.board_report", month="2020-12")
    assert page.locator(".app-report-actions tbody tr").count() >= 4  # the demo actions are in the report
    assert page.get_by_text("Overdue: due").count() == 0  # every demo action falls due after December 2020
    page.screenshot(path="/tmp/uiqa-report-december-2020.png")
    goto(page, "plan.actions")
    assert page.get_by_text("Overdue: due").count() >= 1  # today, the demo's late action is overdue
    assert_accessible(page, "actions")


LONG_OUTCOME = (
    "Priority 4, outcome: Efficient systems that minimise bureaucracy, and provide access to accurate and "
    "timely data which helps to build a learning organisation that knows itself and focuses relentlessly "
    "on continuous improvement for children"
)


def test_priorities_and_outcomes_are_offered_in_full_and_wrap_on_a_tablet(page):
    open_as(page, "qa@example.org", "plan.new_action")
    choice = page.get_by_label(LONG_OUTCOME, exact=True)
    assert choice.get_attribute("type") == "radio"
    label = page.locator(f"label[for='{choice.get_attribute('id')}']")
    fits = label.evaluate(
        "el => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= window.innerWidth"
    )
    assert fits and label.bounding_box()["height"] > 40  # wrapped over lines, not cut off
    page.screenshot(path="/tmp/uiqa-new-action.png", full_page=True)
    page.get_by_role("button", name="Save action").click()
    assert (
        page.get_by_role("alert").get_by_text("Select the priority or expected outcome this action is for").is_visible()
    )
    assert_accessible(page, "new action with errors")
    assert_touch_targets(page, "new action with errors")

    goto(page, "plan.actions")
    whole_title = (
        "4. Effective management and leadership creating system wide high ambitions and expectations for all "
        "children and young people"
    )
    page.get_by_label(whole_title, exact=True).check()
    page.wait_for_url(lambda url: "priority_id=" in url)
    page.get_by_role("button", name="Filter actions").click()
    assert page.locator("#actions-table tbody tr").count() >= 1
    assert page.get_by_label(whole_title, exact=True).is_checked()
    assert_accessible(page, "actions filtered by a priority")
    assert_touch_targets(page, "actions filtered by a priority")


def _statuses(rows) -> dict[str, str]:
    """Activity description -> the status tag in its row."""
    found = {}
    for row in rows.all():
        tag = row.locator(".govuk-tag")
        if tag.count():
            found[row.locator("td").nth(1).inner_text().split("\n")[-1].strip()] = tag.inner_text().strip()
    return found


def test_a_booking_has_the_same_status_on_the_home_page_and_the_weeks_schedule(page):
    open_as(page, "manager@example.org", "main.home")
    home = _statuses(page.locator("table:has(caption:text('Your bookings')) tbody tr"))
    assert home["Conversation with a family about their experience"] == "Draft"
    goto(page, "practice_week.index")
    page.get_by_role("link", name="Second practice week").first.click()
    page.locator("#schedule").wait_for()
    schedule = _statuses(page.locator("#schedule + table tbody tr"))
    assert schedule["Conversation with a family about their experience"] == "Draft"  # was "Booked"
    for description, status in home.items():
        if description in schedule:
            assert schedule[description] == status, description
    assert set(schedule.values()) <= {"Booked", "Draft", "Observed", "Cancelled"}
    page.screenshot(path="/tmp/uiqa-week-schedule.png", full_page=True)
    assert_accessible(page, "the week's schedule")


def test_an_email_pasted_with_spaces_and_capitals_is_accepted_by_the_admin_and_at_sign_in(page):
    open_as(page, "admin@example.org", "admin.user")
    page.get_by_label("Email address").fill("  Pat.Pasted@Example.org ")
    page.get_by_label("Full name").fill("Pat Pasted")
    page.get_by_label("Auditor", exact=True).check()
    page.get_by_label("Password", exact=True).fill("a-long-enough-password")
    page.get_by_role("button", name=re.compile("Save")).click()
    assert page.get_by_role("alert").count() == 0 or "correct format" not in page.get_by_role("alert").inner_text()
    page.wait_for_url(lambda url: url.endswith("/admin/users"))
    assert page.get_by_text("pat.pasted@example.org").is_visible()
    assert_accessible(page, "users")
    page.get_by_role("button", name="Sign out").or_(page.get_by_role("link", name="Sign out")).first.click()
    sign_in(page, " PAT.Pasted@example.org ", "a-long-enough-password")
    assert page.get_by_text("Pat Pasted").first.is_visible()


def test_an_audits_history_reads_as_names_and_the_dates_it_happened(page):
    open_as(page, "qa@example.org", "themes.evidence", period="2021-Q4", domain="voice_of_child")
    page.locator("#evidence-audits tbody a").first.click()
    page.wait_for_url(lambda url: "/view" in url)
    history = page.locator("table:has(caption:text('Every change to this audit'))")
    text = history.inner_text()
    for bookkeeping in ("question id", "audit id", "tool version id", "domain key", "last domain key", "last section"):
        assert bookkeeping not in text, bookkeeping
    years = set(re.findall(r"\b(20\d\d)\b", " ".join(history.locator("tbody tr td:first-child").all_inner_texts())))
    assert years == {"2021"}  # the seeded audit's events, not the day the demo was loaded
    page.screenshot(path="/tmp/uiqa-audit-history.png", full_page=True)
    assert_accessible(page, "an audit with its history")


def test_the_board_report_never_scrolls_the_page_sideways_on_a_tablet(page):
    open_as(page, "qa@example.org", "plan.board_report", month="2020-12")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    region = page.get_by_role("region", name="Performance indicators, scrolls sideways")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto'")
    assert_accessible(page, "board report")


def test_the_practice_week_summary_never_scrolls_the_page_sideways_on_a_tablet(page):
    open_as(page, "manager@example.org", "practice_week.index")
    page.get_by_role("link", name="Second practice week").first.click()
    page.get_by_role("button", name="The week's summary").click()
    assert page.locator("table.app-spread").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "practice week summary")
