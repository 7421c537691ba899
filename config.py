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


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'audit.db'}")
    # When the database restarts: pre-ping replaces connections that died, recycle drops old ones before a
    # firewall or proxy does, and pool_timeout bounds the wait for a free connection. create_app adds a
    # connect timeout for PostgreSQL, so a request during an outage answers 503 in seconds, never hangs.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_recycle": 1800, "pool_timeout": 10}
    DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))  # seconds
    ORG_NAME = os.environ.get("ORG_NAME", "Children's Services Quality Assurance")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Practice quality and improvement")
    # When an audit is shared with the case's allocated social worker and team manager:
    # "submitted" (default) or "moderated".
    SHARE_AUDITS_WHEN = _one_of("SHARE_AUDITS_WHEN", "submitted", "moderated")
    # The allocated worker responds to a shared audit within this many working days (Monday to Friday).
    RESPONSE_WORKING_DAYS = int(os.environ.get("RESPONSE_WORKING_DAYS", "10"))

    # Sessions live in a signed cookie; the server keeps no state of its own.
    SESSION_COOKIE_NAME = "qa_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=SESSION_IDLE_MINUTES)
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

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    HSTS = False
    ALLOW_DEMO_SEED = True


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on


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
