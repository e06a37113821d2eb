"""The error path, in one place: normalize, resolve, render.

``exception_handler`` is DRF's ``EXCEPTION_HANDLER``; the Django-level views
and the middleware call ``render_exception`` too, so every error on an API
path travels the same steps::

    exception --normalize--> ProblemFacts
              --resolve-->   ResolvedError (catalog code, title, status, docs link)
              --render-->    format --> HttpResponse
"""

import json
import logging

from django.conf import settings
from django.core.signals import got_request_exception
from django.http import HttpResponse, QueryDict
from django.utils.encoding import escape_uri_path
from django.utils.log import log_response
from rest_framework.request import Empty
from rest_framework.views import set_rollback

from .conf import errorcatalog_settings
from .formats import fallback_format, get_format
from .links import absolute_url
from .normalize import normalize_exception
from .request_id import request_id_for, uuid7
from .resolve import resolve_error
from .routing import catalog_for_path
from .snapshot import get_snapshot

logger = logging.getLogger("errorcatalog")

_JSON_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def exception_handler(exc, context):
    """DRF ``EXCEPTION_HANDLER``: every exception becomes a catalog error response.

    Unlike DRF's default it answers unexpected exceptions too (status 500, the
    catalog's catch-all code, traceback logged, never shown). Never raises.
    """
    if debug_page_wanted(exc):
        return None  # DRF re-raises it: Django's technical 500 page
    set_rollback()
    return render_exception(exc, context.get("request"), view=context.get("view"))


def debug_page_wanted(exc):
    """With ``DEBUG`` on, an unexpected exception goes to Django's technical
    500 page, unless ``RENDER_UNEXPECTED_IN_DEBUG`` says to render it."""
    if not settings.DEBUG or errorcatalog_settings.RENDER_UNEXPECTED_IN_DEBUG:
        return False
    try:
        return normalize_exception(exc).unexpected
    except Exception:
        return True


class ErrorHandler:
    """The way of one exception to a response, one overridable step each.

    ``run()`` calls, in order: ``normalize`` (exception to ``ProblemFacts``),
    ``select_catalog``, ``resolve`` (to a ``ResolvedError``), ``select_format``,
    ``render`` (the format's bytes and headers), ``get_headers`` (headers every
    error carries) and, for unexpected exceptions, ``report``. A project
    subclasses it and names the subclass in ``ERRORCATALOG["HANDLER_CLASS"]``;
    ``exception_handler``, the middleware and the Django error views all go
    through it. A step may raise: ``run()`` then answers a minimal problem
    response and logs why, so the handler as a whole never raises.
    """

    def __init__(self, exc, request, *, view=None):
        self.exc = exc
        #: The DRF request when there is one, else the Django request.
        self.request = request
        #: The Django ``HttpRequest``.
        self.http_request = getattr(request, "_request", request)
        self.view = view

    def run(self, *, report=True):
        """The response for the exception; never raises.

        ``report=False`` skips reporting an unexpected exception, for callers
        (``handler500``) that run after Django has reported it.
        """
        try:
            request_id = request_id_for(self.http_request)
        except Exception:
            request_id = uuid7()
        facts = None
        try:
            facts = self.normalize()
            snapshot = get_snapshot()
            catalog = self.select_catalog(facts, snapshot)
            error = self.resolve(facts, catalog, snapshot, request_id)
            response = self.render(error, self.select_format(catalog))
            for name, value in self.get_headers(error, self.request, facts=facts).items():
                response.headers[name] = value
        except Exception:
            logger.exception(
                "errorcatalog: could not render an error (request_id=%s); sending a minimal one", request_id
            )
            facts = None
            response = minimal_response(request_id)
        if report and (facts is None or facts.unexpected):
            try:
                self.report(response, request_id)
            except Exception:  # a project's report() must not turn the answer into a crash
                logger.exception("errorcatalog: could not report an exception (request_id=%s)", request_id)
        return response

    def normalize(self):
        """The exception as ``ProblemFacts`` (registered normalizers decide them)."""
        return normalize_exception(
            self.exc, body_is_json=_has_json_body(self.http_request), body_is_object=_body_is_object(self.request)
        )

    def select_catalog(self, facts, snapshot):
        """The ``CatalogEntry`` answering: the exception's, the view's, the path's or the default."""
        return snapshot.catalog(facts.catalog or select_catalog(self.view, self.http_request.path_info))

    def resolve(self, facts, catalog, snapshot, request_id):
        """The ``ResolvedError``: code, title, status, links (``resolve.resolve_error``)."""
        http_request = self.http_request
        return resolve_error(
            facts,
            catalog,
            reasons=snapshot.reasons,
            instance=escape_uri_path(http_request.path),
            request_id=request_id,
            absolute_url=lambda url: absolute_url(http_request, url),
        )

    def select_format(self, catalog):
        """The ``ErrorFormat``: the view's ``error_format``, else the catalog's."""
        return select_format(self.view, catalog)

    def render(self, error, error_format):
        """An ``HttpResponse`` with the format's bytes, content type and own headers."""
        body = error_format.serialize(error_format.render(error))
        response = HttpResponse(body, status=error.status, content_type=error_format.media_type)
        for name, value in error_format.headers(error).items():
            response.headers[name] = value
        return response

    def get_headers(self, error, request, *, facts=None):
        """Headers every error response carries: ``Retry-After``, the
        ``WWW-Authenticate`` challenge of a 401 and the request id. Extend
        it to add your own (``{**super().get_headers(...), "X-Foo": "..."}``)."""
        headers = {}
        if error.retry_after is not None:
            headers["Retry-After"] = str(error.retry_after)
        if error.status == 401:
            challenge = facts.auth_header if facts is not None else None
            view = self.view
            if not challenge and view is not None and hasattr(view, "get_authenticate_header"):
                challenge = view.get_authenticate_header(request)
            if challenge:
                headers["WWW-Authenticate"] = challenge
        headers[errorcatalog_settings.REQUEST_ID_HEADER] = error.request_id
        return headers

    def report(self, response, request_id):
        """Report an unexpected exception: ``report_unexpected`` (Django's logging and signal)."""
        report_unexpected(self.exc, self.http_request, response, request_id)


