"""Django settings. Every value that differs between sites comes from the environment
(see .env.example); the defaults run the demo on an embedded SQLite database."""

import ipaddress
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from aspa import env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.string("ASPA_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The site's key from the environment, or one generated once and kept in the data folder."""
    try:
        return env.string("ASPA_SECRET_KEY")
    except env.ConfigurationError:
        key_file = DATA_DIR / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            key_file.chmod(0o600)
        return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env.boolean("ASPA_DEBUG", False)
# Demo mode: test identity codes (individual numbers 900-999) and demo logins are allowed.
DEMO_MODE = env.boolean("ASPA_DEMO", False)
ALLOW_TEST_IDENTITY_CODES = env.boolean("ASPA_ALLOW_TEST_IDENTITY_CODES", DEMO_MODE)
ALLOWED_HOSTS = env.strings("ASPA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env.strings("ASPA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "aspa",  # first, so that its templates override the admin's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks_db",
    "aspa.outbox",
    "aspa.identity",
    "aspa.audit",
    "aspa.catalogue",
    "aspa.customers",
    "aspa.sms",
    "aspa.telephony",
    "aspa.requests",
    "aspa.contacts",
    "aspa.eforms",
    "aspa.processes",
    "aspa.routing",
    "aspa.knowledge",
    "aspa.reports",
    "aspa.api",
    "aspa.web",
    "aspa.desk",
    "aspa.portal",
    "aspa.integrations.suomifi",
    "aspa.integrations.sms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "aspa.api.idempotency.IdempotencyMiddleware",
    "aspa.api.methods.JsonMethodNotAllowedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aspa.urls"
WSGI_APPLICATION = "aspa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'aspa.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env.string("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades
        # that would fail with "database is locked" under concurrent writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # PostgreSQL connections outlive the request, and each is checked before a request reuses it,
    # so a restarted database costs a reconnect, not an error (docs/benchmarks.md, "Serving").
    # Either one connection per thread kept ASPA_DB_CONN_MAX_AGE seconds (the default), or with
    # ASPA_DB_POOL=true psycopg's pool per process, at most ASPA_DB_POOL_SIZE connections.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound on the server, and a statement that a connection runs a fifth time is
    # prepared, so PostgreSQL plans it once: planning a request with its catalogue joins cost 7 ms,
    # running it 0.2 ms (docs/benchmarks.md, "Prepared statements"). ASPA_DB_PREPARED=false for a
    # pooler in transaction mode, which cannot keep a connection's prepared statements.
    if env.boolean("ASPA_DB_PREPARED", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    if env.boolean("ASPA_DB_POOL", False):
        _pool_size = env.integer("ASPA_DB_POOL_SIZE", 4)
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django must not as well
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": _pool_size,
                                                                  "timeout": 10}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.integer("ASPA_DB_CONN_MAX_AGE", 600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/admin/login/"


def _trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(item, strict=False) for item in env.strings("ASPA_TRUSTED_PROXIES")]
    except ValueError as error:
        raise env.ConfigurationError(f"ASPA_TRUSTED_PROXIES: {error}") from None


# Behind a reverse proxy, the proxies (addresses or networks, comma-separated) whose X-Forwarded-For
# names the client; empty = none, REMOTE_ADDR is the client (aspa/client_address.py).
TRUSTED_PROXIES = _trusted_proxies()

# Against password guessing: five failures lock the username and address for 15 minutes.
AXES_FAILURE_LIMIT = env.integer("ASPA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A locked-out user gets our translated page (status 429), not axes' plain text.
AXES_LOCKOUT_CALLABLE = "aspa.web.views.locked_out"
# The address counted is the client's, not the reverse proxy's (TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "aspa.client_address.client_address"

LANGUAGE_CODE = "fi"
FORMAT_MODULE_PATH = ["aspa.formats"]
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even before collectstatic
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Cookies and headers. Behind TLS, set ASPA_SECURE_COOKIES=true (the default outside debug).
_secure = env.boolean("ASPA_SECURE_COOKIES", not DEBUG and not DEMO_MODE)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.integer("ASPA_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.boolean("ASPA_BEHIND_TLS_PROXY") else None
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

MAILERS = {"default": {"BACKEND": env.string("ASPA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env.string("ASPA_FROM_EMAIL", "asiakaspalvelu@esimerkkila.fi")
# Aspa's public address, for the links in emails (an email has no request to take it from).
SITE_URL = env.string("ASPA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Text messages (docs/sms.md): the gateway by name ("console" logs them; "twilio"), the sender
# (a number or an alphanumeric name such as "Esimerkki"), and the gateway's credentials.
SMS_BACKEND = env.string("ASPA_SMS_BACKEND", "console")
SMS_FROM = env.string("ASPA_SMS_FROM", "")
SMS_TWILIO_ACCOUNT_SID = env.string("ASPA_SMS_TWILIO_ACCOUNT_SID", "")
SMS_TWILIO_AUTH_TOKEN = env.string("ASPA_SMS_TWILIO_AUTH_TOKEN", "")
SMS_TWILIO_MESSAGING_SERVICE_SID = env.string("ASPA_SMS_TWILIO_MESSAGING_SERVICE_SID", "")
SMS_TWILIO_API_URL = env.string("ASPA_SMS_TWILIO_API_URL", "https://api.twilio.com").rstrip("/")

# Telephony (docs/telephony.md): the phone figures' thresholds in seconds, and how many days a
# call's recording reference is kept after the call.
TELEPHONY_SHORT_ABANDON_SECONDS = env.integer("ASPA_TELEPHONY_SHORT_ABANDON_SECONDS", 5)
TELEPHONY_ANSWERED_WITHIN_SECONDS = env.integer("ASPA_TELEPHONY_ANSWERED_WITHIN_SECONDS", 20)
TELEPHONY_ANSWERED_WITHIN_LONG_SECONDS = env.integer("ASPA_TELEPHONY_ANSWERED_WITHIN_LONG_SECONDS", 60)
TELEPHONY_RECORDING_RETENTION_DAYS = env.integer("ASPA_TELEPHONY_RECORDING_RETENTION_DAYS", 90)

# Service requests are numbered PREFIX-YEAR-NNNNNN.
REQUEST_NUMBER_PREFIX = env.string("ASPA_REQUEST_PREFIX", "ESI")
# Attachments: size limit and the content types allowed, checked on the sniffed type.
ATTACHMENT_MAX_BYTES = env.integer("ASPA_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_TYPES = env.strings(
    "ASPA_ATTACHMENT_TYPES",
    "application/pdf,image/jpeg,image/png,image/gif,text/plain,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.oasis.opendocument.text",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
# Malware scanning of uploads by clamd: "unix:///run/clamav/clamd.ctl" or "tcp://host:3310"; empty = off.
CLAMAV_ADDRESS = env.string("ASPA_CLAMAV_ADDRESS", "")
CLAMAV_TIMEOUT_SECONDS = env.integer("ASPA_CLAMAV_TIMEOUT_SECONDS", 30)
# How long an Idempotency-Key's first answer is kept for retries.
IDEMPOTENCY_KEEP_HOURS = env.integer("ASPA_IDEMPOTENCY_KEEP_HOURS", 48)
# The classifier's suggestion is applied to a new, unclassified request by itself only at or above
# this confidence (percent); above 100 it never is, and advisors apply suggestions on the desk.
ROUTING_AUTO_APPLY_CONFIDENCE = env.integer("ASPA_ROUTING_AUTO_APPLY_PERCENT", 97) / 100
# The service under which the centre answers matters of other organisations (Kela, the police …)
# by guiding the resident to them; the classifier learns those organisations' names and guidance as its examples.
ROUTING_GUIDANCE_SERVICE = env.string("ASPA_ROUTING_GUIDANCE_SERVICE", "yleisneuvonta")

# The outbox (docs/outbox.md): the after-filing pipeline that runs its events, how often the
# worker's relay polls, how long a relay holds the events it took, how many tries before an
# event is given up and shown to the administrator, how often the worker writes its heartbeat.
OUTBOX_PIPELINE = "aspa.after_filing.steps_for"
OUTBOX_POLL_SECONDS = env.integer("ASPA_OUTBOX_POLL_MS", 200) / 1000
OUTBOX_LEASE_SECONDS = env.integer("ASPA_OUTBOX_LEASE_SECONDS", 30)
OUTBOX_MAX_ATTEMPTS = env.integer("ASPA_OUTBOX_MAX_ATTEMPTS", 12)
OUTBOX_HEARTBEAT_SECONDS = env.integer("ASPA_WORKER_HEARTBEAT_SECONDS", 5)
# The relay's threads in each worker and how many events each takes at a time. SQLite has one
# writer at a time, so one thread there (docs/outbox.md, "Throughput").
OUTBOX_RELAY_THREADS = env.integer("ASPA_OUTBOX_RELAY_THREADS",
                                   1 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 4)
OUTBOX_BATCH = env.integer("ASPA_OUTBOX_BATCH", 5)
# When the oldest event waiting for a worker is older than this, the process that writes a new
# event runs it itself right after its commit (0: never), so the backlog stays bounded when the
# workers fall behind or are down (docs/outbox.md, "When the worker falls behind").
OUTBOX_CALLER_RUNS_AFTER_SECONDS = env.integer("ASPA_OUTBOX_CALLER_RUNS_AFTER_SECONDS", 2)
# A test hook: the relay stops after this step of an event, as a worker killed there would.
OUTBOX_PAUSE_AFTER_STEP = env.string("ASPA_OUTBOX_PAUSE_AFTER_STEP", "")
# /healthz answers 503 (not ready) when the worker's newest heartbeat or the oldest pending outbox
# event is older than these.
HEALTH_WORKER_STALE_SECONDS = env.integer("ASPA_HEALTH_WORKER_STALE_SECONDS", 30)
HEALTH_OUTBOX_LAG_SECONDS = env.integer("ASPA_HEALTH_OUTBOX_LAG_SECONDS", 60)

# How often the worker runs the service processes' due timers (escalations of overdue tasks).
PROCESS_TIMER_SECONDS = env.integer("ASPA_PROCESS_TIMER_SECONDS", 60)

# Background work (queued emails, the process timers, the daily housekeeping) runs in
# `aspa worker` from a database queue, so a small city needs nothing but the database.
# ASPA_TASKS_IMMEDIATE=true runs tasks inline.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if env.boolean("ASPA_TASKS_IMMEDIATE") else "django_tasks_db.DatabaseBackend",
    }
}

# `aspa serve` (docs/benchmarks.md, "Serving: workers, threads, preload"): gunicorn's worker
# processes; threads in each (1: sync workers, which close the connection after each answer; more:
# gthread workers, which keep it open ASPA_SERVE_KEEPALIVE_SECONDS for the client's next request);
# and whether the master loads the application once before it forks the workers (preload).
SERVE_WORKERS = env.integer("ASPA_SERVE_WORKERS", 2)
SERVE_THREADS = env.integer("ASPA_SERVE_THREADS", 4)
SERVE_KEEPALIVE_SECONDS = env.integer("ASPA_SERVE_KEEPALIVE_SECONDS", 5)
SERVE_PRELOAD = env.boolean("ASPA_SERVE_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("ASPA_LOG_LEVEL", "WARNING")},
}

# --- Strong identification of residents: SAML 2.0 (Suomi.fi-tunnistus) -------------------
# The identity provider's metadata: a file path or an https URL (fetched at first use and
# every six hours). ASPA_SAML_IDP_METADATA_CERT verifies the signature of fetched metadata.
SAML_IDP_METADATA = env.string("ASPA_SAML_IDP_METADATA", "")
SAML_IDP_METADATA_CERT = env.string("ASPA_SAML_IDP_METADATA_CERT", "")
# Aspa's public address, e.g. https://asiointi.esimerkkila.fi; taken from the request when empty.
SAML_BASE_URL = env.string("ASPA_SAML_BASE_URL", "")
# The service provider's entity id; BASE_URL/saml/metadata/ when empty.
SAML_SP_ENTITY_ID = env.string("ASPA_SAML_SP_ENTITY_ID", "")
SAML_SP_NAME = env.string("ASPA_SAML_SP_NAME", "Aspa")
# The signing and decryption key and its certificate (PEM); generated into DATA_DIR/saml when unset.
SAML_KEY_FILE = env.string("ASPA_SAML_KEY_FILE", "")
SAML_CERT_FILE = env.string("ASPA_SAML_CERT_FILE", "")
SAML_XMLSEC_BINARY = env.string("ASPA_SAML_XMLSEC_BINARY", "")
# The built-in test identity provider (/saml/test-idp/), also on in demo mode. Never in production.
SAML_TEST_IDP = env.boolean("ASPA_SAML_TEST_IDP", False)
if SAML_TEST_IDP:
    # The test identity provider's persons have test identity codes (individual number 900-999).
    ALLOW_TEST_IDENTITY_CODES = True
