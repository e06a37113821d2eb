"""Django-level error views: API paths get catalog errors, others Django's pages.

Wire them in the project's root URLconf::

    handler400 = "errorcatalog.views.bad_request"
    handler403 = "errorcatalog.views.permission_denied"
    handler404 = "errorcatalog.views.page_not_found"
    handler500 = "errorcatalog.views.server_error"

and ``CSRF_FAILURE_VIEW = "errorcatalog.views.csrf_failure"``. Add
``re_path(r"^api/", errorcatalog.views.api_not_found)`` after an API's own
patterns so unknown API URLs answer from the catalog even with ``DEBUG`` on.
"""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions as drf_exceptions

from .handlers import render_exception
from .routing import is_api_path


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Catch-all for unknown URLs under an API prefix: 404 for every method
    (a POST there is not a CSRF failure: there is nothing to protect)."""
    if not is_api_path(request.path_info):
        raise Http404
    return render_exception(drf_exceptions.NotFound("No endpoint matches this URL."), request)


def bad_request(request, exception=None, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if is_api_path(request.path_info):
        return render_exception(exception or BadRequest(), request)
    return defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception=None, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if is_api_path(request.path_info):
        return render_exception(exception or PermissionDenied(), request)
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception=None, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if is_api_path(request.path_info):
        return render_exception(drf_exceptions.NotFound("No endpoint matches this URL."), request)
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_api_path(request.path_info):
        # Django has already logged the exception and sent the signal.
        return render_exception(RuntimeError("unhandled exception"), request, report=False)
    return defaults.server_error(request, template_name)


def csrf_failure(request, reason=""):
    if is_api_path(request.path_info):
        return render_exception(drf_exceptions.PermissionDenied(f"CSRF Failed: {reason}"), request)
    return csrf.csrf_failure(request, reason)
