"""Page weight on a tablet on a weak connection, from the bytes the browser actually transferred: the first
page with its assets under 100 KB, a repeat visit that fetches no asset, and htmx swaps under 10 KB."""

import re

from tests.browser.conftest import sign_in
from tests.browser.test_audit_tablet import new_audit
from tests.browser.test_audits import wait_until_saved

KB = 1024
FIRST_PAGE_BUDGET = 100 * KB
SWAP_BUDGET = 10 * KB
A_YEAR = 365 * 24 * 3600

# What the browser fetched for this page, from the Resource Timing API: transferSize is the response as it
# came over the network (headers and compressed body), 0 when it came from the browser's cache.
TRANSFERS_JS = """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .map((e) => ({url: new URL(e.name).pathname, type: e.initiatorType, transferred: e.transferSize,
                size: e.decodedBodySize}))"""


def transfers(page):
    page.wait_for_load_state("load")
    return page.evaluate(TRANSFERS_JS)


def static_assets(entries):
    return [e for e in entries if e["url"].startswith("/static/")]


def total(entries):
    return sum(e["transferred"] for e in entries)


def describe(entries):
    return ", ".join(f"{e['url']} {e['transferred']} B (of {e['size']})" for e in entries)


def test_the_first_page_and_the_home_page_after_sign_in_weigh_under_100_kb_with_their_assets(page):
    page.goto("/sign-in")
    sign_in_page = transfers(page)
    assets = static_assets(sign_in_page)
    # The page's stylesheets and scripts: GOV.UK Frontend, htmx and the service's own.
    assert len(assets) >= 5, describe(sign_in_page)
    assert all(e["transferred"] > 0 for e in assets), describe(assets)  # really fetched, not from a cache
    assert sum(e["size"] for e in assets) > FIRST_PAGE_BUDGET  # only compression brings them under budget

    sign_in(page, "auditor@example.org")
    home = transfers(page)
    assert static_assets(home) and not total(static_assets(home)), describe(home)  # cached from the sign-in page
    first_visit = total(sign_in_page) + total(home)
    print(f"\nsign-in page {total(sign_in_page)} B, auditor's home {total(home)} B, together {first_visit} B")
    assert first_visit < FIRST_PAGE_BUDGET, describe(sign_in_page + home)


def test_a_repeat_visit_fetches_no_asset(page):
    caching = {}
    page.on(
        "response",
        lambda r: caching.update({r.url: r.headers.get("cache-control", "")}) if "/static/" in r.url else None,
    )
    page.goto("/sign-in")
    sign_in(page, "auditor@example.org")
    # Kept for a year and never revalidated: a visit tomorrow fetches nothing either.
    assert len(caching) >= 5 and all(
        "immutable" in cache and int(re.search(r"max-age=(\d+)", cache)[1]) >= A_YEAR for cache in caching.values()
    ), caching
    page.goto("/audits/")  # a later visit, to another page
    later = transfers(page)
    assets = static_assets(later)
    assert len(assets) >= 5, describe(later)
    assert not [e for e in assets if e["transferred"]], describe(assets)
    print(f"\nrepeat visit: {total(later)} B, of which assets {total(assets)} B ({len(assets)} from the cache)")


def swaps(page):
    return [e for e in transfers(page) if e["type"] in ("xmlhttprequest", "fetch")]


def test_a_theme_summary_filter_swaps_in_under_10_kb(page):
    sign_in(page, "qa@example.org")
    page.goto("/themes/")
    page.locator("#table-trend").wait_for()  # the trend arrives by htmx after the page
    before = len(swaps(page))
    page.get_by_label("Source").select_option("audits")
    page.wait_for_url(lambda url: "source=audits" in url)
    page.wait_for_function(f"() => performance.getEntriesByType('resource').length > {before}")
    page.wait_for_load_state("networkidle")
    filtered = swaps(page)[before:]
    assert filtered, "no htmx request for the filter"
    print(f"\ntheme summary filter: {describe(filtered)}")
    assert all(0 < e["transferred"] < SWAP_BUDGET for e in filtered), describe(filtered)


def test_an_autosave_answer_is_under_10_kb(page, live_app):
    sign_in(page, "auditor@example.org")
    audit_id, domains = new_audit(live_app)
    key, questions = domains[0]
    section = f"/audits/{audit_id}/domains/{key}"
    page.goto(section)
    # A pause in typing evidence: the most frequent request of all.
    page.locator(f"#q{questions[0][0]}-evidence").fill("No visit for nine weeks; the plan has not moved.")
    wait_until_saved(page)
    made = swaps(page)
    saves = [e for e in made if e["url"] == section]  # the section's form posts to its own address
    assert saves, describe(made)
    print(f"\nautosave: {describe(made)}")
    # The other swap a pause in typing brings is the themes suggested for the words: under budget too.
    assert all(0 < e["transferred"] < SWAP_BUDGET for e in made), describe(made)
