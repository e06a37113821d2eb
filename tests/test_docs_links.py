"""Every error links to a page that exists (trust issue, item 15).

Drives the demo and the catalog API into every kind of error they return,
collects every ``docs_uri`` / ``doc_url`` of the responses and follows it:
each answers 200. ``type`` is an identifier and is not followed, but a
generic entry's ``type`` stays ``about:blank`` with the status phrase as title.
"""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from errorcatalog.http_statuses import REASON_PHRASES

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls")]

SLUGS = ["usezombie", "zof", "management-api", "zen-mesh", "oz"]


def error_responses(client, token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for slug in SLUGS:
        base = f"/demo/{slug}"
        yield client.get(f"{base}/items/424242/")
        yield client.post(f"{base}/items/", {}, content_type="application/json")
        yield client.post(f"{base}/items/", {}, content_type="application/json", **auth)
        yield client.post(f"{base}/items/", "{bad", content_type="application/json", **auth)
        yield client.post(f"{base}/items/", "x", content_type="text/plain", **auth)
        yield client.post(f"{base}/items/", "x" * (2 * 1024 * 1024 + 1), content_type="application/json", **auth)
        yield client.delete(f"{base}/items/", **auth)
        yield client.get(f"{base}/items/", HTTP_ACCEPT="text/csv", **auth)
        yield client.get(f"{base}/boom/")
        yield client.get(f"{base}/no/such/thing/")
        for _ in range(3):
            yield client.get(f"{base}/limited/", REMOTE_ADDR="10.66.0.1")
    yield client.get("/demo/usezombie/v1/runs/")
    yield client.get("/api/catalogs/nope/")
    yield client.get("/api/catalogs/oz/codes/?status=abc")
    yield client.get("/api/catalogs/oz/codes/?page=99")
    yield client.post("/api/catalogs/")
    yield client.get("/api/catalogs/oz/codes/", HTTP_IF_MATCH='"x"')
    yield client.get("/api/no/such/")
    yield client.get("/api/schema/?version=%0d")


def links(body):
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("docs_uri", "doc_url") and value:
                yield value
            else:
                yield from links(value)


def test_every_docs_link_of_every_error_response_opens(django_user_model):
    client = Client(raise_request_exception=False)
    token = Token.objects.create(user=django_user_model.objects.create_user("links")).key
    followed, statuses = set(), set()
    for response in error_responses(client, token):
        if response.status_code < 400:
            continue
        statuses.add(response.status_code)
        body = json.loads(response.content)
        for link in links(body):
            assert link.startswith("http://testserver/errors/"), link
            followed.add(link.removeprefix("http://testserver"))
        problem = body if "type" in body else None
        if problem and problem["type"] == "about:blank":
            assert problem["title"] == REASON_PHRASES[response.status_code], body
    assert statuses >= {400, 401, 404, 405, 406, 410, 412, 413, 415, 422, 429, 500}
    assert any("/http_" in link for link in followed) and any("/generic/" in link for link in followed)
    for link in sorted(followed):
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(
    "path, status",
    [
        ("/errors/usezombie/http_406/", 200),
        ("/errors/generic/internal_error/", 200),
        ("/errors/generic/database_unavailable/", 200),
        ("/errors/oz/internal_error/", 200),
        ("/errors/usezombie/http_999/", 404),
        ("/errors/usezombie/http_200/", 404),
        ("/errors/generic/nope/", 404),
        ("/errors/nope/http_404/", 404),
    ],
)
def test_generic_pages(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    if status == 200:
        assert "about:blank" in response.content.decode()


def test_no_catalog_may_take_the_generic_slug():
    from django.core.exceptions import ValidationError

    from errorcatalog.models import Catalog

    with pytest.raises(ValidationError) as info:
        Catalog(slug="generic", name="Mine").full_clean()
    assert "slug" in info.value.message_dict
