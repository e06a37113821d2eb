"""The ``{"error": {...}}`` envelope (``code``, ``message``, ``param``)."""

from .base import ErrorFormat
from .problem import FIELD_ERROR_SCHEMA


class EnvelopeFormat(ErrorFormat):
    """One ``error`` object: ``code``, ``message`` and ``param`` first.

    ``param`` names the first invalid field; ``errors`` lists every field error
    when there are several; ``retry_after`` appears on errors a client should
    retry later.
    """

    schema_name = "ErrorEnvelope"

    def render(self, error):
        inner = {"code": error.code, "message": error.detail}
        param = next((e.field for e in error.errors if e.field is not None), None)
        if param is not None:
            inner["param"] = param
        inner["title"] = error.title
        inner["doc_url"] = error.docs_uri
        inner["request_id"] = error.request_id
        if len(error.errors) > 1:
            inner["errors"] = self.field_errors(error)
        if error.retry_after is not None:
            inner["retry_after"] = error.retry_after
        return {"error": self.add_extra(inner, error)}

    def code_of(self, body):
        inner = body.get("error") if isinstance(body, dict) else None
        return inner.get("code") if isinstance(inner, dict) else None

    def request_id_of(self, body):
        return body["error"].get("request_id")

    def schema(self):
        return {
            "type": "object",
            "description": "Error envelope.",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "param": {"type": "string"},
                        "title": {"type": "string"},
                        "doc_url": {"type": "string", "nullable": True},
                        "request_id": {"type": "string"},
                        "errors": {"type": "array", "items": FIELD_ERROR_SCHEMA},
                        "retry_after": {"type": "integer"},
                    },
                    "required": ["code", "message", "request_id"],
                    "additionalProperties": True,
                }
            },
            "required": ["error"],
        }
