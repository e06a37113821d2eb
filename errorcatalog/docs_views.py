"""HTML docs pages: the stable page behind every code's ``docs_uri``.

Deprecated and removed codes keep their page, marked, with their replacement:
a link published in an error response never breaks.
"""

import logging
from functools import wraps

from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from .examples import example_response
from .generic import GENERIC_CATALOG
from .http_statuses import HTTP_STATUSES, REASON_PHRASES
from .models import Catalog, ErrorCode, ErrorFamily
from .resolve import generic_entry
from .serializers import ErrorCodeSerializer
from .types import GENERIC_SLUG

logger = logging.getLogger("errorcatalog")

RETRY_AFTER = 5


def database_unavailable_page(view):
    """An HTML 503 with ``Retry-After`` when the database cannot be read, not Django's 500 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DatabaseError:
            logger.warning("errorcatalog: docs page %s: the database cannot be read", request.path, exc_info=True)
            response = render(request, "errorcatalog/docs/unavailable.html", status=503)
            response["Retry-After"] = str(RETRY_AFTER)
            return response

    return wrapper


@database_unavailable_page
def catalog_index(request):
    """Every catalog of this deployment."""
    return render(request, "errorcatalog/docs/index.html", {"catalogs": Catalog.objects.all()})


@database_unavailable_page
def catalog_page(request, slug):
    """A catalog's codes by family, as tables: Code | HTTP | Title | Common Causes."""
    catalog = get_object_or_404(Catalog, slug=slug)
    query = request.GET.get("q", "").strip()[:200]
    codes = ErrorCode.objects.visible_to(request.user).with_details().order_by("code")
    if query:
        codes = codes.search(query)
    families = (
        ErrorFamily.objects.filter(catalog=catalog)
        .visible_to(request.user)
        .prefetch_related(Prefetch("codes", queryset=codes, to_attr="listed_codes"))
    )
    return render(
        request,
        "errorcatalog/docs/catalog.html",
        {
            "catalog": catalog,
            "families": [f for f in families if f.listed_codes or not query],
            "query": query,
        },
    )


@database_unavailable_page
def code_page(request, slug, code):
    """One code: title, status, description, causes, lifecycle, retry hints, an example.

    Generic entries (``http_404``, the bundled ``internal_error``, ...) that a
    catalog has no code of its own for get a page too: every ``docs_uri`` of a
    response leads to a page that exists.
    """
    catalog = None if slug == GENERIC_SLUG else get_object_or_404(Catalog, slug=slug)
    as_json = request.get_preferred_type(["text/html", "application/json"]) == "application/json"
    error_code = None
    if catalog is not None:
        # JSON is the API's representation; the page reads related rows.
        codes = (
            ErrorCode.objects.published(request.user)
            if as_json
            else ErrorCode.objects.visible_to(request.user).with_details()
        )
        error_code = codes.filter(catalog=catalog, code=code).first()
    if error_code is None:
        return generic_page(request, catalog, code)
    response: HttpResponse
    if as_json:
        response = JsonResponse(ErrorCodeSerializer(error_code, context={"request": request, "catalog": catalog}).data)
    else:
        try:
            found = example_response(slug, code, request=request)
            media_type, example = found.media_type, found.text
        except Exception:  # a broken custom format must not hide the page
            media_type, example = None, None
        response = render(
            request,
            "errorcatalog/docs/code.html",
            {
                "catalog": error_code.catalog,
                "code": error_code,
                "example": example,
                "media_type": media_type,
                "replacement": error_code.visible_replacement(request.user),
            },
        )
    patch_vary_headers(response, ["Accept"])
    return response


def generic_page(request, catalog, code):
    entry = GENERIC_CATALOG.codes.get(code)
    if entry is None and code.startswith("http_") and code[5:].isdigit():
        status = int(code[5:])
        if 400 <= status <= 599 and status in REASON_PHRASES:
            entry = generic_entry(status, REASON_PHRASES)
    if entry is None:
        raise Http404
    descriptions = {status: description for status, _reason, description in HTTP_STATUSES}
    response = render(
        request,
        "errorcatalog/docs/generic.html",
        {
            "catalog": catalog,
            "entry": entry,
            "reason": REASON_PHRASES[entry.status],
            "description": descriptions.get(entry.status, ""),
        },
    )
    patch_vary_headers(response, ["Accept"])
    return response
