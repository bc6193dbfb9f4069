"""Every setting of the project, read from environment variables in this one place.

Defaults give the embedded mode (SQLite, blobs on the local file system, no Redis),
so that `make run` works on a machine with nothing installed. Production switches
to PostgreSQL, Redis and S3 purely through the variables below; the README lists
each of them in one table.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("HARBOR_DATA_DIR", default=str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _persistent_secret(name: str, var: str) -> str:
    """A secret from the environment, else one generated once and kept in the data dir.

    Generating into the data dir keeps sessions and signatures valid across restarts
    of an embedded install while never committing a secret to the repository.
    """
    value = env.str(var, default="")
    if value:
        return value
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _persistent_secret("secret_key", "HARBOR_SECRET_KEY")
DEBUG = env.bool("HARBOR_DEBUG", default=False)
ALLOWED_HOSTS = env.list("HARBOR_ALLOWED_HOSTS", default=["*"])
CSRF_TRUSTED_ORIGINS = env.list("HARBOR_CSRF_TRUSTED_ORIGINS", default=[])
# Where clients reach us (scheme://host[:port]); the token realm is built from it.
# Empty means "the host of each request", which suits a single embedded server.
EXTERNAL_URL = env.str("HARBOR_EXTERNAL_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "harbor_site.apps.HarborAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_celery_beat",
    "axes",
    "configuration",
    "accounts",
    "projects",
    "registry",
    "scanning",
    "replication",
    "events",
    "signatures",
    "portal",
]

MIDDLEWARE = [
    "harbor_site.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# `/v2/` and `/service/token` run through this shorter chain (see harbor_site/wsgi.py).
REGISTRY_MIDDLEWARE = [
    "harbor_site.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
]

ROOT_URLCONF = "harbor_site.urls"
WSGI_APPLICATION = "harbor_site.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Local accounts first (the admin always logs in locally), then the directory when
# auth_mode is ldap_auth; LDAP users have no usable local password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins of a locked-out user first
    "django.contrib.auth.backends.ModelBackend",
    "accounts.ldap.HarborLDAPBackend",
    "accounts.oidc.CLISecretBackend",
]
# Password guessing is slowed by django-axes: after this many failures for one
# username from one address, that pair is refused until the cool-off passes.
AXES_FAILURE_LIMIT = env.int("HARBOR_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("HARBOR_LOGIN_LOCKOUT_MINUTES", default=5))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lock-outs are answered by our own views (429 in the OCI envelope on /v2/; the admin's
# login form simply refuses), so axes' middleware, which would replace responses, is off.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "accounts.validators.HarborPasswordValidator"}]
# Robot accounts log in as `<prefix><name>` (Harbor's robot_name_prefix).
ROBOT_NAME_PREFIX = env.str("HARBOR_ROBOT_NAME_PREFIX", default="robot$")

# --- database -------------------------------------------------------------------
DATABASES = {"default": env.db_url("HARBOR_DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'harbor.sqlite3'}")}
# Persistent connections: measured +55 % on a one-query manifest GET.
DATABASES["default"]["CONN_MAX_AGE"] = None
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one web process writes; the busy timeout makes
    # concurrent writers from several workers wait instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker, channel layer -----------------------------------
REDIS_URL = env.str("HARBOR_REDIS_URL", default="")
# Keeps this installation's keys (cache, Celery queues) apart from others' on a shared Redis: a
# worker must never take a job of another installation, whose ids mean nothing in its database.
REDIS_KEY_PREFIX = env.str("HARBOR_REDIS_KEY_PREFIX", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{REDIS_KEY_PREFIX}asgi"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # One process only: a worker's notices do not reach it, so the live page also polls (below).
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Live updates (portal websockets, served by `uvicorn harbor_site.asgi` beside gunicorn) ---
ASGI_APPLICATION = "harbor_site.asgi.application"
# Where browsers reach the websocket server: empty = the page's host on HARBOR_LIVE_PORT.
LIVE_URL = env.str("HARBOR_LIVE_URL", default="")
LIVE_PORT = env.int("HARBOR_LIVE_PORT", default=env.int("HARBOR_PORT", default=8080) + 1)
# How often an open live page re-reads job state when no notice arrives (in-memory layer).
LIVE_POLL_SECONDS = env.float("HARBOR_LIVE_POLL_SECONDS", default=2.0)

CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost//"  # a host, so kombu does not warn
CELERY_BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_TRANSPORT = "" if REDIS_URL else "harbor_site.kombu_filesystem:AtomicFilesystemTransport"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    ({"global_keyprefix": REDIS_KEY_PREFIX} if REDIS_KEY_PREFIX else {})
    if REDIS_URL
    else {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
)
CELERY_TASK_ALWAYS_EAGER = env.bool("HARBOR_CELERY_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Scan-all fans out onto a queue of its own, consumed by its own worker (Procfile `scanall`), so
# a scan of every artifact never delays a scan someone asked for (queue `celery`).
SCAN_ALL_QUEUE = "scan_all"
CELERY_TASK_ROUTES = {
    "scanning.scan_all": {"queue": SCAN_ALL_QUEUE},
    "scanning.run_scan_all_item": {"queue": SCAN_ALL_QUEUE},
}

# --- blob storage ---------------------------------------------------------------
BLOB_STORAGE = env.str("HARBOR_STORAGE", default="filesystem")  # filesystem | s3
BLOB_ROOT = Path(env.str("HARBOR_BLOB_DIR", default=str(DATA_DIR / "registry"))).resolve()
S3_BUCKET = env.str("HARBOR_S3_BUCKET", default="")
S3_ENDPOINT_URL = env.str("HARBOR_S3_ENDPOINT_URL", default="") or None
S3_REGION = env.str("HARBOR_S3_REGION", default="us-east-1")
S3_PREFIX = env.str("HARBOR_S3_PREFIX", default="").strip("/")
# Blob GETs answer 307 to a presigned URL, so bytes never pass through Python.
S3_REDIRECT = env.bool("HARBOR_S3_REDIRECT", default=True)
UPLOAD_PURGE_HOURS = env.int("HARBOR_UPLOAD_PURGE_HOURS", default=168)

# --- token service --------------------------------------------------------------
TOKEN_PRIVATE_KEY_FILE = Path(
    env.str("HARBOR_TOKEN_PRIVATE_KEY_FILE", default=str(DATA_DIR / "token_private_key.pem"))
)
TOKEN_ISSUER = "harbor-token-issuer"
TOKEN_SERVICE = "harbor-registry"
# Verified Basic credentials are remembered this long per process, so a client
# that sends Basic on every request does not pay a password hash each time.
BASIC_AUTH_CACHE_SECONDS = env.int("HARBOR_BASIC_AUTH_CACHE_SECONDS", default=60)

# --- i18n, static, misc ---------------------------------------------------------
LANGUAGE_CODE = "en-us"
# The portal's languages; the choice is remembered in a cookie (Django's set_language).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# gunicorn serves no files: WhiteNoise does, from the collected files, or straight from the
# app and project static dirs when they were not collected (a fresh clone, the test servers).
WHITENOISE_USE_FINDERS = True
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:projects"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "harbor_site.api.authentication.BasicAuthentication",
        "harbor_site.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [],  # every view asks harbor_site.api.permissions.require()
    "UNAUTHENTICATED_USER": "harbor_site.api.permissions.anonymous_principal",
    "EXCEPTION_HANDLER": "harbor_site.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["harbor_site.api.parsers.HarborJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "harbor_site.api.autoschema.HarborAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Harbor API",
    "DESCRIPTION": "Harbor-compatible REST API v2.0",
    "VERSION": "2.0",
    "SCHEMA_PATH_PREFIX": "/api/v2.0",
    # Docstrings say why the code is as it is, for us; operations carry summaries for clients.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    # PATCH bodies are described as they are (RobotSecReq), not as a copy with everything optional.
    "COMPONENT_SPLIT_PATCH": False,
    # Fields that share one set of values share one enum.
    "ENUM_NAME_OVERRIDES": {
        "RobotLevelEnum": ["system", "project"],
        "LdapScopeEnum": [(0, 0), (1, 1), (2, 2)],
        "TrustedKeyKindEnum": ["cosign", "notation"],
    },
    # harbor_site/api/schema.py: HEAD operations views answer themselves; the errors every view
    # can give (401, 429, and 400 where there are query parameters or a body); closed objects.
    "PREPROCESSING_HOOKS": ["harbor_site.api.schema.include_head_operations"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "harbor_site.api.schema.add_common_errors",
        "harbor_site.api.schema.close_components",
    ],
}
# The portal and API clients send the CSRF token in Harbor's header.
CSRF_HEADER_NAME = "HTTP_X_HARBOR_CSRF_TOKEN"

LOG_LEVEL = env.str("HARBOR_LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "readable": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "readable"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Events: batched subscribers (pull records) are flushed by a thread in each process.
EVENTS_BACKGROUND_FLUSH = env.bool("HARBOR_EVENTS_BACKGROUND_FLUSH", default=True)
# Harbor's environment-only switch: do not write audit entries for pulls.
PULL_AUDIT_LOG_DISABLE = env.bool("HARBOR_PULL_AUDIT_LOG_DISABLE", default=False)

# Vulnerability database: OSV feeds, "Ecosystem" (OSV's all.zip for it) or "name=URL-or-path",
# comma-separated; an empty value configures none (an offline machine imports files by hand).
VULNDB_SOURCES = env.list(
    "HARBOR_VULNDB_SOURCES",
    default=[
        "Debian",
        "Ubuntu",
        "Alpine",
        "Rocky Linux",
        "AlmaLinux",
        "Red Hat",
        "PyPI",
        "npm",
        "Go",
        "Maven",
        "RubyGems",
    ],
)
VULNDB_REFRESH_HOURS = env.float("HARBOR_VULNDB_REFRESH_HOURS", default=24.0)
VULNDB_DOWNLOAD_TIMEOUT = env.float("HARBOR_VULNDB_DOWNLOAD_TIMEOUT", default=300.0)
VULNDB_MAX_DOWNLOAD_BYTES = env.int("HARBOR_VULNDB_MAX_DOWNLOAD_MB", default=4096) * 1024 * 1024
# Scans: how long one may take (a remote adapter is polled until then; its robot expires then),
# and the registry address remote adapters pull from when their registration says
# use_internal_addr (or no HARBOR_EXTERNAL_URL is set).
# How long a web process may answer a manifest GET from a cached `prevent_vul`/`severity` of the
# project (a change through this process, or any with Redis, is seen at once).
VULN_POLICY_CACHE_SECONDS = env.float("HARBOR_VULN_POLICY_CACHE_SECONDS", default=5.0)
SCAN_TIMEOUT_MINUTES = env.float("HARBOR_SCAN_TIMEOUT_MINUTES", default=30.0)
INTERNAL_URL = env.str(
    "HARBOR_INTERNAL_URL", default=f"http://127.0.0.1:{env.str('HARBOR_PORT', default='8080')}"
).rstrip("/")

# Housekeeping schedules; django-celery-beat copies them into its tables on start.
CELERY_BEAT_SCHEDULE = {
    "purge-stale-uploads": {"task": "registry.purge_stale_uploads", "schedule": 24 * 3600},
    "refresh-vulnerability-database": {
        "task": "scanning.refresh_vulndb",
        "schedule": VULNDB_REFRESH_HOURS * 3600,
    },
}
