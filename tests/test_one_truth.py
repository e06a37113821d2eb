"""One truth for what clients see (trust issue, item 13).

For every seed code, the response of a view raising ``CatalogError(code)``
equals the admin preview, the docs page's example and the OpenAPI example,
request id and ``instance`` aside: all four come from one resolve and render
path.
"""

import html
import json
import re

import pytest

from errorcatalog.models import ErrorCode

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls")]

PRE = re.compile(r"<pre[^>]*>(?:<code>)?(.*?)(?:</code>)?</pre>", re.S)


def comparable(body):
    """The body without the per-request members (request id, instance)."""
    if isinstance(body, dict):
        return {k: comparable(v) for k, v in body.items() if k not in ("request_id", "instance")}
    return body


def json_in_pre(page):
    text = html.unescape(PRE.search(page).group(1))
    return json.loads(text[text.index("\n\n") + 2 :] if text.startswith("HTTP/") else text)


def openapi_examples(client):
    document = client.get("/api/schema/?format=json").json()
    found = {}
    for path, item in document["paths"].items():
        if not path.startswith("/demo/"):
            continue
        slug = path.split("/")[2]
        for operation in item.values():
            for response in operation.get("responses", {}).values():
                for media in response.get("content", {}).values():
                    for code, example in media.get("examples", {}).items():
                        found[(slug, code)] = example["value"]
    return found


def test_every_seed_code_looks_the_same_everywhere(client, admin_client):
    examples = openapi_examples(client)
    checked_openapi = 0
    for code in ErrorCode.objects.select_related("catalog", "status").order_by("catalog__slug", "code"):
        slug = code.catalog.slug
        real = client.get(f"/api/t/raise/{slug}/{code.code}/")
        assert real.status_code == code.status.code
        expected = comparable(json.loads(real.content))
        preview = admin_client.get(f"/admin/errorcatalog/errorcode/{code.pk}/change/").content.decode()
        preview_body = json_in_pre(preview[preview.lower().index("how clients see it") :])
        assert comparable(preview_body) == expected, (slug, code.code, "admin preview")
        page = client.get(f"/errors/{slug}/{code.code}/").content.decode()
        assert comparable(json_in_pre(page)) == expected, (slug, code.code, "docs page")
        if (slug, code.code) in examples:
            assert comparable(examples[(slug, code.code)]) == expected, (slug, code.code, "OpenAPI")
            checked_openapi += 1
    assert checked_openapi >= 20
