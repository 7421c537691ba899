"""Single sign-on against a real OpenID Connect provider (oidc-provider-mock on loopback): the whole flow
with the test client, and every way it must refuse, each with a clear page and a security-log event."""

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from audit_app.auth.oidc import init_oidc
from audit_app.extensions import db
from audit_app.models import ChangeLog, User
from audit_app.permissions import Role
from tests.conftest import get, post
from tests.factories import user_with
from tests.oidc_provider import path_of, running_provider

CLIENT_ID = "qa-service"


@pytest.fixture(scope="module")
def provider():
    with running_provider() as provider:
        yield provider


def _use_provider(app, provider, monkeypatch, **settings):
    config = {
        "OIDC_ISSUER": provider.base_url,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": "client-secret",
        "OIDC_ALLOWED_DOMAINS": ["example.org"],
        "OIDC_ROLE_GROUPS": {},
        **settings,
    }
    for name, value in config.items():
        monkeypatch.setitem(app.config, name, value)
    init_oidc(app)


@pytest.fixture(autouse=True)
def _security_log(caplog):
    caplog.set_level(logging.INFO, "audit_app.security")


def known_person(provider, subject: str, email: str, **account):
    """An auditor an admin has added, and the same person at the provider with a verified email."""
    user_with(Role.AUDITOR, email=email, **account)
    provider.add_user(subject, email=email, email_verified=True)


@pytest.fixture
def sso(app, provider, monkeypatch):
    provider.tamper.client_id = provider.tamper.jwks = None
    _use_provider(app, provider, monkeypatch)
    return provider


def start(client) -> str:
    response = get(client, "auth.sso_start")
    assert response.status_code == 302
    assert "code_challenge_method=S256" in response.headers["Location"]
    assert "nonce=" in response.headers["Location"] and "state=" in response.headers["Location"]
    return response.headers["Location"]


def sign_in_through(client, provider, subject: str):
    """The person's journey: the service sends them to the provider, they sign in, it sends them back."""
    back = provider.sign_in_at_provider(start(client), subject)
    return back, client.get(path_of(back))


def security_events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "audit_app.security"]


def refused(caplog, response, status, title, reason, detail=None):
    assert response.status_code == status
    assert title in response.text
    assert "Go to the sign-in page" in response.text
    event = security_events(caplog)[-1]
    assert (event["event"], event["outcome"], event["reason"]) == ("sso_sign_in", "refused", reason)
    if detail:
        assert event["detail"] == detail


def test_the_sign_in_page_offers_the_council_account_only_when_configured(app, client, sso, monkeypatch):
    assert "Sign in with your council account" in get(client, "auth.sign_in").text
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "")
    assert "council account" not in get(client, "auth.sign_in").text
    assert get(client, "auth.sso_start").status_code == 404


def test_a_person_added_by_an_admin_is_linked_by_verified_email_then_known_by_their_subject(client, sso, caplog):
    person = user_with(Role.AUDITOR, email="sam.auditor@example.org", display_name="Sam Auditor")
    sso.add_user("sub-sam", email="sam.auditor@example.org", email_verified=True, oid="entra-oid-sam")
    _, response = sign_in_through(client, sso, "sub-sam")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Hello, Sam Auditor" in client.get("/").text
    db.session.refresh(person)
    assert person.oidc_subject == "entra-oid-sam"  # Entra's oid, not sub
    assert person.last_sign_in_at is not None
    linked = db.session.scalar(select(ChangeLog).where(ChangeLog.field == "oidc_subject"))
    assert (linked.user_id, linked.new_value) == (person.id, "entra-oid-sam")
    assert security_events(caplog)[-1]["outcome"] == "success"

    # Later the email changes at the provider: the subject still finds the same account.
    post(client, "auth.sign_out")
    sso.add_user("sub-sam", email="sam.renamed@example.org", email_verified=True, oid="entra-oid-sam")
    _, response = sign_in_through(client, sso, "sub-sam")
    assert "Hello, Sam Auditor" in client.get("/").text


def test_an_unverified_email_links_no_account(client, sso, caplog):
    user_with(Role.ADMIN, email="admin.person@example.org")
    sso.add_user("sub-unverified", email="admin.person@example.org", email_verified=False)
    _, response = sign_in_through(client, sso, "sub-unverified")
    refused(caplog, response, 403, "Your council account cannot be used for this service", "domain")


