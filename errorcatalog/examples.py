"""Example responses for a code: the admin preview, docs pages and OpenAPI."""

from .formats import get_format
from .normalize import FieldError
from .resolve import ResolvedError
from .snapshot import CodeEntry

EXAMPLE_REQUEST_ID = "0190b3c2-5f4e-7d3a-9b1c-2e4f6a8b0c1d"
EXAMPLE_FIELD_ERRORS = (
    FieldError(field="name", message="This field is required.", code="required", pointer="#/name"),
)


def code_entry(error_code):
    """The snapshot entry for an ``ErrorCode`` row."""
    return CodeEntry(
        code=error_code.code, title=error_code.title, status=error_code.status.code,
        numeric_code=error_code.numeric_code, default_detail=error_code.default_detail,
        retryable=error_code.retryable, retry_after=error_code.retry_after,
    )


def example_error(entry, *, fallback_numeric_code=0, docs_uri=None, instance="/example/path/"):
    """A ``ResolvedError`` for a ``CodeEntry``, as a client would see it."""
    return ResolvedError(
        code=entry.code,
        title=entry.title,
        status=entry.status,
        detail=entry.default_detail or entry.title,
        type=docs_uri or "about:blank",
        docs_uri=docs_uri,
        instance=instance,
        request_id=EXAMPLE_REQUEST_ID,
        numeric_code=entry.numeric_code if entry.numeric_code is not None else fallback_numeric_code,
        errors=EXAMPLE_FIELD_ERRORS if entry.status in (400, 422) else (),
        retry_after=entry.retry_after,
    )


def render_example(error_code, *, docs_uri=None, format_name=None):
    """``(media_type, body)`` of an ``ErrorCode`` row in its catalog's format (or ``format_name``)."""
    error_format = get_format(format_name or error_code.catalog.format)
    catch_all = error_code.catalog.codes.filter(is_catch_all=True).values_list("numeric_code", flat=True).first()
    error = example_error(
        code_entry(error_code), docs_uri=docs_uri,
        fallback_numeric_code=catch_all if catch_all is not None else 0,
    )
    return error_format.media_type, error_format.render(error)
