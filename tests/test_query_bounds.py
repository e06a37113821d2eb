"""No request costs more than a normal one (trust issue, item 2).

Every query parameter of every GET operation in the OpenAPI document (so a
parameter added later is covered too), plus the docs pages' and the schema
view's own, is sent hostile values: exponents, huge integers, long strings,
long lists, repeats. Each answer is a 4xx in the API's format or a 200 (the
value clamped or ignored, as the README says), and makes no more queries than
a normal request to the same URL: the cost is bounded by the work of a normal
request, whatever the value.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "-1e1000000",
    "1e3000000",
    "1e309",
    "-1",
    "0",
    "9" * 5000,
    "9" * 30,
    "a" * 100_000,
    ",".join(["code"] * 20_000),
    "-" * 10_000,
    "%00",
    "\x00",
    "NaN",
    "Infinity",
    " 400 ",
    "400.0",
]
PATH_VALUES = {"slug": "usezombie", "key": "auth", "code": "UZ-AUTH-001"}


def get_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if not operation or "{" in path and not path.startswith(("/api/", "/demo/")):
            continue
        url = path
        for name, value in PATH_VALUES.items():
            url = url.replace("{" + name + "}", "404" if path.startswith("/api/statuses/") else value)
        if "{" in url:
            url = url.replace("{pk}", "1")
        params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for name in params:
            yield url, name


def queries_and_response(client, url, data):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data=data)
    return len(captured), response


def test_the_schema_has_query_parameters_to_drive():
    names = {name for _url, name in get_operations()}
    assert {"page", "page_size", "status", "status_min", "status_max", "ordering", "search", "family"} <= names


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=lambda v: v[:20])
def test_every_query_parameter_is_bounded(client, value):
    for url, name in get_operations():
        normal_queries, normal = queries_and_response(client, url, {})
        queries, response = queries_and_response(client, url, {name: value})
        assert response.status_code in (200, 400, 404), (url, name, response.status_code)
        if response.status_code != 200:
            assert response["Content-Type"] == "application/problem+json", (url, name)
            assert response.json()["status"] == response.status_code
        assert queries <= normal_queries, (url, name, queries, normal_queries)
        assert (value[:1000].encode() not in response.content) or len(value) < 4, (url, name)


@pytest.mark.parametrize("url", ["/errors/usezombie/", "/api/schema/"])
@pytest.mark.parametrize("name", ["q", "version", "lang", "format"])
@pytest.mark.parametrize("value", ["a" * 100_000, '1"; x=y', "\r\n", "9" * 5000])
def test_docs_and_schema_parameters_are_bounded(client, url, name, value):
    response = client.get(url, data={name: value})
    assert response.status_code in (200, 400, 404)
    assert value.encode() not in response.content or len(value) < 4
    assert "\r" not in response.get("Content-Disposition", "") and "x=y" not in response.get("Content-Disposition", "")


@pytest.mark.parametrize("param", ["status", "status_min", "status_max"])
@pytest.mark.parametrize("value", ["-1e1000000", "1e3", "99", "600", "4e2", "400.5", "0x190"])
def test_status_filters_take_bounded_integers_only(client, param, value):
    response = client.get("/api/catalogs/usezombie/codes/", data={param: value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == param


def test_status_filters_accept_statuses(client):
    body = client.get("/api/catalogs/usezombie/codes/", data={"status_min": "500", "status_max": "599"}).json()
    assert body["count"] > 0 and all(500 <= code["status"]["code"] <= 599 for code in body["results"])


def test_ordering_uses_the_first_five_terms(client):
    def codes(ordering):
        params = {"ordering": ordering, "page_size": 5}
        return [c["code"] for c in client.get("/api/catalogs/usezombie/codes/", params).json()["results"]]

    assert codes("-code," + ",".join(["code"] * 20_000)) == codes("-code")
    # A sixth term is not even checked: it cannot make the request fail.
    assert codes("-status,code,title,updated,numeric_code,no-such-term") == codes(
        "-status,code,title,updated,numeric_code"
    )
    assert client.get("/api/catalogs/usezombie/codes/", data={"ordering": "no-such-term"}).status_code == 400
