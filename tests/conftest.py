"""Test set-up shared by every test.

The `app` fixture runs each test that uses it on SQLite and, when TEST_DATABASE_URL is set,
again on PostgreSQL. Tests may call services directly: an app context is pushed for them.
Every table is emptied after each test, so tests can commit like the real app does.
"""

import html
import os
import re
import sys
import tempfile
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from flask import current_app, g, url_for
from flask.testing import FlaskClient
from sqlalchemy import delete, event

from audit_app import create_app
from audit_app.extensions import db
from audit_app.permissions import Role
from tests.factories import user_with

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
_sqlite_dir = tempfile.mkdtemp(prefix="qa-tests-")
# The practitioner tests' `scene` fixture, kept with the scene it makes.
pytest_plugins = ["tests.practitioner_scene"]


def database_url(name: str) -> str:
    if name == "postgresql":
        return POSTGRES_URL
    return f"sqlite:///{_sqlite_dir}/test.db"


def pytest_report_header(config):
    return f"databases: {', '.join(DATABASES)}" + ("" if POSTGRES_URL else " (set TEST_DATABASE_URL for PostgreSQL)")


class FreshRequestClient(FlaskClient):
    """Requests share the test's app context (so tests see the same session); clear `g`
    before each one, as a real request starts with an empty `g` (Flask-Login caches the user there)."""

    def open(self, *args, **kwargs):
        for name in list(vars(g)):
            delattr(g, name)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session", params=DATABASES)
def app(request):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url(request.param))
    app.test_client_class = FreshRequestClient
    app.config["DATABASE_NAME"] = request.param
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context_and_clean_tables(request):
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in_as(client, user) -> None:
    """Put a signed-in session in the test client's cookie, as sign-in would."""
    db.session.commit()  # end this test's read transaction, so the latest token is seen
    db.session.refresh(user)
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
        session["last_seen"] = datetime.now(UTC).timestamp()


@pytest.fixture
def qa_client(client):
    """The test client, signed in as a QA lead."""
    sign_in_as(client, user_with(Role.QA_LEAD))
    return client


def url(client, endpoint: str, **values) -> str:
    """The URL of an endpoint, as the app builds it (url_for), so tests follow the routes, not copies of them."""
    with client.application.test_request_context():
        return url_for(endpoint, **values)


def path_for(endpoint: str, **values) -> str:
    """The URL of an endpoint in the running test's app, where no client is at hand (links, redirects, tables)."""
    return url(current_app.test_client(), endpoint, **values)


def date_boxes(day) -> list[str]:
    """A date as its three boxes post it (day, month, year): `data={"due_date": date_boxes(date(2022, 3, 31))}`."""
    return [str(day.day), str(day.month), str(day.year)]


def text_of_html(page: str) -> str:
    """HTML as a person reads it: scripts, styles and charts dropped, tags removed, entities decoded, spaces collapsed."""
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def text_of(response) -> str:
    """A response's page as a person reads it (text_of_html)."""
    return text_of_html(response.get_data(as_text=True))


def get(client, endpoint: str, headers=None, follow_redirects=False, **values):
    """GET an endpoint by name: `get(client, "themes.summary", period="2021-Q4")`."""
    return client.get(url(client, endpoint, **values), headers=headers, follow_redirects=follow_redirects)


def post(client, endpoint: str, data=None, headers=None, follow_redirects=False, content_type=None, **values):
    """POST a form to an endpoint by name: `post(client, "themes.merge", data={...}, theme_id=3)`."""
    return client.post(
        url(client, endpoint, **values),
        data=data,
        headers=headers,
        follow_redirects=follow_redirects,
        content_type=content_type,
    )


def at_the_same_moment(calls) -> list:
    """Each call in its own thread, all released at once; their results in order (a request's own app context
    gives each its own database session)."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i):
        start.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def race(app, person, posts) -> list:
    """Send the posts, (url, data) pairs, at the same moment as `person`, each from its own signed-in client."""
    clients = [FlaskClient(app, app.response_class, use_cookies=True) for _ in posts]
    for client in clients:
        sign_in_as(client, person)
    db.session.commit()
    return at_the_same_moment([partial(client.post, url, data=data) for client, (url, data) in zip(clients, posts)])


@contextmanager
def statements():
    """Every statement sent to the database inside the block (an executemany counts once). A block that sent
    none fails: an upper bound on the count would hold for a listener that heard nothing."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert seen, "no statement was recorded inside the block"


class Clock:
    """Time that a test moves on instead of sleeping: replaces the clock functions it is given."""

    def __init__(self, monkeypatch, *utcnow_targets, timestamp_targets=()):
        self.now = datetime.now(UTC)
        for target in utcnow_targets:
            monkeypatch.setattr(target, lambda: self.now)
        for target in timestamp_targets:
            monkeypatch.setattr(target, lambda: self.now.timestamp())

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF checks on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


# --- CI guard: PostgreSQL and browser tests must run, not skip, when required ----------------


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus != 0:
        return
    passed = [r.nodeid for r in reporter.stats.get("passed", [])]
    problems = []
    if os.environ.get("REQUIRE_POSTGRESQL") and not any("postgresql" in n for n in passed):
        problems.append("REQUIRE_POSTGRESQL is set but no PostgreSQL test passed (is TEST_DATABASE_URL set?)")
    if os.environ.get("REQUIRE_BROWSER") and not any(n.startswith("tests/browser/") for n in passed):
        problems.append("REQUIRE_BROWSER is set but no browser test passed (is /usr/bin/chromium installed?)")
    skipped = reporter.stats.get("skipped", [])
    if os.environ.get("REQUIRE_POSTGRESQL") or os.environ.get("REQUIRE_BROWSER"):
        for report in skipped:
            if "postgresql" in report.nodeid or report.nodeid.startswith("tests/browser/"):
                problems.append(f"skipped but required: {report.nodeid}")
    if problems:
        reporter.write_line("")
        for problem in problems:
            reporter.write_line(f"CI GUARD FAILED: {problem}", red=True)
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    """The route fuzzing's figures (tests/integration/test_fuzz_routes.py), when it ran."""
    fuzz = sys.modules.get("tests.integration.test_fuzz_routes")
    if fuzz is None or not fuzz.STATS["requests"]:
        return
    endpoints = {endpoint for endpoint, _ in fuzz.FUZZED}
    terminalreporter.write_sep("-", "route fuzzing")
    terminalreporter.write_line(
        f"{len(endpoints)} endpoints, {len(fuzz.FUZZED)} endpoint x persona pairs; {fuzz.STATS['requests']} requests "
        f"generated with {fuzz.STATS['query parameters']} query parameters and {fuzz.STATS['form fields']} form fields"
    )
    blueprints = {endpoint.split(".")[0] for endpoint in endpoints}
    if missed := sorted(e for e in set(fuzz.ROUTES) - endpoints if e.split(".")[0] in blueprints):
        terminalreporter.write_line(f"not fuzzed (their blueprint's test stopped early): {', '.join(missed)}")
