"""The reporting API's tokens and answers: shown once, stored hashed, expiring, revocable, scoped, each use
logged; errors as JSON with the security headers; the token pages and the connection guide."""

import hashlib
import json

import pytest
from sqlalchemy import select

from audit_app.api import tokens
from audit_app.extensions import db
from audit_app.models import ApiToken, ApiTokenUse, ChangeLog
from audit_app.permissions import Role
from tests.conftest import get, post, sign_in_as
from tests.factories import user_with


@pytest.fixture
def admin_client(client):
    sign_in_as(client, user_with(Role.ADMIN))
    return client


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def new_token_form(**changes) -> dict:
    return {
        "purpose": "Power BI: quarterly QA dashboard",
        "scopes": ["judgements", "themes"],
        "lifetime": "90",
    } | changes


def create_through_the_page(client, form_token="a-form-token-of-sixteen-chars-or-more"):
    response = post(client, "api_tokens.new", data=new_token_form(form_token=form_token))
    page = response.get_data(as_text=True)
    secret = page.split('id="api-token">', 1)[1].split("<", 1)[0] if 'id="api-token">' in page else None
    return response, page, secret


def test_a_token_is_shown_once_and_only_its_hash_is_kept(admin_client):
    response, page, secret = create_through_the_page(admin_client)
    assert response.status_code == 200 and secret and secret.startswith(tokens.SECRET_PREFIX)
    token = db.session.scalar(select(ApiToken))
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scope_list == ["judgements", "themes"]
    # Nowhere else: not on the list, not in the change log.
    assert secret not in get(admin_client, "api_tokens.index").get_data(as_text=True)
    logged = " ".join(str(c.new_value) for c in db.session.scalars(select(ChangeLog)))
    assert secret not in logged and token.secret_hash not in logged
    assert "Power BI: quarterly QA dashboard" in logged  # the creation is in the change log, in words
    # The token works.
    assert get(admin_client, "api.themes", headers=bearer(secret)).status_code == 200


def test_the_same_form_sent_twice_makes_one_token_and_does_not_show_the_secret_again(admin_client):
    _, _, first = create_through_the_page(admin_client)
    _, page, second = create_through_the_page(admin_client)
    assert first and second is None
    assert "You had already sent this form" in page
    assert len(db.session.scalars(select(ApiToken)).all()) == 1


