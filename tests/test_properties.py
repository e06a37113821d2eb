"""Property tests (hypothesis): the handler holds up for inputs nobody wrote by hand.

* any nested validation-error structure flattens to one entry per message,
  each with a dotted path and a JSON Pointer that lead back to it;
* no exception, however odd, makes the handler raise or leak its text;
* any ``X-Request-ID`` is echoed exactly when it is sane, else replaced.
"""

import json
import string
import uuid

import pytest
from django.core import exceptions as django_exceptions
from django.db import OperationalError
from django.http import Http404, HttpResponse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework import exceptions as drf_exceptions
from rest_framework.exceptions import ErrorDetail

from errorcatalog import CatalogError
from errorcatalog.conf import errorcatalog_settings as app_settings
from errorcatalog.handlers import exception_handler
from errorcatalog.normalize import flatten_errors

SLUGS = ["usezombie", "zof", "management-api", "zen-mesh", "oz"]
MEDIA_TYPES = {"application/problem+json", "application/json"}
LEAK = "ZQXJ-secret"
# Fixtures are read-only here: seeds loaded once per session, nothing written.
db_settings = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- flattening ------------------------------------------------------------

messages = st.text(max_size=300)
codes = st.sampled_from(["invalid", "required", "min_value", "incorrect_type", "null", "blank", "unique"])
error_details = st.builds(ErrorDetail, messages, code=codes)
# Keys as DRF produces them: field names (any text, dots and slashes included)
# and the integer indexes of many=True errors; never a non-field key (DRF's or
# Django's "__all__"), whose
# errors belong to the object that holds them.
keys = st.text(max_size=40).filter(lambda key: key not in ("non_field_errors", "__all__")) | st.integers(0, 10_000)
error_trees = st.recursive(
    error_details,
    lambda children: st.lists(children, max_size=6) | st.dictionaries(keys, children, max_size=6),
    max_leaves=60,
)


def leaves(tree):
    """Every ErrorDetail in ``tree``, depth first."""
    if isinstance(tree, dict):
        return [leaf for value in tree.values() for leaf in leaves(value)]
    if isinstance(tree, list):
        return [leaf for value in tree for leaf in leaves(value)]
    return [tree]


def follow(tree, pointer):
    """RFC 6901: the node ``pointer`` ("#/a/0/b") names in ``tree``."""
    node = tree
    for token in pointer.removeprefix("#").split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        else:
            matches = [value for key, value in node.items() if str(key) == token]
            assert len(matches) == 1, f"{token!r} is ambiguous or missing"
            node = matches[0]
    return node


def held_at(node):
    """The messages a path points at: the node itself, or its list's plain items."""
    if isinstance(node, list):
        return [item for item in node if not isinstance(item, (dict, list))]
    return [node]


def deep(depth):
    tree = [ErrorDetail("deepest", code="invalid")]
    for level in range(depth):
        tree = {f"level{level}": tree} if level % 2 else [tree]
    return tree


# Huge and empty, beyond what the strategies draw.
WIDE = {f"field_{i}": [ErrorDetail("x" * 1000, code="invalid")] for i in range(5_000)}
DEEP = deep(400)


def unambiguous(tree):
    """No dict holds both ``1`` and ``"1"``: a pointer could not tell them apart."""
    if isinstance(tree, dict):
        names = [str(key) for key in tree]
        return len(names) == len(set(names)) and all(unambiguous(value) for value in tree.values())
    if isinstance(tree, list):
        return all(unambiguous(value) for value in tree)
    return True


