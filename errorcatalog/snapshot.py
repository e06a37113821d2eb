"""The catalog as the error path reads it: immutable data, rebuilt on change.

The rule this module keeps: the handler never queries the database once the
catalog is warm, and no request waits on the cache. ``get_snapshot()`` returns
the process's snapshot; one background thread per process reads the version
stamp from the cache every ``SNAPSHOT_CHECK_INTERVAL`` and, only when it
changed, builds the next snapshot (a fixed four queries, whatever the
catalog's size) and swaps it in. Any save or delete of a catalog row bumps the
stamp when its transaction commits (``signals.py``), so every worker process
sees an admin edit within the interval plus the rebuild time.

When the database cannot be read, serving goes on with the snapshot in hand,
or with the bundled generic catalog when the process has none yet.
"""

import gc
import logging
import os
import threading
import time
import uuid
from datetime import UTC, datetime
from itertools import chain, compress, groupby
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from django.core.cache import caches
from django.db import connections, router, transaction

from . import catalog_copy
from .conf import errorcatalog_settings
from .exception_classes import ExceptionClassError, load_exception_class
from .generic import BUNDLED_CODES, GENERIC_CATALOG
from .http_statuses import REASON_PHRASES
from .models import Catalog, ErrorCode, ExceptionMapping, HttpStatus, driver_rows
from .transfer import CODE_FIELDS, CODE_SOURCES, FLAG_FIELDS, MAPPING_FIELDS
from .types import EMPTY, GENERIC_SLUG, CatalogEntry, CatalogSnapshot, CodeEntry, CodeTable, MappingRule, RuleIndex

logger = logging.getLogger("errorcatalog")

__all__ = [
    "BUNDLED_CODES",
    "GENERIC_CATALOG",
    "GENERIC_SLUG",
    "CatalogEntry",
    "CatalogSnapshot",
    "CodeEntry",
    "EMPTY",
    "MappingRule",
    "build_snapshot",
    "bump_version",
    "get_snapshot",
]


_SOURCES = {"copy": "the last-known-good copy of the catalog", "fallback": "the bundled generic catalog"}
FALLBACK_SNAPSHOT = CatalogSnapshot(version=None, source="fallback", fallback=GENERIC_CATALOG)


def _import_exception(path, catalog_slug):
    # One broken row must not keep the rest of the catalog from being served.
    try:
        return load_exception_class(path)
    except ExceptionClassError as exc:
        logger.error("errorcatalog: catalog %s: mapping skipped: %s", catalog_slug, exc)
        return None


COPY_VERSION = 2
# A code's fields the handler needs: the export document's, less the prose
# (description, causes) and the family; a mapping's, all of the export's.
# One list each for the database read and the copy (``catalog_copy`` checks them).
COPY_CODE_KEYS = tuple(name for name in CODE_FIELDS if name not in ("family", "description", "causes"))
COPY_MAPPING_KEYS = tuple(MAPPING_FIELDS)


def build_snapshot(version=None):
    """Read every catalog from the database into a ``CatalogSnapshot`` (4 queries).

    The reads share one transaction, or a savepoint inside the caller's: in a
    request transaction that the failing view aborted, that savepoint fails at
    once and the caller keeps the snapshot in hand (the middleware warmed it
    before the view's transaction began).
    """
    return snapshot_from_document(read_document(version), source="database")


def read_document(version=None):
    """``read_catalog_document`` in one transaction (or a savepoint inside the caller's)."""
    using = router.db_for_read(ErrorCode)
    with transaction.atomic(using=using):
        return read_catalog_document(using, version)


