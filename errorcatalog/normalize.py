"""Step one of the error path: an exception becomes plain facts.

``normalize_exception`` knows every kind of exception the handler meets (DRF's,
Django's, ``CatalogError``, anything unexpected) and reduces it to the facts a
catalog rule can match and a format can render. Only text meant for clients
survives: an unexpected exception's message never does.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.core import exceptions as django_exceptions
from rest_framework import exceptions as drf_exceptions
from rest_framework.settings import api_settings

from .types import EMPTY, FieldError, ProblemFacts

__all__ = [
    "EMPTY",
    "FieldError",
    "ProblemFacts",
    "RequestBody",
    "find_normalizer",
    "flatten_errors",
    "from_api_exception",
    "normalize_exception",
    "normalizes",
    "registered_classes",
    "summarize",
]

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
        if e.field is None and e.code == "invalid"
        else e
        for e in field_errors
    )


def _escape_pointer(token):
    # RFC 6901: "~" and "/" are escaped; field names rarely hold either.
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def flatten_errors(detail, *, pointers=False):
    """Flatten DRF's nested error detail into ``FieldError``s.

    Nested fields become dotted paths (``items.0.qty``); list indexes and the
    integer keys of DRF 3.18's ``many=True`` errors stay numbers (index 0
    included); ``non_field_errors`` are about the object that holds them, so
    at the top level their ``field`` is ``None``. ``pointers`` adds the same
    location as a JSON Pointer, for errors about a JSON body.
    """
    found: list[FieldError] = []
    add = found.append
    # A field error is a tuple of four: built by tuple's own constructor, it
    # costs a fifth of the named tuple's keyword-checking one, fifty times over.
    field_error = FieldError._make
    echoing = _ECHOING_FIELD_CODES
    non_field_keys = {api_settings.NON_FIELD_ERRORS_KEY, django_exceptions.NON_FIELD_ERRORS}

    # Recursive, as DRF's own error trees are built: each node is handed its
    # location already spelled both ways, so a leaf costs no join of its path.
    def walk(node, name, pointer):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in non_field_keys:
                    walk(value, name, pointer)
                else:
                    key = str(key)
                    walk(
                        value,
                        key if name is None else f"{name}.{key}",
                        None if pointer is None else f"{pointer}/{_escape_pointer(key)}",
                    )
        elif isinstance(node, (list, tuple)):
            for index, item in enumerate(node):
                if isinstance(item, (dict, list, tuple)):
                    walk(
                        item,
                        str(index) if name is None else f"{name}.{index}",
                        None if pointer is None else f"{pointer}/{index}",
                    )
                else:
                    leaf(item, name, pointer)
        else:
            leaf(node, name, pointer)

    def leaf(node, name, pointer):
        code = getattr(node, "code", None) or "invalid"
        if type(code) is not str:
            code = str(code)
        add(field_error((name, echoing.get(code) or str(node), code, None if name is None else pointer)))

    walk(detail, None, "#" if pointers else None)
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


def from_api_exception(exc, body_is_json=False, body_is_object=True):
    """``ProblemFacts`` of a DRF ``APIException``: its status, detail, field errors and headers."""
    status = exc.status_code
    auth_header = getattr(exc, "auth_header", None)
    challenge_refused = (
        isinstance(exc, (drf_exceptions.NotAuthenticated, drf_exceptions.AuthenticationFailed)) and status == 403
    )
    wait = getattr(exc, "wait", None)
    wait = math.ceil(wait) if wait else None
    if isinstance(exc.detail, (list, dict)):
        field_errors = flatten_errors(exc.detail, pointers=body_is_json)
        if not body_is_object:
            field_errors = _name_structure_errors(field_errors)
        return ProblemFacts(
            exception=exc,
            status=status,
            detail=summarize(field_errors, str(exc.default_detail)),
            drf_code=exc.default_code,
            field_errors=field_errors,
            auth_header=auth_header,
            wait=wait,
            challenge_refused=challenge_refused,
        )
    return ProblemFacts(
        exception=exc,
        status=status,
        detail=_client_safe_detail(exc),
        drf_code=getattr(exc.detail, "code", None) or exc.default_code,
        auth_header=auth_header,
        wait=wait,
        challenge_refused=challenge_refused,
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


@dataclass(frozen=True)
class RequestBody:
    """What the built-in normalizers need to know of the request's body."""

    is_json: bool = False  #: a JSON body: validation errors get JSON Pointers into it
    is_object: bool = True  #: False when the body parsed to a list, a string, a number


NO_BODY = RequestBody()
Normalizer = Callable[[BaseException, RequestBody], ProblemFacts]
_user_normalizers: dict[type, Normalizer] = {}
_builtin_normalizers: dict[type, Normalizer] = {}


def normalizes(exception_class, *, builtin=False):
    """Register the decorated function as the normalizer of ``exception_class``::

        from errorcatalog import ProblemFacts, normalizes

        @normalizes(PaymentRequired)
        def payment_required(exc):
            return ProblemFacts(exception=exc, status=402, detail="Top up your account.")

    The function turns an exception into ``ProblemFacts`` (status, detail,
    field errors, headers); the catalog's mapping rules still decide the code.
    For an exception, the registration for the closest class in its MRO wins,
    a project's over a built-in one for the same class. A registered class may
    be named by exception mappings (it joins ``EXCEPTION_MODULES``).
    ``builtin=True`` is for errorcatalog's own (they also get the request body).
    """

    def register(function):
        if builtin:
            _builtin_normalizers[exception_class] = function
        else:
            _user_normalizers[exception_class] = lambda exc, body: function(exc)
        return function

    return register


def registered_classes():
    """The exception classes a project registered a normalizer for."""
    return tuple(_user_normalizers)


def find_normalizer(exception_class):
    """The normalizer of the closest class in ``exception_class``'s MRO."""
    for cls in exception_class.__mro__:
        found = _user_normalizers.get(cls) or _builtin_normalizers.get(cls)
        if found is not None:
            return found
    return None


def normalize_exception(exc, *, body_is_json=False, body_is_object=True):
    """Reduce ``exc`` to ``ProblemFacts`` with its registered normalizer.

    ``body_is_json`` says the request carried a JSON body, so validation
    errors get JSON Pointers into it; ``body_is_object=False`` says that body
    parsed to something other than an object (a list, a string, a number).
    """
    body = NO_BODY if not body_is_json and body_is_object else RequestBody(body_is_json, body_is_object)
    normalizer = find_normalizer(type(exc))
    if normalizer is None:  # not even BaseException: cannot happen, but never raise
        return ProblemFacts(exception=exc, status=None)
    return normalizer(exc, body)


# The built-in normalizers register themselves (DRF's and Django's exceptions).
from . import normalizers  # noqa: E402, F401
