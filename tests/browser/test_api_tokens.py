"""An administrator creates an API token on a tablet, with and without JavaScript, copies it once, and a
reporting tool reads the API with it; revoking it shuts the tool out."""

import json
import urllib.error
import urllib.request

from tests.browser.conftest import assert_accessible, assert_touch_targets, goto, sign_in


def _api_status(base_url: str, secret: str) -> int:
    request = urllib.request.Request(f"{base_url}/api/v1/themes", headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (the local live server)
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _create(page, purpose: str) -> str:
    goto(page, "admin.index")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("button", name="Create a token").click()
    assert_accessible(page, "create an API token")
    page.get_by_role("button", name="Create token").click()
    assert page.get_by_text("Enter what the token is for").first.is_visible()  # the error summary, no JavaScript needed
    page.get_by_label("What is the token for?").fill(purpose)
    page.get_by_label("Theme counts").check()
    page.get_by_label("90 days").check()
    assert_touch_targets(page, "create an API token")
    page.get_by_role("button", name="Create token").click()
    assert page.get_by_role("heading", name="API token created").is_visible()
    assert_accessible(page, "API token created")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    return page.locator("#api-token").inner_text()


def test_an_admin_creates_a_token_a_tool_uses_it_and_revoking_it_shuts_the_tool_out(page, live_server):
    sign_in(page, "admin@example.org")
    secret = _create(page, "Power BI: tablet test")
    assert _api_status(live_server, secret) == 200
    page.get_by_role("link", name="Back to API tokens").click()
    row = page.get_by_role("row").filter(has_text="Power BI: tablet test")
    assert secret not in page.content()
    row.get_by_role("button", name="Revoke").click()
    assert page.get_by_text("Revoked the token for Power BI: tablet test").is_visible()
    assert _api_status(live_server, secret) == 401


def test_the_token_form_works_without_javascript(page_without_js, live_server):
    sign_in(page_without_js, "admin@example.org")
    secret = _create(page_without_js, "Excel: no JavaScript")
    assert _api_status(live_server, secret) == 200
