"""Request ids: taken from the client when sane, else generated (UUIDv7)."""

import re
from functools import lru_cache

from django.http import HttpRequest
from uuid_utils import uuid7 as _new_uuid7

from .conf import errorcatalog_settings

_SAFE_ID = re.compile(r"[A-Za-z0-9._:~-]+")


def uuid7() -> str:
    """A new UUIDv7 (RFC 9562) as a string: millisecond timestamp first, so ids sort by time.

    Python 3.11 has no ``uuid.uuid7`` (it arrives in 3.14); uuid-utils makes
    one in native code, a third of what formatting one in Python costs, and
    this runs on every error of a request that brought no id. Its random bits
    are drawn afresh in each forked worker.
    """
    return str(_new_uuid7())


def is_sane_request_id(value: str) -> bool:
    """Whether a client's id can be echoed: bounded length, safe characters only."""
    return 0 < len(value) <= errorcatalog_settings.REQUEST_ID_MAX_LENGTH and _SAFE_ID.fullmatch(value) is not None


def request_id_for(request: HttpRequest) -> str:
    """The request's id: made on first ask (the client's when sane, else a new
    UUIDv7), then the same for the whole request, in its error bodies, its
    ``X-Request-ID`` header and its log lines. Nothing makes one for a request
    that never asks, so a successful request pays nothing for it."""
    request_id = getattr(request, "request_id", None)
    if request_id is None:
        candidate = request.META.get(_meta_key())
        request_id = candidate if candidate and is_sane_request_id(candidate) else uuid7()
        # Kept on the request itself: it lives exactly as long as the request.
        request.request_id = request_id  # type: ignore[attr-defined]
    return request_id


@lru_cache(maxsize=1)
def _meta_key():
    return "HTTP_" + errorcatalog_settings.REQUEST_ID_HEADER.upper().replace("-", "_")


errorcatalog_settings.derived(_meta_key.cache_clear)
