"""The last-known-good copy of the catalog, for a cold start without a database.

Whenever a snapshot is built from the database, the plain document it was
assembled from is written to the shared cache and, when
``CATALOG_COPY_PATH`` names a file, to that file by atomic rename. A process
that starts while the database is unreachable serves from it (the file
first, then the cache), so each catalog keeps its own codes and wire format
during the incident; the bundled generic catalog answers only when no copy
exists.

The copy is JSON, never pickle: whoever can write the cache or the file must
not be able to run code here. Read back, every field is type-checked,
exception classes go through the allowlist (``exception_classes``) and
format names through the registry, exactly as rows from the database do.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from pathlib import Path

from django.core.cache import caches

from .conf import errorcatalog_settings

logger = logging.getLogger("errorcatalog")

_kept = None
_kept_lock = threading.Lock()


def keep(document):
    """Remember the newest document until ``save_kept()`` writes it (off the request path)."""
    global _kept
    _kept = document


def save_kept():
    """Write the document ``keep()`` remembered, if any."""
    global _kept
    with _kept_lock:
        document, _kept = _kept, None
    if document is not None:
        save(document)


def save(document):
    """Write ``document`` to the cache and to ``CATALOG_COPY_PATH``; never raises."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    try:
        caches[errorcatalog_settings.CACHE_ALIAS].set(errorcatalog_settings.COPY_CACHE_KEY, text, timeout=None)
    except Exception:
        logger.warning("errorcatalog: cannot write the catalog copy to the cache", exc_info=True)
    path = errorcatalog_settings.CATALOG_COPY_PATH
    if path:
        try:
            _write_atomically(Path(path), text)
        except OSError:
            logger.warning("errorcatalog: cannot write the catalog copy to %s", path, exc_info=True)


def _write_atomically(path, text):
    # Readers see the old file or the new one, never half of one.
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=".catalog-copy-", delete=False
    ) as tmp:
        tmp.write(text)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, path)


def load():
    """The copy as a ``CatalogSnapshot`` (source ``"copy"``), or ``None`` when there is none."""
    for where, read in (("file", _read_file), ("cache", _read_cache)):
        try:
            text = read()
            if text is None:
                continue
            return _assemble(json.loads(text))
        except Exception:
            logger.warning("errorcatalog: the catalog copy in the %s is unusable", where, exc_info=True)
    return None


def _read_file():
    path = errorcatalog_settings.CATALOG_COPY_PATH
    if not path or not Path(path).is_file():
        return None
    return Path(path).read_text(encoding="utf-8")


def _read_cache():
    return caches[errorcatalog_settings.CACHE_ALIAS].get(errorcatalog_settings.COPY_CACHE_KEY)


def _assemble(document):
    from .snapshot import COPY_CODE_KEYS, COPY_MAPPING_KEYS, COPY_VERSION, snapshot_from_document
    from .transfer import CatalogDocumentError, check_type

    if not isinstance(document, dict) or document.get("errorcatalog_copy") != COPY_VERSION:
        raise CatalogDocumentError("not a catalog copy")
    for catalog in document["catalogs"]:
        for key, value in catalog["catalog"].items():
            check_type(key, value, "catalog")
        for section, names in (("codes", COPY_CODE_KEYS), ("mappings", COPY_MAPPING_KEYS)):
            columns = catalog[section]
            if not isinstance(columns, dict) or set(columns) != set(names):
                raise CatalogDocumentError(f"{section}: expected the columns {', '.join(names)}")
            if not all(isinstance(column, list) for column in columns.values()):
                raise CatalogDocumentError(f"{section}: expected a list per column")
            if len({len(column) for column in columns.values()}) > 1:
                raise CatalogDocumentError(f"{section}: the columns differ in length")
            for key, column in columns.items():
                for index, value in enumerate(column):
                    check_type(key, value, f"{section}[{index}]")
        for code, status in zip(catalog["codes"]["code"], catalog["codes"]["status"], strict=True):
            if not 400 <= status <= 599:
                raise CatalogDocumentError(f"{code}: status {status} is not an error status")
    if not all(isinstance(reason, str) for reason in document["reasons"].values()):
        raise CatalogDocumentError("reasons: expected strings")
    return snapshot_from_document(document, source="copy")
