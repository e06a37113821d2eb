"""The app's settings: one ``ERRORCATALOG`` dict in the project's settings.

Read them through ``errorcatalog_settings``::

    from errorcatalog.conf import errorcatalog_settings
    errorcatalog_settings.DEFAULT_CATALOG

Dotted paths are imported lazily, and the object reloads on
``setting_changed``: tests can use ``override_settings(ERRORCATALOG={...})``.
"""

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

DEFAULTS: dict[str, Any] = {
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
    # Header read for an incoming request id and set on every error response.
    "REQUEST_ID_HEADER": "X-Request-ID",
    # Set that header on responses under 400 too. Off by default: on a
    # successful request the id and one validated header would be most of what
    # the middleware costs, and a client quotes an id when something failed.
    "REQUEST_ID_ON_EVERY_RESPONSE": False,
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

# Keys holding dotted paths, imported on first read.
IMPORT_STRINGS = ("API_PERMISSION_CLASSES", "HANDLER_CLASS")


class ErrorCatalogSettings:
    """The app's settings: ``settings.ERRORCATALOG`` over ``DEFAULTS``.

    Read as attributes (``errorcatalog_settings.DEFAULT_CATALOG``); dotted
    paths in ``IMPORT_STRINGS`` are imported on first read. Values, and the
    caches other modules derive from them (loaded formats, path prefixes,
    docs links), are dropped together by one ``setting_changed`` receiver,
    so ``override_settings(ERRORCATALOG=...)`` and ``ROOT_URLCONF`` changes
    work in tests. (DRF's ``APISettings`` says it is not meant for other apps.)
    """

    DEFAULT_CATALOG: str | None
    PATH_CATALOGS: dict[str, str]
    API_PATH_PREFIXES: list[str]
    HANDLER_CLASS: type
    FORMATS: dict[str, str]
    EXCEPTION_MODULES: list[str] | None
    TAG_URI_AUTHORITY: str
    DOCS_BASE_URL: str | None
    SNAPSHOT_CHECK_INTERVAL: float
    SNAPSHOT_REFRESH: str
    CACHE_ALIAS: str
    VERSION_CACHE_KEY: str
    COPY_CACHE_KEY: str
    CATALOG_COPY_PATH: str | None
    REQUEST_ID_HEADER: str
    REQUEST_ID_ON_EVERY_RESPONSE: bool
    REQUEST_ID_MAX_LENGTH: int
    API_FORMAT: str
    API_PERMISSION_CLASSES: list[type]
    API_PAGE_SIZE: int
    API_MAX_PAGE_SIZE: int
    RENDER_UNEXPECTED_IN_DEBUG: bool
    IMPORT_MAX_BYTES: int

    def __init__(self, defaults, import_strings):
        self._defaults = defaults
        self._import_strings = frozenset(import_strings)
        self._derived = []

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._defaults:
            raise AttributeError(f"Invalid errorcatalog setting: {name!r}")
        value = getattr(settings, "ERRORCATALOG", {}).get(name, self._defaults[name])
        if name in self._import_strings and value is not None:
            value = (
                [import_string(item) for item in value] if isinstance(value, (list, tuple)) else import_string(value)
            )
        self.__dict__[name] = value  # cached until the next reload()
        return value

    def derived(self, clear):
        """Register ``clear`` (e.g. an ``lru_cache``'s ``cache_clear``) to run on
        every reload: caches computed from the settings live no longer than them."""
        self._derived.append(clear)
        return clear

    def reload(self):
        """Forget every value read, and every cache derived from them."""
        for name in [name for name in self.__dict__ if not name.startswith("_")]:
            del self.__dict__[name]
        for clear in self._derived:
            clear()


errorcatalog_settings = ErrorCatalogSettings(DEFAULTS, IMPORT_STRINGS)


def reload_errorcatalog_settings(*, setting, **kwargs):
    # The docs links reverse URL patterns: a ROOT_URLCONF change drops them too.
    if setting in ("ERRORCATALOG", "ROOT_URLCONF"):
        errorcatalog_settings.reload()


setting_changed.connect(reload_errorcatalog_settings)
