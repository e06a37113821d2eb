"""The base class of wire formats."""

from __future__ import annotations

import json
import math
from enum import Enum
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from ..types import ResolvedError


# orjson writes dates and dataclasses its own way: have them written as
# their str(), as the standard library's encoder writes them.
_AS_STR = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _plain(value):
    # The standard library's fallback for what JSON has no type for, written
    # as orjson writes it: an enum member as its value, anything else as text.
    return value.value if isinstance(value, Enum) else str(value)


class ErrorFormat:
    """Turns a resolved error into a response: its body, bytes, content type and headers.

    A format is stateless: subclass it, set ``media_type`` and implement
    ``render()``; register it by name in ``ERRORCATALOG["FORMATS"]`` and name
    it in a catalog's ``format`` or a view's ``error_format``. ``serialize()``
    turns the body into bytes (JSON here), ``headers()`` adds headers of the
    format's own, and ``schema()`` describes the body for OpenAPI.
    """

    #: Content-Type of every response this format renders.
    media_type = "application/json"
    #: Name of the body's schema among the OpenAPI components (default: the class name).
    schema_name: str | None = None
    #: Whether bodies carry the codes' integers (``numeric_code``), so every
    #: code of a catalog using this format needs one.
    numeric_codes = False

    # For what orjson refuses (integers past 64 bits, keys that are not
    # strings). allow_nan=False: JSON has no NaN or Infinity (RFC 8259),
    # whatever an extension member holds; serialize() writes null, as orjson does.
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_plain, allow_nan=False)

    def render(self, error: ResolvedError) -> Any:
        """Return the body for ``error`` (for JSON formats, a JSON-serialisable value)."""
        raise NotImplementedError("ErrorFormat subclasses implement render()")

    def serialize(self, body: Any) -> bytes:
        """The body as the response's bytes (compact UTF-8 JSON by default).

        Values JSON has no type for (``Decimal``, dates, lazy translations)
        are written as their ``str()``, enum members as their value, NaN and
        infinities as ``null``.
        """
        try:
            # orjson: a tenth of the standard library's cost on a 50-field error.
            return orjson.dumps(body, default=_plain, option=_AS_STR)
        except TypeError:  # orjson.JSONEncodeError is one
            pass
        try:
            return self._encoder.encode(body).encode()
        except ValueError:  # a NaN or an infinity somewhere in an extension member
            return self._encoder.encode(_finite(body)).encode()

    def headers(self, error: ResolvedError) -> dict[str, str]:
        """Headers of this format's own for ``error`` (none by default)."""
        return {}

    def display(self, body: Any) -> str:
        """The body as people read it: docs page examples and the admin preview."""
        return json.dumps(body, indent=2, ensure_ascii=False, default=str)

    def parse(self, content: bytes) -> Any:
        """``serialize()`` undone: a response's body (``errorcatalog.testing``)."""
        return json.loads(content)

    def code_of(self, body: Any) -> str | int | None:
        """The code a body of this format carries, or ``None`` when the body
        is not of this format (``errorcatalog.testing.assert_error``)."""
        return None

    def request_id_of(self, body: Any) -> str | None:
        """The request id a body of this format carries, if it carries one."""
        return None

    def schema(self) -> dict[str, Any]:
        """Return the OpenAPI schema of ``render()``'s bodies."""
        return {"type": "object", "additionalProperties": True}

    @staticmethod
    def field_errors(error: ResolvedError) -> list[dict[str, Any]]:
        """The error's field errors as JSON objects (``pointer`` only when known)."""
        return [field_error.as_dict() for field_error in error.errors]

    @staticmethod
    def add_extra(body: dict[str, Any], error: ResolvedError) -> dict[str, Any]:
        """Add the error's extension members without replacing standard ones."""
        for key, value in error.extra.items():
            body.setdefault(key, value)
        return body


def _finite(value):
    """``value`` with every NaN and infinity replaced by ``None``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
