"""The home page and signing in, as people meet them on a tablet (768x1024)."""

import re

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import User
from audit_app.permissions import Role
from tests.browser.conftest import assert_accessible, goto, sign_in
from tests.factories import PASSWORD, user_with


def test_a_new_auditor_with_nothing_assigned_is_told_their_role_not_that_they_have_none(page, live_app):
    with live_app.app_context():
        if db.session.scalar(select(User).where(User.email == "new.auditor@example.org")) is None:
            user_with(Role.AUDITOR, email="new.auditor@example.org", display_name="Nia New")
        db.session.remove()
    sign_in(page, "new.auditor@example.org", PASSWORD)
    empty = page.locator(".app-empty-state")
    assert empty.get_by_role("heading", name="Nothing is assigned to you yet").is_visible()
    assert empty.get_by_text(re.compile(r"Your role: Auditor\.")).is_visible()
    assert empty.get_by_role("link", name="Go to my audits").is_visible()
    assert page.get_by_text("Your account has no role yet").count() == 0
    assert_accessible(page, "home page of a new auditor")


def test_being_sent_to_sign_in_is_said_in_the_neutral_banner_not_as_a_success(page):
    goto(page, "audits.my_audits")
    assert "/sign-in" in page.url
    banner = page.locator(".govuk-notification-banner")
    assert banner.get_by_text("Sign in to continue.").is_visible()
    assert "govuk-notification-banner--success" not in banner.get_attribute("class")
    assert banner.get_by_role("heading", name="Important").is_visible()
    assert page.get_by_text("Done").count() == 0
    assert_accessible(page, "sign-in after being sent to it")
    page.get_by_label("Email address").fill("auditor@example.org")
    page.get_by_label("Password", exact=True).fill("demo-password-2021")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/audits/$"))
    assert page.locator(".govuk-notification-banner").count() == 0
