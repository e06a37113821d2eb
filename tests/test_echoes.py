"""Error text reveals nothing internal and echoes nothing (trust issue, item 8).

Apart from the validated request id, nothing a client sent comes back in an
error body: not its bytes (decoder messages), not its Origin (CSRF), not its
values (choices), and no model names.
"""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls")]

EVIL_ORIGIN = "https://evil.example<script>"


@pytest.fixture
def bearer(django_user_model):
    user = django_user_model.objects.create_user("echo")
    return {"HTTP_AUTHORIZATION": f"Bearer {Token.objects.create(user=user).key}"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/catalogs/nope/",
        "/api/catalogs/nope/codes/",
        "/api/catalogs/oz/codes/NOPE/",
        "/api/catalogs/oz/families/nope/",
        "/demo/usezombie/items/424242/",
        "/errors/oz/NOPE/",
    ],
)
def test_not_found_names_no_model(client, path):
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    text = response.content.decode()
    for name in ("ErrorCode", "Catalog", "ErrorFamily", "Item", "matches the given query"):
        assert name not in text


@pytest.mark.parametrize("body", [b"\xff\xfe\x00bad", b'{"name": "x", ', b"[" * 5000, b'{"a": 1e999999}'])
def test_parse_errors_do_not_echo_the_decoder(client, bearer, body):
    response = client.generic("POST", "/demo/usezombie/items/", body, content_type="application/json", **bearer)
    assert response.status_code == 400
    body_text = response.content.decode()
    for leak in ("codec", "position", "0xff", "char ", "Expecting", "line 1", "surrogate"):
        assert leak not in body_text
    assert response.json()["error_code"] == "UZ-REQ-001"


def test_choice_errors_do_not_echo_the_value(client, bearer):
    response = client.post(
        "/demo/zen-mesh/items/",
        {"name": "x", "environment": "<script>prod</script>"},
        content_type="application/json",
        **bearer,
    )
    assert response.status_code == 422  # Zen Mesh's validation status
    assert "script" not in response.content.decode() and "prod" not in response.content.decode()


def test_csrf_failure_view_does_not_echo_the_origin():
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/api/t/form/", {"a": "b"}, HTTP_ORIGIN=EVIL_ORIGIN, secure=True)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "evil" not in response.content.decode()
    assert response.json()["detail"].startswith("CSRF Failed")


def test_drf_session_csrf_failure_does_not_echo_the_origin(django_user_model):
    user = django_user_model.objects.create_user("session")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    response = csrf_client.post("/api/t/session-post/", {}, HTTP_ORIGIN=EVIL_ORIGIN, secure=True)
    assert response.status_code == 403
    assert "evil" not in response.content.decode()
    assert response.json()["detail"].startswith("CSRF Failed")


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_unknown_api_urls_are_404_for_every_method(method):
    csrf_client = Client(enforce_csrf_checks=True)
    response = getattr(csrf_client, method)("/api/no/such/endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_method_and_media_type_are_not_echoed(client, bearer):
    response = client.generic("FOOBAR", "/demo/zen-mesh/items/", **bearer)
    assert response.status_code == 405 and "FOOBAR" not in response.content.decode()
    response = client.post("/demo/zen-mesh/items/", b"x", content_type="text/evil-type", **bearer)
    assert response.status_code == 415 and "evil" not in response.content.decode()


@pytest.mark.parametrize("query", ["version=%0d%0a", "version=1%22%3B%20x%3Dy", "lang=%0d%0a", "version=" + "v" * 33])
def test_schema_parameters_are_checked(client, query):
    response = client.get(f"/api/schema/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "Content-Disposition" not in response


def test_schema_with_a_plain_version(client):
    response = client.get("/api/schema/?version=v2&format=json")
    assert response.status_code == 200
    assert response.json()["info"]["version"] == "1.0.0 (v2)"
