"""Every route, requested as anonymous and as each role: the sign-in redirect, 403, or for a role that
may use it the exact answer (200, or a redirect to the expected page), with POSTs sending a valid form
so they do their real work."""

from urllib.parse import urlsplit

import pytest
from flask import url_for

from audit_app.permissions import Role
from tests.conftest import sign_in_as
from tests.factories import user_with
from tests.permission_matrix import (
    API_TOKENS,
    POST_DATA,
    PUBLIC,
    ROUTES,
    ApiScope,
    To,
    api_expected,
    expected,
    expected_anonymous,
    make_api_token_headers,
    make_route_objects,
    url_values,
)

PERSONAS = ["anonymous"] + [r.value for r in Role]


def routes(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_route_is_in_the_matrix(app):
    missing = sorted({r.endpoint for r in routes(app)} - set(ROUTES))
    assert not missing, f"Add these endpoints to tests/permission_matrix.py: {missing}"


def test_every_post_has_valid_data_and_an_expected_answer(app):
    posts = {r.endpoint for r in routes(app) if "POST" in r.methods and ROUTES[r.endpoint]}
    missing = sorted(e for e in posts if e not in POST_DATA or expected(e, "POST") is None)
    assert not missing, f"Add POST_DATA and EXPECTED for these endpoints in tests/permission_matrix.py: {missing}"


def answer_problem(response, want, objects) -> str | None:
    """What is wrong with the response, or None when it is the answer wanted."""
    status, location = response.status_code, response.headers.get("Location", "")
    if isinstance(want, To):
        parts = urlsplit(location)
        path = (
            parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        )
        if status in (302, 303) and want.pattern(objects).match(path):
            return None
        return f"{status} {location or '(no redirect)'}; expected a redirect to {want.pattern(objects).pattern}"
    return None if status == want else f"{status} {location}; expected {want}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(app, persona):
    objects = make_route_objects()
    person = None if persona == "anonymous" else user_with(Role(persona))
    failures = []
    for rule in routes(app):
        allowed = ROUTES[rule.endpoint]
        for method in sorted(rule.methods & {"GET", "POST"}):
            client = app.test_client()
            if person:
                sign_in_as(client, person)
            with app.test_request_context():
                values = url_values(rule.endpoint, rule.arguments, objects)
                url = url_for(rule.endpoint, **values)
            may = allowed == PUBLIC or (person is not None and Role(persona) in allowed)
            data = POST_DATA[rule.endpoint](objects, values) if method == "POST" and may else {}
            response = client.open(url, method=method, data=data)
            status = response.status_code
            with app.test_request_context():
                if isinstance(allowed, ApiScope):  # a cookie session, signed in or not, never authorises the API
                    problem = None if status == 401 and response.is_json else f"{status}; expected a JSON 401"
                elif allowed == PUBLIC and person is None:
                    problem = answer_problem(response, expected_anonymous(rule.endpoint, method), objects)
                elif person is None:
                    sign_in = status == 302 and "/sign-in" in response.headers["Location"]
                    problem = None if sign_in else f"{status}; expected a redirect to sign in"
                elif may:
                    problem = answer_problem(response, expected(rule.endpoint, method), objects)
                else:
                    problem = None if status == 403 else f"{status}; expected 403"
            if problem:
                failures.append(f"{method} {url} ({rule.endpoint}) as {persona}: {problem}")
    assert not failures, "\n".join(failures)


def test_api_token_matrix(app):
    """Every API route with every kind of token: 200 for a live token holding the route's scope, 403 for a
    live one without it, 401 without a token or with an unknown, expired or revoked one; always JSON."""
    objects = make_route_objects()
    headers = make_api_token_headers()
    failures = []
    api_rules = [r for r in routes(app) if isinstance(ROUTES[r.endpoint], ApiScope)]
    assert len(api_rules) == 4
    for rule in api_rules:
        with app.test_request_context():
            url = url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, objects))
        for kind in API_TOKENS:
            response = app.test_client().get(url, headers=headers[kind])
            want = api_expected(ROUTES[rule.endpoint], kind)
            if response.status_code != want or not response.is_json:
                failures.append(f"GET {url} with the {kind} token: {response.status_code}; expected {want} as JSON")
    assert not failures, "\n".join(failures)
