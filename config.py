"""Settings for each environment, read from environment variables.

APP_ENV chooses the class: development (default), testing or production.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Secrets that must never reach production, whatever someone copied from a README.
KNOWN_WEAK_SECRETS = {"", "dev", "change-me", "secret", "development-only-secret"}


def _one_of(name: str, *allowed: str) -> str:
    """An environment variable that must be one of a few words (the first is the default)."""
    value = os.environ.get(name, allowed[0])
    if value not in allowed:
        raise RuntimeError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def env_list(name: str) -> list[str]:
    """A comma-separated setting, lower-cased: "a.gov.uk, b.gov.uk" -> ["a.gov.uk", "b.gov.uk"]."""
    return [item.strip().lower() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_pairs(name: str) -> dict[str, str]:
    """A comma-separated list of key=value pairs: "group-id=auditor, other-id=admin"."""
    pairs = (item.partition("=") for item in os.environ.get(name, "").split(","))
    return {key.strip(): value.strip().lower() for key, _, value in pairs if key.strip() and value.strip()}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'audit.db'}")
    # When the database restarts: pre-ping replaces connections that died, recycle drops old ones before a
    # firewall or proxy does, and pool_timeout bounds the wait for a free connection. create_app adds a
    # connect timeout for PostgreSQL, so a request during an outage answers 503 in seconds, never hangs.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_recycle": 1800, "pool_timeout": 10}
    DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))  # seconds
    # A read-only copy (streaming replica) that answers reporting pages' queries (audit_app/replica.py).
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL") or None
    ORG_NAME = os.environ.get("ORG_NAME", "Children's Services Quality Assurance")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Practice quality and improvement")
    # When an audit is shared with the case's allocated social worker and team manager:
    # "submitted" (default) or "moderated".
    SHARE_AUDITS_WHEN = _one_of("SHARE_AUDITS_WHEN", "submitted", "moderated")
    # Re-audit of inadequate practice: "any" (default) schedules one when the overall grade or any domain is
    # Inadequate, "overall" only for an Inadequate overall grade; due this many weeks after the submit, and
    # shown to its auditor this many days before it is due.
    REAUDIT_WHEN = _one_of("REAUDIT_WHEN", "any", "overall")
    REAUDIT_WEEKS = int(os.environ.get("REAUDIT_WEEKS", "12"))
    REAUDIT_NOTICE_DAYS = int(os.environ.get("REAUDIT_NOTICE_DAYS", "14"))
    # Records (judgements or audits) a unit needs before the comparison's funnel plot may flag it
    COMPARE_MIN_N = int(os.environ.get("COMPARE_MIN_N", "10"))

    # Email. Notifications are queued in the database and sent only by `flask send-notifications`.
    # EMAIL_SENDER: "outbox" (nothing leaves; admins read the outbox page), "smtp" or "notify" (GOV.UK Notify).
    EMAIL_SENDER = _one_of("EMAIL_SENDER", "outbox", "smtp", "notify")
    # Emails link here (the address people use to reach the service), e.g. https://qa.example.gov.uk
    SERVICE_URL = os.environ.get("SERVICE_URL", "http://localhost:5000").rstrip("/")
    EMAIL_FROM = os.environ.get("EMAIL_FROM", "quality-assurance@localhost")
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "") in ("1", "true", "yes")
    SMTP_SSL = os.environ.get("SMTP_SSL", "") in ("1", "true", "yes")
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_TIMEOUT = int(os.environ.get("SMTP_TIMEOUT", "10"))  # seconds
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
    # One Notify email template whose subject is ((subject)) and body ((body)) (which holds ((link))).
    NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
    # A message the sender refuses this many times is marked failed; an unreachable sender costs no attempt.
    EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "5"))
    EMAIL_BATCH_SIZE = int(os.environ.get("EMAIL_BATCH_SIZE", "100"))
    # The allocated worker responds to a shared audit within this many working days (Monday to Friday).
    RESPONSE_WORKING_DAYS = int(os.environ.get("RESPONSE_WORKING_DAYS", "10"))

    # Sessions live in a signed cookie; the server keeps no state of its own.
    SESSION_COOKIE_NAME = "qa_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=SESSION_IDLE_MINUTES)
    # The cookie is rewritten when the session changes (last_seen at most once a minute: audit_app/security.py),
    # not on every request: re-signing it cost every autosave about 0.6 ms of CPU.
    SESSION_REFRESH_EACH_REQUEST = False
    # However active, a session ends this many hours after signing in.
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    # Sign-in throttling, counted in the database so every worker sees the same count.
    # Per account: this many consecutive failures are free, then a wait that doubles with each
    # further failure, from SIGN_IN_FIRST_DELAY_SECONDS up to SIGN_IN_LOCK_MINUTES.
    SIGN_IN_MAX_FAILURES = int(os.environ.get("SIGN_IN_MAX_FAILURES", "5"))
    SIGN_IN_FIRST_DELAY_SECONDS = int(os.environ.get("SIGN_IN_FIRST_DELAY_SECONDS", "30"))
    SIGN_IN_LOCK_MINUTES = int(os.environ.get("SIGN_IN_LOCK_MINUTES", "15"))
    # Per address: this many failures on any accounts within the window refuse the address for a window.
    SIGN_IN_ADDRESS_MAX_FAILURES = int(os.environ.get("SIGN_IN_ADDRESS_MAX_FAILURES", "20"))
    SIGN_IN_ADDRESS_WINDOW_MINUTES = int(os.environ.get("SIGN_IN_ADDRESS_WINDOW_MINUTES", "15"))
    # How many proxies in front of the app set X-Forwarded-For (1 behind one TLS-terminating proxy):
    # the address that throttling counts and the security log records is the client's, not the proxy's.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

    # Single sign-on with OpenID Connect (Microsoft Entra ID or another provider): on when OIDC_ISSUER is set.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    # Email domains whose people may sign in (and be linked to an account by email); empty: any.
    OIDC_ALLOWED_DOMAINS = env_list("OIDC_ALLOWED_DOMAINS")
    # Provider group ids mapped to roles: a person in a mapped group gets an account at first sign-in.
    OIDC_ROLE_GROUPS = env_pairs("OIDC_ROLE_GROUPS")
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your council account")
    # LOCAL_SIGN_IN=0: passwords only for the break-glass administrators listed in BREAK_GLASS_EMAILS.
    LOCAL_SIGN_IN = os.environ.get("LOCAL_SIGN_IN", "1") != "0"
    BREAK_GLASS_EMAILS = env_list("BREAK_GLASS_EMAILS")
    # A second factor (TOTP) for every local account, not only administrators.
    REQUIRE_MFA = os.environ.get("REQUIRE_MFA", "0") == "1"
    # `flask disable-inactive` disables accounts not signed in to for this many days.
    INACTIVE_DAYS = int(os.environ.get("INACTIVE_DAYS", "90"))

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Hashed, compressed copies of static/, made at start-up (audit_app/assets.py): a folder the app may write.
    STATIC_BUILD_DIR = os.environ.get("STATIC_BUILD_DIR", str(INSTANCE_DIR / "static"))
    HSTS = False
    ALLOW_DEMO_SEED = True


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    DATABASE_REPLICA_URL = None  # the replica test gives its own
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on
    EMAIL_SENDER = "outbox"  # tests that send set up their own server
    SERVICE_URL = "https://qa.test.example"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    HSTS = True
    ALLOW_DEMO_SEED = False
    SQLALCHEMY_ENGINE_OPTIONS = {**Config.SQLALCHEMY_ENGINE_OPTIONS, "pool_size": 5, "max_overflow": 5}

    @classmethod
    def check(cls, config):
        secret = config.get("SECRET_KEY") or ""
        if secret in KNOWN_WEAK_SECRETS or len(secret) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production, "
                'for example: python -c "import secrets; print(secrets.token_hex(32))"'
            )
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production (PostgreSQL).")
        if not config.get("LOCAL_SIGN_IN") and not config.get("OIDC_ISSUER"):
            raise RuntimeError(
                "LOCAL_SIGN_IN=0 needs single sign-on: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET."
            )
        if config.get("OIDC_ISSUER") and not (config.get("OIDC_CLIENT_ID") and config.get("OIDC_CLIENT_SECRET")):
            raise RuntimeError("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")
        sender = config.get("EMAIL_SENDER")
        if sender == "notify" and not (config.get("NOTIFY_API_KEY") and config.get("NOTIFY_TEMPLATE_ID")):
            raise RuntimeError("EMAIL_SENDER=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID.")
        if sender != "outbox" and not os.environ.get("SERVICE_URL"):
            raise RuntimeError("SERVICE_URL must be set when emails are sent: their links point there.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None):
    name = name or os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
