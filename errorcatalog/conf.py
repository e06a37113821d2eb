"""The app's settings: one ``ERRORCATALOG`` dict in the project's settings.

Read them through ``errorcatalog_settings``::

    from errorcatalog.conf import errorcatalog_settings
    errorcatalog_settings.DEFAULT_CATALOG

The object is DRF's own settings class pointed at our namespace, so dotted
paths are imported lazily, and it reloads on ``setting_changed``: tests can use
``override_settings(ERRORCATALOG={...})``.
"""

from django.conf import settings
from django.core.signals import setting_changed
from rest_framework.settings import APISettings

DEFAULTS = {
    # Slug of the catalog used when neither the view (``error_catalog``) nor
    # the request path (``PATH_CATALOGS``) selects one. ``None`` uses the
    # bundled generic catalog: reason phrases as titles, ``about:blank`` types.
    "DEFAULT_CATALOG": None,
    # Maps URL path prefixes to catalog slugs, e.g. ``{"/api/v1/": "usezombie"}``.
    # The longest matching prefix wins. Every prefix here is also an API path.
    "PATH_CATALOGS": {},
    # Path prefixes whose Django-level errors (unknown URL, CSRF failure, an
    # exception in a plain Django view) render from the catalog instead of
    # Django's HTML pages.
    "API_PATH_PREFIXES": ["/api/"],
    # The ErrorHandler subclass every error goes through (exception_handler,
    # the middleware and the Django error views): override one step of it.
    "HANDLER_CLASS": "errorcatalog.handlers.ErrorHandler",
    # Format name -> dotted path of an ``ErrorFormat`` subclass, merged over
    # the built-ins (problem, envelope, flat). A catalog's ``format`` and a
    # view's ``error_format`` are one of these names, never a path.
    "FORMATS": {},
    # Module prefixes whose exception classes an exception mapping may name.
    # ``None``: Python's builtins, DRF's and Django's exception modules and
    # every app in INSTALLED_APPS. A path elsewhere is refused unimported.
    "EXCEPTION_MODULES": None,
    # Absolute URL under which the docs pages live, for catalogs without a
    # ``docs_base_url`` of their own. ``None`` builds links from the request's
    # host, falling back to a relative link when the host is not allowed.
    "DOCS_BASE_URL": None,
    # Tagging entity (RFC 4151: "authority,date") of the ``tag:`` type URIs
    # that responses carrying a non-public code get instead of a docs link.
    "TAG_URI_AUTHORITY": "errorcatalog,2026",
    # Seconds a process trusts its catalog snapshot before it asks the cache
    # whether the catalog changed. Workers see an admin edit within this time.
    "SNAPSHOT_CHECK_INTERVAL": 1.0,
    # Where that check and any rebuild run: "background" (one thread per
    # process; requests never wait on the cache or a rebuild) or "sync"
    # (inside the request that finds the interval over; for tests).
    "SNAPSHOT_REFRESH": "background",
    # Cache alias holding the catalog version stamp. Use a cache shared by all
    # worker processes (Redis, Memcached, file based), not ``LocMemCache``.
    "CACHE_ALIAS": "default",
    # Cache key of the catalog version stamp.
    "VERSION_CACHE_KEY": "errorcatalog:version",
    # Cache key of the last-known-good copy of the catalog (JSON), which a
    # process starting while the database is down serves from.
    "COPY_CACHE_KEY": "errorcatalog:copy",
    # A file that holds the same copy too (written by atomic rename), read
    # before the cache; ``None`` keeps the copy in the cache only.
    "CATALOG_COPY_PATH": None,
    # Header read for an incoming request id and set on every response.
    "REQUEST_ID_HEADER": "X-Request-ID",
    # Longest incoming request id accepted; longer ones are replaced.
    "REQUEST_ID_MAX_LENGTH": 128,
    # Format of the catalog's own REST API errors (one for the whole API).
    "API_FORMAT": "problem",
    # Who may read the catalog REST API. Codes with public=False are shown
    # only to users with the errorcatalog.view_errorcode permission.
    "API_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Page size of the catalog API's code lists, and the largest a client may
    # ask for with ?page_size=.
    "API_PAGE_SIZE": 50,
    "API_MAX_PAGE_SIZE": 500,
    # With DEBUG on, an unexpected exception shows Django's technical 500 page
    # unless this is True (then it renders from the catalog, as in production).
    "RENDER_UNEXPECTED_IN_DEBUG": False,
    # Largest file ``errorcatalog import`` reads, in bytes.
    "IMPORT_MAX_BYTES": 32 * 1024 * 1024,
}

IMPORT_STRINGS = ("API_PERMISSION_CLASSES", "HANDLER_CLASS")


class ErrorCatalogSettings(APISettings):
    """DRF's settings object, reading ``settings.ERRORCATALOG``."""

    @property
    def user_settings(self):
        if not hasattr(self, "_user_settings"):
            self._user_settings = getattr(settings, "ERRORCATALOG", {})
        return self._user_settings


errorcatalog_settings = ErrorCatalogSettings(None, DEFAULTS, IMPORT_STRINGS)


def reload_errorcatalog_settings(*, setting, **kwargs):
    if setting == "ERRORCATALOG":
        errorcatalog_settings.reload()


setting_changed.connect(reload_errorcatalog_settings)
