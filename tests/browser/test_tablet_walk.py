"""Issue 12: what senior managers, QA leads and admins hit walking every journey on a tablet."""
import pytest

from tests.browser.conftest import assert_accessible, assert_touch_targets, sign_in

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
    sign_in(page, "qa@example.org")
    page.goto("/themes/")
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
