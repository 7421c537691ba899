"""Single sign-on with OpenID Connect (Microsoft Entra ID or any other provider), through Authlib.

Authlib does the protocol: the authorisation code flow with PKCE (S256), a state and a nonce kept in the
session and used once, and the ID token checked against the provider's JWKS (signature) and for issuer,
audience, expiry and nonce. This module decides who the person is: the provider's stable subject (Entra
`oid`, else `sub`) on the account, linked at first sign-in by verified email; no account unless an admin
added the person or one of their groups maps to a role.
"""

import secrets
from dataclasses import dataclass

from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Flask, current_app
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ..admin.services import set_roles
from ..changelog import acting_as
from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..permissions import Role

PROVIDER = "council"


def sso_enabled() -> bool:
    return bool(current_app.config.get("OIDC_ISSUER"))


def init_oidc(app: Flask) -> None:
    """Register the provider from the OIDC_* settings; nothing is fetched until someone signs in.
    Each call starts a new registry, so changed settings never meet keys or metadata cached before."""
    oauth = OAuth(app)
    issuer = app.config.get("OIDC_ISSUER", "").rstrip("/")
    if not issuer:
        return
    oauth.register(
        PROVIDER,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
        overwrite=True,
    )


def provider():
    return current_app.extensions["authlib.integrations.flask_client"].create_client(PROVIDER)


@dataclass
class SsoResult:
    user: User | None = None
    reason: str | None = None  # why the person was refused (a key of REFUSALS)
    detail: str | None = None  # for the security log only


def token_problem(error: Exception) -> SsoResult:
    """What went wrong with the answer from the provider, in the words of the security log."""
    if isinstance(error, OAuthError):
        # A state not in this session: used already, from another browser, or made up.
        reason = "state" if error.error == "mismatching_state" else "provider_error"
        return SsoResult(reason=reason, detail=error.error)
    if isinstance(error, ExpiredTokenError):
        return SsoResult(reason="token", detail="expired")
    if isinstance(error, ClaimError):
        # aud and azp both name the client the token was issued to: another service's token.
        detail = "wrong_audience" if error.claim in ("aud", "azp") else f"invalid_{error.claim}"
        return SsoResult(reason="token", detail=detail)
    if isinstance(error, JoseError):
        return SsoResult(reason="token", detail=error.error or "invalid_token")
    return SsoResult(reason="provider_error", detail=type(error).__name__)


def subject_of(claims) -> str:
    return str(claims.get("oid") or claims["sub"])


def verified_email(claims) -> str | None:
    """The email, when the provider vouches for it (`email_verified`, or Entra's `xms_edov`)."""
    email = (claims.get("email") or "").strip().lower()
    if email and (claims.get("email_verified") is True or claims.get("xms_edov") in (True, 1, "1", "true")):
        return email
    return None


def domain_allowed(email: str | None) -> bool:
    allowed = current_app.config.get("OIDC_ALLOWED_DOMAINS") or []
    return not allowed or (email is not None and email.rpartition("@")[2] in allowed)


def roles_from_groups(claims) -> set[Role]:
    mapping = current_app.config.get("OIDC_ROLE_GROUPS") or {}
    groups = claims.get("groups") or []
    return {Role(mapping[g]) for g in groups if g in mapping and mapping[g] in Role._value2member_map_}


def follow_groups(user: User, claims) -> None:
    """Movers: with OIDC_ROLE_GROUPS, the roles the mapping manages follow the person's groups at each
    sign-in; roles the mapping does not mention stay as an administrator set them."""
    mapping = current_app.config.get("OIDC_ROLE_GROUPS") or {}
    if not mapping or "groups" not in claims:
        return
    managed = {Role(r) for r in mapping.values() if r in Role._value2member_map_}
    wanted = (user.roles - managed) | roles_from_groups(claims)
    if wanted != user.roles:
        with acting_as(None):  # no person made it: the council's groups did
            set_roles(user, wanted, field="roles (from council groups)")


def _new_user_from_groups(claims, email: str, roles: set[Role]) -> User:
    """An account for someone the council's groups give a role; it has no usable password."""
    user = User(
        email=email,
        display_name=(claims.get("name") or email)[:120],
        is_enabled=True,
        oidc_subject=subject_of(claims),
        password_hash=generate_password_hash(secrets.token_urlsafe(32)),
    )
    user.roles = roles
    db.session.add(user)
    return user


def find_or_link_user(claims) -> SsoResult:
    """The account for these (already validated) claims, linking or creating it when the rules allow."""
    subject = subject_of(claims)
    user = db.session.scalar(select(User).where(User.oidc_subject == subject))
    email = verified_email(claims)
    if user is None:
        if not domain_allowed(email):
            return SsoResult(reason="domain", detail=email or "no verified email")
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.oidc_subject is not None:
            # The account is already someone's at the provider: a second identity never takes it over.
            return SsoResult(reason="linked_elsewhere", detail=email)
        if user is not None:
            with acting_as(user):
                user.oidc_subject = subject  # recorded in the change log, by the person themselves
                db.session.flush()
        elif roles := roles_from_groups(claims):
            user = _new_user_from_groups(claims, email, roles)
            db.session.flush()
        else:
            return SsoResult(reason="unknown_user", detail=email or subject)
    if not user.is_enabled:
        db.session.rollback()
        return SsoResult(user=None, reason="disabled", detail=user.email)
    follow_groups(user, claims)
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return SsoResult(user=user)
