"""Static files as a tablet on a weak connection gets them: hashed names cached for good, compressed, and
with the same security headers as every page; pages and htmx fragments compressed too."""

import gzip
import re

import brotli
import pytest

from audit_app import create_app
from audit_app.security import security_headers
from config import BASE_DIR
from tests.conftest import get, url

STATIC = BASE_DIR / "static"
A_YEAR = 365 * 24 * 3600


def static_url(client, filename):
    return url(client, "static", filename=filename)


def assert_security_headers(response, config, where):
    for name, value in security_headers(config).items():
        assert response.headers.get(name) == value, f"{where}: {name}"


def test_templates_link_hashed_names_that_are_cached_for_good(client, app):
    page = get(client, "auth.sign_in").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert len(links) >= 4
    for link in links:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", link), link
        response = client.get(link)
        assert response.status_code == 200, link
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache)[1]) >= A_YEAR, link
        assert_security_headers(response, app.config, link)


def test_a_hashed_name_changes_with_the_content(client):
    name = static_url(client, "css/app.css")
    assert name.startswith("/static/css/app.") and name != "/static/css/app.css"
    served = client.get(name).get_data()
    assert served == (STATIC / "css" / "app.css").read_bytes()


@pytest.mark.parametrize(
    ("accepted", "encoding", "decode"),
    [("br, gzip", "br", brotli.decompress), ("gzip, deflate", "gzip", gzip.decompress), (None, None, bytes)],
)
def test_static_files_are_sent_in_the_smallest_encoding_the_browser_accepts(client, accepted, encoding, decode):
    source = (STATIC / "vendor" / "govuk-frontend" / "govuk-frontend.min.css").read_bytes()
    headers = {"Accept-Encoding": accepted} if accepted else {}
    response = client.get(static_url(client, "vendor/govuk-frontend/govuk-frontend.min.css"), headers=headers)
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decode(response.get_data()) == source
    if encoding:
        assert len(response.get_data()) < len(source) / 4


def test_a_module_imports_what_it_needs_by_its_hashed_name(client):
    app_js = client.get(static_url(client, "js/app.js")).get_data(as_text=True)
    imported = re.search(r'from "(\.\./vendor/govuk-frontend/[^"]+)"', app_js)[1]
    assert imported == "../" + static_url(client, "vendor/govuk-frontend/govuk-frontend.min.js").removeprefix(
        "/static/"
    )
    response = client.get("/static/" + imported.removeprefix("../"))
    assert response.status_code == 200 and "immutable" in response.headers["Cache-Control"]


def test_every_answer_for_a_static_file_carries_the_security_headers(client, app):
    hashed = static_url(client, "js/app.js")
    first = client.get(hashed)
    answers = {
        "unhashed name": client.get("/static/js/app.js"),
        "304 not modified": client.get(hashed, headers={"If-None-Match": first.headers["ETag"]}),
        "405 for a POST": client.post(hashed),
        "416 for a bad range": client.get(hashed, headers={"Range": "bytes=999999-"}),
        "404 for a missing file": client.get("/static/js/no-such-file.js"),
    }
    assert [r.status_code for r in answers.values()] == [200, 304, 405, 416, 404]
    for where, response in answers.items():
        assert_security_headers(response, app.config, where)
    # An unhashed name may change in place: kept a minute, never for good.
    assert answers["unhashed name"].headers["Cache-Control"] == "max-age=60, public"


def test_static_files_carry_hsts_in_production(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "z" * 48)
    client = create_app("production").test_client()
    response = client.get(static_url(client, "css/app.css"))
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_pages_and_fragments_are_sent_compressed_to_browsers_that_accept_it(client):
    plain = get(client, "auth.sign_in")
    assert "Content-Encoding" not in plain.headers
    for accepted, encoding, decode in (
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
    ):
        response = get(client, "auth.sign_in", headers={"Accept-Encoding": accepted})
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert "no-store" in response.headers["Cache-Control"]
        page = decode(response.get_data()).decode()
        assert "<h1" in page and "Sign in" in page
        assert len(response.get_data()) < len(plain.get_data()) / 2


def test_a_static_file_read_by_the_server_itself_keeps_its_own_name(client):
    """Fallback error pages link the plain name: it is served too, compressed."""
    response = client.get("/static/vendor/govuk-frontend/govuk-frontend.min.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"


def test_while_developing_files_are_served_as_they_are_edited():
    client = create_app("testing", DEBUG=True).test_client()
    assert static_url(client, "css/app.css") == "/static/css/app.css"
    assert client.get("/static/css/app.css").get_data() == (STATIC / "css" / "app.css").read_bytes()
