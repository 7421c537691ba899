"""The second factor for local accounts: set-up with a QR code, the code after the password, recovery
codes, the admin gate, REQUIRE_MFA and LOCAL_SIGN_IN."""

import re

import pyotp
import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import RecoveryCode
from audit_app.permissions import Role
from tests.conftest import Clock, get, post, sign_in_as
from tests.factories import PASSWORD, user_with


def sign_in(client, email, **kwargs):
    return post(client, "auth.sign_in", data={"email": email, "password": PASSWORD}, **kwargs)


def enter_code(client, code):
    return post(client, "auth.second_factor", data={"code": code})


def admin_without_second_factor(**kwargs):
    admin = user_with(Role.ADMIN, **kwargs)
    admin.totp_secret = admin.totp_confirmed_at = None
    db.session.commit()
    return admin


def set_up(client, user) -> list[str]:
    """Open the set-up page, type the app's code: the recovery codes shown."""
    page = get(client, "auth.set_up_second_factor")
    assert "<svg" in page.text and "QR code for your authenticator app" in page.text
    db.session.refresh(user)
    response = post(client, "auth.set_up_second_factor", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert "Your second factor is set up" in response.text
    return re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.text)


def test_an_admin_without_a_second_factor_reaches_no_admin_page_until_it_is_set_up(client):
    admin = admin_without_second_factor()
    sign_in_as(client, admin)
    for endpoint in ("admin.users", "admin.index", "main.home"):
        response = get(client, endpoint)
        assert response.status_code == 302 and response.headers["Location"] == "/account/second-factor", endpoint
    assert post(client, "admin.named_list", data={"name": "Sneaky"}, kind="localities").status_code == 302
    wrong = post(client, "auth.set_up_second_factor", data={"code": "000000"})
    assert "Enter the 6-digit code your authenticator app shows now" in wrong.text
    assert get(client, "admin.users").status_code == 302
    codes = set_up(client, admin)
    assert len(codes) == 10
    assert get(client, "admin.users").status_code == 200
    # Only hashes are kept, and the codes are not shown again.
    hashes = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == admin.id)).all()
    assert len(hashes) == 10 and not set(hashes) & {c.replace("-", "") for c in codes}
    assert "10 unused recovery codes" in get(client, "auth.set_up_second_factor").text
    assert codes[0] not in get(client, "auth.set_up_second_factor").text


def test_the_code_is_asked_after_the_password_and_a_replayed_or_wrong_code_is_refused(client):
    admin = user_with(Role.ADMIN)
    response = sign_in(client, admin.email, next="/admin/users")
    assert response.headers["Location"] == "/sign-in/code"
    assert get(client, "admin.users").status_code == 302  # not signed in yet
    assert enter_code(client, "000000").status_code == 200
    code = pyotp.TOTP(admin.totp_secret).now()
    response = enter_code(client, code)
    assert response.headers["Location"] == "/admin/users"
    assert get(client, "admin.users").status_code == 200
    post(client, "auth.sign_out")
    sign_in(client, admin.email)
    response = enter_code(client, code)  # the same code again
    assert "Enter the 6-digit code from your authenticator app, or an unused recovery code" in response.text
    assert get(client, "main.home").status_code == 302


def test_a_recovery_code_works_once(client):
    admin = admin_without_second_factor()
    sign_in_as(client, admin)
    codes = set_up(client, admin)
    post(client, "auth.sign_out")
    sign_in(client, admin.email)
    assert enter_code(client, codes[3].upper()).headers["Location"] == "/"
    post(client, "auth.sign_out")
    sign_in(client, admin.email)
    assert enter_code(client, codes[3]).status_code == 200
    assert get(client, "main.home").status_code == 302
    assert enter_code(client, codes[4]).headers["Location"] == "/"
    assert "8 unused recovery codes" in get(client, "auth.set_up_second_factor").text


