"""The catalog's read-only REST API, for the teams whose clients map its codes.

Mount it with ``path("api/", include("errorcatalog.urls"))``. Successful reads
carry ``ETag`` and ``Last-Modified`` from the catalog version of the snapshot
in hand and what the requester may see; conditional headers are evaluated
once the request has met every error it can meet, so an error is never
hidden by a 304, and before a row is serialized, so a revalidation is cheap.
"""

import hashlib
from functools import cached_property
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from . import serializers
from .conf import errorcatalog_settings
from .exceptions import PreconditionFailed
from .filters import ErrorCodeFilter, FilterBackend
from .handlers import render_exception
from .models import Catalog, ErrorCode, ErrorFamily, HttpStatus, can_see_hidden
from .snapshot import get_snapshot, version_time
from .transfer import export_catalog, stream_export


def catalog_validators(request):
    """``(etag, last_modified)`` of what ``request`` reads: the catalog version of
    the snapshot in hand (no cache or database read), who may see hidden codes
    and the media type. ``(None, None)`` while the version is unknown."""
    version = get_snapshot().version
    if version is None:
        return None, None
    audience = "all" if can_see_hidden(request.user) else "public"
    media_type = getattr(request, "accepted_media_type", "") or ""
    digest = hashlib.sha256(f"{version}|{audience}|{media_type}".encode()).hexdigest()[:32]
    return f'W/"{digest}"', version_time(version)


class CatalogPagination(PageNumberPagination):
    """Page numbers; ``page_size`` up to ``API_MAX_PAGE_SIZE``, out-of-range sizes ignored.

    ``next`` and ``previous`` carry only the parameters the view understands,
    with the page size in force: a link never repeats an ignored or oversized
    value the client sent.
    """

    page_size_query_param = "page_size"

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1  # page 0 is a 404, like a page past the last
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        return super().paginate_queryset(queryset, request, view)

    def get_next_link(self):
        return self._clean_link(super().get_next_link())

    def get_previous_link(self):
        return self._clean_link(super().get_previous_link())

    def _clean_link(self, url):
        if url is None or self.page is None:
            return url
        filterset_class = getattr(self.view, "filterset_class", None)
        known = {
            self.page_query_param,
            self.page_size_query_param,
            *(filterset_class.base_filters if filterset_class else ()),
        }
        parts = urlsplit(url)
        query = [
            (name, str(self.page.paginator.per_page) if name == self.page_size_query_param else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if name in known
        ]
        return urlunsplit(parts._replace(query=urlencode(query)))

    def get_page_size(self, request):
        # Read per request, so override_settings and deployments agree.
        self.page_size = errorcatalog_settings.API_PAGE_SIZE
        self.max_page_size = errorcatalog_settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request)


class CatalogAPIView(viewsets.ReadOnlyModelViewSet):
    """Read-only, paginated, in the API's one error format."""

    pagination_class = CatalogPagination
    #: Successful reads answer conditional requests (304, 412): the OpenAPI schema says so.
    conditional_reads = True

    @property
    def error_format(self):
        return errorcatalog_settings.API_FORMAT

    def get_permissions(self):
        return [permission() for permission in errorcatalog_settings.API_PERMISSION_CLASSES]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if answered := self.evaluate_preconditions(request):
            return answered
        if page is None:
            return Response(self.get_serializer(queryset, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return self.evaluate_preconditions(request) or Response(self.get_serializer(instance).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Cookie"])  # the answer depends on who asks
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response = self.evaluate_preconditions(request, response)  # a read no action answered early
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            self.stamp_validators(response)
        return response

    @cached_property
    def validators(self):
        """``(etag, last_modified)`` of this request, the time as a Unix
        timestamp (what both the comparison and the header take), read once."""
        etag, last_modified = catalog_validators(self.request)
        return etag, int(last_modified.timestamp()) if last_modified else None

    def evaluate_preconditions(self, request, response=None):
        """The 304 or 412 the request's conditional headers call for, else ``response``.

        Actions call it once the request has met every error it can meet
        (unknown catalog or code, bad filter, page out of range) and before
        they serialize a row, so an error always wins (RFC 9110 section
        13.2.1) and a client revalidating a fresh copy costs no serialization.
        """
        etag, last_modified = self.validators
        if etag is None:
            return response
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        if conditional is not None and conditional.status_code == 412:
            return render_exception(PreconditionFailed(), request, view=self)
        return conditional

    def stamp_validators(self, response):
        etag, last_modified = self.validators
        if etag is not None:
            response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)

    @cached_property
    def catalog(self):
        """The catalog the URL names (404 when there is none), read once per request."""
        return get_object_or_404(Catalog, slug=self.kwargs["slug"])

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "slug" not in self.kwargs or self.lookup_field == "slug":  # no catalog, or catalogs themselves
            return context
        return {**context, "catalog": self.catalog}  # every code listed shares it (docs links)

    def visible_codes(self):
        """The catalog's codes the requester may see, as ``ErrorCodeSerializer`` reads them."""
        return ErrorCode.objects.filter(catalog=self.catalog).published(self.request.user)


class CatalogViewSet(CatalogAPIView):
    """The catalogs of this deployment, one per API product."""

    queryset = Catalog.objects.all()
    serializer_class = serializers.CatalogSerializer
    lookup_field = "slug"

    @extend_schema(responses={200: {"type": "object", "additionalProperties": True}})
    def export(self, request, slug):
        """The whole catalog as one JSON document (what ``errorcatalog export`` writes).

        Streamed a chunk of codes at a time, so a catalog of any size costs
        the server the same memory; the browsable API gets it whole.
        """
        catalog, include_hidden = self.get_object(), can_see_hidden(request.user)
        if answered := self.evaluate_preconditions(request):
            return answered
        if request.accepted_renderer.format != "json":
            return Response(export_catalog(catalog, include_hidden=include_hidden))
        return StreamingHttpResponse(
            stream_export(catalog, include_hidden=include_hidden), content_type="application/json"
        )


class ErrorFamilyViewSet(CatalogAPIView):
    """A catalog's families; one family lists its codes."""

    lookup_field = "key"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return ErrorFamily.objects.none()
        queryset = ErrorFamily.objects.filter(catalog=self.catalog).visible_to(self.request.user)
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
    filter_backends = [FilterBackend]
    filterset_class = ErrorCodeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return ErrorCode.objects.none()
        return self.visible_codes().order_by("code")


class HttpStatusViewSet(CatalogAPIView):
    """Every HTTP status with its reason phrase."""

    queryset = HttpStatus.objects.all()
    serializer_class = serializers.HttpStatusSerializer
    lookup_field = "code"
