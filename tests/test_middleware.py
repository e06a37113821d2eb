import uuid

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient

import errorcatalog

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


def request_id_headers(response):
    return [name for name in response.headers if name.lower() == "x-request-id"]


@pytest.mark.parametrize("sent", [{"HTTP_X_REQUEST_ID": "client-7"}, {}])
def test_an_error_response_carries_the_request_id_whatever_the_view_set(client, sent):
    # One request, one id: the logs' and the error bodies' id is the header's,
    # also on an error a view answered itself, which no handler saw.
    response = client.get("/api/t/own-request-id/?conflict", **sent)
    assert response.status_code == 409
    # The public reader gives your code the id the response carries.
    assert response["X-Request-ID"] == errorcatalog.request_id_for(response.wsgi_request)
    assert request_id_headers(response) == ["X-Request-ID"]
    if sent:
        assert response["X-Request-ID"] == "client-7"
    else:
        assert uuid.UUID(response["X-Request-ID"]).version == 7


def test_a_successful_response_is_left_as_the_view_made_it(client):
    response = client.get("/api/t/plain-ok/", HTTP_X_REQUEST_ID="client-7")
    assert response.status_code == 200
    assert request_id_headers(response) == []
    own = client.get("/api/t/own-request-id/")
    assert own.status_code == 200
    assert own["X-Request-ID"] == "set-by-the-view"
    # No id was made, as nothing asked for one.
    assert not hasattr(own.wsgi_request, "request_id")


@pytest.mark.parametrize("sent", [{"HTTP_X_REQUEST_ID": "client-7"}, {}])
def test_every_response_carries_the_request_id_when_the_setting_asks(client, errorcatalog_settings, sent):
    errorcatalog_settings(REQUEST_ID_ON_EVERY_RESPONSE=True)
    response = client.get("/api/t/own-request-id/", **sent)
    assert response.status_code == 200
    assert response["X-Request-ID"] == response.wsgi_request.request_id != "set-by-the-view"
    assert request_id_headers(response) == ["X-Request-ID"]
    if sent:
        assert response["X-Request-ID"] == "client-7"


def test_asgi_every_response_carries_the_request_id_when_the_setting_asks(errorcatalog_settings):
    errorcatalog_settings(REQUEST_ID_ON_EVERY_RESPONSE=True)
    response = async_to_sync(AsyncClient().get)("/api/t/plain-ok/", headers={"X-Request-ID": "asgi-2"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "asgi-2"


def test_an_error_response_carries_the_id_of_its_body(client):
    response = client.get("/api/t/generic/")
    assert response.status_code == 404
    assert response["X-Request-ID"] == response.json()["request_id"] == response.wsgi_request.request_id
