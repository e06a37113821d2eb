"""Example responses for a code: the admin preview, docs pages and OpenAPI.

One truth for what clients see: an example is the response a view raising
``CatalogError(code)`` gets, made by the same resolve and render steps as a
real response, from the same snapshot. Only the request id and ``instance``
are fixed placeholders.
"""

from dataclasses import dataclass
from typing import Any

from .exceptions import CatalogError
from .generic import GENERIC_CATALOG
from .handlers import select_format
from .links import absolute_url
from .normalize import normalize_exception
from .resolve import error_for_entry, generic_entry
from .snapshot import get_snapshot
from .types import ProblemFacts

EXAMPLE_REQUEST_ID = "0190b3c2-5f4e-7d3a-9b1c-2e4f6a8b0c1d"
EXAMPLE_INSTANCE = "/example/path/"


@dataclass(frozen=True)
class Example:
    """One example response: status, content type, body, and the docs link it carries."""

    status: int
    media_type: str
    body: Any
    docs_uri: str | None = None
    #: The body as the format writes it for people (docs pages, admin preview).
    text: str = ""


def example_response(catalog_slug, code, *, request=None, view=None, snapshot=None):
    """The response a client gets for ``code`` of ``catalog_slug``.

    ``code`` is one of the catalog's codes, or a generic entry's
    (``http_404``, the bundled ``internal_error``). ``request`` makes docs
    links absolute as a real request to that host would see them; ``view``
    may choose the format (``error_format``), as for a real response.
    """
    snapshot = snapshot or get_snapshot()
    catalog = snapshot.catalog(catalog_slug)
    entry = catalog.codes.get(code) or GENERIC_CATALOG.codes.get(code)
    if entry is None and code.startswith("http_") and code[5:].isdigit():
        entry = generic_entry(int(code[5:]), snapshot.reasons)
    if entry is None:
        raise LookupError(f"{code!r} is not a code of {catalog_slug!r}")
    return example_for_entry(entry, catalog, request=request, view=view)


def example_for_entry(entry, catalog, *, request=None, view=None):
    """The response a client gets when ``entry`` of ``catalog`` is chosen.

    A catalog code is rendered as a view raising ``CatalogError(code)`` gets
    it; a generic entry as an error of its status that no rule names.
    """
    if entry.code in catalog.codes:
        facts = normalize_exception(CatalogError(entry.code, catalog=catalog.slug))
    else:
        facts = ProblemFacts(exception=Exception(), status=entry.status)
    error = error_for_entry(
        entry,
        facts,
        catalog,
        instance=EXAMPLE_INSTANCE,
        request_id=EXAMPLE_REQUEST_ID,
        absolute_url=lambda url: absolute_url(request, url),
    )
    error_format = select_format(view, catalog)
    body = error_format.render(error)
    return Example(
        status=error.status,
        media_type=error_format.media_type,
        body=body,
        docs_uri=error.docs_uri,
        text=error_format.display(body),
    )
