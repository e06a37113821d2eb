import json

import pytest
from django.core import exceptions as django_exceptions
from django.http import Http404
from django.urls import Resolver404
from rest_framework import exceptions, serializers

from errorcatalog import CatalogError
from errorcatalog.normalize import flatten_errors, normalize_exception


class Line(serializers.Serializer):
    qty = serializers.IntegerField(min_value=1)
    sku = serializers.CharField()


class Order(serializers.Serializer):
    name = serializers.CharField()
    lines = Line(many=True)
    tags = serializers.ListField(child=serializers.CharField())
    meta = serializers.DictField(child=serializers.IntegerField(), required=False)

    def validate(self, data):
        raise serializers.ValidationError("Orders are closed.")


def validation_error(serializer_class, data):
    serializer = serializer_class(data=data)
    with pytest.raises(exceptions.ValidationError) as info:
        serializer.is_valid(raise_exception=True)
    return info.value


def test_nested_serializer_errors_flatten_to_dotted_paths():
    exc = validation_error(
        Order, {"lines": [{"qty": 0, "sku": "a"}, {"qty": 2}], "tags": ["ok", {}], "meta": {"a/b~c": "x"}}
    )
    facts = normalize_exception(exc, body_is_json=True)
    assert [(e.field, e.code, e.pointer) for e in facts.field_errors] == [
        ("name", "required", "#/name"),
        ("lines.0.qty", "min_value", "#/lines/0/qty"),
        ("lines.1.sku", "required", "#/lines/1/sku"),
        ("tags.1", "invalid", "#/tags/1"),
        ("meta.a/b~c", "invalid", "#/meta/a~1b~0c"),
    ]
    assert facts.detail == "name: This field is required. (and 4 more errors)"
    assert facts.first_field_code == "required"


def test_non_field_errors_have_no_field():
    exc = validation_error(Order, {"name": "n", "lines": [], "tags": []})
    (error,) = normalize_exception(exc, body_is_json=True).field_errors
    assert (error.field, error.message, error.pointer) == (None, "Orders are closed.", None)


def test_pointers_only_for_json_bodies():
    exc = validation_error(Order, {})
    assert all(e.pointer is None for e in normalize_exception(exc).field_errors)


def test_list_based_many_errors_keep_indexes():
    # DRF before 3.18 (and with the list format kept) reports many=True errors as a list.
    errors = flatten_errors([{}, {"qty": [exceptions.ErrorDetail("bad", code="invalid")]}])
    assert [(e.field, e.code) for e in errors] == [("1.qty", "invalid")]


def test_unicode_and_empty_details():
    assert flatten_errors({}) == ()
    (error,) = flatten_errors({"名前": [exceptions.ErrorDetail("無効です", code="invalid")]}, pointers=True)
    assert (error.field, error.message, error.pointer) == ("名前", "無効です", "#/名前")


def test_catalog_error():
    facts = normalize_exception(CatalogError("UZ-AUTH-003", detail="expired at 10:00", catalog="usezombie", user="u1"))
    assert (facts.catalog_code, facts.catalog, facts.detail, dict(facts.extra)) == (
        "UZ-AUTH-003",
        "usezombie",
        "expired at 10:00",
        {"user": "u1"},
    )
    assert not facts.unexpected


def test_http404_never_shows_its_message_and_permission_denied_keeps_its_own():
    # Django's get_object_or_404 names the model: "No Item matches the given query."
    assert normalize_exception(Http404("No Item matches the given query.")).detail == "Not found."
    facts = normalize_exception(django_exceptions.PermissionDenied("Only owners."))
    assert (facts.status, facts.detail, facts.drf_code) == (403, "Only owners.", "permission_denied")


def test_resolver404_never_shows_the_patterns_tried():
    facts = normalize_exception(Resolver404({"tried": [["admin/secret-pattern"]], "path": "x"}))
    assert facts.status == 404
    assert "secret" not in facts.detail


def test_django_validation_error_is_a_400_with_field_errors():
    facts = normalize_exception(django_exceptions.ValidationError({"email": ["Enter a valid email."]}))
    assert facts.status == 400
    assert [(e.field, e.message) for e in facts.field_errors] == [("email", "Enter a valid email.")]


