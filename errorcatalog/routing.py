"""Which paths are API paths, and which catalog a path prefix selects.

Both are fixed when the project is configured (settings), never per request,
so every operation has one declared format.
"""

from functools import lru_cache

from .conf import errorcatalog_settings


@lru_cache(maxsize=1)
def _path_catalogs():
    # Longest prefix first, so /api/v2/ wins over /api/.
    return tuple(sorted(errorcatalog_settings.PATH_CATALOGS.items(), key=lambda item: -len(item[0])))


@lru_cache(maxsize=1)
def _api_prefixes():
    return tuple(errorcatalog_settings.API_PATH_PREFIXES) + tuple(errorcatalog_settings.PATH_CATALOGS)


def catalog_for_path(path):
    """The catalog slug ``PATH_CATALOGS`` maps ``path`` to, or ``None``."""
    for prefix, slug in _path_catalogs():
        if path.startswith(prefix):
            return slug
    return None


def is_api_path(path):
    """Whether Django-level errors on ``path`` render from the catalog."""
    return path.startswith(_api_prefixes())


errorcatalog_settings.derived(_path_catalogs.cache_clear)
errorcatalog_settings.derived(_api_prefixes.cache_clear)
