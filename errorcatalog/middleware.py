"""Request ids on every response, and catalog errors from plain Django views."""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from .conf import errorcatalog_settings
from .handlers import debug_page_wanted, render_exception
from .request_id import request_id_for
from .routing import is_api_path
from .snapshot import get_snapshot, snapshot_is_warm


class ErrorCatalogMiddleware:
    """Put it first in ``MIDDLEWARE``. On every request it:

    * sets ``request.request_id`` (the client's ``X-Request-ID`` when sane,
      else a new UUIDv7) and sets it on the response, whatever the view set:
      one request, one id, in the logs and on the wire;
    * warms the catalog snapshot before the view's transaction begins, so the
      handler never queries inside a transaction the view may have aborted;
    * on API paths, refuses bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a
      413 (DRF's parsers read the stream without Django's size check), and
      renders exceptions from plain Django views from the catalog.

    It runs on every request, successful ones included, so it does only what
    the request needs: once the snapshot is warm that is a request id, one
    header and, for a request with a body, a length check. Under ASGI it
    stays on the event loop (nothing here blocks) except to build a cold
    snapshot, which queries the database.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self.__acall__(request)
        request_id = request_id_for(request)
        if not snapshot_is_warm():
            get_snapshot()
        response = self.refuse_too_big(request) if "CONTENT_LENGTH" in request.META else None
        if response is None:
            response = self.get_response(request)
        response.headers[errorcatalog_settings.REQUEST_ID_HEADER] = request_id
        return response

    async def __acall__(self, request):
        request_id = request_id_for(request)
        if not snapshot_is_warm():
            await sync_to_async(get_snapshot, thread_sensitive=True)()
        response = self.refuse_too_big(request) or await self.get_response(request)
        response.headers[errorcatalog_settings.REQUEST_ID_HEADER] = request_id
        return response

    def refuse_too_big(self, request):
        """A 413 for an API request whose declared body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
        length = request.META.get("CONTENT_LENGTH")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if not length or limit is None or not is_api_path(request.path_info):
            return None
        try:
            too_big = int(length) > limit
        except ValueError:
            return None
        if too_big:
            return render_exception(
                RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."), request
            )
        return None

    def process_exception(self, request, exception):
        """Render an exception from a plain Django view on an API path from the catalog."""
        if is_api_path(request.path_info) and not debug_page_wanted(exception):
            return render_exception(exception, request)
        return None