def read_catalog_document(using, version):
    """What the handler needs of every catalog, as plain JSON-ready data.

    Each catalog's codes and mappings come column by column (``{"code":
    [...], "title": [...]}``), the shape the snapshot keeps them in: a
    catalog of 100,000 codes is a few dozen lists, not 100,000 dictionaries.
    The same document is the last-known-good copy (``catalog_copy``): the
    snapshot is assembled from it in one place, whether it came from the
    database or from the copy.
    """
    catalogs: dict[int, dict[str, Any]] = {
        pk: {"catalog": {"slug": slug, "name": name, "format": fmt, "docs_base_url": base, "type_base_url": type_base}}
        for pk, slug, name, fmt, base, type_base in Catalog.objects.using(using).values_list(
            "pk", "slug", "name", "format", "docs_base_url", "type_base_url"
        )
    }
    codes = (
        ErrorCode.objects.using(using)
        .with_replacement_code(include_hidden=True)
        .values_list("catalog_id", *(CODE_SOURCES[name] for name in COPY_CODE_KEYS))
    )
    mappings = ExceptionMapping.objects.using(using).values_list(
        "catalog_id", "error_code__code", *COPY_MAPPING_KEYS[1:]
    )
    for section, queryset, names in (
        ("codes", codes.order_by("catalog_id", "code"), COPY_CODE_KEYS),
        ("mappings", mappings.order_by("catalog_id", "pk"), COPY_MAPPING_KEYS),
    ):
        for catalog in catalogs.values():
            catalog[section] = {name: [] for name in names}
        for catalog_id, group in groupby(chain.from_iterable(driver_rows(queryset)), itemgetter(0)):
            rows = list(group)
            # Column n of every row (faster than zip(*rows) over 100,000 rows).
            columns = {name: list(map(itemgetter(n), rows)) for n, name in enumerate(names, start=1)}
            columns.update((name, list(map(bool, columns[name]))) for name in FLAG_FIELDS.intersection(columns))
            catalogs[catalog_id][section] = columns
    reasons = dict(REASON_PHRASES)
    reasons.update(HttpStatus.objects.using(using).values_list("code", "reason"))
    return {
        "errorcatalog_copy": COPY_VERSION,
        "version": version,
        "reasons": {str(code): reason for code, reason in reasons.items()},
        "catalogs": list(catalogs.values()),
    }


def snapshot_from_document(document, *, source):
    """Assemble a ``CatalogSnapshot`` from ``read_catalog_document``'s data.

    Exception classes go through the allowlist (``exception_classes``): a
    document read back from a cache or a file is data, never code.
    """
    entries = {}
    for catalog in document["catalogs"]:
        info, codes, mappings = catalog["catalog"], catalog["codes"], catalog["mappings"]
        # One import per exception class path, whatever the number of rules.
        slug = info["slug"]
        table = CodeTable(codes)
        code_column = codes["code"]
        defaults = dict(compress(zip(codes["status"], code_column, strict=True), codes["is_status_default"]))
        catch_all = next(compress(code_column, codes["is_catch_all"]), None)
        paths = mappings["exception_class"]
        imported = {path: _import_exception(path, slug) for path in dict.fromkeys(paths) if path}
        rule_classes = list(map(imported.get, paths))  # None for a rule naming no class
        # The rules point at the table's own code strings, not copies of them.
        same = {code: code for code in table}
        rule_codes = list(map(same.get, mappings["code"], mappings["code"]))
        columns: tuple[list[Any], ...] = (rule_codes, rule_classes, mappings["drf_code"], mappings["field_code"])
        if None in imported.values():  # rules on a class that did not import are left out
            kept = [not path or imported[path] is not None for path in paths]
            columns = tuple(list(compress(column, kept)) for column in columns)
        entries[slug] = CatalogEntry(
            slug=slug,
            name=info["name"],
            format=info["format"],
            codes=table,
            rules=RuleIndex.from_columns(*columns),
            status_defaults=MappingProxyType(defaults),
            catch_all=catch_all,
            type_base_url=info.get("type_base_url", ""),
            docs_base_url=info["docs_base_url"],
        )
    return CatalogSnapshot(
        version=document["version"],
        source=source,
        catalogs=MappingProxyType(entries),
        reasons=MappingProxyType({int(code): reason for code, reason in document["reasons"].items()}),
        fallback=GENERIC_CATALOG,
    )