@pytest.mark.parametrize(
    "exc, status",
    [
        (django_exceptions.RequestDataTooBig("settings.DATA_UPLOAD_MAX_MEMORY_SIZE"), 413),
        (django_exceptions.TooManyFieldsSent("settings.DATA_UPLOAD_MAX_NUMBER_FIELDS"), 400),
        (django_exceptions.SuspiciousOperation("Invalid HTTP_HOST header: evil"), 400),
        (django_exceptions.BadRequest("internal reason"), 400),
    ],
)
def test_django_request_errors_say_nothing_internal(exc, status):
    facts = normalize_exception(exc)
    assert facts.status == status
    assert "settings" not in facts.detail and "evil" not in facts.detail and "internal" not in facts.detail


def test_throttle_wait_is_rounded_up():
    facts = normalize_exception(exceptions.Throttled(wait=2.2))
    assert (facts.status, facts.wait, facts.drf_code) == (429, 3, "throttled")


def test_refused_challenge_is_noted():
    exc = exceptions.NotAuthenticated()
    exc.status_code = 403
    assert normalize_exception(exc).challenge_refused


def test_json_nesting_recursion_is_a_parse_error():
    with pytest.raises(RecursionError) as info:
        json.loads("[" * 100_000 + "]" * 100_000)
    facts = normalize_exception(info.value)
    assert (facts.status, facts.drf_code) == (400, "parse_error")


def test_recursion_elsewhere_stays_unexpected():
    def forever():
        return forever()

    with pytest.raises(RecursionError) as info:
        forever()
    assert normalize_exception(info.value).unexpected


def test_unexpected_exception_keeps_no_text():
    facts = normalize_exception(KeyError("password=hunter2"))
    assert facts.unexpected and facts.detail is None and facts.status is None


@pytest.mark.parametrize(
    "exc, expected",
    [
        (
            exceptions.ParseError("JSON parse error - 'utf-8' codec can't decode byte 0xff in position 10"),
            "JSON parse error.",
        ),
        (exceptions.ParseError("JSON parse error - Expecting value: line 1 column 1 (char 0)"), "JSON parse error."),
        (
            exceptions.PermissionDenied(
                "CSRF Failed: Origin checking failed - https://evil.example<script> does not match"
            ),
            "CSRF Failed: Origin checking failed.",
        ),
        (
            exceptions.PermissionDenied("CSRF Failed: Referer checking failed - https://evil.example/ does not match"),
            "CSRF Failed: Referer checking failed.",
        ),
        (exceptions.PermissionDenied("CSRF Failed: CSRF token missing."), "CSRF Failed: CSRF token missing."),
        (exceptions.MethodNotAllowed("<SCRIPT>"), "Method not allowed."),
        (exceptions.UnsupportedMediaType("text/evil<script>"), "Unsupported media type in request."),
    ],
)
def test_messages_that_quote_the_request_keep_only_their_own_words(exc, expected):
    assert normalize_exception(exc).detail == expected


def test_field_errors_never_quote_the_submitted_value():
    from rest_framework import serializers

    class Serializer(serializers.Serializer):
        environment = serializers.ChoiceField(choices=["staging", "production"])
        tags = serializers.MultipleChoiceField(choices=["a"])

    serializer = Serializer(data={"environment": "<script>secret</script>", "tags": ["<img>"]})
    assert not serializer.is_valid()
    facts = normalize_exception(exceptions.ValidationError(serializer.errors))
    assert [(e.field, e.message, e.code) for e in facts.field_errors] == [
        ("environment", "Not one of the available choices.", "invalid_choice"),
        ("tags", "Not one of the available choices.", "invalid_choice"),
    ]
    assert "script" not in facts.detail and "img" not in facts.detail


def test_django_validation_messages_that_quote_the_value_are_replaced():
    from django.db import models

    field = models.IntegerField()
    with pytest.raises(django_exceptions.ValidationError) as info:
        field.clean("<script>", None)
    facts = normalize_exception(django_exceptions.ValidationError({"count": info.value.error_list}))
    assert [(e.field, e.message) for e in facts.field_errors] == [("count", "This value is not valid.")]
    # Messages with no quoted value stay as written.
    facts = normalize_exception(django_exceptions.ValidationError({"email": ["Enter a valid email."]}))
    assert facts.field_errors[0].message == "Enter a valid email."
