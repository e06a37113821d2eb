"""The handler: every exception kind, headers, ids, queries, and that it cannot raise."""

import json
import logging

import pytest
from django.core.cache import caches
from django.core.signals import got_request_exception
from django.db import connection, transaction
from rest_framework import exceptions

from errorcatalog import snapshot
from errorcatalog.conf import errorcatalog_settings as app_settings
from errorcatalog.handlers import exception_handler, render_exception
from errorcatalog.models import Catalog, ErrorCode

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls")]


def test_warm_handler_makes_no_queries(client, django_assert_num_queries):
    client.raise_request_exception = False
    client.get("/demo/zen-mesh/boom/")  # warms the snapshot
    with django_assert_num_queries(0):
        for path in ["/demo/zen-mesh/boom/", "/demo/oz/boom/", "/demo/zof/no/such/", "/api/t/workspace/"]:
            assert client.get(path).status_code >= 400


def test_unexpected_error_is_logged_with_the_request_id_and_signalled(client, caplog):
    received = []

    def receiver(sender, request, **kwargs):
        received.append(request.path)

    got_request_exception.connect(receiver)
    try:
        client.raise_request_exception = False
        with caplog.at_level(logging.ERROR, logger="django.request"):
            response = client.get("/demo/usezombie/boom/", HTTP_X_REQUEST_ID="trace-123")
    finally:
        got_request_exception.disconnect(receiver)
    assert received == ["/demo/usezombie/boom/"]
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert "trace-123" in record.getMessage()
    assert record.exc_info[0] is RuntimeError
    assert record.status_code == 500
    assert response.json()["request_id"] == "trace-123"
    assert response["X-Request-ID"] == "trace-123"
    assert "secret" not in response.content.decode()


def test_error_with_a_status_is_not_reported_as_a_crash(client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.get("/demo/oz/items/999999/")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_catalog_error_extra_members_never_replace_standard_ones(client):
    response = client.get("/api/t/workspace/")
    body = response.json()
    assert response.status_code == 404
    assert body["status"] == 404
    assert body["title"] == "Workspace not found"
    assert body["error_code"] == "UZ-WORKSPACE-001"
    assert body["detail"] == "No workspace 0190-abc"
    assert body["workspace_id"] == "0190-abc"


def test_unknown_catalog_code_logs_and_uses_the_catch_all(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="errorcatalog"):
        response = client.get("/api/t/unknown-code/")
    assert response.status_code == 500
    assert response.json()["error_code"] == "UZ-INTERNAL-003"
    assert any("UZ-NOPE-999" in r.getMessage() for r in caplog.records if r.name == "errorcatalog")


def test_view_selects_catalog_and_format(client):
    response = client.get("/api/t/oz-not-found/")
    assert response.json()["error_code"] == 10
    response = client.get("/api/t/zen-envelope/")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "invalid-parameters"
    assert response.json()["error"]["param"] == "name"


def test_no_catalog_selected_uses_generic_entries(client):
    response = client.get("/api/t/generic/")
    assert response.json()["error_code"] == "http_404"
    assert response.json()["type"] == "about:blank"
    assert response.json()["title"] == "Not Found"


def test_default_catalog_setting(client, errorcatalog_settings):
    errorcatalog_settings(DEFAULT_CATALOG="zof")
    response = client.get("/api/t/generic/")
    assert response.json()["error"]["code"] == "not_found"


def test_django_validation_error(client):
    response = client.get("/api/t/django-validation/")
    assert response.status_code == 422
    body = response.json()
    assert body["error_code"] == "invalid-parameters"
    assert body["errors"] == [{"field": "email", "message": "Enter a valid email address.", "code": "invalid"}]


def test_database_unavailable_is_a_503_without_connection_details(client):
    client.raise_request_exception = False
    response = client.get("/api/t/db-down/")
    assert response.status_code == 503
    assert response.json()["error_code"] == "UZ-INTERNAL-001"
    assert "10.0.0.5" not in response.content.decode()
    response = client.get("/api/t/db-down-generic/")
    assert response.status_code == 503
    assert response.json()["error_code"] == "database_unavailable"
    assert response["Retry-After"] == "5"


def test_broken_format_falls_back_to_a_minimal_problem(client, caplog, errorcatalog_settings):
    errorcatalog_settings(FORMATS={"broken": "tests.views.BrokenFormat"})
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="errorcatalog"):
        response = client.get("/api/t/broken-format/", HTTP_X_REQUEST_ID="abc")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "Internal Server Error",
        "request_id": "abc",
    }
    assert any("could not render" in r.getMessage() for r in caplog.records)


def test_nested_errors_keep_index_zero(client):
    response = client.post(
        "/api/t/nested/", json.dumps({"lines": [{"qty": 0}, {"qty": 1}, {}]}), content_type="application/json"
    )
    errors = response.json()["errors"]
    assert [(e["field"], e["code"], e["pointer"]) for e in errors] == [
        ("lines.0.qty", "min_value", "#/lines/0/qty"),
        ("lines.2.qty", "required", "#/lines/2/qty"),
    ]


def test_retry_after_from_the_code(client):
    ErrorCode.objects.filter(catalog__slug="usezombie", code="UZ-WORKSPACE-001").update(retry_after=30)
    response = client.get("/api/t/workspace/")
    assert response["Retry-After"] == "30"


def test_docs_base_url_makes_the_type_uri(client):
    Catalog.objects.filter(slug="zen-mesh").update(docs_base_url="https://docs.zen-mesh.io/errors/")
    response = client.get("/api/t/django-validation/")
    assert response.json()["type"] == "https://docs.zen-mesh.io/errors/invalid-parameters"
    assert response.json()["docs_uri"] == response.json()["type"]


@pytest.mark.parametrize(
    "incoming, echoed",
    [
        ("abc-123", True),
        ("0190f2a4-7c1e-7abc-8def-0123456789ab", True),
        ("x" * 129, False),
        ("bad id", False),
        ("<script>", False),
        ("", False),
    ],
)
def test_request_id_echoed_only_when_sane(client, incoming, echoed):
    response = client.get("/demo/oz/items/1/", HTTP_X_REQUEST_ID=incoming)
    assert (response["X-Request-ID"] == incoming) is echoed
    assert response.json().get("request_id", response["X-Request-ID"]) == response["X-Request-ID"]


