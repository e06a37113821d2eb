"""The catalog's read-only REST API, for the teams whose clients map its codes.

Mount it with ``path("api/", include("errorcatalog.urls"))``. Responses carry
``ETag`` and ``Last-Modified`` from the catalog version and what the requester
may see, so ``If-None-Match`` answers 304 without reading catalog rows.
"""

import hashlib

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.http import condition
from django.views.decorators.vary import vary_on_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from . import serializers
from .conf import errorcatalog_settings
from .filters import ErrorCodeFilter
from .models import Catalog, ErrorCode, ErrorFamily, HttpStatus
from .snapshot import read_version, version_time
from .transfer import export_catalog


def can_see_hidden(request):
    """Whether the requester may see codes with ``public=False``."""
    user = getattr(request, "user", None)
    return bool(user and user.has_perm("errorcatalog.view_errorcode"))


def visible_codes(request, queryset=None):
    """The codes ``request`` may see (hidden ones need the view permission),
    with the related rows the serializers and docs pages read."""
    queryset = ErrorCode.objects.all() if queryset is None else queryset
    if not can_see_hidden(request):
        queryset = queryset.filter(public=True)
    return queryset.select_related("catalog", "status", "family", "replaced_by").prefetch_related("causes")


def catalog_etag(request, *args, **kwargs):
    version = read_version()
    if version is None:
        return None
    audience = "all" if can_see_hidden(request) else "public"
    media_type = getattr(request, "accepted_media_type", "") or ""
    digest = hashlib.sha256(f"{version}|{audience}|{media_type}".encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def catalog_last_modified(request, *args, **kwargs):
    version = read_version()
    return version_time(version) if version else None


# Conditional GET on the catalog version; the answer depends on who asks.
cached_by_version = [
    vary_on_headers("Authorization", "Cookie"),
    condition(etag_func=catalog_etag, last_modified_func=catalog_last_modified),
]


class CatalogPagination(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def page_size(self):
        return errorcatalog_settings.API_PAGE_SIZE

    @property
    def max_page_size(self):
        return errorcatalog_settings.API_MAX_PAGE_SIZE


class CatalogAPIView(viewsets.ReadOnlyModelViewSet):
    """Read-only, paginated, in the API's one error format."""

    pagination_class = CatalogPagination

    @property
    def error_format(self):
        return errorcatalog_settings.API_FORMAT

    def get_permissions(self):
        return [permission() for permission in errorcatalog_settings.API_PERMISSION_CLASSES]

    @method_decorator(cached_by_version)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @method_decorator(cached_by_version)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def catalog(self):
        return get_object_or_404(Catalog, slug=self.kwargs["slug"])

    def visible_codes(self, queryset=None):
        return visible_codes(self.request, queryset)


class CatalogViewSet(CatalogAPIView):
    """The catalogs of this deployment, one per API product."""

    queryset = Catalog.objects.all()
    serializer_class = serializers.CatalogSerializer
    lookup_field = "slug"

    @extend_schema(responses={200: {"type": "object", "additionalProperties": True}})
    @method_decorator(cached_by_version)
    def export(self, request, slug):
        """The whole catalog as one JSON document (what ``errorcatalog export`` writes)."""
        return Response(export_catalog(self.get_object(), include_hidden=can_see_hidden(request)))


class ErrorFamilyViewSet(CatalogAPIView):
    """A catalog's families; one family lists its codes."""

    lookup_field = "key"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return ErrorFamily.objects.none()
        queryset = ErrorFamily.objects.filter(catalog=self.catalog())
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("codes", queryset=self.visible_codes(), to_attr="visible_codes")
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ErrorFamilyDetailSerializer
        return serializers.ErrorFamilySerializer


class ErrorCodeViewSet(CatalogAPIView):
    """A catalog's codes, filterable and ordered; each with causes, status and docs link."""

    serializer_class = serializers.ErrorCodeSerializer
    lookup_field = "code"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ErrorCodeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return ErrorCode.objects.none()
        return self.visible_codes(ErrorCode.objects.filter(catalog=self.catalog())).order_by("code")


class HttpStatusViewSet(CatalogAPIView):
    """Every HTTP status with its reason phrase."""

    queryset = HttpStatus.objects.all()
    serializer_class = serializers.HttpStatusSerializer
    lookup_field = "code"
