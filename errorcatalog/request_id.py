"""Request ids: taken from the client when sane, else generated (UUIDv7)."""

import random
import re
import time

from .conf import errorcatalog_settings

_SAFE_ID = re.compile(r"[A-Za-z0-9._:~-]+")


def uuid7():
    """A UUIDv7 (RFC 9562) as a string: millisecond timestamp first, so ids sort by time.

    Python 3.11 has no ``uuid.uuid7`` (it arrives in 3.14). A request id is
    not a secret, so ``random`` (reseeded in each forked worker) is enough;
    the string is formatted directly because this runs on every request.
    """
    value = (time.time_ns() // 1_000_000) << 80 | random.getrandbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def is_sane_request_id(value):
    """Whether a client's id can be echoed: bounded length, safe characters only."""
    return 0 < len(value) <= errorcatalog_settings.REQUEST_ID_MAX_LENGTH and _SAFE_ID.fullmatch(value) is not None


def request_id_for(request):
    """The request's id, set once per request and reused by every error and log line."""
    request_id = getattr(request, "request_id", None)
    if request_id is None:
        header = "HTTP_" + errorcatalog_settings.REQUEST_ID_HEADER.upper().replace("-", "_")
        candidate = request.META.get(header, "")
        request_id = candidate if is_sane_request_id(candidate) else uuid7()
        request.request_id = request_id
    return request_id