def render_exception(exc, request, *, view=None, report=True):
    """Render ``exc`` for ``request`` from the catalog with ``HANDLER_CLASS``; never raises.

    ``report=False`` skips logging an unexpected exception, for callers
    (``handler500``) that run after Django has logged it.
    """
    try:
        handler_class = errorcatalog_settings.HANDLER_CLASS
    except Exception:
        logger.exception("errorcatalog: HANDLER_CLASS does not load; using ErrorHandler")
        handler_class = ErrorHandler
    return handler_class(exc, request, view=view).run(report=report)


def select_catalog(view, path):
    """The catalog slug for ``view`` at ``path``: the view's, the path's, or the default."""
    return getattr(view, "error_catalog", None) or catalog_for_path(path) or errorcatalog_settings.DEFAULT_CATALOG


def select_format(view, catalog):
    """The view's ``error_format``, else the catalog's; the built-in problem format when broken."""
    name = getattr(view, "error_format", None) or catalog.format
    try:
        return get_format(name)
    except Exception:
        logger.error("errorcatalog: format %r does not load; using the built-in problem format", name, exc_info=True)
        return fallback_format()


def minimal_response(request_id):
    """A valid problem response that depends on nothing that could have failed."""
    body = {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "Internal Server Error",
        "request_id": request_id,
    }
    response = HttpResponse(json.dumps(body).encode(), status=500, content_type="application/problem+json")
    try:
        header = errorcatalog_settings.REQUEST_ID_HEADER
    except Exception:
        header = "X-Request-ID"
    response[header] = request_id
    return response


def report_unexpected(exc, request, response, request_id):
    """Log the traceback on ``django.request`` and send ``got_request_exception``.

    The same as Django does for an uncaught exception, so Sentry and admin
    error mails keep working; the response itself never shows the exception.
    """
    try:
        got_request_exception.send(sender=None, request=request)
        log_response(
            "%s: %s (request_id=%s)",
            response.reason_phrase,
            request.path,
            request_id,
            response=response,
            request=request,
            exception=exc,
            level="error",
        )
    except Exception:
        logger.exception("errorcatalog: could not report an exception (request_id=%s)", request_id)


def _has_json_body(request):
    content_type = getattr(request, "content_type", "") or ""
    return request.method in _JSON_BODY_METHODS and (
        content_type == "application/json" or content_type.endswith("+json")
    )


def _body_is_object(request):
    # DRF keeps the parsed body in ``_full_data`` (``Empty`` until parsed);
    # only a body that parsed to a non-object is reported as not one.
    data = getattr(request, "_full_data", None)
    return data is None or data is Empty or isinstance(data, (dict, QueryDict))
