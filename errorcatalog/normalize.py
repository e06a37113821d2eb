"""Step one of the error path: an exception becomes plain facts.

``normalize_exception`` knows every kind of exception the handler meets (DRF's,
Django's, ``CatalogError``, anything unexpected) and reduces it to the facts a
catalog rule can match and a format can render. Only text meant for clients
survives: an unexpected exception's message never does.
"""

import math
from types import MappingProxyType

from django.core import exceptions as django_exceptions
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from .exceptions import CatalogError
from .types import EMPTY, FieldError, ProblemFacts

__all__ = ["EMPTY", "FieldError", "ProblemFacts", "flatten_errors", "normalize_exception", "summarize"]

# Parsers whose frames mark a RecursionError as a body nested too deep.
_PARSER_MODULES = ("json.", "rest_framework.parsers")


# Field error codes whose built-in messages quote what the client sent
# (DRF: '"prod" is not a valid choice.', 'Invalid pk "7" - object does not
# exist.'): the body says what was wrong, never the value itself.
_ECHOING_FIELD_CODES = {
    "invalid_choice": "Not one of the available choices.",
    "does_not_exist": "No object matches this value.",
    "invalid_pk_value": "No object matches this value.",
}
# Placeholders of Django's messages that stand for the client's value.
_ECHOING_PARAMS = ("%(value)", "%(pk)")


def _client_safe_message(node, code):
    return _ECHOING_FIELD_CODES.get(code) or str(node)


def _without_echoes(error):
    """A Django ``ValidationError`` whose messages no longer quote the client's values."""
    if hasattr(error, "error_dict"):
        return django_exceptions.ValidationError(
            {field: [_without_echoes(e) for e in errors] for field, errors in error.error_dict.items()}
        )
    if hasattr(error, "error_list") and (len(error.error_list) != 1 or error.error_list[0] is not error):
        return django_exceptions.ValidationError([_without_echoes(e) for e in error.error_list])
    template = str(error.message)
    if error.params and any(marker in template for marker in _ECHOING_PARAMS):
        message = _ECHOING_FIELD_CODES.get(error.code, "This value is not valid.")
        return django_exceptions.ValidationError(message, code=error.code)
    return error


def _before_client_text(detail):
    """DRF's and Django's messages that quote the client (a decoder error on its
    bytes, its ``Origin``) put it after " - ": keep what comes before."""
    head = str(detail).split(" - ", 1)[0].rstrip(" .:")
    return head + "."




#: Code of a serializer's error about a body that is not an object at all
#: (DRF says "Invalid data. Expected a dictionary" with the generic ``invalid``).
NOT_AN_OBJECT = "not_an_object"


def _name_structure_errors(field_errors):
    """DRF reports a body that is not an object with the generic ``invalid`` code
    on the root: give it a code of its own, so a catalog can tell a wrong
    structure (Oz's 3 INVALID STRUCTURE) from a wrong value type."""
    return tuple(
        FieldError(field=e.field, message=e.message, code=NOT_AN_OBJECT, pointer=e.pointer)
        if e.field is None and e.code == "invalid" else e
        for e in field_errors
    )


