"""The security baseline: CSRF, headers on every route, production settings, health and error pages."""

import re

import pytest

from audit_app import create_app
from audit_app.permissions import Role
from tests.conftest import get, post, sign_in_as
from tests.factories import user_with
from tests.permission_matrix import get_urls, make_route_objects


def test_a_post_without_a_csrf_token_gets_400(csrf_app, caplog):
    caplog.set_level("INFO", logger="audit_app.security")
    client = csrf_app.test_client()
    response = post(client, "auth.sign_in", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "The form could not be accepted" in response.text
    assert "Traceback" not in response.text
    assert any('"event": "csrf"' in r.getMessage() for r in caplog.records)


def test_every_signed_in_post_needs_the_token(csrf_app):
    user = user_with(Role.ADMIN)
    client = csrf_app.test_client()
    sign_in_as(client, user)
    assert post(client, "auth.sign_out").status_code == 400
    assert post(client, "admin.named_list", kind="localities", data={"name": "West"}).status_code == 400


def test_htmx_sends_the_csrf_token_in_a_header(csrf_app):
    user = user_with(Role.ADMIN)
    client = csrf_app.test_client()
    sign_in_as(client, user)
    page = get(client, "admin.named_list", kind="localities").text
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = post(
        client,
        "admin.named_list",
        kind="localities",
        data={"name": "West"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 302


def assert_security_headers(response, where):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp, where
    if response.mimetype == "image/svg+xml":
        # A chart may style itself, but loads nothing and runs no script.
        assert csp.startswith("default-src 'none';") and "script-src" not in csp, where
    else:
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp, where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    assert response.headers.get("Cache-Control") == "no-store", where


def test_every_route_carries_the_security_headers(app):
    admin = user_with(*Role)
    objects = make_route_objects()
    client = app.test_client()
    checked = 0
    for url in get_urls(app, objects):
        for signed_in in (False, True):
            if signed_in:
                sign_in_as(client, admin)
            assert_security_headers(client.get(url), f"{url} signed_in={signed_in}")
            checked += 1
    assert checked >= 20
    assert_security_headers(client.get("/no-such-page"), "404")  # a literal URL: no endpoint has it


def test_production_refuses_to_start_without_a_real_secret(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    for secret in (None, "", "dev", "too-short"):
        if secret is None:
            monkeypatch.delenv("SECRET_KEY", raising=False)
        else:
            monkeypatch.setenv("SECRET_KEY", secret)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app("production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_sends_hsts_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "y" * 48)
    app = create_app("production")
    client = app.test_client()
    response = get(client, "auth.sign_in")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_health_check_reports_the_database(client, tmp_path):
    assert get(client, "main.healthz").json == {"status": "ok", "database": "ok"}
    broken = create_app("testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = get(broken.test_client(), "main.healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_error_pages_are_in_the_service_style_without_a_stack_trace(client):
    user = user_with(Role.AUDITOR)
    sign_in_as(client, user)
    not_found = client.get("/no-such-page")  # a literal URL: no endpoint has it
    assert not_found.status_code == 404 and "Page not found" in not_found.text and "govuk-header" not in not_found.text
    forbidden = get(client, "admin.users")
    assert forbidden.status_code == 403
    assert "ask an administrator to add the role" in forbidden.text


def test_an_unexpected_error_shows_the_500_page():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise ValueError("secret internal detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
