"""Request ids on error responses, and catalog errors from plain Django views."""

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

    * sets the request's id on every error response (4xx and 5xx, whoever
      made it), over any id the view set: the client's ``X-Request-ID`` when
      sane, else a new UUIDv7, the one ``request_id_for(request)`` gives the
      error body and the logs. ``REQUEST_ID_ON_EVERY_RESPONSE`` sets it on
      successful responses too;
    * warms the catalog snapshot before the view's transaction begins, so the
      handler never queries inside a transaction the view may have aborted;
    * on API paths, refuses bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a
      413 (DRF's parsers read the stream without Django's size check), and
      renders exceptions from plain Django views from the catalog.

    It runs on every request, successful ones included, so it does only what
    the request needs: once the snapshot is warm, a successful request costs
    it a status comparison (and a length check when a body is declared); the
    id is made only when something asks for it. Under ASGI it stays on the
    event loop (nothing here blocks) except to build a cold snapshot, which
    queries the database.
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
        if not snapshot_is_warm():
            get_snapshot()
        response = self.refuse_too_big(request) if "CONTENT_LENGTH" in request.META else None
        if response is None:
            response = self.get_response(request)
        return self.add_request_id(request, response)

    async def __acall__(self, request):
        if not snapshot_is_warm():
            await sync_to_async(get_snapshot, thread_sensitive=True)()
        response = self.refuse_too_big(request) or await self.get_response(request)
        return self.add_request_id(request, response)

    @staticmethod
    def add_request_id(request, response):
        """Set the request's id on an error response (on any with ``REQUEST_ID_ON_EVERY_RESPONSE``).

        Set, not checked first: Django answers a missing header through a
        ``KeyError``, and the id must win over one a view set anyway.
        """
        if response.status_code >= 400 or errorcatalog_settings.REQUEST_ID_ON_EVERY_RESPONSE:
            response.headers[errorcatalog_settings.REQUEST_ID_HEADER] = request_id_for(request)
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