def _escape_pointer(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def flatten_errors(detail, *, pointers=False):
    """Flatten DRF's nested error detail into ``FieldError``s.

    Nested fields become dotted paths (``items.0.qty``); list indexes and the
    integer keys of DRF 3.18's ``many=True`` errors stay numbers (index 0
    included); ``non_field_errors`` are about the object that holds them, so
    at the top level their ``field`` is ``None``. ``pointers`` adds the same
    location as a JSON Pointer, for errors about a JSON body.
    """
    found = []
    non_field_keys = {api_settings.NON_FIELD_ERRORS_KEY, django_exceptions.NON_FIELD_ERRORS}
    stack = [((), detail)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            items = [
                (path if key in non_field_keys else path + (key,), value) for key, value in node.items()
            ]
            stack.extend(reversed(items))
        elif isinstance(node, (list, tuple)):
            items = [
                (path, item) if not isinstance(item, (dict, list, tuple)) else (path + (index,), item)
                for index, item in enumerate(node)
            ]
            stack.extend(reversed(items))
        else:
            name = ".".join(str(part) for part in path) if path else None
            pointer = None
            if pointers and path:
                pointer = "#/" + "/".join(_escape_pointer(part) for part in path)
            code = str(getattr(node, "code", None) or "invalid")
            found.append(FieldError(field=name, message=_client_safe_message(node, code), code=code, pointer=pointer))
    return tuple(found)


def summarize(field_errors, fallback):
    """One line for ``detail``: the first field error, and how many follow."""
    if not field_errors:
        return fallback
    first = field_errors[0]
    text = f"{first.field}: {first.message}" if first.field else first.message
    if len(field_errors) > 1:
        more = len(field_errors) - 1
        text += f" (and {more} more error{'s' if more > 1 else ''})"
    return text


def _parsing_recursion(exc):
    # Only a RecursionError raised while parsing the body is the client's
    # fault; anywhere else it is a bug and stays a 500.
    tb = exc.__traceback__
    for _ in range(64):
        if tb is None:
            return False
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith(_PARSER_MODULES) or module == "json":
            return True
        tb = tb.tb_next
    return False


def _from_api_exception(exc, body_is_json, body_is_object=True):
    status = exc.status_code
    auth_header = getattr(exc, "auth_header", None)
    challenge_refused = (
        isinstance(exc, (drf_exceptions.NotAuthenticated, drf_exceptions.AuthenticationFailed))
        and status == 403
    )
    wait = getattr(exc, "wait", None)
    wait = math.ceil(wait) if wait else None
    if isinstance(exc.detail, (list, dict)):
        field_errors = flatten_errors(exc.detail, pointers=body_is_json)
        if not body_is_object:
            field_errors = _name_structure_errors(field_errors)
        return ProblemFacts(
            exception=exc, status=status, detail=summarize(field_errors, str(exc.default_detail)),
            drf_code=exc.default_code, field_errors=field_errors, auth_header=auth_header,
            wait=wait, challenge_refused=challenge_refused,
        )
    return ProblemFacts(
        exception=exc, status=status, detail=_client_safe_detail(exc),
        drf_code=getattr(exc.detail, "code", None) or exc.default_code,
        auth_header=auth_header, wait=wait, challenge_refused=challenge_refused,
    )


def _client_safe_detail(exc):
    """The exception's detail, minus what DRF's own messages quote from the request."""
    detail = str(exc.detail)
    if isinstance(exc, drf_exceptions.MethodNotAllowed):
        return "Method not allowed."  # DRF's quotes the method, which the client chose
    if isinstance(exc, drf_exceptions.UnsupportedMediaType):
        return "Unsupported media type in request."  # DRF's quotes the Content-Type
    if isinstance(exc, drf_exceptions.ParseError) or (
        isinstance(exc, drf_exceptions.PermissionDenied) and detail.startswith("CSRF Failed")
    ):
        return _before_client_text(detail)
    return detail


def normalize_exception(exc, *, body_is_json=False, body_is_object=True):
    """Reduce ``exc`` to ``ProblemFacts``.

    ``body_is_json`` says the request carried a JSON body, so validation
    errors get JSON Pointers into it; ``body_is_object=False`` says that body
    parsed to something other than an object (a list, a string, a number).
    """
    if isinstance(exc, CatalogError):
        return ProblemFacts(
            exception=exc, status=None, detail=exc.detail, catalog_code=exc.code,
            catalog=exc.catalog, extra=MappingProxyType(dict(exc.extra)),
        )
    if isinstance(exc, Http404):
        # Its message names models ("No ErrorCode matches the given query."),
        # a Resolver404's the URL patterns tried: never shown to clients.
        return _from_api_exception(drf_exceptions.NotFound(), body_is_json)
    if isinstance(exc, django_exceptions.PermissionDenied):
        detail = exc.args[0] if exc.args and isinstance(exc.args[0], str) else None
        return _from_api_exception(drf_exceptions.PermissionDenied(detail), body_is_json)
    if isinstance(exc, django_exceptions.ValidationError):
        drf_exc = drf_exceptions.ValidationError(as_serializer_error(_without_echoes(exc)))
        return _from_api_exception(drf_exc, body_is_json)
    if isinstance(exc, drf_exceptions.APIException):
        return _from_api_exception(exc, body_is_json, body_is_object)
    if isinstance(exc, django_exceptions.RequestDataTooBig):
        return ProblemFacts(exception=exc, status=413, detail="The request body is too large.")
    if isinstance(exc, (django_exceptions.SuspiciousOperation, django_exceptions.BadRequest)):
        # Their messages may quote headers or settings: say only that it was bad.
        return ProblemFacts(exception=exc, status=400, detail="The request is malformed.")
    if isinstance(exc, RecursionError) and _parsing_recursion(exc):
        return ProblemFacts(
            exception=exc, status=400, drf_code="parse_error",
            detail="JSON parse error - the body is nested too deeply.",
        )
    return ProblemFacts(exception=exc, status=None)