def test_wrong_codes_are_throttled_like_passwords(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_MAX_FAILURES", 3)
    admin = user_with(Role.ADMIN)
    sign_in(client, admin.email)
    statuses = [enter_code(client, "000000").status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]  # the third wrong code is the one that makes the account wait
    response = enter_code(client, pyotp.TOTP(admin.totp_secret).now())
    assert response.status_code == 429 and "too many failed attempts" in response.text
    # Typing the right password again does not wipe the count of wrong codes.
    sign_in(client, admin.email)
    assert enter_code(client, "000000").status_code == 429


def test_require_mfa_sends_everyone_with_a_password_to_set_it_up(app, client, monkeypatch):
    auditor = user_with(Role.AUDITOR)
    sign_in_as(client, auditor)
    assert get(client, "main.home").status_code == 200
    monkeypatch.setitem(app.config, "REQUIRE_MFA", True)
    assert get(client, "main.home").headers["Location"] == "/account/second-factor"
    set_up(client, auditor)
    assert get(client, "main.home").status_code == 200


@pytest.mark.parametrize("email, allowed", [("breakglass@example.org", True), ("someone@example.org", False)])
def test_with_local_sign_in_off_only_break_glass_admins_use_a_password(app, client, monkeypatch, email, allowed):
    monkeypatch.setitem(app.config, "LOCAL_SIGN_IN", False)
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "https://login.example.org/tenant/v2.0")  # only its button shows
    monkeypatch.setitem(app.config, "BREAK_GLASS_EMAILS", ["breakglass@example.org"])
    person = user_with(Role.ADMIN if allowed else Role.AUDITOR, email=email)
    page = get(client, "auth.sign_in").text
    assert 'name="password"' not in page and "Sign in with your council account" in page
    assert 'name="password"' in get(client, "auth.sign_in", break_glass=1).text
    response = sign_in(client, person.email)
    if allowed:
        assert response.headers["Location"] == "/sign-in/code"
    else:
        assert response.status_code == 403 and "this service does not use passwords" in response.text


def test_an_admin_resets_a_lost_second_factor_and_the_person_sets_up_a_new_one(app, client):
    admin = user_with(Role.ADMIN)
    lost = user_with(Role.ADMIN, display_name="Lost Phone")
    sign_in_as(client, admin)
    assert "Reset their second factor" in get(client, "admin.user", user_id=lost.id).text
    response = post(client, "admin.reset_second_factor", user_id=lost.id, follow_redirects=True)
    assert "Reset the second factor of Lost Phone" in response.text
    history = response.text.partition("Changes to this account")[2]
    assert '<td class="govuk-table__cell">second factor</td>' in history and ">Reset</td>" in history
    db.session.refresh(lost)
    assert lost.totp_secret is None and not lost.has_second_factor
    other = app.test_client()
    assert sign_in(other, lost.email).headers["Location"] == "/"  # no code to ask for any more
    assert get(other, "admin.users").headers["Location"] == "/account/second-factor"


def test_production_refuses_local_sign_in_off_without_single_sign_on(monkeypatch):
    from audit_app import create_app

    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "z" * 48)
    with pytest.raises(RuntimeError, match="LOCAL_SIGN_IN=0 needs single sign-on"):
        create_app("production", LOCAL_SIGN_IN=False)
    with pytest.raises(RuntimeError, match="OIDC_CLIENT_ID"):
        create_app("production", OIDC_ISSUER="https://login.example.org/tenant/v2.0")


def test_the_code_must_follow_the_password_within_five_minutes(client, monkeypatch):
    clock = Clock(
        monkeypatch,
        timestamp_targets=["audit_app.auth.routes.now_timestamp", "audit_app.auth.mfa_routes.now_timestamp"],
    )
    admin = user_with(Role.ADMIN)
    sign_in(client, admin.email)
    clock.advance(minutes=5, seconds=1)
    response = enter_code(client, pyotp.TOTP(admin.totp_secret).now())
    assert response.headers["Location"] == "/sign-in"
    assert "It took more than 5 minutes to enter your code" in client.get("/sign-in").text
    assert get(client, "main.home").status_code == 302
