"""Settings of bench_api.py's handler comparison: the project's, with the
benchmark views in front, and with ``BENCH_HANDLER=drf`` DRF's default
exception handler and no errorcatalog middleware (the same server otherwise)."""

import os

from project.settings import *  # noqa: F403
from project.settings import MIDDLEWARE, REST_FRAMEWORK

ROOT_URLCONF = "server_urls"

if os.environ.get("BENCH_HANDLER") == "drf":
    MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("errorcatalog.")]
    REST_FRAMEWORK = {**REST_FRAMEWORK, "EXCEPTION_HANDLER": "rest_framework.views.exception_handler"}
