"""Every route, requested as anonymous and as each role: sign-in redirect, 403 or success."""
import pytest
from flask import url_for

from audit_app.permissions import Role
from tests.conftest import sign_in_as
from tests.factories import user_with
from tests.permission_matrix import PUBLIC, ROUTES, make_route_objects, url_values

PERSONAS = ["anonymous"] + [r.value for r in Role]


def routes(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_route_is_in_the_matrix(app):
    missing = sorted({r.endpoint for r in routes(app)} - set(ROUTES))
    assert not missing, f"Add these endpoints to tests/permission_matrix.py: {missing}"


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
                url = url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, objects))
            response = client.open(url, method=method, data={})
            status = response.status_code
            if allowed == PUBLIC:
                ok = status < 500 and status != 403
            elif person is None:
                ok = status == 302 and "/sign-in" in response.headers["Location"]
            elif Role(persona) in allowed:
                to_sign_in = "/sign-in" in response.headers.get("Location", "") and rule.endpoint != "auth.sign_out"
                ok = status < 500 and status not in (401, 403) and not to_sign_in
            else:
                ok = status == 403
            if not ok:
                failures.append(f"{method} {url} ({rule.endpoint}) as {persona}: {status}")
    assert not failures, "\n".join(failures)
