"""Every seed's contract, live through the demo API."""

import json

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
JSON = "application/json"

# slug -> (content type, how to read the code from a body)
FORMATS = {
    "usezombie": (PROBLEM, lambda body: body["error_code"]),
    "zen-mesh": (PROBLEM, lambda body: body["error_code"]),
    "zof": (JSON, lambda body: body["error"]["code"]),
    "management-api": (JSON, lambda body: body["error"]["code"]),
    "oz": (JSON, lambda body: body["error_code"]),
}


@pytest.fixture
def token(django_user_model):
    user = django_user_model.objects.create_user("client")
    return Token.objects.create(user=user).key


def post_item(client, slug, data, token=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/demo/{slug}/items/", json.dumps(data), content_type="application/json", **headers, **extra)


def code_of(slug, response):
    content_type, read = FORMATS[slug]
    assert response["Content-Type"] == content_type
    return read(response.json())


@pytest.mark.parametrize(
    "slug, status, code",
    [
        ("usezombie", 400, "UZ-REQ-001"),
        ("zen-mesh", 422, "invalid-parameters"),
        ("zof", 400, "invalid_request"),
        ("management-api", 400, "validation_failed"),
        ("oz", 400, 3),
    ],
)
def test_missing_field(client, token, slug, status, code):
    response = post_item(client, slug, {"quantity": 2, "environment": "staging"}, token)
    assert response.status_code == status
    assert code_of(slug, response) == code


@pytest.mark.parametrize("slug, code", [("oz", 4), ("management-api", "invalid_parameter")])
def test_bad_value_gets_its_own_code(client, token, slug, code):
    response = post_item(client, slug, {"name": "x", "quantity": 1, "environment": "dev"}, token)
    assert code_of(slug, response) == code


@pytest.mark.parametrize("quantity", [2**31, 2**63, 10**30])
def test_quantity_beyond_any_integer_column_is_a_400_and_writes_nothing(client, token, quantity):
    from project.demo.models import Item

    response = post_item(client, "oz", {"name": "x", "quantity": quantity, "environment": "staging"}, token)
    assert response.status_code == 400
    assert code_of("oz", response) == 4
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    "slug, code",
    [
        ("usezombie", "UZ-AUTH-002"),
        ("zen-mesh", "authentication"),
        ("zof", "unauthorized"),
        ("management-api", "unauthorized_client"),
        ("oz", 6),
    ],
)
def test_missing_token(client, slug, code):
    response = post_item(client, slug, {"name": "x"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert code_of(slug, response) == code


@pytest.mark.parametrize(
    "slug, code",
    [
        ("usezombie", "UZ-AUTH-002"),
        ("zen-mesh", "authentication"),
        ("zof", "unauthorized"),
        ("management-api", "invalid_token"),
        ("oz", 7),
    ],
)
def test_invalid_token(client, slug, code):
    response = post_item(client, slug, {"name": "x"}, token="not-a-token")
    assert response.status_code == 401
    assert code_of(slug, response) == code


@pytest.mark.parametrize(
    "slug, code",
    [
        ("usezombie", "http_404"),
        ("zen-mesh", "not-found"),
        ("zof", "not_found"),
        ("management-api", "not_found"),
        ("oz", 10),
    ],
)
def test_unknown_item(client, slug, code):
    response = client.get(f"/demo/{slug}/items/424242/")
    assert response.status_code == 404
    assert code_of(slug, response) == code


def test_created_item_is_readable(client, token):
    response = post_item(
        client, "oz", {"name": "bolt", "quantity": 3, "environment": "production", "tags": ["a"]}, token
    )
    assert response.status_code == 201
    item = client.get(f"/demo/oz/items/{response.json()['id']}/").json()
    assert (item["name"], item["quantity"], item["tags"]) == ("bolt", 3, ["a"])
    assert client.get(f"/demo/zof/items/{response.json()['id']}/").status_code == 404


@pytest.mark.parametrize(
    "slug, code",
    [
        ("usezombie", "http_429"),
        ("zen-mesh", "rate-limited"),
        ("zof", "rate_limited"),
        ("management-api", "http_429"),
        ("oz", 0),
    ],
)
def test_throttled(client, slug, code):
    address = {"REMOTE_ADDR": f"10.9.{len(slug)}.{sum(map(ord, slug)) % 250}"}
    statuses = [client.get(f"/demo/{slug}/limited/", **address).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get(f"/demo/{slug}/limited/", **address)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert code_of(slug, response) == code


def test_throttled_envelope_carries_retry_after(client):
    address = {"REMOTE_ADDR": "10.8.0.1"}
    for _ in range(2):
        client.get("/demo/management-api/limited/", **address)
    response = client.get("/demo/management-api/limited/", **address)
    assert response.json()["error"]["retry_after"] == int(response["Retry-After"])


@pytest.mark.parametrize(
    "slug, code",
    [
        ("usezombie", "UZ-INTERNAL-003"),
        ("zen-mesh", "internal-error"),
        ("zof", "internal_error"),
        ("management-api", "server_error"),
        ("oz", 0),
    ],
)
def test_boom_is_the_catch_all_without_internals(client, slug, code):
    client.raise_request_exception = False  # the handler sends got_request_exception
    response = client.get(f"/demo/{slug}/boom/")
    assert response.status_code == 500
    assert code_of(slug, response) == code
    assert b"secret" not in response.content
    assert b"RuntimeError" not in response.content


def test_usezombie_v1_runs_is_gone(client):
    response = client.get("/demo/usezombie/v1/runs/")
    assert response.status_code == 410
    body = response.json()
    assert (body["error_code"], body["title"]) == ("UZ-RUNS-410", "Pipeline v1 permanently removed")


def test_body_over_two_megabytes(client, token):
    big = {"name": "x" * (2 * 1024 * 1024 + 10)}
    response = post_item(client, "usezombie", big, token)
    assert response.status_code == 413
    assert code_of("usezombie", response) == "UZ-REQ-002"
    response = post_item(client, "oz", big, token)
    assert response.status_code == 413
    assert code_of("oz", response) == 0  # no 413 code in Oz: the catch-all's integer


@pytest.mark.parametrize("slug, code", [("usezombie", "UZ-REQ-001"), ("oz", 3), ("zen-mesh", "bad-request")])
def test_malformed_json(client, token, slug, code):
    response = client.post(
        f"/demo/{slug}/items/", "{nope", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert code_of(slug, response) == code


def test_json_nested_too_deep_is_a_client_error(client, token):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/demo/zof/items/", deep, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert code_of("zof", response) == "invalid_request"


def test_wrong_content_type(client, token):
    response = client.post(
        "/demo/zen-mesh/items/", "name=x", content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 415
    assert response.json()["title"] == "Unsupported Media Type"
    assert response.json()["type"] == "about:blank"


def test_method_not_allowed_keeps_allow(client):
    response = client.delete("/demo/oz/items/1/")
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert code_of("oz", response) == 1


def test_unknown_url_under_a_demo_mount(client):
    response = client.get("/demo/zof/no/such/thing/")
    assert response.status_code == 404
    assert code_of("zof", response) == "not_found"


def test_browser_accept_header_still_gets_the_format(client):
    response = client.get("/demo/usezombie/items/424242/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


def test_throttles_count_per_mount(client):
    address = {"REMOTE_ADDR": "10.7.0.1"}
    assert [client.get("/demo/zof/limited/", **address).status_code for _ in range(3)] == [200, 200, 429]
    for slug in ["usezombie", "zen-mesh", "management-api", "oz"]:
        assert client.get(f"/demo/{slug}/limited/", **address).status_code == 200


def run_demo_setup(*args, **env):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        call_command("demo_setup", *args, stdout=out)
    return out.getvalue()


def test_demo_setup_never_reverts_admin_edits():
    from errorcatalog.models import ErrorCode

    ErrorCode.objects.filter(catalog__slug="oz", code="UNKNOWN").update(title="Edited in the admin")
    out = run_demo_setup()
    assert "loaded from" not in out
    assert ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN").title == "Edited in the admin"


def test_demo_setup_loads_absent_catalogs_and_reset_reloads():
    from errorcatalog.models import Catalog, ErrorCode

    Catalog.objects.filter(slug="zof").delete()
    ErrorCode.objects.filter(catalog__slug="oz", code="UNKNOWN").update(title="Edited in the admin")
    out = run_demo_setup()
    assert "Catalog zof: loaded" in out and "Catalog oz" not in out
    assert ErrorCode.objects.filter(catalog__slug="zof").count() > 0
    out = run_demo_setup("--reset")
    assert all(f"Catalog {slug}: loaded" in out for slug in ["usezombie", "zof", "management-api", "zen-mesh", "oz"])
    assert ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN").title == "Unknown server error"


def test_demo_setup_applies_the_admin_password_on_later_runs(django_user_model):
    run_demo_setup(ERRORCATALOG_ADMIN_USER="boss", ERRORCATALOG_ADMIN_PASSWORD="first-pass")
    assert django_user_model.objects.get(username="boss").check_password("first-pass")
    out = run_demo_setup(ERRORCATALOG_ADMIN_USER="boss", ERRORCATALOG_ADMIN_PASSWORD="second-pass")
    assert django_user_model.objects.get(username="boss").check_password("second-pass")
    assert "second-pass" not in out
    assert "changepassword boss" in run_demo_setup(ERRORCATALOG_ADMIN_USER="boss")


VALID_ITEM = {"name": "bolt", "quantity": 3, "environment": "staging", "tags": ["a"]}


@pytest.mark.parametrize(
    "change, numeric_code",
    [
        ({"quantity": "abc"}, 5),  # an integer field sent a string: INVALID TYPE
        ({"name": ["a", "list"]}, 5),  # a string field sent a list: INVALID TYPE
        ({"tags": "not-a-list"}, 5),
        ({"quantity": 0}, 4),  # right type, wrong value: INVALID VALUE
        ({"environment": "prod"}, 4),
        ({"tags": ["x" * 51]}, 4),
        ({"name": None}, 3),  # null where a value is required: INVALID STRUCTURE
    ],
)
def test_oz_tells_wrong_types_from_wrong_values(client, token, change, numeric_code):
    response = post_item(client, "oz", {**VALID_ITEM, **change}, token)
    assert response.status_code == 400
    assert response.json()["error_code"] == numeric_code


@pytest.mark.parametrize("body", [[VALID_ITEM], "a string", 42])
def test_oz_body_that_is_not_an_object_is_invalid_structure(client, token, body):
    response = post_item(client, "oz", body, token)
    assert response.status_code == 400
    assert response.json()["error_code"] == 3
    assert response.json()["details"][0]["code"] == "not_an_object"


def test_oz_missing_field_is_invalid_structure(client, token):
    response = post_item(client, "oz", {"quantity": 1, "environment": "staging"}, token)
    assert response.json()["error_code"] == 3
