"""Settings of the demo host project.

SQLite and a file-based cache by default; ``DATABASE_URL`` switches the
database (e.g. PostgreSQL) and ``REDIS_URL`` the cache. The cache is shared by
every worker process either way: it holds the catalog's version stamp.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# A fixed key is fine for a local demo; deployments set DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "errorcatalog-demo-only-not-secret")
DEBUG = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "errorcatalog",
    "project.demo",
]

MIDDLEWARE = [
    "errorcatalog.middleware.ErrorCatalogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"
CSRF_FAILURE_VIEW = "errorcatalog.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several worker processes write to one file: each write transaction takes
    # the lock when it begins and waits for it, instead of failing with
    # "database is locked" half-way (Django's SQLite notes); WAL lets reads
    # go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL;"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Projects sharing a Redis server keep apart by prefix (each test session
# adds its own, see tests/conftest.py).
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "errorcatalog")
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                # A Redis outage must not take the API down: reads miss,
                # writes are dropped, and both are logged.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_SOCKET_TIMEOUT", 0.5)),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_SOCKET_TIMEOUT", 0.5)),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Bodies over 2 MB answer 413, as the UseZombie contract says.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "errorcatalog.handlers.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "errorcatalog.schema.CatalogAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {"demo-limited": "2/minute"},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "errorcatalog demo",
    "DESCRIPTION": "The catalog API and a demo API mounted once per seed catalog; "
    "every operation lists the catalog errors it can return.",
    "VERSION": "1.0.0",
    "LICENSE": {"name": "BSD-3-Clause"},
    "TAGS": [
        {"name": "api", "description": "The error catalog's read-only REST API and its OpenAPI document."},
        {"name": "demo", "description": "A small API mounted once per seed catalog, answering in its error format."},
    ],
    # Swagger UI and ReDoc from drf-spectacular-sidecar: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Descriptions are Markdown with HTML: ReDoc sanitizes what it renders
    # (errorcatalog escapes catalog text in them too).
    "REDOC_UI_SETTINGS": {"sanitize": True},
    # Separate request and response components: a client builds an Item
    # without its read-only fields, and non-blank strings get minLength 1.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "errorcatalog.schema.document_drf_string_rules",
    ],
}

DEMO_CATALOGS = ["usezombie", "zof", "management-api", "zen-mesh", "oz"]

ERRORCATALOG = {
    "PATH_CATALOGS": {f"/demo/{slug}/": slug for slug in DEMO_CATALOGS},
    "API_PATH_PREFIXES": ["/api/", "/demo/"],
    # The last-known-good copy of the catalog, served by a cold start while
    # the database is down (var/ is git-ignored).
    "CATALOG_COPY_PATH": os.environ.get("ERRORCATALOG_COPY_PATH", str(VAR_DIR / "catalog-copy.json")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "errorcatalog": {"handlers": ["console"], "level": "INFO"},
        # Tracebacks of unexpected errors, with their request id, on the console
        # even with DEBUG off (Django's default only mails them).
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        # Redis errors django-redis ignored (IGNORE_EXCEPTIONS): an outage shows in the log.
        "django_redis": {"handlers": ["console"], "level": "ERROR"},
    },
}