@pytest.mark.parametrize(
    "form, error",
    [
        (new_token_form(purpose=""), "Enter what the token is for"),
        (new_token_form(scopes=[]), "Select at least one kind of data"),
        (new_token_form(scopes=["everything"]), "Select only the kinds of data listed"),
        (new_token_form(lifetime="3650"), "Select one of the expiry times listed"),
        (new_token_form(purpose="x" * 121), "120 characters or fewer"),
    ],
)
def test_the_create_form_says_what_is_wrong_and_keeps_what_was_typed(admin_client, form, error):
    response = post(admin_client, "api_tokens.new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page and error in page
    if form["purpose"] and len(form["purpose"]) <= 120:
        assert form["purpose"] in page
    assert db.session.scalar(select(ApiToken)) is None


def test_missing_malformed_and_unknown_tokens_get_a_json_401_with_the_security_headers(client):
    for headers in ({}, {"Authorization": "Basic abc"}, bearer("qaapi_" + "x" * 43), bearer("not-ours")):
        response = get(client, "api.judgements", headers=headers)
        assert response.status_code == 401 and response.mimetype == "application/problem+json"
        assert response.json["status"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.headers["Content-Security-Policy"] and response.headers["Cache-Control"] == "no-store"


def test_a_signed_in_session_does_not_authorise_the_api(admin_client):
    sign_in_as(admin_client, user_with(Role.QA_LEAD))
    assert get(admin_client, "api.judgements").status_code == 401


def test_an_old_cookie_session_does_not_turn_an_api_answer_into_a_sign_in_redirect(app, admin_client):
    token = tokens.create_token("Power BI", ["themes"], 30, None)
    with admin_client.session_transaction() as session:
        session["last_seen"] = session["signed_in_at"] = 0  # idle for decades
    response = get(admin_client, "api.themes", headers=bearer(token.secret))
    assert response.status_code == 200 and response.is_json


def test_refused_tokens_are_security_events(app, caplog):
    token = tokens.create_token("Power BI", ["themes"], 30, None)
    client = app.test_client()
    with caplog.at_level("INFO", logger="audit_app.security"):
        get(client, "api.actions", headers=bearer(token.secret))
        get(client, "api.actions", headers=bearer("qaapi_unknown"))
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "audit_app.security"]
    assert [(e["event"], e["outcome"], e["token"]) for e in events] == [
        ("api_token", "out_of_scope", token.id),
        ("api_token", "refused", None),
    ]
    assert token.secret not in caplog.text


def test_an_expired_token_is_refused(app):
    token = tokens.create_token("R scripts", ["plan"], 30, None)
    headers = bearer(token.secret)
    client = app.test_client()
    assert get(client, "api.actions", headers=headers).status_code == 200
    token.expires_at = tokens.utcnow() - tokens.timedelta(seconds=1)
    db.session.commit()
    assert get(client, "api.actions", headers=headers).status_code == 401


def test_a_revoked_token_is_refused_and_the_revocation_logged(admin_client):
    token = tokens.create_token("Excel workbook", ["indicators"], 30, None)
    headers = bearer(token.secret)
    assert get(admin_client, "api.indicators", headers=headers).status_code == 200
    response = post(admin_client, "api_tokens.revoke", token_id=token.id)
    assert response.status_code == 302
    assert get(admin_client, "api.indicators", headers=headers).status_code == 401
    changes = db.session.scalars(select(ChangeLog).where(ChangeLog.record_type == "api_token")).all()
    assert ("status", "Active", "Revoked") in {(c.field, c.old_value, c.new_value) for c in changes}
    page = get(admin_client, "api_tokens.index").get_data(as_text=True)
    assert "Revoked" in page and "Revoke<span" not in page  # no button on a revoked token


def test_a_token_without_the_scope_gets_a_json_403(app):
    token = tokens.create_token("Themes only", ["themes"], 30, None)
    client = app.test_client()
    for endpoint in ("api.judgements", "api.actions", "api.indicators"):
        response = get(client, endpoint, headers=bearer(token.secret))
        assert response.status_code == 403 and response.json["title"] == "Forbidden"
    assert get(client, "api.themes", headers=bearer(token.secret)).status_code == 200


def test_every_use_is_logged_and_the_list_shows_the_last_use(admin_client):
    token = tokens.create_token("Power BI", ["themes"], 30, None)
    get(admin_client, "api.themes", headers=bearer(token.secret))
    get(admin_client, "api.judgements", headers=bearer(token.secret))
    get(admin_client, "api.judgements")
    uses = db.session.scalars(select(ApiTokenUse).order_by(ApiTokenUse.id)).all()
    assert [(u.token_id, u.endpoint, u.status) for u in uses] == [
        (token.id, "api.themes", 200),
        (token.id, "api.judgements", 403),
        (None, "api.judgements", 401),
    ]
    page = get(admin_client, "api_tokens.index").get_data(as_text=True)
    assert "2 requests" in page and "Never" not in page


@pytest.mark.parametrize(
    "args, words",
    [
        ({"period": "2021-Q5"}, "period must be"),
        ({"period": "1999"}, "period must be"),
        ({"period_from": "2021-03"}, "period_from and period_to"),
        ({"team": "2147483648"}, "team must be a record id"),
        ({"locality": "١"}, "locality must be a record id"),
        ({"source": "everything"}, "source must be one of"),
        ({"grades": "best"}, "grades must be one of"),
        ({"case_type": "unknown"}, "case_type must be one of"),
        ({"limit": "0"}, "limit must be"),
        ({"limit": "1001"}, "limit must be"),
        ({"cursor": "bm9wZQ"}, "cursor is not one"),
        ({"cursor": "eyJwYXJ0IjoieCIsImFmdGVyIjoxfQ"}, "cursor is not one"),
        ({"cursor": "%%%"}, "cursor is not one"),
    ],
)
def test_bad_filters_and_cursors_get_a_json_400_saying_which(app, args, words):
    token = tokens.create_token("Power BI", ["judgements"], 30, None)
    response = get(app.test_client(), "api.judgements", headers=bearer(token.secret), **args)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert words in response.json["detail"]


def test_unknown_addresses_and_a_failure_are_json_never_the_html_page(app, monkeypatch):
    token = tokens.create_token("Power BI", ["indicators"], 30, None)
    client = app.test_client()
    for path in ("/api/v1/no-such-thing", "/api/v1/", "/api/v1/judgements/1"):
        response = client.get(path, headers=bearer(token.secret))
        assert response.status_code == 404 and response.is_json, path
    response = client.delete("/api/v1/judgements", headers=bearer(token.secret))
    assert response.status_code == 404 and response.is_json

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("audit_app.api.data.indicators_page", broken)
    response = get(client, "api.indicators", headers=bearer(token.secret))
    assert response.status_code == 500 and response.json["status"] == 500 and "a bug" not in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_openapi_document_describes_every_operation_and_the_bearer_scheme(app, client):
    document = get(client, "api.openapi_document").json
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token made by an administrator.",
    }
    documented = {path for path in document["paths"]}
    routed = {r.rule.removeprefix("/api/v1") for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert documented == routed - {"/openapi.json", "/<path:anything>", "/"}
    for path, item in document["paths"].items():
        assert {"200", "401", "403"} <= set(item["get"]["responses"]), path
    json.dumps(document)  # plain JSON throughout


@pytest.mark.parametrize("role, status", [(Role.ADMIN, 200), (Role.QA_LEAD, 200), (Role.SENIOR_MANAGER, 403)])
def test_the_guide_gives_the_api_address_and_the_power_bi_steps(client, role, status):
    sign_in_as(client, user_with(role))
    response = get(client, "api_tokens.guide")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert "http://localhost/api/v1" in page and "Authorization" in page and "Advanced" in page
        assert "req_auth_bearer_token" in page
        assert ("You can create one on" in page) is (role == Role.ADMIN)


def test_a_use_log_that_cannot_be_written_does_not_change_the_answer(app, monkeypatch):
    token = tokens.create_token("Power BI", ["themes"], 30, None)

    def database_gone(*args, **kwargs):
        raise RuntimeError("the log could not be written")

    monkeypatch.setattr(tokens, "log_use", database_gone)
    response = get(app.test_client(), "api.themes", headers=bearer(token.secret))
    assert response.status_code == 200 and response.is_json
