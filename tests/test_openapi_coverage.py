"""The OpenAPI document lists every status and code an operation can return
(trust issue, item 14).

Every operation of the document is driven with valid and invalid input (no,
bad and good credentials; bodies of wrong shapes, types and sizes; wrong
media types; unacceptable Accept headers; unknown ids; hostile query values;
conditional headers; repeats past the throttle), and each observed
(status, code) must be documented for that operation: a 2xx/304 among its
responses, an error among its examples.
"""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.django_db]

VALID_ITEM = {"name": "bolt", "quantity": 3, "environment": "staging", "tags": ["a"]}
BODIES = [
    VALID_ITEM,
    {},
    [VALID_ITEM],
    "text",
    7,
    None,
    {**VALID_ITEM, "name": ""},
    {**VALID_ITEM, "name": ["x"]},
    {**VALID_ITEM, "name": "x" * 101},
    {**VALID_ITEM, "quantity": "abc"},
    {**VALID_ITEM, "quantity": 0},
    {**VALID_ITEM, "quantity": 10**12},
    {**VALID_ITEM, "environment": "prod"},
    {**VALID_ITEM, "tags": "a"},
    {**VALID_ITEM, "tags": ["x" * 51]},
    {"name": None, "quantity": None, "environment": None},
]
QUERY_VALUES = ["", "abc", "-1", "0", "1", "99999", "1e400", "a" * 300, "true", "code,code,code,code,code,code"]


def code_in(body):
    """The code a body carries, in any of the built-in formats."""
    if isinstance(body.get("error"), dict):
        return body["error"].get("code")
    return body.get("error_code")


def documented(operation):
    found = set()
    for status, response in operation["responses"].items():
        if status.startswith(("2", "3")):
            found.add((int(status), None))
        for media in response.get("content", {}).values():
            for example in media.get("examples", {}).values():
                if isinstance(example["value"], dict) and not status.startswith("2"):
                    found.add((int(status), code_in(example["value"])))
    return found


def observed(response):
    if response.status_code < 400:
        return response.status_code, None
    return response.status_code, code_in(json.loads(response.content))


def requests_for(client, method, path, operation, token):
    url = path
    for name, value in {"{slug}": "usezombie", "{key}": "auth", "{id}": "1"}.items():
        url = url.replace(name, value)
    if "{code}" in url:
        url = url.replace("{code}", "404" if "/statuses/" in url else "UZ-AUTH-001")
    unknown = (
        url.replace("usezombie", "nope")
        .replace("UZ-AUTH-001", "NOPE")
        .replace("/1/", "/424242/")
        .replace("/404/", "/599/")
        .replace("/auth/", "/nope/")
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    bad_auth = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    if method == "post":
        for headers in ({}, bad_auth, auth):
            for body in BODIES:
                yield client.post(url, json.dumps(body), content_type="application/json", **headers)
        yield client.post(url, "{bad json", content_type="application/json", **auth)
        yield client.post(url, "name=x", content_type="application/x-www-form-urlencoded", **auth)
        yield client.post(url, "x" * (2 * 1024 * 1024 + 1), content_type="application/json", **auth)
        yield client.post(url, json.dumps(VALID_ITEM), content_type="application/json", HTTP_ACCEPT="text/csv", **auth)
        return
    for target in (url, unknown):
        yield client.get(target)
        yield client.get(target, HTTP_ACCEPT="text/csv")
        yield client.get(target, {"format": "xml"})
        yield client.get(target, HTTP_IF_NONE_MATCH="*")
        yield client.get(target, HTTP_IF_MATCH='"no-such-etag"')
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query":
            for value in QUERY_VALUES:
                yield client.get(url, {parameter["name"]: value})
    for _ in range(3):
        yield client.get(url, REMOTE_ADDR="10.55.0.1")


def test_every_observed_status_and_code_is_documented(django_user_model):
    client = Client(raise_request_exception=False)
    token = Token.objects.create(user=django_user_model.objects.create_user("coverage")).key
    document = client.get("/api/schema/?format=json").json()
    missing, seen = [], set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            allowed = documented(operation)
            for response in requests_for(client, method, path, operation, token):
                result = observed(response)
                seen.add(result[0])
                if result not in allowed:
                    missing.append((method.upper(), path, result))
    assert sorted(set(missing)) == []
    assert {200, 201, 304, 400, 401, 404, 406, 412, 413, 415, 429, 500} <= seen
