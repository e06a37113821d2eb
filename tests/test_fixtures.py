"""The five seed catalogs, checked against what their pages say."""

import pytest
from django.core.management import call_command

from errorcatalog.models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping

from .conftest import SEED_FIXTURES

pytestmark = pytest.mark.django_db


def row(slug, code):
    entry = ErrorCode.objects.select_related("status", "family").get(catalog__slug=slug, code=code)
    return entry.status.code, entry.title, [(c.text, c.remedy) for c in entry.causes.all()]


def defaults(slug):
    return dict(
        ErrorCode.objects.filter(catalog__slug=slug, is_status_default=True).values_list("status__code", "code")
    )


def catch_all(slug):
    return ErrorCode.objects.get(catalog__slug=slug, is_catch_all=True).code


def test_all_five_load_together():
    assert sorted(Catalog.objects.values_list("slug", "format")) == [
        ("management-api", "envelope"),
        ("oz", "flat"),
        ("usezombie", "problem"),
        ("zen-mesh", "problem"),
        ("zof", "envelope"),
    ]


def test_loading_twice_changes_nothing():
    before = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (Catalog, ErrorFamily, ErrorCode, Cause, ExceptionMapping)
    }
    updated = dict(ErrorCode.objects.values_list("pk", "updated"))
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    after = {model: sorted(model.objects.values_list("pk", flat=True)) for model in before}
    assert after == before
    assert dict(ErrorCode.objects.values_list("pk", "updated")) == updated


def test_usezombie():
    codes = ErrorCode.objects.filter(catalog__slug="usezombie")
    assert codes.count() == 99
    assert ErrorFamily.objects.filter(catalog__slug="usezombie").count() == 23
    assert not codes.exclude(code__startswith="UZ-").exists()
    assert row("usezombie", "UZ-AUTH-003") == (
        401,
        "Token expired",
        [("JWT has passed its expiry time", "Re-authenticate.")],
    )
    assert row("usezombie", "UZ-REQ-002") == (413, "Payload too large", [("Request body exceeds 2MB limit", "")])
    assert row("usezombie", "UZ-INTERNAL-001")[:2] == (503, "Database unavailable")
    assert row("usezombie", "UZ-TOOL-001")[:2] == (424, "Tool credential missing")
    assert row("usezombie", "UZ-SLACK-003")[:2] == (401, "Slack bot token expired")
    runs = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-RUNS-410")
    assert (runs.status.code, runs.lifecycle) == (410, "removed")
    family = ErrorFamily.objects.get(catalog__slug="usezombie", key="auth")
    assert (family.prefix, family.name, family.codes.count()) == ("UZ-AUTH", "Authentication / authorization", 10)
    # The seed has no 405 or 429 code: none is invented.
    assert not codes.filter(status__code__in=[405, 429]).exists()
    assert catch_all("usezombie") == "UZ-INTERNAL-003"


def test_zof():
    assert ErrorCode.objects.filter(catalog__slug="zof").count() == 7
    assert defaults("zof") == {
        400: "invalid_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        429: "rate_limited",
        500: "internal_error",
    }
    status, _title, causes = row("zof", "unauthorized")
    assert status == 401
    assert (
        "401 after key rotation",
        "Update CI secrets with the new key; revoke the old key only after cutover.",
    ) in causes
    assert row("zof", "rate_limited")[2] == [("Rate limit exceeded", "Honor the Retry-After header.")]


def test_management_api():
    codes = ErrorCode.objects.filter(catalog__slug="management-api")
    assert codes.count() == 14
    assert sorted(codes.filter(status__code=400).values_list("code", flat=True)) == [
        "bad_request",
        "invalid_parameter",
        "validation_failed",
    ]
    assert sorted(codes.filter(status__code=401).values_list("code", flat=True)) == [
        "invalid_token",
        "token_expired",
        "unauthorized_client",
    ]
    assert row("management-api", "duplicate_name")[:2] == (409, "Name already exists")
    assert [text for text, _ in row("management-api", "bad_request")[2]] == [
        "Missing required fields",
        "Invalid field values",
        "Invalid data types",
        "Validation rule violations",
    ]
    assert catch_all("management-api") == "server_error"


def test_zen_mesh():
    codes = dict(ErrorCode.objects.filter(catalog__slug="zen-mesh").values_list("code", "title"))
    assert {
        "authentication": "Authentication Required",
        "insufficient-scope": "Insufficient Scope",
        "not-found": "Resource Not Found",
        "conflict": "Resource Conflict",
        "invalid-parameters": "Invalid Parameters",
        "rate-limited": "Rate Limit Exceeded",
        "internal-error": "Internal Error",
    }.items() <= codes.items()
    assert row("zen-mesh", "invalid-parameters")[0] == 422
    rule = ExceptionMapping.objects.get(
        catalog__slug="zen-mesh", exception_class="rest_framework.exceptions.ValidationError"
    )
    assert rule.error_code.code == "invalid-parameters"


def test_oz():
    codes = ErrorCode.objects.filter(catalog__slug="oz").order_by("numeric_code")
    assert list(codes.values_list("numeric_code", "code")) == [
        (0, "UNKNOWN"),
        (1, "NOT_ALLOWED"),
        (2, "NOT_REALIZED"),
        (3, "INVALID_STRUCTURE"),
        (4, "INVALID_VALUE"),
        (5, "INVALID_TYPE"),
        (6, "AUTH_NOT_PROVIDED"),
        (7, "AUTH_INVALID"),
        (8, "AUTH_EXPIRED"),
        (9, "AUTH_FORBIDDEN"),
        (10, "NOT_EXIST"),
        (11, "EXTERNAL_SERVICE"),
        (12, "DATABASE"),
    ]
    assert row("oz", "NOT_ALLOWED")[0] == 405
    assert row("oz", "NOT_EXIST")[0] == 404
    assert not codes.filter(status__code=413).exists()
    rules = dict(
        ExceptionMapping.objects.filter(catalog__slug="oz", exception_class__endswith="ValidationError").values_list(
            "field_code", "error_code__code"
        )
    )
    assert rules["required"] == "INVALID_STRUCTURE"
    assert rules[""] == "INVALID_VALUE"
    assert rules["incorrect_type"] == "INVALID_TYPE"
    assert (
        ExceptionMapping.objects.get(
            catalog__slug="oz", exception_class="rest_framework.exceptions.NotAuthenticated"
        ).error_code.code
        == "AUTH_NOT_PROVIDED"
    )


@pytest.mark.parametrize("model", [ErrorFamily, ErrorCode, Cause, ExceptionMapping])
def test_every_shipped_row_passes_validation(model):
    for instance in model.objects.all():
        instance.full_clean()
