"""The built-in normalizers: DRF's and Django's exceptions, and ``CatalogError``.

Each is a registration (``normalize.normalizes``) like a project's own; for
an exception, the one registered for the closest class in its MRO answers.
Only text meant for clients survives: an unexpected exception's message never
does, nor anything Django's messages quote from the request.
"""

from types import MappingProxyType

from django.core import exceptions as django_exceptions
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.serializers import as_serializer_error

from .exceptions import CatalogError
from .normalize import _parsing_recursion, _without_echoes, from_api_exception, normalizes
from .types import ProblemFacts


@normalizes(BaseException, builtin=True)
def unexpected(exc, body):
    """Anything else: a bug. Its message is never shown (status ``None``: the catch-all)."""
    return ProblemFacts(exception=exc, status=None)


@normalizes(CatalogError, builtin=True)
def catalog_error(exc, body):
    return ProblemFacts(
        exception=exc,
        status=None,
        detail=exc.detail,
        catalog_code=exc.code,
        catalog=exc.catalog,
        extra=MappingProxyType(dict(exc.extra)),
    )


@normalizes(drf_exceptions.APIException, builtin=True)
def api_exception(exc, body):
    return from_api_exception(exc, body.is_json, body.is_object)


@normalizes(Http404, builtin=True)
def not_found(exc, body):
    # Its message names models ("No ErrorCode matches the given query."),
    # a Resolver404's the URL patterns tried: never shown to clients.
    return from_api_exception(drf_exceptions.NotFound(), body.is_json)


@normalizes(django_exceptions.PermissionDenied, builtin=True)
def permission_denied(exc, body):
    detail = exc.args[0] if exc.args and isinstance(exc.args[0], str) else None
    return from_api_exception(drf_exceptions.PermissionDenied(detail), body.is_json)


@normalizes(django_exceptions.ValidationError, builtin=True)
def django_validation_error(exc, body):
    return from_api_exception(drf_exceptions.ValidationError(as_serializer_error(_without_echoes(exc))), body.is_json)


@normalizes(django_exceptions.RequestDataTooBig, builtin=True)
def request_data_too_big(exc, body):
    return ProblemFacts(exception=exc, status=413, detail="The request body is too large.")


@normalizes(django_exceptions.SuspiciousOperation, builtin=True)
@normalizes(django_exceptions.BadRequest, builtin=True)
def bad_request(exc, body):
    # Their messages may quote headers or settings: say only that it was bad.
    return ProblemFacts(exception=exc, status=400, detail="The request is malformed.")


@normalizes(RecursionError, builtin=True)
def recursion_error(exc, body):
    # Only a RecursionError raised while parsing the body is the client's fault.
    if _parsing_recursion(exc):
        return ProblemFacts(
            exception=exc,
            status=400,
            drf_code="parse_error",
            detail="JSON parse error - the body is nested too deeply.",
        )
    return unexpected(exc, body)
