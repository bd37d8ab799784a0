"""Configuration classes. Every setting comes from the environment; RESCUE_CONFIG picks the class."""
from __future__ import annotations

import base64
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("RESCUE_INSTANCE_DIR", BASE_DIR / "instance"))

SUPPORTED_LOCALES = "en ar fr es pt vi th km my lo id fil zh_Hans ko"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'rescue.sqlite3'}"
    )
    # SQL parameters (searched names, typed values) never appear in logs or in database error messages.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    REDIS_URL = os.environ.get("REDIS_URL")

    RESCUE_UPLOAD_DIR = os.environ.get("RESCUE_UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # Rendered documents, sealed and keyed by their content (empty to keep none).
    RESCUE_DOCUMENT_CACHE_DIR = os.environ.get("RESCUE_DOCUMENT_CACHE_DIR", str(INSTANCE_DIR / "document-cache"))
    RESCUE_DOCUMENT_CACHE_HOURS = _int("RESCUE_DOCUMENT_CACHE_HOURS", 24)
    # Where finished batch prints wait for download (sealed), and for how long.
    RESCUE_PRINT_DIR = os.environ.get("RESCUE_PRINT_DIR", str(INSTANCE_DIR / "prints"))
    RESCUE_PRINT_KEEP_HOURS = _int("RESCUE_PRINT_KEEP_HOURS", 24)
    # Intake drafts nobody has typed into for this many days are deleted (`rescue prune`).
    RESCUE_DRAFT_DAYS = _int("RESCUE_DRAFT_DAYS", 30)
    # An in-process scheduler runs prune, send-reminders and anonymise-closed-cases every so many
    # minutes. Off here and in production (cron runs the commands); on in development.
    RESCUE_SCHEDULER = _bool("RESCUE_SCHEDULER", False)
    RESCUE_SCHEDULER_MINUTES = _int("RESCUE_SCHEDULER_MINUTES", 60)
    # The dashboard's figures are computed at most this often per process (0: on every view).
    RESCUE_DASHBOARD_SECONDS = _int("RESCUE_DASHBOARD_SECONDS", 120)
    # The RQ queue that batch printing uses when REDIS_URL is set.
    RESCUE_JOB_QUEUE = os.environ.get("RESCUE_JOB_QUEUE", "rescue-documents")
    # How many documents a batch renders at once (default: one per core).
    RESCUE_PRINT_WORKERS = _int("RESCUE_PRINT_WORKERS", os.cpu_count() or 1)
    RESCUE_ENCRYPTION_KEY = os.environ.get("RESCUE_ENCRYPTION_KEY")
    # Keys that sealed older files, still needed to open them until `rescue rotate-encryption-key` ran.
    RESCUE_ENCRYPTION_OLD_KEYS = os.environ.get("RESCUE_ENCRYPTION_OLD_KEYS", "")
    # Key that encrypts backups (32 random bytes, base64): needed by `rescue backup` and `rescue restore` only.
    RESCUE_BACKUP_KEY = os.environ.get("RESCUE_BACKUP_KEY")
    RESCUE_MAX_ATTACHMENT_MB = _int("RESCUE_MAX_ATTACHMENT_MB", 10)
    # Closed cases are anonymised this many days after they were closed (`rescue anonymise-closed-cases`).
    RESCUE_RETENTION_DAYS = _int("RESCUE_RETENTION_DAYS", 730)
    # An open case unchanged for longer than this is flagged overdue on its page.
    RESCUE_OVERDUE_DAYS = _int("RESCUE_OVERDUE_DAYS", 30)
    # A referral without an outcome after this many days is overdue: both sides are reminded once.
    RESCUE_REFERRAL_OVERDUE_DAYS = _int("RESCUE_REFERRAL_OVERDUE_DAYS", 14)
    RESCUE_DEFAULT_LOCALE = os.environ.get("RESCUE_DEFAULT_LOCALE", "en")
    RESCUE_LOCALES = os.environ.get("RESCUE_LOCALES", SUPPORTED_LOCALES).split()
    RESCUE_DEFAULT_TIMEZONE = os.environ.get("RESCUE_DEFAULT_TIMEZONE", "UTC")

    # Sessions: the server keeps a record of every session, so it can end them.
    RESCUE_SESSION_IDLE_MINUTES = _int("RESCUE_SESSION_IDLE_MINUTES", 30)
    RESCUE_SESSION_MAX_HOURS = _int("RESCUE_SESSION_MAX_HOURS", 12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=RESCUE_SESSION_MAX_HOURS)
    # Exports, erasure and changes of rights need a sign-in this recent, or a fresh confirmation.
    RESCUE_REAUTH_MINUTES = _int("RESCUE_REAUTH_MINUTES", 10)
    SESSION_COOKIE_NAME = "rescue_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    # Passwords: argon2id with argon2-cffi's defaults unless told otherwise.
    RESCUE_PASSWORD_MIN_LENGTH = _int("RESCUE_PASSWORD_MIN_LENGTH", 12)
    RESCUE_ARGON2_TIME_COST = _int("RESCUE_ARGON2_TIME_COST", 3)
    RESCUE_ARGON2_MEMORY_COST = _int("RESCUE_ARGON2_MEMORY_COST", 65536)
    RESCUE_ARGON2_PARALLELISM = _int("RESCUE_ARGON2_PARALLELISM", 4)

    # Login throttling, per account and per address. Counted in Redis when REDIS_URL is set.
    RESCUE_LOGIN_LIMIT_ACCOUNT = os.environ.get("RESCUE_LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes")
    RESCUE_LOGIN_LIMIT_ADDRESS = os.environ.get("RESCUE_LOGIN_LIMIT_ADDRESS", "30 per 15 minutes")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = False

    # Roles that must use two-factor authentication.
    RESCUE_TWO_FACTOR_ROLES = ("coordinator", "consular", "admin")
    RESCUE_TOTP_ISSUER = os.environ.get("RESCUE_TOTP_ISSUER", "rescue")

    # How many reverse proxies stand in front of the app: their X-Forwarded-For/-Proto are trusted,
    # so throttling and the audit trail see the client's address, not the proxy's.
    RESCUE_TRUSTED_PROXIES = _int("RESCUE_TRUSTED_PROXIES", 0)

    WTF_CSRF_TIME_LIMIT = None  # the CSRF token lives as long as the session
    MAX_CONTENT_LENGTH = _int("RESCUE_MAX_UPLOAD_MB", 16) * 1024 * 1024
    PREFERRED_URL_SCHEME = "https"
    RESCUE_HSTS = False
    RESCUE_REQUIRE_STRONG_SECRET = True


def _development_file(name: str, make) -> str:
    """A random value kept under instance/, so development sessions and files survive a restart."""
    path = INSTANCE_DIR / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
        value = make()
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # owner only, from the start
        except FileExistsError:  # another process made it first
            return path.read_text().strip()
        with os.fdopen(handle, "w") as stream:
            stream.write(value)
        return value


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    PREFERRED_URL_SCHEME = "http"
    RESCUE_REQUIRE_STRONG_SECRET = False
    RESCUE_SCHEDULER = _bool("RESCUE_SCHEDULER", True)

    def __init__(self):
        # Read lazily: only a development app creates the key file.
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _development_file(
            "development_secret_key", lambda: os.urandom(32).hex())
        self.RESCUE_ENCRYPTION_KEY = os.environ.get("RESCUE_ENCRYPTION_KEY") or _development_file(
            "development_encryption_key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode())
        self.RESCUE_BACKUP_KEY = os.environ.get("RESCUE_BACKUP_KEY") or _development_file(
            "development_backup_key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode())


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    PREFERRED_URL_SCHEME = "http"
    RESCUE_REQUIRE_STRONG_SECRET = False
    SECRET_KEY = "test-secret-key-that-is-only-for-the-test-suite-0123456789"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    RESCUE_ENCRYPTION_KEY = "dGVzdC1rZXktb25seS1mb3ItdGhlLXRlc3Qtc3VpdGU="  # 32 bytes, tests only
    RESCUE_BACKUP_KEY = "dGVzdCBiYWNrdXAga2V5LCBmb3IgdGhlIHN1aXRlISE="  # 32 bytes, tests only
    # Cheap hashing keeps the suite fast; production uses argon2-cffi's defaults.
    RESCUE_ARGON2_TIME_COST = 1
    RESCUE_ARGON2_MEMORY_COST = 1024
    RESCUE_ARGON2_PARALLELISM = 1
    RESCUE_DASHBOARD_SECONDS = 0
    # A list that reads a relationship it did not load with its rows fails (rescue/core/loading.py).
    RESCUE_STRICT_LOADING = True


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    RESCUE_HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}


def config_from_environment(default: str = "production") -> type[Config]:
    """The class RESCUE_CONFIG names. Without it, production: a server started without being told otherwise
    runs with production settings and refuses to start without its secrets. The `flask` command line (the
    development server, migrations, the demo data) defaults to development (wsgi.py)."""
    name = (os.environ.get("RESCUE_CONFIG") or default).strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"RESCUE_CONFIG={name!r} is not one of: {', '.join(sorted(CONFIGS))}"
        ) from None
