"""The compare page on a tablet: htmx filters and measures, the funnel plot and JavaScript off.

Demo data: the year 2021 holds the demo's audits; the browser tests' own audits are submitted today, so
2021 stays as seeded whatever other tests add.
"""

from tests.browser.conftest import assert_accessible, assert_touch_targets, open_as

DEMO_YEAR = "2021"


def test_filters_and_measures_update_the_comparison_in_place(page):
    open_as(page, "qa@example.org", "compare.index", period=DEMO_YEAR)
    assert page.locator("svg#funnel-chart").is_visible()
    assert page.locator("#table-funnel").is_visible()
    assert page.get_by_text("A locality is flagged only from 10 records").is_visible()
    # The demo's 61 audits of 2021 put one locality outside the 95 % limits on a theme, none outside the
    # 99.8 %: the funnel shows the one, and the page says no difference is strong enough for a sentence.
    assert page.locator("#table-funnel td", has_text="Above the 95 % limit").count() >= 1
    assert page.get_by_text("beyond the 99.8 % limits in this selection").is_visible()
    assert_accessible(page, "compare, localities")
    assert_touch_targets(page, "compare, localities")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Compare").select_option("team")
    page.wait_for_url(lambda url: "by=team" in url)
    page.get_by_role("heading", name="Teams, 2021").wait_for()
    assert page.evaluate("window.stillTheSamePage === true")  # swapped by htmx, not reloaded
    assert page.locator("#table-funnel th[scope=col]").first.inner_text() == "Team"

    measure = page.get_by_label("Measure on the funnel plot")
    value = measure.locator("option").nth(1).get_attribute("value")
    measure.select_option(value)
    with page.expect_response(lambda response: "measure=" in response.url):
        page.get_by_role("button", name="Show this measure").click()
    page.wait_for_url(lambda url: "measure=" in url)
    assert page.get_by_label("Measure on the funnel plot").input_value() == value
    assert page.evaluate("window.stillTheSamePage === true")
    assert_accessible(page, "compare, teams, another measure")

    page.go_back()
    page.wait_for_url(lambda url: "measure=" not in url)
    page.locator("#table-funnel").wait_for()


def test_without_javascript_the_filters_and_the_measure_submit_as_forms(page_without_js):
    page = page_without_js
    open_as(page, "manager@example.org", "compare.index", period=DEMO_YEAR)
    page.get_by_label("Compare").select_option("case_type")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(lambda url: "by=case_type" in url)
    assert page.get_by_role("heading", name="Case types, 2021").is_visible()
    assert page.locator("svg#funnel-chart").is_visible()
    measure = page.get_by_label("Measure on the funnel plot")
    value = measure.locator("option").last.get_attribute("value")
    measure.select_option(value)
    page.get_by_role("button", name="Show this measure").click()
    page.wait_for_url(lambda url: "measure=" in url and "by=case_type" in url)
    assert page.get_by_label("Measure on the funnel plot").input_value() == value
    assert page.locator("#small-multiples svg").count() >= 1
    assert_accessible(page, "compare without JavaScript")
