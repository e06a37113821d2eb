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