@settings(max_examples=300, deadline=None)
@given(error_trees.filter(unambiguous))
@example(WIDE)
@example(DEEP)
@example({})
@example({"a": [[], {}]})
@example({"名前": [ErrorDetail("無効です 🙅", code="invalid")], "a/b~c": {"0": [ErrorDetail("", code="blank")]}})
def test_any_error_tree_flattens_to_one_entry_per_message_with_paths_back_to_it(tree):
    errors = flatten_errors(tree, pointers=True)

    assert [(e.message, e.code) for e in errors] == [(str(leaf), leaf.code) for leaf in leaves(tree)]
    for error in errors:
        if error.pointer is None:
            assert error.field is None
            assert error.message in [str(leaf) for leaf in held_at(tree)]
            continue
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in error.pointer[2:].split("/")]
        assert error.field == ".".join(tokens)
        assert error.message in [str(leaf) for leaf in held_at(follow(tree, error.pointer))]


@pytest.mark.django_db
@db_settings
@given(slug=st.sampled_from(SLUGS), tree=error_trees)
@example(slug="zen-mesh", tree=WIDE)
@example(slug="oz", tree=DEEP)
@example(slug="usezombie", tree={})
@example(slug="zof", tree={"a": [[], {}]})
def test_any_validation_error_renders_its_messages_as_an_errors_list(rf, slug, tree):
    request = rf.post(f"/demo/{slug}/items/", "{}", content_type="application/json")
    response = exception_handler(drf_exceptions.ValidationError(tree), {"request": request, "view": None})

    body = json.loads(response.content)
    assert response.status_code in {400, 422}
    # DRF wraps a lone message in a list, so it is listed like any other.
    expected = [str(leaf) for leaf in leaves(tree)]
    if "error" in body:
        # The envelope names one error in message/param and lists several.
        inner = body["error"]
        if len(expected) == 1:
            assert inner["message"].endswith(expected[0]) and "errors" not in inner
        else:
            assert [error["message"] for error in inner.get("errors", [])] == expected
    else:
        errors = body.get("errors", body.get("details")) or []
        assert [error["message"] for error in errors] == expected
        assert all(isinstance(error["field"], (str, type(None))) for error in errors)


# --- any exception -----------------------------------------------------------

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10) | st.integers(), children, max_size=4),
    max_leaves=20,
)


class Hostile(Exception):
    """An exception whose every description fails."""

    def __str__(self):
        raise RuntimeError(LEAK)

    def __repr__(self):
        raise RuntimeError(LEAK)


def secret():
    return st.text(max_size=50).map(lambda text: f"{LEAK} {text}")


# Exceptions the catalog maps, with arbitrary payloads; and unexpected ones
# that carry a secret the body must never show.
known_exceptions = st.one_of(
    st.builds(drf_exceptions.ValidationError, json_like),
    st.builds(drf_exceptions.ParseError, st.text()),
    st.builds(drf_exceptions.AuthenticationFailed, st.text()),
    st.builds(drf_exceptions.NotAuthenticated),
    st.builds(drf_exceptions.PermissionDenied, json_like),
    st.builds(drf_exceptions.NotFound, st.text()),
    st.builds(drf_exceptions.MethodNotAllowed, st.text()),
    st.builds(drf_exceptions.NotAcceptable),
    st.builds(drf_exceptions.UnsupportedMediaType, st.text()),
    st.builds(drf_exceptions.Throttled, st.none() | st.floats(0, 1e9)),
    st.builds(Http404, json_like),
    st.builds(django_exceptions.PermissionDenied, json_like),
    st.builds(django_exceptions.ValidationError, st.text() | st.lists(st.text(), min_size=1)),
    st.builds(
        lambda payload: django_exceptions.ValidationError(payload),
        st.dictionaries(st.text(min_size=1, max_size=10), st.lists(st.text(), min_size=1), min_size=1),
    ),
    st.builds(django_exceptions.RequestDataTooBig, st.text()),
    st.builds(django_exceptions.TooManyFieldsSent, st.text()),
    st.builds(
        lambda code, detail, extra: CatalogError(code, detail, **extra),
        st.text(max_size=30) | st.sampled_from(["UZ-AUTH-003", "NOT_EXIST", "invalid_request", "rate-limit"]),
        st.none() | st.text(),
        # Standard member names included: extensions must never replace them.
        st.dictionaries(
            st.sampled_from(["status", "title", "type", "code", "error", "request_id"])
            | st.text(max_size=8).filter(lambda key: key not in {"detail", "catalog"}),
            json_like,
            max_size=4,
        ),
    ),
)
unexpected_exceptions = st.one_of(
    st.builds(ValueError, secret()),
    st.builds(KeyError, secret()),
    st.builds(RuntimeError, secret()),
    st.builds(RecursionError, secret()),
    st.builds(OperationalError, secret()),
    st.builds(UnicodeDecodeError, st.just("utf-8"), st.binary(min_size=1), st.just(0), st.just(1), secret()),
    st.just(Hostile()),
)


