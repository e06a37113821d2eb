"""Helpers for your own test suites.

from errorcatalog.testing import assert_error

def test_expired_token(client):
    assert_error(client.get("/api/runs/"), "UZ-AUTH-003")
"""

from .formats import format_names, get_format
from .snapshot import get_snapshot


def _read(response):
    """``(format name, format, code, request id)`` of the first registered
    format the body parses as, or ``None``."""
    for name in format_names():
        try:
            error_format = get_format(name)
            body = error_format.parse(response.content)
            code = error_format.code_of(body)
        except Exception:
            continue
        if code is not None:
            return name, error_format, code, error_format.request_id_of(body)
    return None


def _catalog_status(code, numeric):
    """The status the catalogs give ``code`` (its integer, for numeric formats)."""
    for catalog in get_snapshot().catalogs.values():
        for entry in catalog.codes.values():
            if (entry.numeric_code if numeric else entry.code) == code:
                return entry.status
    return None


def assert_error(response, code, *, status=None):
    """Assert ``response`` is the catalog error ``code``, in one line.

    Checks that the body is in one of the registered formats (built-in or
    ``ERRORCATALOG["FORMATS"]``) with that code (an ``int`` for formats of
    numeric codes, such as ``flat``), that the Content-Type is that format's,
    that the HTTP status is ``status`` (by default, the status the catalog
    gives the code) and that the request id in the body matches the
    ``X-Request-ID`` header.
    """
    found = _read(response)
    if found is None:
        raise AssertionError(f"the body is in no errorcatalog format: {response.content[:300]!r}")
    format_name, error_format, found_code, request_id = found
    if found_code != code:
        raise AssertionError(f"expected error code {code!r}, got {found_code!r} ({format_name} format)")
    content_type = response.get("Content-Type", "")
    if content_type.split(";")[0].strip() != error_format.media_type:
        raise AssertionError(
            f"expected Content-Type {error_format.media_type} for the {format_name} format, got {content_type!r}"
        )
    expected_status = status if status is not None else _catalog_status(code, error_format.numeric_codes)
    if expected_status is not None and response.status_code != expected_status:
        raise AssertionError(f"expected HTTP {expected_status} for {code!r}, got {response.status_code}")
    header = response.get("X-Request-ID")
    if request_id is not None and header is not None and request_id != header:
        raise AssertionError(f"body request_id {request_id!r} differs from X-Request-ID {header!r}")
