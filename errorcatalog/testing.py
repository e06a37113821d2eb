"""Helpers for your own test suites.

    from errorcatalog.testing import assert_error

    def test_expired_token(client):
        assert_error(client.get("/api/runs/"), "UZ-AUTH-003")
"""

import json

from .formats import get_format
from .snapshot import get_snapshot


def _read_code(body):
    if isinstance(body.get("error"), dict):
        return "envelope", body["error"].get("code"), body["error"].get("request_id")
    if isinstance(body.get("error_code"), int) and "error_message" in body:
        return "flat", body["error_code"], None
    if "error_code" in body and "title" in body:
        return "problem", body["error_code"], body.get("request_id")
    return None, None, None


def _catalog_status(code, format_name):
    """The status the catalogs give ``code`` (numeric codes for flat bodies)."""
    for catalog in get_snapshot().catalogs.values():
        for entry in catalog.codes.values():
            if (entry.numeric_code if format_name == "flat" else entry.code) == code:
                return entry.status
    return None


def assert_error(response, code, *, status=None):
    """Assert ``response`` is the catalog error ``code``, in one line.

    Checks that the body is in one of the built-in formats with that code
    (an ``int`` for the flat format), that the Content-Type is that format's,
    that the HTTP status is ``status`` (by default, the status the catalog
    gives the code) and that the request id in the body matches the
    ``X-Request-ID`` header.
    """
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"the response is not JSON: {response.content[:200]!r}") from None
    if not isinstance(body, dict):
        raise AssertionError(f"the response body is not an object: {body!r}")
    format_name, found, request_id = _read_code(body)
    if format_name is None:
        raise AssertionError(f"the body is in no errorcatalog format: {body!r}")
    if found != code:
        raise AssertionError(f"expected error code {code!r}, got {found!r} ({format_name} format)")
    media_type = get_format(format_name).media_type
    content_type = response.get("Content-Type", "")
    if content_type.split(";")[0].strip() != media_type:
        raise AssertionError(f"expected Content-Type {media_type} for the {format_name} format, got {content_type!r}")
    expected_status = status if status is not None else _catalog_status(code, format_name)
    if expected_status is not None and response.status_code != expected_status:
        raise AssertionError(f"expected HTTP {expected_status} for {code!r}, got {response.status_code}")
    header = response.get("X-Request-ID")
    if request_id is not None and header is not None and request_id != header:
        raise AssertionError(f"body request_id {request_id!r} differs from X-Request-ID {header!r}")
