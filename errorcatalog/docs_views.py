"""HTML docs pages: the stable page behind every code's ``docs_uri``.

Deprecated and removed codes keep their page, marked, with their replacement:
a link published in an error response never breaks.
"""

import json
import logging
from functools import wraps

from django.db import DatabaseError
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from .examples import render_example
from .links import absolute_url, docs_url
from .models import Catalog, ErrorCode, ErrorFamily
from .serializers import ErrorCodeSerializer

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
        codes = codes.filter(
            pk__in=ErrorCode.objects.filter(
                Q(code__icontains=query) | Q(title__icontains=query) | Q(causes__text__icontains=query)
            ).values("pk")
        )
    families = ErrorFamily.objects.filter(catalog=catalog).visible_to(request.user).prefetch_related(
        Prefetch("codes", queryset=codes, to_attr="listed_codes")
    )
    return render(request, "errorcatalog/docs/catalog.html", {
        "catalog": catalog, "families": [f for f in families if f.listed_codes or not query], "query": query,
    })


@database_unavailable_page
def code_page(request, slug, code):
    """One code: title, status, description, causes, lifecycle, retry hints, an example."""
    error_code = get_object_or_404(
        ErrorCode.objects.visible_to(request.user).with_details(), catalog__slug=slug, code=code
    )
    if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
        response = JsonResponse(ErrorCodeSerializer(error_code, context={"request": request}).data)
    else:
        link = absolute_url(request, docs_url(slug, error_code.catalog.docs_base_url, code))
        try:
            media_type, body = render_example(error_code, docs_uri=link)
            example = json.dumps(body, indent=2, ensure_ascii=False)
        except Exception:  # a broken custom format must not hide the page
            media_type, example = None, None
        response = render(request, "errorcatalog/docs/code.html", {
            "catalog": error_code.catalog, "code": error_code, "example": example, "media_type": media_type,
            "replacement": error_code.visible_replacement(request.user),
        })
    patch_vary_headers(response, ["Accept"])
    return response
