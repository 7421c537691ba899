"""Sign-in with the council's account (OpenID Connect) and the provider's sign-out."""

from authlib.integrations.flask_client import OAuthError
from flask import abort, render_template, request, session, url_for
from joserfc.errors import JoseError
from requests import RequestException

from ..security import log_security_event
from .oidc import find_or_link_user, provider, sso_enabled, token_problem
from .routes import NEXT_KEY, bp, complete_sign_in

PROTOCOL_ERRORS = (OAuthError, JoseError, RequestException, ValueError, KeyError)

# What the person is told for each refusal; the security log has the detail.
REFUSALS = {
    "state": (
        "This sign-in link has expired or has already been used",
        "Start again from the sign-in page. If you opened the service in more than one tab, use one of them.",
    ),
    "token": (
        "We could not confirm your sign-in with your council account",
        "Try again. If it keeps happening, contact your IT service desk and tell them the time it happened.",
    ),
    "provider_error": (
        "Your council account did not sign you in",
        "Try again. If it keeps happening, contact your IT service desk.",
    ),
    "domain": (
        "Your council account cannot be used for this service",
        "Sign in with your council work account. If you did, ask your IT service desk to check that the "
        "account shares its verified email address with this service.",
    ),
    "linked_elsewhere": (
        "Your email address is already linked to another council account",
        "Ask an administrator of the service to check your account.",
    ),
    "unknown_user": (
        "You do not have an account for this service",
        "Ask an administrator of the service to add you, using your council email address.",
    ),
    "disabled": (
        "Your account for this service has been disabled",
        "Ask an administrator of the service to enable it if you still need it.",
    ),
}


def _refuse(result):
    log_security_event("sso_sign_in", "refused", email=None, reason=result.reason, detail=result.detail)
    title, advice = REFUSALS[result.reason]
    status = 400 if result.reason in ("state", "token", "provider_error") else 403
    return render_template("auth/sso_refused.html", title=title, advice=advice), status


@bp.route("/sign-in/council")
def sso_start():
    if not sso_enabled():
        abort(404)
    next_target = request.args.get("next")
    if next_target:
        session[NEXT_KEY] = next_target
    return provider().authorize_redirect(url_for("auth.sso_callback", _external=True))


@bp.route("/sign-in/council/callback")
def sso_callback():
    if not sso_enabled():
        abort(404)
    try:
        token = provider().authorize_access_token()
    except PROTOCOL_ERRORS as error:  # every failure of the protocol is a refusal, never a 500
        return _refuse(token_problem(error))
    claims = token.get("userinfo")
    if not claims:
        return _refuse(token_problem(ValueError("no ID token")))
    result = find_or_link_user(claims)
    if result.user is None:
        return _refuse(result)
    log_security_event("sso_sign_in", "success", email=result.user.email)
    return complete_sign_in(result.user, "sso")


def provider_sign_out_url() -> str | None:
    """The provider's end_session_endpoint, coming back to the sign-in page, when it has one."""
    try:
        return provider().create_logout_url(post_logout_redirect_uri=url_for("auth.sign_in", _external=True))["url"]
    except (RuntimeError, *PROTOCOL_ERRORS):  # no end_session_endpoint or no provider: sign out here only
        return None


@bp.route("/signed-out")
def signed_out():
    provider_url = session.pop("provider_sign_out_url", None)
    return render_template("auth/signed_out.html", provider_url=provider_url)
