"""errorcatalog.testing.assert_error, used as a user's suite would."""

import pytest
from django.http import HttpResponse

from errorcatalog.testing import assert_error

pytestmark = pytest.mark.django_db


def test_passes_for_each_format(client):
    client.raise_request_exception = False
    assert_error(client.get("/demo/usezombie/v1/runs/"), "UZ-RUNS-410")
    assert_error(client.get("/demo/zof/items/999/"), "not_found")
    assert_error(client.get("/demo/oz/items/999/"), 10)
    assert_error(client.get("/demo/oz/boom/"), 0)


@pytest.mark.parametrize(
    "path, code, status, message",
    [
        ("/demo/zof/items/999/", "conflict", None, "expected error code 'conflict', got 'not_found'"),
        ("/demo/oz/items/999/", 10, 410, "expected HTTP 410"),
    ],
)
def test_fails_with_a_clear_message(client, path, code, status, message):
    with pytest.raises(AssertionError, match=message):
        assert_error(client.get(path), code, status=status)


def test_wrong_content_type_fails():
    response = HttpResponse(
        b'{"type": "about:blank", "title": "x", "status": 404, "error_code": "x"}',
        content_type="application/json",
        status=404,
    )
    with pytest.raises(AssertionError, match="Content-Type application/problem\\+json"):
        assert_error(response, "x", status=404)


def test_non_error_body_fails():
    with pytest.raises(AssertionError, match="no errorcatalog format"):
        assert_error(HttpResponse(b'{"ok": true}', content_type="application/json"), "x")