def test_plain_django_view_on_an_api_path(client):
    client.raise_request_exception = False
    response = client.get("/api/t/plain-boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert "plain view secret" not in response.content.decode()


def test_plain_django_view_elsewhere_keeps_djangos_page(client):
    client.raise_request_exception = False
    response = client.get("/site/plain-boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_unknown_url_elsewhere_keeps_djangos_page(client):
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_csrf_failure_on_an_api_path():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/api/t/form/", {"a": "b"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("CSRF Failed")
    assert csrf_client.post("/site/form/", {"a": "b"})["Content-Type"].startswith("text/html")


def test_handler500_renders_api_errors_without_reporting_twice(rf, caplog):
    from errorcatalog.views import server_error

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = server_error(rf.get("/api/anything/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert not caplog.records


def test_handler_sets_rollback_like_drf(rf):
    request = rf.get("/api/x/")
    with transaction.atomic():
        connection.settings_dict["ATOMIC_REQUESTS"] = True
        try:
            exception_handler(exceptions.NotFound(), {"request": request, "view": None})
            assert connection.needs_rollback
        finally:
            connection.settings_dict["ATOMIC_REQUESTS"] = False
            connection.set_rollback(False)


def test_catalog_change_reaches_the_handler_after_commit(
    client, errorcatalog_settings, django_capture_on_commit_callbacks
):
    errorcatalog_settings(SNAPSHOT_CHECK_INTERVAL=3600)
    assert client.get("/demo/zof/items/999/").json()["error"]["title"] == "Not Found"
    code = ErrorCode.objects.get(catalog__slug="zof", code="not_found")
    code.title = "No such thing"
    with django_capture_on_commit_callbacks(execute=True):
        code.save()
    assert client.get("/demo/zof/items/999/").json()["error"]["title"] == "No such thing"


def test_other_process_bump_is_seen_within_the_interval(client, errorcatalog_settings):
    errorcatalog_settings(SNAPSHOT_CHECK_INTERVAL=0)
    client.get("/demo/zof/items/999/")
    ErrorCode.objects.filter(catalog__slug="zof", code="not_found").update(title="Renamed elsewhere")
    # Another worker committed and bumped the stamp in the shared cache:
    caches[app_settings.CACHE_ALIAS].set(app_settings.VERSION_CACHE_KEY, "other-process-version")
    assert client.get("/demo/zof/items/999/").json()["error"]["title"] == "Renamed elsewhere"


def unreachable(version=None):
    from django.db import OperationalError

    raise OperationalError("could not connect")


def forget_the_copy():
    from pathlib import Path

    caches[app_settings.CACHE_ALIAS].delete(app_settings.COPY_CACHE_KEY)
    Path(app_settings.CATALOG_COPY_PATH).unlink(missing_ok=True)


def test_cold_start_with_the_database_down_and_no_copy_uses_the_bundled_catalog(rf, monkeypatch):
    forget_the_copy()
    monkeypatch.setattr(snapshot, "read_document", unreachable)
    from django.db import OperationalError

    response = render_exception(OperationalError("down"), rf.get("/demo/usezombie/items/"), report=False)
    assert response.status_code == 503
    assert json.loads(response.content)["error_code"] == "database_unavailable"


def test_warm_snapshot_survives_the_database_going_down(client, monkeypatch, errorcatalog_settings):
    client.raise_request_exception = False
    errorcatalog_settings(SNAPSHOT_CHECK_INTERVAL=0)
    client.get("/demo/usezombie/boom/")
    monkeypatch.setattr(snapshot, "read_document", unreachable)
    caches[app_settings.CACHE_ALIAS].set(app_settings.VERSION_CACHE_KEY, "changed")
    response = client.get("/api/t/db-down/")
    assert response.status_code == 503
    assert response.json()["error_code"] == "UZ-INTERNAL-001"


def test_cache_outage_keeps_serving_the_snapshot(client, monkeypatch, errorcatalog_settings, caplog):
    errorcatalog_settings(SNAPSHOT_CHECK_INTERVAL=0)
    client.get("/demo/oz/items/999/")

    class DeadCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("redis down")

        add = set = get

    monkeypatch.setattr(snapshot, "_version_cache", lambda: DeadCache())
    with caplog.at_level(logging.WARNING, logger="errorcatalog"):
        response = client.get("/demo/oz/items/999/")
    assert response.json()["error_code"] == 10
    assert any("version" in r.getMessage() for r in caplog.records)


def test_aborted_transaction_does_not_force_the_fallback(rf, errorcatalog_settings):
    errorcatalog_settings(SNAPSHOT_CHECK_INTERVAL=0)
    snapshot.get_snapshot()  # warmed before the view's transaction, as the middleware does
    caches[app_settings.CACHE_ALIAS].set(app_settings.VERSION_CACHE_KEY, "changed-meanwhile")
    with transaction.atomic():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table")  # aborts a PostgreSQL transaction
        except Exception:
            pass
        response = render_exception(exceptions.NotFound(), rf.get("/demo/zof/items/1/"))
        connection.set_rollback(True)
    assert json.loads(response.content)["error"]["code"] == "not_found"


def test_minimal_response_uses_the_request_id_header_setting(client, errorcatalog_settings):
    errorcatalog_settings(FORMATS={"broken": "tests.views.BrokenFormat"}, REQUEST_ID_HEADER="X-Correlation-ID")
    client.raise_request_exception = False
    response = client.get("/api/t/broken-format/", HTTP_X_CORRELATION_ID="abc")
    assert response.status_code == 500
    assert response["X-Correlation-ID"] == "abc"
    assert "X-Request-ID" not in response