# The version stamp ---------------------------------------------------------


def _version_cache():
    return caches[errorcatalog_settings.CACHE_ALIAS]


def new_version():
    """A fresh stamp: the time of the change, then randomness (``1763860000-3f2a...``)."""
    return f"{int(time.time())}-{uuid.uuid4().hex[:16]}"


def version_time(version):
    """When the catalog changed, read from a stamp (``None`` when unknown)."""
    try:
        return datetime.fromtimestamp(int(version.split("-", 1)[0]), tz=UTC)
    except (AttributeError, ValueError, OverflowError, OSError):
        return None


def read_version():
    """The catalog's version stamp, or ``None`` when the cache cannot be read."""
    key = errorcatalog_settings.VERSION_CACHE_KEY
    try:
        cache = _version_cache()
        version = cache.get(key)
        if version is None:
            # First process after a cache flush: agree on one stamp.
            cache.add(key, new_version(), timeout=None)
            version = cache.get(key)
        return version
    except Exception:
        logger.warning(
            "errorcatalog: cannot read the catalog version from the cache; serving the snapshot in hand", exc_info=True
        )
        return None


#: How long the caller of ``bump_version()`` waits for the cache write.
BUMP_WAIT = 0.1


def bump_version():
    """Give the catalog a new version stamp: every process rebuilds its snapshot.

    Call it after writing catalog rows with ``update()``, ``bulk_create()``
    or raw SQL, which send no signals. The caller (an admin save, an import)
    waits at most ``BUMP_WAIT`` seconds for the cache: a cache that stopped
    answering must not hold the request. The write goes on in a thread that
    the interpreter waits for at exit, so a management command's bump is
    not lost.
    """
    writer = threading.Thread(target=_write_version, args=(new_version(),), name="errorcatalog-bump")
    writer.start()
    writer.join(BUMP_WAIT)
    expire()


def _write_version(version):
    try:
        _version_cache().set(errorcatalog_settings.VERSION_CACHE_KEY, version, timeout=None)
    except Exception:
        logger.error(
            "errorcatalog: cannot write the catalog version to the cache; other processes keep their snapshot",
            exc_info=True,
        )
    expire()  # this process checks again once the new stamp is there


def bump_version_on_commit(using=None):
    """Bump the version stamp once the current transaction commits."""
    transaction.on_commit(bump_version, using=using)


# The process's snapshot -----------------------------------------------------

_lock = threading.Lock()
_current = None
_checked_at = float("-inf")


def expire():
    """Make this process check the version stamp now (background) or on its next read (sync)."""
    global _checked_at
    _checked_at = float("-inf")
    _refresher.wake()


def reset():
    """Forget this process's snapshot (tests use it between cases)."""
    global _current
    with _lock:
        _current = None
        expire()


def get_snapshot():
    """The process's current snapshot; never raises, never queries when warm.

    Only a process with no snapshot yet builds one inside the request. After
    that, with ``SNAPSHOT_REFRESH = "background"`` (the default) the version
    check and any rebuild run in one thread per process, and requests are
    served from the snapshot in hand meanwhile: no request waits on the cache
    or on a rebuild. ``"sync"`` checks inside the request instead (tests).
    """
    snapshot = _current
    if snapshot is not None and _refresher.watching:
        return snapshot  # the background thread checks the stamp
    if snapshot is None:
        return _refresh(cold=True)
    if time.monotonic() - _checked_at < errorcatalog_settings.SNAPSHOT_CHECK_INTERVAL:
        return snapshot
    if errorcatalog_settings.SNAPSHOT_REFRESH == "sync":
        return _refresh()
    _refresher.ensure_running()
    return snapshot


