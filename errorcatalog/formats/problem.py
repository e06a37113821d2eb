"""RFC 9457 problem details (``application/problem+json``)."""

from .base import ErrorFormat


class ProblemFormat(ErrorFormat):
    """``type``, ``title``, ``status``, ``detail``, ``instance`` and extensions.

    Extension members: ``error_code``, ``request_id``, ``docs_uri`` and, for
    validation errors, ``errors`` (``field``, ``message``, ``code``, ``pointer``).
    """

    media_type = "application/problem+json"

    schema_name = "ProblemDetails"

    def render(self, error):
        body = {
            "type": error.type,
            "title": error.title,
            "status": error.status,
            "detail": error.detail,
            "instance": error.instance,
            "error_code": error.code,
            "request_id": error.request_id,
            "docs_uri": error.docs_uri,
        }
        if error.errors:
            body["errors"] = self.field_errors(error)
        return self.add_extra(body, error)

    def code_of(self, body):
        if isinstance(body, dict) and "error_code" in body and "title" in body:
            return body["error_code"]
        return None

    def request_id_of(self, body):
        return body.get("request_id")

    def schema(self):
        return {
            "type": "object",
            "description": "RFC 9457 problem details.",
            "properties": {
                "type": {"type": "string", "description": "Link to the code's docs page, or about:blank."},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "error_code": {"type": "string"},
                "request_id": {"type": "string"},
                "docs_uri": {"type": "string", "nullable": True},
                "errors": {"type": "array", "items": FIELD_ERROR_SCHEMA},
            },
            "required": ["type", "title", "status", "detail", "error_code", "request_id"],
            "additionalProperties": True,
        }


FIELD_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "field": {"type": "string", "nullable": True},
        "message": {"type": "string"},
        "code": {"type": "string"},
        "pointer": {"type": "string"},
    },
    "required": ["field", "message", "code"],
}
