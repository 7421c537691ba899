"""Single sign-on in the browser at 768x1024: from the sign-in page through a real OpenID Connect
provider (oidc-provider-mock on loopback) to the auditor's home page, and out again."""

import pytest

from audit_app.auth.oidc import init_oidc
from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, assert_touch_targets, demo_code, goto
from tests.oidc_provider import running_provider


@pytest.fixture
def council_sign_in(live_app):
    with running_provider() as provider:
        saved = {name: live_app.config.get(name) for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")}
        live_app.config.update(
            OIDC_ISSUER=provider.base_url, OIDC_CLIENT_ID="qa-service", OIDC_CLIENT_SECRET="client-secret"
        )
        init_oidc(live_app)
        yield provider
        live_app.config.update(saved)
        init_oidc(live_app)


def test_an_auditor_signs_in_with_their_council_account_on_a_tablet(page, council_sign_in):
    council_sign_in.add_user("sub-alex", email="auditor@example.org", email_verified=True, oid="oid-alex")
    goto(page, "main.home")
    assert_accessible(page, "sign-in with the council account offered")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.wait_for_url(lambda url: url.startswith(council_sign_in.base_url))
    page.locator("input[name=sub]").fill("sub-alex")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(lambda url: "/sign-in" not in url and not url.startswith(council_sign_in.base_url))
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Alex Auditor"
    assert_accessible(page, "the auditor's home page after single sign-on")
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You have signed out of this service"
    assert page.get_by_role("button", name="Sign out of your council account").is_visible()
    assert_accessible(page, "signed out, offered the provider's sign-out")


def test_a_refusal_and_the_second_factor_page_are_clear_and_accessible_on_a_tablet(page, council_sign_in):
    council_sign_in.add_user("sub-nobody", email="nobody@example.org", email_verified=True)
    goto(page, "auth.sso_start")
    page.locator("input[name=sub]").fill("sub-nobody")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(lambda url: "/sign-in/council/callback" in url)
    assert page.get_by_role("heading", level=1).inner_text() == "You do not have an account for this service"
    assert_accessible(page, "single sign-on refused")
    assert_touch_targets(page, "single sign-on refused")

    page.get_by_role("button", name="Go to the sign-in page").click()
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/sign-in/code" in url)
    assert_accessible(page, "the second factor's code")
    assert_touch_targets(page, "the second factor's code")
    page.get_by_label("Code").fill(demo_code("admin@example.org"))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Ash Administrator"
