"""The bundled generic catalog: what answers when no catalog is selected.

Also the last resort of a process that starts while the database is down and
has no last-known-good copy: errors still render, with reason phrases as
titles and ``type`` ``about:blank``.
"""

from types import MappingProxyType
from typing import Any

from django.db.utils import OperationalError

from .http_statuses import REASON_PHRASES
from .types import GENERIC_SLUG, CatalogEntry, CodeEntry, MappingRule, RuleIndex

#: The bundled catalog's own codes. Their ``type`` is ``about:blank``, so
#: their title is the status's reason phrase (RFC 9457 section 4.2.1).
BUNDLED_CODES: tuple[tuple[str, int, dict[str, Any]], ...] = (
    ("internal_error", 500, {"numeric_code": 0}),
    ("database_unavailable", 503, {"retryable": True, "retry_after": 5}),
)


def _generic_catalog():
    # Generic codes for when no catalog is selected or the database is
    # unreachable before the first snapshot: errors still render.
    codes = {
        code: CodeEntry(code=code, title=REASON_PHRASES[status], status=status, generic=True, **hints)
        for code, status, hints in BUNDLED_CODES
    }
    return CatalogEntry(
        slug=GENERIC_SLUG,
        name="Generic",
        format="problem",
        codes=MappingProxyType(codes),
        rules=RuleIndex([MappingRule(code="database_unavailable", exception_class=OperationalError)]),
        catch_all="internal_error",
    )


GENERIC_CATALOG = _generic_catalog()