def snapshot_is_warm():
    """Whether ``get_snapshot()`` answers from memory with nothing to check:
    a snapshot is in hand and this process's background thread watches the
    stamp. The middleware asks it on every request, so it costs two reads."""
    return _current is not None and _refresher.watching


def _refresh(*, cold=False):
    """Check the version stamp and rebuild when it changed; returns the snapshot in force."""
    global _current, _checked_at
    with _lock:
        snapshot = _current
        if cold and snapshot is not None:
            return snapshot  # another thread built it meanwhile
        if cold and errorcatalog_settings.SNAPSHOT_REFRESH != "sync":
            # A cold process builds first and learns the version in the
            # background: the first request never waits on the cache either.
            version = None
        else:
            version = read_version()
            if (
                snapshot is not None
                and snapshot.source == "database"
                and (version is None or version == snapshot.version)
            ):
                _checked_at = time.monotonic()
                return snapshot
        try:
            document = read_document(version)
        except Exception:
            snapshot = _current or catalog_copy.load() or FALLBACK_SNAPSHOT
            logger.warning(
                "errorcatalog: cannot read the catalog from the database; serving %s",
                _SOURCES[snapshot.source] if snapshot is not _current else "the snapshot in hand",
                exc_info=True,
            )
        else:
            snapshot = snapshot_from_document(document, source="database")
            catalog_copy.keep(document)
        _current = snapshot
        _checked_at = time.monotonic()
        if snapshot.source == "database" and errorcatalog_settings.SNAPSHOT_REFRESH != "sync":
            _freeze()
    if errorcatalog_settings.SNAPSHOT_REFRESH == "sync":
        catalog_copy.save_kept()
    elif cold:
        _refresher.ensure_running()
    return snapshot


def _freeze():
    """Put every object alive, the new snapshot's included, out of the
    cyclic collector's sight (``gc.freeze()``): the snapshot lives until the
    next edit, and a collection that swept its objects cost up to 40 ms per
    error at 100,000 codes. It holds no reference cycles, so reference
    counting still frees it when the next one replaces it; the collection
    first makes sure no garbage of the moment is frozen with it."""
    gc.collect()
    gc.freeze()


class _Refresher:
    """One daemon thread per process: checks the stamp every interval, rebuilds on change.

    Started lazily, so a forked worker (gunicorn, uWSGI) starts its own; it
    closes its database connections after every round so it holds none idle.
    """

    def __init__(self):
        self._thread = None
        self._pid = None
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        #: True while this process's thread runs in background mode: requests
        #: then take the snapshot in hand without looking at the clock.
        self.watching = False

    def ensure_running(self):
        if not self._alive():
            with self._start_lock:
                if not self._alive():
                    self._pid = os.getpid()
                    self._wake = threading.Event()  # a forked child must not share its parent's
                    self._thread = threading.Thread(target=self._run, name="errorcatalog-snapshot", daemon=True)
                    self._thread.start()
        self.watching = errorcatalog_settings.SNAPSHOT_REFRESH != "sync"

    def _alive(self):
        return self._thread is not None and self._pid == os.getpid() and self._thread.is_alive()

    def unwatch(self):
        """Make the next ``get_snapshot()`` look again (after a fork, a settings change)."""
        self.watching = False

    def wake(self):
        self._wake.set()

    def _run(self):
        while True:
            try:
                if errorcatalog_settings.SNAPSHOT_REFRESH != "sync" and _current is not None:
                    _refresh()
                    catalog_copy.save_kept()
            except Exception:  # the thread outlives any one failure
                logger.exception("errorcatalog: the background snapshot check failed")
            finally:
                connections.close_all()  # only this thread's: it holds none while it sleeps
            self._wake.wait(errorcatalog_settings.SNAPSHOT_CHECK_INTERVAL)
            self._wake.clear()


_refresher = _Refresher()
# A forked worker inherits the flag but not the thread: it starts its own.
os.register_at_fork(after_in_child=_refresher.unwatch)
errorcatalog_settings.derived(_refresher.unwatch)
