"""Hostile input: each gets a clear error or escaped output, and nothing is written.

"Nothing written" is checked on the statements the request sent to the
database: none may insert, update or delete.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from errorcatalog import CatalogError
from errorcatalog.handlers import render_exception
from errorcatalog.models import ErrorCode

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def auth(django_user_model):
    user = django_user_model.objects.create_user("hostile")
    return {"HTTP_AUTHORIZATION": f"Bearer {Token.objects.create(user=user).key}"}


def send(client, verb, *args, **kwargs):
    """The response and the writes it made."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, verb)(*args, **kwargs)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    return response, writes


ITEM = "/demo/usezombie/items/"
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "body, content_type, status, code",
    [
        (b'{"name": "x", "quantity": ', "application/json", 400, "UZ-REQ-001"),
        (b"\xff\xfe not utf-8", "application/json", 400, "UZ-REQ-001"),
        (b"name=x&quantity=1", "text/plain", 415, None),
        (b"<item><name>x</name></item>", "application/xml", 415, None),
        (DEEP.encode(), "application/json", 400, "UZ-REQ-001"),
        (b"x" * (2 * 1024 * 1024 + 1), "application/json", 413, "UZ-REQ-002"),
        (
            json.dumps(
                {"name": "<script>alert(1)</script>", "quantity": "{0.__class__}", "environment": "prod"}
            ).encode(),
            "application/json",
            400,
            "UZ-REQ-001",
        ),
    ],
)
def test_bad_bodies_are_refused_and_write_nothing(client, auth, body, content_type, status, code):
    response, writes = send(client, "generic", "POST", ITEM, data=body, content_type=content_type, **auth)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    if code:
        assert response.json()["error_code"] == code
    assert writes == []


def test_too_many_query_parameters_are_a_400(client):
    query = "&".join(f"p{i}=1" for i in range(2_000))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    response, writes = send(client, "get", f"/api/catalogs/usezombie/codes/?{query}")
    assert response.status_code == 400
    assert response.json()["status"] == 400 and "p1" not in response.content.decode()
    assert writes == []


@pytest.mark.parametrize(
    "param, status",
    [
        ("search", 400),
        ("family", 400),
        ("lifecycle", 400),
        ("retryable", 400),
        ("status", 400),
        ("ordering", 400),
        ("page", 404),
    ],
)
def test_huge_filter_values_are_refused_without_echoing_them(client, param, status):
    response, writes = send(client, "get", "/api/catalogs/usezombie/codes/", data={param: "9" * 100_000})
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert b"9" * 1000 not in response.content
    assert writes == []


def test_a_huge_page_size_is_clamped(client, errorcatalog_settings):
    errorcatalog_settings(API_MAX_PAGE_SIZE=20)
    response, writes = send(client, "get", "/api/catalogs/usezombie/codes/", data={"page_size": "9" * 30})
    assert response.status_code == 200 and len(response.json()["results"]) == 20
    assert writes == []


@pytest.mark.parametrize(
    "path",
    [
        "/errors/..%2F..%2Fetc%2Fpasswd/",
        "/errors/usezombie/..%2F..%2Fsettings.py/",
        "/errors/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/errors/usezombie/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/api/catalogs/usezombie/codes/%3Cscript%3E/",
        "/demo/usezombie/items/%3Cscript%3E/",
    ],
)
def test_traversal_and_script_in_paths_are_404_and_never_reflected_raw(client, path):
    response, writes = send(client, "get", path)
    assert response.status_code == 404
    assert b"<script>" not in response.content  # instance is a URI: percent-encoded
    assert writes == []


def test_format_string_attacks_in_detail_templates_stay_text(rf):
    code = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-WORKSPACE-001")
    code.default_detail = "No workspace {workspace_id} {workspace_id.__class__.__mro__} {0} {workspace_id!r:>99999}"
    code.save()

    request = rf.get("/demo/usezombie/anything/")
    response = render_exception(CatalogError("UZ-WORKSPACE-001", workspace_id="w1"), request)

    assert (
        json.loads(response.content)["detail"]
        == "No workspace w1 {workspace_id.__class__.__mro__} {0} {workspace_id!r:>99999}"
    )


def test_extension_members_cannot_replace_the_links(rf):
    request = rf.get("/demo/usezombie/v1/runs/")
    hostile = {"type": "javascript:alert(1)", "docs_uri": "https://evil.example/<script>"}
    body = json.loads(render_exception(CatalogError("UZ-RUNS-410", **hostile), request).content)
    assert body["type"] == body["docs_uri"] == "http://testserver/errors/usezombie/UZ-RUNS-410/"


def test_a_hostile_host_header_never_enters_a_link(client):
    response = client.get("/demo/usezombie/v1/runs/", HTTP_HOST="evil.example<script>")
    assert response.status_code in {400, 410}
    assert b"<script>" not in response.content and b"evil.example" not in response.content