def handle(rf, exc, slug, view_format):
    request = rf.get(f"/demo/{slug}/anything/")
    view = type("View", (), {"error_format": view_format})() if view_format else None
    response = exception_handler(exc, {"request": request, "view": view})
    assert isinstance(response, HttpResponse)
    assert 400 <= response.status_code <= 599
    assert response["Content-Type"] in MEDIA_TYPES
    assert response["X-Request-ID"]
    return response, json.loads(response.content)


@pytest.mark.django_db
@db_settings
@given(
    exc=known_exceptions,
    slug=st.sampled_from(SLUGS),
    view_format=st.sampled_from([None, "problem", "envelope", "flat", "no.such.Format"]),
)
def test_any_known_exception_renders_and_extensions_never_replace_standard_members(rf, exc, slug, view_format):
    response, body = handle(rf, exc, slug, view_format)
    if response["Content-Type"] == "application/problem+json":
        assert body["status"] == response.status_code
        assert body["request_id"] == response["X-Request-ID"]
        assert isinstance(body["title"], str) and body["title"]
    elif "error" in body and isinstance(body["error"], dict) and "request_id" in body["error"]:
        assert body["error"]["request_id"] == response["X-Request-ID"]
    if isinstance(exc, CatalogError) and exc.extra:
        # Every member the same error has without extensions keeps its value.
        plain_response, plain = handle(rf, CatalogError(exc.code, exc.detail, catalog=exc.catalog), slug, view_format)
        assert plain_response.status_code == response.status_code
        inner, plain_inner = (
            (body["error"], plain["error"]) if "error" in plain and isinstance(plain["error"], dict) else (body, plain)
        )
        for member, value in plain_inner.items():
            if member != "request_id":
                assert inner[member] == value, member
        # The others are added, each under its own name.
        assert set(exc.extra) - set(plain_inner) <= set(inner)


@pytest.mark.django_db
@db_settings
@given(exc=unexpected_exceptions, slug=st.sampled_from(SLUGS))
def test_any_unexpected_exception_is_a_5xx_that_shows_nothing_of_it(rf, exc, slug):
    response, body = handle(rf, exc, slug, None)
    assert response.status_code in {500, 503}
    text = response.content.decode()
    assert LEAK not in text
    assert type(exc).__name__ not in text
    assert "Traceback" not in text


# --- request ids -----------------------------------------------------------

SAFE = set(string.ascii_letters + string.digits + "._:~-")
request_ids = st.one_of(
    st.text(alphabet=sorted(SAFE), min_size=1, max_size=140),
    st.text(max_size=140),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), max_size=20),
)


@pytest.mark.django_db
@db_settings
@given(value=request_ids)
def test_request_id_is_echoed_exactly_when_sane_else_replaced(client, value):
    sane = 0 < len(value) <= app_settings.REQUEST_ID_MAX_LENGTH and set(value) <= SAFE
    response = client.get("/demo/usezombie/no/such/page/", HTTP_X_REQUEST_ID=value)

    assert response.status_code == 404
    returned = response["X-Request-ID"]
    assert response.json()["request_id"] == returned
    if sane:
        assert returned == value
    else:
        assert uuid.UUID(returned).version == 7
