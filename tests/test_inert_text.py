"""Catalog text is inert wherever it is shown (trust issue, item 1).

The browser half (ReDoc and Swagger UI with a hostile title, no script runs)
is in tests/test_browser.py; this half checks the markup every other place
emits: the OpenAPI document's descriptions, the docs pages and the admin
preview. Example JSON stays the real data (output encoding, not input
filtering).
"""

import json

import pytest

from errorcatalog.models import Cause, ErrorCode

pytestmark = pytest.mark.django_db

HOSTILE = 'Oops <img src=x onerror="alert(1)"> [x](javascript:alert(2)) *em* | cell'


@pytest.fixture
def hostile():
    code = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-REQ-001")
    code.title = code.description = HOSTILE
    code.save()
    Cause.objects.create(error_code=code, text=HOSTILE, remedy=HOSTILE, position=99)
    return code


def test_openapi_descriptions_escape_catalog_text_and_examples_keep_it(client, hostile):
    document = client.get("/api/schema/?format=json").json()
    responses = document["paths"]["/demo/usezombie/items/"]["post"]["responses"]
    described = responses["400"]["description"]
    assert "<img" not in described and "](" not in described and "*em*" not in described
    assert "&lt;img" in described
    examples = responses["400"]["content"]["application/problem+json"]["examples"]
    assert examples["UZ-REQ-001"]["value"]["title"] == HOSTILE  # the real data, as clients get it


def test_docs_pages_escape_catalog_text(client, hostile):
    for path in ["/errors/usezombie/", "/errors/usezombie/UZ-REQ-001/"]:
        html = client.get(path).content.decode()
        assert "<img src=x" not in html and "&lt;img src=x" in html


def test_admin_preview_escapes_catalog_text(admin_client, hostile):
    html = admin_client.get(f"/admin/errorcatalog/errorcode/{hostile.pk}/change/").content.decode()
    assert "<img src=x" not in html
    assert json.dumps(HOSTILE)[1:12].replace("<", "&lt;") in html
