"""Browser tests: the real app served on a local port, driven by Debian's Chromium through Playwright.

The live app runs with CSRF on (as in production) on its own SQLite file loaded with demo data.
Every page a test opens is checked for Content-Security-Policy violations.
"""

import os
import re
import tempfile
import threading
from pathlib import Path

import pytest
from flask import url_for
from werkzeug.serving import make_server

from audit_app import create_app
from audit_app.extensions import db

CHROMIUM = "/usr/bin/chromium"
TABLET = {"width": 768, "height": 1024}
DEMO_PASSWORD = "demo-password-2021"
LIVE_APP: list = []  # the live app, for sign_in's second factor
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()

if not os.path.exists(CHROMIUM):
    if os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing: apt-get install chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="session")
def live_app():
    folder = tempfile.mkdtemp(prefix="qa-browser-")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/live.db", WTF_CSRF_ENABLED=True)
    with app.app_context():
        from audit_app.demo import seed_demo

        db.create_all()
        seed_demo(DEMO_PASSWORD)
        db.session.remove()
    LIVE_APP[:] = [app]
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _new_page(browser, live_server, java_script_enabled=True):
    context = browser.new_context(viewport=TABLET, base_url=live_server, java_script_enabled=java_script_enabled)
    context.set_default_timeout(10000)
    page = context.new_page()
    page.javascript_enabled = java_script_enabled
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: (
            page.csp_violations.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _new_page(browser, live_server)
    yield page
    violations = page.csp_violations
    context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def page_without_js(browser, live_server):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


def live_path(endpoint: str, **values) -> str:
    """The path of an endpoint in the live app, as it builds it (url_for), so tests follow the routes."""
    with LIVE_APP[0].test_request_context():
        return url_for(endpoint, **values)


def goto(page, endpoint: str, **values):
    """Open an endpoint by name: `goto(page, "audits.page", audit_id=3, page_key="overall")`."""
    return page.goto(live_path(endpoint, **values))


def sign_in(page, email, password=DEMO_PASSWORD):
    goto(page, "auth.sign_in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url or "/sign-in/code" in url)
    if "/sign-in/code" in page.url:  # the demo administrator's second factor
        page.get_by_label("Code").fill(demo_code(email))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: "/sign-in" not in url)


def open_as(page, email, endpoint: str, **values):
    """Sign in as `email` (a demo person) and open an endpoint by name: how most journeys start."""
    sign_in(page, email)
    return goto(page, endpoint, **values)


def demo_code(email: str) -> str:
    """The demo admin's code now. A code is refused twice, and tests sign in faster than codes change:
    forget the last one used (tests/integration/test_mfa.py checks the refusal)."""
    import pyotp
    from sqlalchemy import update

    from audit_app.demo import DEMO_TOTP_SECRET
    from audit_app.models import User

    with LIVE_APP[0].app_context():
        db.session.execute(update(User).where(User.email == email).values(totp_last_step=None))
        db.session.commit()
        db.session.remove()
    return pyotp.TOTP(DEMO_TOTP_SECRET).now()


def assert_accessible(page, context: str = ""):
    """axe-core on the page as it is now: no WCAG 2.2 A/AA violations."""
    if not getattr(page, "javascript_enabled", True):
        return _assert_accessible_without_javascript(page, context)
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not violations, f"axe-core violations on {context or page.url}:\n" + "\n".join(violations)


def _assert_accessible_without_javascript(page, context: str):
    """axe-core needs timers, which never fire where JavaScript is off: check the same markup, at the
    same address with the same styles, in a page where JavaScript runs but the page's own scripts don't."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
    copy_context = page.context.browser.new_context(viewport=TABLET)
    try:
        copy = copy_context.new_page()
        copy.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        copy.goto(page.url)
        assert_accessible(copy, context or page.url)
    finally:
        copy_context.close()


# Every control a finger may need, with its box; inline links in running text are exempt (as in
# WCAG 2.5.8), and so is the skip link, which only shows when focused.
SMALL_TARGETS_JS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary')) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || el.matches('.govuk-skip-link')) continue;
    if (el.tagName === 'A' && style.display === 'inline' && el.closest('p, li, dd, .govuk-hint, .govuk-footer')) continue;
    if (box.height < 44 || box.width < 44) {
      const name = (el.innerText || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 40);
      small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def assert_touch_targets(page, context: str = ""):
    """Every button, link outside running text and form control is at least 44 by 44 CSS pixels."""
    small = page.evaluate(SMALL_TARGETS_JS)
    assert not small, f"touch targets under 44px on {context or page.url}:\n" + "\n".join(sorted(set(small)))
