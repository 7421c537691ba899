"""API tokens: made by an admin for one purpose, shown once, kept as a SHA-256 hash, expiring, revocable,
and every request made with one logged."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..changelog import log_change
from ..extensions import db
from ..models import ApiToken, ApiTokenUse
from ..models.base import utcnow

# What a token may read, and what each scope is called on the admin pages.
SCOPES = {
    "judgements": "Judgements (grades by domain, case references only)",
    "themes": "Theme counts",
    "plan": "Improvement plan actions and their RAG by month",
    "indicators": "Performance indicators and their values",
}
LIFETIMES = {"30": "30 days", "90": "90 days", "180": "6 months", "365": "1 year"}
SECRET_PREFIX = "qaapi_"
PREFIX_LENGTH = 12


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(purpose: str, scopes: list[str], days: int, created_by_id: int | None) -> ApiToken:
    """A new token; its secret is on `token.secret` for this request only (never stored)."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        purpose=purpose.strip(),
        secret_hash=hash_secret(secret),
        prefix=secret[:PREFIX_LENGTH],
        scopes=",".join(s for s in SCOPES if s in scopes),
        expires_at=utcnow() + timedelta(days=days),
        created_by_id=created_by_id,
    )
    db.session.add(token)
    db.session.commit()
    token.secret = secret
    return token


def revoke_token(token: ApiToken) -> None:
    """Revoked at once and for good; revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        log_change(db.session, token, "status", "Active", "Revoked")
        db.session.commit()


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes for UTC ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def is_live(token: ApiToken) -> bool:
    return token.revoked_at is None and _aware(token.expires_at) > utcnow()


def status_of(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return "Revoked"
    return "Active" if is_live(token) else "Expired"


def find_token(secret: str | None) -> ApiToken | None:
    """The token whose secret this is, live or not (so a refused use is logged against it), or None."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    wanted = hash_secret(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.secret_hash == wanted))
    # The lookup is by hash; the comparison is constant-time all the same.
    return token if token is not None and hmac.compare_digest(token.secret_hash, wanted) else None


def log_use(token_id: int | None, endpoint: str, status: int) -> None:
    db.session.add(ApiTokenUse(token_id=token_id, endpoint=endpoint[:120], status=status))
    db.session.commit()


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    status: str
    last_used_at: datetime | None
    uses: int


def token_list() -> list[TokenRow]:
    """Every token, newest first, with its status, last use and number of uses (two queries)."""
    uses = {
        token_id: (last, count)
        for token_id, last, count in db.session.execute(
            select(ApiTokenUse.token_id, func.max(ApiTokenUse.used_at), func.count())
            .where(ApiTokenUse.token_id.is_not(None))
            .group_by(ApiTokenUse.token_id)
        )
    }
    tokens = db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return [TokenRow(t, status_of(t), *uses.get(t.id, (None, 0))) for t in tokens]
