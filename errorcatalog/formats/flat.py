"""The flat integer-code format (``error_code``, ``error_message``, ``details``)."""

from .base import ErrorFormat
from .problem import FIELD_ERROR_SCHEMA


class FlatFormat(ErrorFormat):
    """Three members: the integer code, the message and the field errors.

    ``error_code`` 0 is a real code. An entry without an integer of its own
    (a generic per-status entry) carries the catalog catch-all's integer,
    which resolution has already put in ``numeric_code``.
    """

    schema_name = "FlatError"
    numeric_codes = True

    def render(self, error):
        body = {
            "error_code": error.numeric_code,
            "error_message": error.detail,
            "details": self.field_errors(error) or None,
        }
        return self.add_extra(body, error)

    def code_of(self, body):
        if isinstance(body, dict) and isinstance(body.get("error_code"), int) and "error_message" in body:
            return body["error_code"]
        return None

    def schema(self):
        return {
            "type": "object",
            "description": "Flat error with an integer code.",
            "properties": {
                "error_code": {"type": "integer"},
                "error_message": {"type": "string"},
                "details": {"type": "array", "items": FIELD_ERROR_SCHEMA, "nullable": True},
            },
            "required": ["error_code", "error_message", "details"],
            "additionalProperties": True,
        }
