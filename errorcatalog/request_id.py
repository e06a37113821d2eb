"""Request ids: taken from the client when sane, else generated (UUIDv7)."""

import random
import re
import time
from functools import lru_cache

from .conf import errorcatalog_settings

_SAFE_ID = re.compile(r"[A-Za-z0-9._:~-]+")


def uuid7():
    """A UUIDv7 (RFC 9562) as a string: millisecond timestamp first, so ids sort by time.

    Python 3.11 has no ``uuid.uuid7`` (it arrives in 3.14). A request id is
    not a secret, so ``random`` (reseeded in each forked worker) is enough;
    the string is formatted directly because this runs on every request.
    """
    value = _time_ns() // 1_000_000 << 80 | _VERSION_AND_VARIANT | _random_bits(80) & _RANDOM_BITS
    h = value.to_bytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_time_ns = time.time_ns
_random_bits = random.getrandbits
_VERSION_AND_VARIANT = 0x7 << 76 | 0x2 << 62
_RANDOM_BITS = ~(0xF << 76 | 0x3 << 62) & (1 << 80) - 1


def is_sane_request_id(value):
    """Whether a client's id can be echoed: bounded length, safe characters only."""
    return 0 < len(value) <= errorcatalog_settings.REQUEST_ID_MAX_LENGTH and _SAFE_ID.fullmatch(value) is not None


def request_id_for(request):
    """The request's id, set once per request and reused by every error and log line."""
    request_id = getattr(request, "request_id", None)
    if request_id is None:
        candidate = request.META.get(_meta_key())
        request_id = candidate if candidate and is_sane_request_id(candidate) else uuid7()
        request.request_id = request_id
    return request_id


@lru_cache(maxsize=1)
def _meta_key():
    return "HTTP_" + errorcatalog_settings.REQUEST_ID_HEADER.upper().replace("-", "_")


errorcatalog_settings.derived(_meta_key.cache_clear)
