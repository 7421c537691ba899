"""The theme summary on a tablet: htmx filters, the URL, the back button, and JavaScript off."""

from tests.browser.conftest import assert_accessible, goto, open_as


def test_filters_update_the_figures_in_place_and_the_url_and_back_works(page):
    open_as(page, "qa@example.org", "themes.summary")
    assert page.locator("#table-domains").is_visible()
    page.locator("#table-trend").wait_for()  # the trend arrives after the page, by htmx
    assert_accessible(page, "theme summary")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Source").select_option("observations")
    page.wait_for_url(lambda url: "source=observations" in url)
    page.locator("#table-domains").wait_for(state="detached")
    assert page.evaluate("window.stillTheSamePage === true")  # swapped by htmx, not reloaded
    assert page.get_by_role("heading", name="Grades by lens (practice-week observations)").is_visible()
    assert_accessible(page, "theme summary, observations only")

    page.go_back()
    page.wait_for_url(lambda url: "source=observations" not in url)
    page.locator("#table-domains").wait_for()
    assert page.get_by_label("Source").input_value() == "both"


def test_a_shared_url_opens_the_same_view(page):
    open_as(page, "manager@example.org", "themes.summary", source="audits", grades="original")
    assert page.get_by_label("Source").input_value() == "audits"
    assert page.get_by_label("Grades shown").input_value() == "original"
    assert page.locator("#table-lenses").count() == 0
    assert page.locator("#table-domains").is_visible()


def test_drill_down_from_a_figure_to_the_records(page):
    open_as(page, "qa@example.org", "themes.summary")
    page.locator("#table-domains td a").first.click()
    page.wait_for_url(lambda url: "/themes/evidence" in url)
    assert page.get_by_role("heading", name="Evidence behind the figure").is_visible()
    assert page.locator("#evidence-audits tbody tr").count() >= 1
    assert_accessible(page, "drill-down")


def test_without_javascript_the_filters_submit_as_a_form(page_without_js):
    page = page_without_js
    open_as(page, "qa@example.org", "themes.summary")
    page.get_by_label("Source").select_option("observations")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(lambda url: "source=observations" in url)
    assert page.locator("#table-domains").count() == 0
    # The trend is a link to its own page.
    page.get_by_label("Source").select_option("both")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="See the share of judgements good or better, month by month").click()
    assert page.locator("#table-trend").is_visible()


def test_theme_management_pages_are_accessible(page):
    open_as(page, "qa@example.org", "themes.manage")
    page.get_by_role("button", name="Add theme").click()
    assert page.get_by_role("alert").get_by_text("Enter the name of the theme").first.is_visible()
    assert_accessible(page, "add theme with an error")
    page.locator("#themes-list tbody a").first.click()
    assert page.get_by_role("heading", name="History").is_visible()
    assert_accessible(page, "a theme")
    page.get_by_role("link", name="into another theme").click()
    assert page.get_by_label("Merge into").is_visible()
    assert_accessible(page, "merge a theme")
    goto(page, "themes.trend")
    assert_accessible(page, "trend page")
