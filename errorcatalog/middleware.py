"""Request ids on every response, and catalog errors from plain Django views."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.deprecation import MiddlewareMixin

from .conf import errorcatalog_settings
from .handlers import debug_page_wanted, render_exception
from .request_id import request_id_for
from .routing import is_api_path
from .snapshot import get_snapshot


class ErrorCatalogMiddleware(MiddlewareMixin):
    """Put it first in ``MIDDLEWARE``. On every request it:

    * sets ``request.request_id`` (the client's ``X-Request-ID`` when sane,
      else a new UUIDv7) and echoes it on the response;
    * warms the catalog snapshot before the view's transaction begins, so the
      handler never queries inside a transaction the view may have aborted;
    * on API paths, refuses bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a
      413 (DRF's parsers read the stream without Django's size check), and
      renders exceptions from plain Django views from the catalog.

    Works under WSGI and ASGI (``MiddlewareMixin`` runs these hooks in a
    thread when the stack is async).
    """

    def process_request(self, request):
        request_id_for(request)
        get_snapshot()
        if is_api_path(request.path_info) and _body_too_big(request):
            return render_exception(
                RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."), request
            )
        return None

    def process_exception(self, request, exception):
        if is_api_path(request.path_info) and not debug_page_wanted(exception):
            return render_exception(exception, request)
        return None

    def process_response(self, request, response):
        request_id = getattr(request, "request_id", None)
        if request_id is not None:
            response[errorcatalog_settings.REQUEST_ID_HEADER] = request_id
        return response


def _body_too_big(request):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit
