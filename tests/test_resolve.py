import logging

import pytest
from rest_framework import exceptions, serializers

from errorcatalog import CatalogError
from errorcatalog.normalize import normalize_exception
from errorcatalog.resolve import resolve_error
from errorcatalog.snapshot import GENERIC_CATALOG, build_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def snap():
    return build_snapshot()


def resolve(snap, slug, exc):
    return resolve_error(
        normalize_exception(exc),
        snap.catalog(slug),
        reasons=snap.reasons,
        instance="/x/",
        request_id="rid",
        absolute_url=lambda url: "http://testserver" + url,
    )


class Item(serializers.Serializer):
    name = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=__import__("django.contrib.auth", fromlist=["models"]).models.User.objects.all(), required=False
    )


def invalid(data):
    serializer = Item(data=data)
    serializer.is_valid()
    return exceptions.ValidationError(serializer.errors)


def test_field_code_rules_beat_class_rules(snap):
    assert resolve(snap, "oz", invalid({"quantity": 1})).code == "INVALID_STRUCTURE"  # required: 3
    assert resolve(snap, "oz", invalid({"name": "n", "quantity": 0})).code == "INVALID_VALUE"  # min_value: 4
    assert (
        resolve(snap, "oz", invalid({"name": "n", "quantity": 1, "owner": "x"})).code == "INVALID_TYPE"
    )  # incorrect_type: 5


def test_closest_class_by_mro_wins(snap):
    class TokenGone(exceptions.NotAuthenticated):
        pass

    assert resolve(snap, "oz", TokenGone()).code == "AUTH_NOT_PROVIDED"
    # OperationalError is a DatabaseError: UseZombie maps both, the closer one wins.
    from django.db import DatabaseError, OperationalError

    assert resolve(snap, "usezombie", OperationalError()).code == "UZ-INTERNAL-001"
    assert resolve(snap, "usezombie", DatabaseError()).code == "UZ-INTERNAL-002"


def test_status_default_then_generic_entry(snap):
    assert resolve(snap, "zof", exceptions.NotFound()).code == "not_found"
    error = resolve(snap, "usezombie", exceptions.Throttled(wait=7))
    assert (error.code, error.title, error.status, error.type, error.retry_after) == (
        "http_429",
        "Too Many Requests",
        429,
        "about:blank",
        7,
    )


def test_response_status_is_the_codes(snap):
    error = resolve(snap, "zen-mesh", invalid({}))
    assert (error.code, error.status) == ("invalid-parameters", 422)


def test_refused_challenge_maps_only_to_403_codes(snap):
    exc = exceptions.NotAuthenticated()
    exc.status_code = 403
    error = resolve(snap, "usezombie", exc)
    assert (error.code, error.status) == ("UZ-AUTH-001", 403)
    assert resolve(snap, "usezombie", exceptions.NotAuthenticated()).status == 401


def test_catch_all_and_its_fallback(snap):
    assert resolve(snap, "management-api", ValueError()).code == "server_error"
    error = resolve(snap, None, ValueError())
    assert (error.code, error.status, error.numeric_code) == ("internal_error", 500, 0)


def test_unknown_catalog_code_logs(snap, caplog):
    with caplog.at_level(logging.ERROR, logger="errorcatalog"):
        error = resolve(snap, "usezombie", CatalogError("UZ-TYPO-1"))
    assert error.code == "UZ-INTERNAL-003"
    assert "UZ-TYPO-1" in caplog.text


def test_flat_entries_without_integer_use_the_catch_alls(snap):
    assert resolve(snap, "oz", exceptions.UnsupportedMediaType("text/plain")).numeric_code == 0


def test_default_detail_fills_placeholders_safely(snap):
    from errorcatalog.models import ErrorCode

    ErrorCode.objects.filter(catalog__slug="usezombie", code="UZ-WORKSPACE-001").update(
        default_detail="No workspace {workspace_id} ({request.user.password}) {missing}"
    )
    snap = build_snapshot()
    error = resolve(snap, "usezombie", CatalogError("UZ-WORKSPACE-001", workspace_id="w1"))
    assert error.detail == "No workspace w1 ({request.user.password}) {missing}"


def test_unexpected_detail_is_the_title(snap):
    error = resolve(snap, "usezombie", KeyError("secret"))
    assert error.detail == "Internal operation failed"


def test_generic_catalog_has_a_database_unavailable_code():
    from django.db import OperationalError

    assert GENERIC_CATALOG.codes["database_unavailable"].status == 503
    assert any(rule.exception_class is OperationalError for rule in GENERIC_CATALOG.rules)
