"""The OpenAPI document's view: ``path("api/schema/", CatalogSchemaView.as_view())``.

Its own module: drf-spectacular's views import the schema class named in
``DEFAULT_SCHEMA_CLASS`` (``errorcatalog.schema``) while they load.
"""

import re

from django.conf import settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView, SpectacularRedocView
from rest_framework import exceptions
from rest_framework.settings import api_settings

from .conf import errorcatalog_settings

_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


class CatalogSchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, with its query parameters checked.

    ``version`` lands in ``info.version`` and in the ``Content-Disposition``
    file name, and ``lang`` picks a translation: a value outside
    ``REST_FRAMEWORK["ALLOWED_VERSIONS"]`` (or, without that setting, beyond
    a short token) and a language outside ``LANGUAGES`` are a 400 in
    ``API_FORMAT`` instead of a broken header or a 500.
    """

    #: The query parameters ``get`` checks: the OpenAPI schema documents its 400.
    checked_query_parameters = ("version", "lang")

    @property
    def error_format(self):
        return errorcatalog_settings.API_FORMAT

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request, *args, **kwargs):
        errors = {}
        version = request.query_params.get("version")
        if version is not None and not self.valid_version(version):
            errors["version"] = ["Not one of the available versions."]
        lang = request.query_params.get("lang")
        if lang is not None and lang not in dict(settings.LANGUAGES):
            errors["lang"] = ["Not one of the available languages."]
        if errors:
            raise exceptions.ValidationError(errors)
        return super().get(request, *args, **kwargs)

    @staticmethod
    def valid_version(version):
        if api_settings.ALLOWED_VERSIONS:
            return version in api_settings.ALLOWED_VERSIONS
        return _VERSION.fullmatch(version) is not None


class CatalogRedocView(SpectacularRedocView):
    """drf-spectacular's ReDoc page, with no web fonts fetched from another site.

    Pair it with ``REDOC_DIST = "SIDECAR"`` and ``REDOC_UI_SETTINGS =
    {"sanitize": True}``: ReDoc then loads nothing from outside and renders
    descriptions through its HTML sanitizer (errorcatalog escapes catalog text
    in them as well).
    """

    template_name = "errorcatalog/redoc.html"

    #: Everything from this site: ReDoc's bundle would otherwise fetch its
    #: footer logo from a CDN on every page view.
    content_security_policy = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
    )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.setdefault("Content-Security-Policy", self.content_security_policy)
        return response
