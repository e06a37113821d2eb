import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.urls("tests.urls")]


def test_asgi_plain_view_error_on_an_api_path():
    client = AsyncClient(raise_request_exception=False)
    response = async_to_sync(client.get)("/api/t/plain-boom/", headers={"X-Request-ID": "asgi-1"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["request_id"] == "asgi-1"
    assert response["X-Request-ID"] == "asgi-1"


def test_asgi_drf_view():
    response = async_to_sync(AsyncClient().get)("/demo/oz/items/999999/")
    assert response.status_code == 404
    assert response.json()["error_code"] == 10


def test_body_size_is_checked_before_the_view(client):
    response = client.post("/api/t/nested/", b"x" * (2 * 1024 * 1024 + 1), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("sent", [{"HTTP_X_REQUEST_ID": "client-7"}, {}])
def test_a_response_carries_the_request_id_whatever_the_view_set(client, sent):
    # One request, one id: the logs' and the error bodies' id is the header's.
    response = client.get("/api/t/own-request-id/", **sent)
    assert response.status_code == 200
    assert response["X-Request-ID"] == response.wsgi_request.request_id != "set-by-the-view"
    assert [name for name in response.headers if name.lower() == "x-request-id"] == ["X-Request-ID"]
    if sent:
        assert response["X-Request-ID"] == "client-7"


def test_an_error_response_carries_the_id_of_its_body(client):
    response = client.get("/api/t/generic/")
    assert response.status_code == 404
    assert response["X-Request-ID"] == response.json()["request_id"] == response.wsgi_request.request_id
