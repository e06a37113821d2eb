"""Schema fuzzing: schemathesis drives every operation of the project's own OpenAPI schema.

It runs against pytest-django's live server with the seed catalogs and a
valid demo token, a bounded number of examples per operation, in its
coverage (boundary and negative values), fuzzing and stateful phases. It
passes when no operation answers 5xx (except the deliberate ``/boom/``) and
every response conforms to the schema: documented status, content type and
body, so every error response is in its view's declared format.
"""

import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from .support import load_seeds

pytestmark = pytest.mark.server

CONFORMANCE = "status_code_conformance,content_type_conformance,response_schema_conformance"


def schemathesis(url, token, *args):
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{url}/api/schema/?format=json",
        "-H",
        f"Authorization: Bearer {token}",
        "--max-examples",
        "8",
        "--generation-deterministic",
        "--no-color",
        "--request-timeout",
        "10",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.fixture
def site(live_server):
    load_seeds()
    user = get_user_model().objects.create_user("fuzzer")
    return live_server.url, Token.objects.create(user=user).key


def test_no_operation_answers_5xx_or_off_schema(site):
    url, token = site
    run = schemathesis(url, token, "--checks", f"not_a_server_error,{CONFORMANCE}", "--exclude-path-regex", "/boom/$")
    assert run.returncode == 0, run.stdout[-6000:]
    assert "passed" in run.stdout


def test_boom_answers_500_in_its_declared_format(site):
    url, token = site
    run = schemathesis(url, token, "--checks", CONFORMANCE, "--include-path-regex", "/boom/$", "--phases", "fuzzing")
    assert run.returncode == 0, run.stdout[-6000:]
    assert "5 passed" in run.stdout


def test_schema_valid_requests_are_accepted(site):
    """Trust issue, item 14: the document states the constraints the server
    enforces, so no request valid by the schema is refused with a 4xx other
    than 401/403/404/409/429 (the deprecated, always-410 endpoint aside)."""
    url, token = site
    run = schemathesis(
        url,
        token,
        "--mode",
        "positive",
        "--checks",
        "positive_data_acceptance",
        "--exclude-path-regex",
        "/(boom|limited)/$",
        "--exclude-deprecated",
    )
    assert run.returncode == 0, run.stdout[-6000:]
    assert "passed" in run.stdout
