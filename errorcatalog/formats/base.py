"""The base class of wire formats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..types import ResolvedError


class ErrorFormat:
    """Turns a resolved error into a response body.

    A format is stateless: subclass it, set ``media_type`` and implement
    ``render()``; select it by name in ``ERRORCATALOG["FORMATS"]`` or by dotted
    path in a catalog's ``format`` field or a view's ``error_format``.
    ``schema()`` describes the body for OpenAPI.
    """

    #: Content-Type of every response this format renders.
    media_type = "application/json"
    #: Name of the body's schema among the OpenAPI components (default: the class name).
    schema_name = None

    def render(self, error: ResolvedError) -> dict[str, Any]:
        """Return the JSON-serialisable body for ``error``."""
        raise NotImplementedError("ErrorFormat subclasses implement render()")

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