def test_unknown_person_is_refused_and_no_account_is_made(client, sso, caplog):
    sso.add_user("sub-stranger", email="stranger@example.org", email_verified=True)
    _, response = sign_in_through(client, sso, "sub-stranger")
    refused(caplog, response, 403, "You do not have an account for this service", "unknown_user")
    assert db.session.scalar(select(User).where(User.email == "stranger@example.org")) is None
    assert get(client, "main.home").status_code == 302  # not signed in


def test_a_group_mapped_to_a_role_makes_the_account(app, client, sso, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_ROLE_GROUPS", {"group-qa": "qa_lead"})
    sso.add_user(
        "sub-new", email="new.lead@example.org", email_verified=True, name="New Lead", groups=["group-qa", "other"]
    )
    _, response = sign_in_through(client, sso, "sub-new")
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "new.lead@example.org"))
    assert created.roles == {Role.QA_LEAD} and created.oidc_subject == "sub-new"


def test_a_disabled_person_is_refused(client, sso, caplog):
    known_person(sso, "sub-left", "left@example.org", is_enabled=False)
    _, response = sign_in_through(client, sso, "sub-left")
    refused(caplog, response, 403, "Your account for this service has been disabled", "disabled")
    assert get(client, "main.home").status_code == 302


def test_a_replayed_state_is_refused(client, sso, caplog):
    known_person(sso, "sub-replay", "replay@example.org")
    back, response = sign_in_through(client, sso, "sub-replay")
    assert response.status_code == 302
    post(client, "auth.sign_out")
    response = client.get(path_of(back))  # the same answer from the provider, again
    refused(caplog, response, 400, "This sign-in link has expired or has already been used", "state")
    assert get(client, "main.home").status_code == 302


def test_a_token_for_another_service_is_refused(client, sso, caplog):
    known_person(sso, "sub-aud", "aud@example.org")
    sso.tamper.client_id = "another-service"
    _, response = sign_in_through(client, sso, "sub-aud")
    refused(caplog, response, 400, "We could not confirm your sign-in", "token", "wrong_audience")


def test_a_token_with_a_bad_signature_is_refused(client, sso, caplog):
    known_person(sso, "sub-sig", "sig@example.org")
    sso.publish_wrong_keys()
    _, response = sign_in_through(client, sso, "sub-sig")
    refused(caplog, response, 400, "We could not confirm your sign-in", "token", "bad_signature")


def test_an_expired_token_is_refused(app, client, monkeypatch, caplog):
    with running_provider(token_lifetime=timedelta(minutes=-10)) as late:
        _use_provider(app, late, monkeypatch)
        known_person(late, "sub-late", "late@example.org")
        _, response = sign_in_through(client, late, "sub-late")
    refused(caplog, response, 400, "We could not confirm your sign-in", "token", "expired")


def test_sign_out_ends_the_session_and_offers_the_providers_sign_out(client, sso):
    known_person(sso, "sub-out", "out@example.org")
    sign_in_through(client, sso, "sub-out")
    response = post(client, "auth.sign_out", follow_redirects=True)
    assert "You have signed out of this service" in response.text
    assert f'href="{sso.base_url}/oauth2/end_session?post_logout_redirect_uri=' in response.text
    assert get(client, "main.home").status_code == 302


def test_with_mapped_groups_a_movers_roles_follow_their_groups(app, client, sso, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_ROLE_GROUPS", {"group-auditors": "auditor", "group-qa": "qa_lead"})
    mover = user_with(Role.AUDITOR, Role.SENIOR_MANAGER, email="mover@example.org")
    sso.add_user("sub-mover", email="mover@example.org", email_verified=True, groups=["group-qa"])
    sign_in_through(client, sso, "sub-mover")
    db.session.refresh(mover)
    assert mover.roles == {Role.QA_LEAD, Role.SENIOR_MANAGER}  # senior manager is not the mapping's to take
    change = db.session.scalar(select(ChangeLog).where(ChangeLog.field == "roles (from council groups)"))
    assert (change.user_id, change.old_value, change.new_value) == (
        None,
        "auditor, senior_manager",
        "qa_lead, senior_manager",
    )


def test_a_second_identity_with_the_same_email_cannot_take_over_a_linked_account(app, client, sso, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_ROLE_GROUPS", {"group-admins": "admin"})
    known_person(sso, "sub-first", "taken@example.org")
    sign_in_through(client, sso, "sub-first")
    post(client, "auth.sign_out")
    sso.add_user("sub-second", email="taken@example.org", email_verified=True, groups=["group-admins"])
    _, response = sign_in_through(client, sso, "sub-second")
    assert response.status_code == 403
    assert "Your email address is already linked to another council account" in response.text
    assert len(db.session.scalars(select(User).where(User.email == "taken@example.org")).all()) == 1
