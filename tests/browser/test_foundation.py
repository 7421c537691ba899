"""Signing in on a tablet, and axe-core on every page of the foundation for every role."""

import pytest
from flask import url_for

from audit_app.extensions import db
from audit_app.permissions import Role
from tests.browser.conftest import assert_accessible, assert_touch_targets, goto, live_path, sign_in
from tests.permission_matrix import DOWNLOADS, PUBLIC, ROUTES, expected, make_route_objects, url_values

DEMO_EMAIL = {
    Role.AUDITOR: "auditor@example.org",
    Role.SENIOR_MANAGER: "manager@example.org",
    Role.QA_LEAD: "qa@example.org",
    Role.ADMIN: "admin@example.org",
    Role.PRACTITIONER: "worker@example.org",
    Role.TEAM_MANAGER: "teammanager@example.org",
    Role.EXTERNAL_AUDITOR: "external@example.org",
}


def test_auditor_signs_in_on_a_tablet_and_out_again(page):
    goto(page, "main.home")
    assert "/sign-in" in page.url
    assert_accessible(page, "sign-in")
    page.get_by_label("Email address").fill("auditor@example.org")
    page.get_by_label("Password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").get_by_text("Enter a correct email address and password").is_visible()
    assert_accessible(page, "sign-in with an error")
    sign_in(page, "auditor@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Alex Auditor"
    page.get_by_role("button", name="Sign out").click()
    assert "/sign-in" in page.url
    assert page.get_by_text("You have signed out.").is_visible()


def get_pages(live_app, role):
    """Every page the role may open, with URLs built from records in the live database (not the matrix's
    records that answer otherwise, such as another person's notification)."""
    with live_app.app_context():
        objects = make_route_objects()
        urls = []
        for rule in live_app.url_map.iter_rules():
            allowed = ROUTES.get(rule.endpoint)
            if (
                rule.endpoint in ("static", *DOWNLOADS)
                or "GET" not in rule.methods
                or allowed == PUBLIC
                or role not in allowed
                or expected(rule.endpoint, "GET") != 200
            ):
                continue
            with live_app.test_request_context():
                urls.append(url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, objects)))
        db.session.remove()
    return sorted(set(urls))


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_page_is_accessible_with_touch_sized_targets(page, live_app, role):
    sign_in(page, DEMO_EMAIL[role])
    pages = get_pages(live_app, role)
    assert pages
    for url in pages:
        response = page.goto(url)
        assert response.status < 400, f"{url}: {response.status}"
        assert_accessible(page, f"{url} as {role.value}")
        assert_touch_targets(page, f"{url} as {role.value}")


def test_error_pages_are_accessible(page):
    sign_in(page, "auditor@example.org")
    # a made-up address is the point of the 404
    for url, status in [(live_path("admin.users"), 403), ("/no-such-page", 404)]:
        response = page.goto(url)
        assert response.status == status
        assert_accessible(page, f"{url} ({status})")
