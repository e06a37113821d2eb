"""The read-only catalog REST API."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from errorcatalog import transfer
from errorcatalog.models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping, HttpStatus

from .support import body as streamed

pytestmark = pytest.mark.django_db


def test_catalog_list_and_detail(client):
    body = client.get("/api/catalogs/").json()
    assert {c["slug"] for c in body["results"]} == {"usezombie", "zof", "management-api", "zen-mesh", "oz"}
    assert client.get("/api/catalogs/oz/").json()["format"] == "flat"


def test_families(client):
    keys = [f["key"] for f in client.get("/api/catalogs/usezombie/families/", {"page_size": 100}).json()["results"]]
    assert keys[:3] == ["uuidv7", "internal", "req"] and len(keys) == 23
    family = client.get("/api/catalogs/usezombie/families/auth/").json()
    assert family["prefix"] == "UZ-AUTH"
    assert [c["code"] for c in family["codes"]][:2] == ["UZ-AUTH-001", "UZ-AUTH-002"]


def test_code_detail_has_everything_a_client_maps(client):
    body = client.get("/api/catalogs/usezombie/codes/UZ-AUTH-003/").json()
    assert body["status"] == {"code": 401, "reason": "Unauthorized"}
    assert body["family"]["key"] == "auth"
    assert body["causes"] == [{"text": "JWT has passed its expiry time", "remedy": "Re-authenticate."}]
    assert body["docs_uri"] == "http://testserver/errors/usezombie/UZ-AUTH-003/"
    assert body["lifecycle"] == "active" and body["replaced_by"] is None
    assert client.get("/api/catalogs/oz/codes/NOT_EXIST/").json()["numeric_code"] == 10


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"family": "auth", "status": 403}, ["UZ-AUTH-001", "UZ-AUTH-009", "UZ-AUTH-010"]),
        ({"status_min": 410, "status_max": 413}, ["UZ-REQ-002", "UZ-RUNS-410"]),
        ({"lifecycle": "removed"}, ["UZ-RUNS-410"]),
        ({"search": "expiry time"}, ["UZ-AUTH-003"]),
        ({"search": "zombie", "family": "wh", "ordering": "-code"}, ["UZ-WH-003", "UZ-WH-001"]),
    ],
)
def test_code_filters(client, params, expected):
    body = client.get("/api/catalogs/usezombie/codes/", params).json()
    assert [c["code"] for c in body["results"]] == expected


def test_a_request_naming_no_filter_lists_what_the_filterset_would(client):
    # Without a filter parameter the FilterSet is skipped; an empty one goes through it.
    skipped = client.get("/api/catalogs/usezombie/codes/", {"page_size": 500, "unknown": "1"}).json()
    filtered = client.get("/api/catalogs/usezombie/codes/", {"page_size": 500, "search": ""}).json()
    assert skipped["count"] == filtered["count"] == 99
    assert [c["code"] for c in skipped["results"]] == [c["code"] for c in filtered["results"]]


def test_retryable_filter(client):
    codes = {c["code"] for c in client.get("/api/catalogs/zof/codes/", {"retryable": "true"}).json()["results"]}
    assert codes == {"rate_limited", "internal_error"}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"ordering": "password"}, "ordering"),
        ({"status": "abc"}, "status"),
        ({"lifecycle": "zombie"}, "lifecycle"),
        ({"retryable": "maybe"}, "retryable"),
        ({"search": "x" * 500}, "search"),
    ],
)
def test_bad_filter_values_are_a_400_with_field_errors(client, params, field):
    response = client.get("/api/catalogs/usezombie/codes/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_page_size_is_bounded(client, errorcatalog_settings):
    errorcatalog_settings(API_MAX_PAGE_SIZE=20)
    body = client.get("/api/catalogs/usezombie/codes/", {"page_size": 1000}).json()
    assert len(body["results"]) == 20 and body["count"] == 99


@pytest.mark.parametrize(
    "path",
    [
        "/api/catalogs/nope/",
        "/api/catalogs/usezombie/codes/UZ-NOPE/",
        "/api/catalogs/usezombie/families/nope/",
        "/api/statuses/999/",
        "/api/catalogs/usezombie/codes/%00/",
        "/api/catalogs/usezombie/codes/" + "A" * 101 + "/",
        "/api/catalogs/..%2F..%2Fetc/",
        "/api/catalogs/<script>/",
        "/api/statuses/abc/",
    ],
)
def test_unknown_or_odd_paths_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(client, method):
    response = getattr(client, method)("/api/catalogs/oz/codes/UNKNOWN/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert "GET" in response["Allow"]
    assert ErrorCode.objects.filter(catalog__slug="oz", code="UNKNOWN").exists()


def test_api_format_is_a_setting(client, errorcatalog_settings):
    errorcatalog_settings(API_FORMAT="envelope")
    response = client.delete("/api/catalogs/oz/")
    assert response.json()["error"]["code"] == "http_405"


def test_hidden_codes_need_the_view_permission(client, django_user_model):
    ErrorCode.objects.filter(catalog__slug="oz", code="DATABASE").update(public=False)
    listed = lambda: {c["code"] for c in client.get("/api/catalogs/oz/codes/").json()["results"]}  # noqa: E731
    assert "DATABASE" not in listed()
    assert client.get("/api/catalogs/oz/codes/DATABASE/").status_code == 404
    user = django_user_model.objects.create_user("reader")
    user.user_permissions.add(Permission.objects.get(codename="view_errorcode"))
    client.force_login(user)
    assert "DATABASE" in listed()
    assert client.get("/api/catalogs/oz/codes/DATABASE/").status_code == 200


def test_who_may_read_is_a_setting(client, errorcatalog_settings):
    errorcatalog_settings(API_PERMISSION_CLASSES=["rest_framework.permissions.IsAuthenticated"])
    response = client.get("/api/catalogs/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_etag_and_304(client):
    first = client.get("/api/catalogs/oz/codes/")
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "Cookie" in first["Vary"] and "Authorization" in first["Vary"]
    again = client.get("/api/catalogs/oz/codes/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""
    since = client.get("/api/catalogs/oz/codes/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.parametrize(
    "path", ["/api/catalogs/oz/codes/", "/api/catalogs/oz/codes/UNKNOWN/", "/api/catalogs/oz/families/api/"]
)
def test_a_revalidated_copy_is_answered_before_any_code_is_serialized(client, path):
    fresh = client.get(path)
    assert fresh.status_code == 200
    with CaptureQueriesContext(connection) as served:
        client.get(path)
    with CaptureQueriesContext(connection) as revalidated:
        response = client.get(path, HTTP_IF_NONE_MATCH=fresh["ETag"])
    assert response.status_code == 304 and response.content == b""
    assert (response["ETag"], response["Last-Modified"]) == (fresh["ETag"], fresh["Last-Modified"])
    assert "Cookie" in response["Vary"]
    # Causes are read only to serialize codes: the 200 reads them, the 304 not.
    assert any("errorcatalog_cause" in query["sql"] for query in served)
    assert not any("errorcatalog_cause" in query["sql"] for query in revalidated)
    assert len(revalidated) < len(served)


@pytest.mark.django_db(transaction=True)  # the refresher thread reads the catalog on its own connection
def test_a_process_that_has_not_read_the_version_stamp_sends_no_validators(client, errorcatalog_settings, monkeypatch):
    """A cold process builds its snapshot without asking the cache, so it does
    not know the catalog version: it answers reads whole, with no ETag to
    guess, until its refresher thread has read the stamp."""
    import threading
    import time

    from django.core.management import call_command

    from errorcatalog import snapshot

    call_command("loaddata", "fixtures/oz.json", verbosity=0)  # committed, whatever ran before
    errorcatalog_settings(SNAPSHOT_REFRESH="background", SNAPSHOT_CHECK_INTERVAL=60)
    answer = threading.Event()
    monkeypatch.setattr(snapshot, "read_version", lambda: answer.wait(10) and "1763860000-new")
    try:
        cold = client.get("/api/catalogs/oz/codes/", HTTP_IF_NONE_MATCH="*")
        assert cold.status_code == 200 and cold.json()["count"] > 0
        assert "ETag" not in cold and "Last-Modified" not in cold
    finally:
        answer.set()
    snapshot.expire()  # wakes the refresher now, whichever test started it
    deadline = time.monotonic() + 10
    while snapshot.get_snapshot().version != "1763860000-new":
        assert time.monotonic() < deadline, "the refresher never read the stamp"
        time.sleep(0.01)
    warm = client.get("/api/catalogs/oz/codes/")
    assert warm["ETag"] and warm["Last-Modified"]
    assert client.get("/api/catalogs/oz/codes/", HTTP_IF_NONE_MATCH=warm["ETag"]).status_code == 304


def test_validators_come_from_the_snapshot_in_hand_not_the_cache(client, monkeypatch):
    client.get("/api/catalogs/oz/codes/")  # warm
    from errorcatalog import snapshot

    def no_cache(*args, **kwargs):
        raise AssertionError("the API read the version stamp from the cache")

    monkeypatch.setattr(snapshot, "read_version", no_cache)
    response = client.get("/api/catalogs/oz/codes/")
    assert response.status_code == 200 and response["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/catalogs/nope/codes/",
        "/api/catalogs/oz/codes/NOPE/",
        "/api/catalogs/nope/",
        "/api/catalogs/oz/families/nope/",
        "/api/catalogs/oz/codes/?status=abc",
        "/api/catalogs/oz/codes/?page=999",
        "/api/catalogs/nope/export/",
        "/api/statuses/599/",
    ],
)
@pytest.mark.parametrize("header", ["*", "matching"])
def test_conditional_requests_never_hide_an_error(client, path, header):
    etag = client.get("/api/catalogs/oz/codes/")["ETag"]
    response = client.get(path, HTTP_IF_NONE_MATCH=etag if header == "matching" else "*")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_IF_MATCH": '"not-the-etag"'},
        {"HTTP_IF_UNMODIFIED_SINCE": "Mon, 01 Jan 2001 00:00:00 GMT"},
    ],
)
def test_failed_preconditions_answer_412_in_the_api_format(client, headers):
    response = client.get("/api/catalogs/oz/codes/", **headers)
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"], body["error_code"]) == (412, "Precondition Failed", "http_412")
    assert body["request_id"] == response["X-Request-ID"]


def test_a_matching_if_match_passes(client):
    etag = client.get("/api/catalogs/oz/codes/")["ETag"]
    # If-Match uses the strong comparison: a weak ETag never matches (RFC 9110 section 13.1.1).
    assert client.get("/api/catalogs/oz/codes/", HTTP_IF_MATCH="*").status_code == 200
    assert client.get("/api/catalogs/oz/codes/", HTTP_IF_MATCH=etag).status_code == 412


def test_staff_see_another_etag(client, admin_user):
    public = client.get("/api/catalogs/oz/codes/")["ETag"]
    client.force_login(admin_user)
    assert client.get("/api/catalogs/oz/codes/")["ETag"] != public


def test_etag_changes_with_the_catalog(client, django_capture_on_commit_callbacks):
    before = client.get("/api/catalogs/oz/codes/")["ETag"]
    code = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")
    with django_capture_on_commit_callbacks(execute=True):
        code.save()
    assert client.get("/api/catalogs/oz/codes/", HTTP_IF_NONE_MATCH=before).status_code == 200


def count_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"][:60] for q in captured]


@pytest.mark.parametrize(
    ("docs_base_url", "link"),
    [
        ("", "http://testserver/errors/usezombie/{}/"),
        ("https://errors.example.com/uz", "https://errors.example.com/uz/{}"),
    ],
)
def test_every_listed_code_links_to_its_own_docs_page(client, docs_base_url, link):
    Catalog.objects.filter(slug="usezombie").update(docs_base_url=docs_base_url)
    listed = client.get("/api/catalogs/usezombie/codes/?page_size=500").json()["results"]
    assert len(listed) > 10
    assert [code["docs_uri"] for code in listed] == [link.format(code["code"]) for code in listed]


def test_a_code_pages_count_reads_the_codes_alone(client):
    # Status and family are read into the page's rows, never into its count.
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/catalogs/oz/codes/").json()
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "JOIN" not in counts[0].upper()
    assert body["results"][0]["status"]["code"] >= 400 and body["results"][0]["family"]["key"]


def test_code_list_queries_do_not_grow_with_the_catalog(client):
    family = ErrorFamily.objects.create(
        catalog_id=ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN").catalog_id, key="bulk", name="Bulk"
    )
    status = HttpStatus.objects.get(code=400)

    replacement = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")

    def add(count, start):
        # Every code with two causes, every other one replaced: what a code
        # shows beyond its row is read for the whole page, not per code.
        codes = ErrorCode.objects.bulk_create(
            ErrorCode(
                catalog_id=family.catalog_id,
                family=family,
                code=f"BULK_{n}",
                numeric_code=n,
                status=status,
                title=f"Bulk {n}",
                replaced_by=replacement if n % 2 else None,
            )
            for n in range(start, start + count)
        )
        Cause.objects.bulk_create(
            Cause(error_code=code, text=f"{code.code} cause {i}", position=i) for code in codes for i in (2, 1)
        )

    add(10, 1000)
    client.get("/api/statuses/")  # warms the process's catalog snapshot
    small = count_queries(client, "/api/catalogs/oz/codes/?family=bulk&page_size=500")
    add(490, 2000)
    large = count_queries(client, "/api/catalogs/oz/codes/?family=bulk&page_size=500")
    assert small == large
    assert len(large) <= 6
    listed = client.get("/api/catalogs/oz/codes/?family=bulk&page_size=500").json()["results"]
    assert len(listed) == 500
    shown = {code["code"]: code for code in listed}
    assert [cause["text"] for cause in shown["BULK_2001"]["causes"]] == ["BULK_2001 cause 1", "BULK_2001 cause 2"]
    assert (shown["BULK_2001"]["replaced_by"], shown["BULK_2000"]["replaced_by"]) == ("UNKNOWN", None)
    assert shown["BULK_2000"]["status"] == {"code": 400, "reason": "Bad Request"}
    assert shown["BULK_2000"]["family"] == {"key": "bulk", "prefix": "", "name": "Bulk"}


def test_statuses(client):
    body = client.get("/api/statuses/", {"page_size": 100}).json()
    assert body["count"] == 62
    assert client.get("/api/statuses/422/").json()["reason"] == "Unprocessable Entity"


def test_export_endpoint_holds_the_shipped_catalog(client):
    """Against the fixture file, not the function the endpoint calls."""
    from pathlib import Path

    rows = json.loads((Path(__file__).parent.parent / "fixtures" / "zen-mesh.json").read_text())
    shipped = {row["fields"]["code"]: row["fields"] for row in rows if row["model"] == "errorcatalog.errorcode"}
    response = client.get("/api/catalogs/zen-mesh/export/")
    assert response.streaming and response["Content-Type"] == "application/json"
    body = json.loads(streamed(response))
    assert body["catalog"]["slug"] == "zen-mesh" and body["errorcatalog"] == 1
    exported = {code["code"]: code for code in body["codes"]}
    assert set(exported) == set(shipped)
    for name, fields in shipped.items():
        assert (exported[name]["title"], exported[name]["status"]) == (fields["title"], fields["status"][0]), name
        for flag in ("retryable", "public", "is_status_default", "is_catch_all"):  # booleans, not 0 and 1
            assert exported[name][flag] is fields.get(flag, ErrorCode._meta.get_field(flag).default), (name, flag)
    assert len(body["mappings"]) == sum(row["model"] == "errorcatalog.exceptionmapping" for row in rows)


def test_the_export_streams_every_code_with_its_causes_in_order_whatever_the_chunk(client, monkeypatch):
    monkeypatch.setattr(transfer, "EXPORT_CHUNK", 3)  # many pieces, a code's causes across a boundary
    code = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-API-001")
    Cause.objects.create(error_code=code, text="Line\u2028separator", remedy="", position=9)
    response = client.get("/api/catalogs/usezombie/export/")
    text = streamed(response).decode()
    assert "\u2028" not in text and "\\u2028" in text  # as DRF's JSONRenderer: no raw line separator
    document = json.loads(text)
    codes = ErrorCode.objects.filter(catalog__slug="usezombie")
    assert sorted(c["code"] for c in document["codes"]) == sorted(codes.values_list("code", flat=True))
    for row in document["codes"]:
        causes = Cause.objects.filter(error_code__catalog__slug="usezombie", error_code__code=row["code"])
        assert [c["text"] for c in row["causes"]] == list(
            causes.order_by("position", "id").values_list("text", flat=True)
        )
    assert len(document["mappings"]) == ExceptionMapping.objects.filter(catalog__slug="usezombie").count()


def test_an_empty_catalog_exports_as_a_valid_document(client):
    Catalog.objects.create(slug="empty", name="Empty", format="problem")
    document = json.loads(streamed(client.get("/api/catalogs/empty/export/")))
    assert (document["families"], document["codes"], document["mappings"]) == ([], [], [])


def test_the_export_takes_the_same_queries_whatever_the_catalog_size(client, monkeypatch):
    monkeypatch.setattr(transfer, "EXPORT_CHUNK", 2)

    def queries(slug):
        with CaptureQueriesContext(connection) as captured:
            streamed(client.get(f"/api/catalogs/{slug}/export/"))
        return len(captured)

    sizes = dict(Catalog.objects.values_list("slug").annotate(n=Count("codes")))
    small, big = min(sizes, key=sizes.get), max(sizes, key=sizes.get)
    queries(small)  # the first request builds the snapshot
    assert sizes[big] > 10 * sizes[small] and queries(small) == queries(big) <= 6


@pytest.mark.parametrize(
    "query", ["expiry re-authenticate", '"expiry time"', "UZ-AUTH token", "zombie,webhook", "nothing-like-this"]
)
def test_search_splits_terms_like_drf_and_the_docs_pages_agree(client, query):
    api = {
        c["code"]
        for c in client.get("/api/catalogs/usezombie/codes/", {"search": query, "page_size": 500}).json()["results"]
    }
    page = client.get("/errors/usezombie/", {"q": query}).content.decode()
    listed = {code for code in re.findall(r"<code>(UZ-[A-Z0-9-]+)</code>", page)}
    assert api == listed
    for code in api:  # every term appears somewhere in the code's text
        body = json.dumps(client.get(f"/api/catalogs/usezombie/codes/{code}/").json()).lower()
        for term in query.strip('"').replace(",", " ").split():
            assert term.lower() in body


def test_search_needs_every_term():
    from errorcatalog.models import ErrorCode

    both = ErrorCode.objects.filter(catalog__slug="usezombie").search("expiry re-authenticate")
    assert list(both.values_list("code", flat=True)) == ["UZ-AUTH-003"]
    assert not ErrorCode.objects.filter(catalog__slug="usezombie").search("expiry nothing-like-this").exists()


def test_a_catalog_reads_its_row_once(client):
    client.get("/api/statuses/")  # warms the process's catalog snapshot
    queries = count_queries(client, "/api/catalogs/oz/")
    assert sum("errorcatalog_catalog" in sql for sql in queries) == 1
