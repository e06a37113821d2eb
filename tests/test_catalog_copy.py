"""A cold start without a database still speaks each catalog's language (trust issue, item 10)."""

import json
import logging
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import OperationalError

from errorcatalog import catalog_copy, snapshot
from errorcatalog.conf import errorcatalog_settings as app_settings
from errorcatalog.handlers import render_exception

pytestmark = pytest.mark.django_db


def unreachable(version=None):
    raise OperationalError("could not connect to server at 10.0.0.5")


def copy_file():
    return Path(app_settings.CATALOG_COPY_PATH)


def cached_copy():
    return caches[app_settings.CACHE_ALIAS].get(app_settings.COPY_CACHE_KEY)


def cold_start_without_database(monkeypatch):
    snapshot.reset()
    monkeypatch.setattr(snapshot, "read_document", unreachable)


def test_a_build_from_the_database_writes_the_copy_as_json_to_the_file_and_the_cache():
    copy_file().unlink(missing_ok=True)
    snapshot.get_snapshot()
    on_disk = json.loads(copy_file().read_text())
    assert isinstance(cached_copy(), str) and json.loads(cached_copy()) == on_disk  # JSON, never pickle
    assert {c["catalog"]["slug"] for c in on_disk["catalogs"]} >= {
        "usezombie",
        "zof",
        "management-api",
        "zen-mesh",
        "oz",
    }
    assert [p.name for p in copy_file().parent.iterdir()] == [copy_file().name]  # no temporary file left


@pytest.mark.parametrize(
    "path, status, content_type, read",
    [
        ("/demo/oz/items/", 503, "application/json", lambda b: (b["error_code"], b["error_message"])),
        # Zof maps no database error: its own catch-all, in its envelope.
        ("/demo/zof/items/", 500, "application/json", lambda b: (b["error"]["code"],)),
        ("/demo/usezombie/items/", 503, "application/problem+json", lambda b: (b["error_code"],)),
    ],
)
def test_a_cold_start_with_the_database_down_renders_from_the_copy(rf, monkeypatch, path, status, content_type, read):
    snapshot.get_snapshot()  # writes the copy
    cold_start_without_database(monkeypatch)
    response = render_exception(OperationalError("down"), rf.get(path), report=False)
    assert response.status_code == status
    assert response["Content-Type"] == content_type
    assert snapshot.get_snapshot().source == "copy"
    expected = {
        "/demo/oz/items/": (12, "Database error"),
        "/demo/zof/items/": ("internal_error",),
        "/demo/usezombie/items/": ("UZ-INTERNAL-001",),
    }
    assert read(json.loads(response.content)) == expected[path]


def test_the_file_is_read_before_the_cache(monkeypatch):
    snapshot.get_snapshot()
    document = json.loads(copy_file().read_text())
    next(c for c in document["catalogs"] if c["catalog"]["slug"] == "oz")["catalog"]["name"] = "From the file"
    copy_file().write_text(json.dumps(document))
    cold_start_without_database(monkeypatch)
    assert snapshot.get_snapshot().catalog("oz").name == "From the file"


def test_a_poisoned_copy_cannot_import_modules(monkeypatch, caplog):
    snapshot.get_snapshot()
    document = json.loads(copy_file().read_text())
    oz = next(c for c in document["catalogs"] if c["catalog"]["slug"] == "oz")
    for column, value in {
        "code": "UNKNOWN",
        "exception_class": "antigravity.Error",
        "drf_code": "",
        "field_code": "",
    }.items():
        oz["mappings"][column].append(value)
    copy_file().write_text(json.dumps(document))
    sys.modules.pop("antigravity", None)
    cold_start_without_database(monkeypatch)
    with caplog.at_level(logging.ERROR, logger="errorcatalog"):
        served = snapshot.get_snapshot()
    assert served.source == "copy"
    assert "antigravity" not in sys.modules
    assert "antigravity.Error is not under" in caplog.text


@pytest.mark.parametrize(
    "poison",
    [
        lambda d: d["catalogs"][0]["codes"]["status"].__setitem__(0, "500"),
        lambda d: d["catalogs"][0]["codes"]["status"].__setitem__(0, 200),
        lambda d: d["catalogs"][0]["codes"]["title"].__setitem__(0, ["x"]),
        lambda d: d["catalogs"][0]["codes"]["title"].pop(),
        lambda d: d["catalogs"][0]["codes"].pop("title"),
        lambda d: d["catalogs"][0]["codes"].update(title="not a column"),
        lambda d: d["catalogs"][0].update(codes=[{"code": "X", "status": 400}]),
        lambda d: d.update(errorcatalog_copy=99),
        lambda d: d.update(catalogs="nope"),
    ],
)
def test_a_malformed_copy_is_refused_and_the_bundled_catalog_answers(monkeypatch, poison):
    snapshot.get_snapshot()
    document = json.loads(copy_file().read_text())
    poison(document)
    copy_file().write_text(json.dumps(document))
    caches[app_settings.CACHE_ALIAS].set(app_settings.COPY_CACHE_KEY, "\x80\x04 not json")
    cold_start_without_database(monkeypatch)
    assert snapshot.get_snapshot().source == "fallback"


def test_no_copy_means_the_bundled_catalog(monkeypatch):
    copy_file().unlink(missing_ok=True)
    caches[app_settings.CACHE_ALIAS].delete(app_settings.COPY_CACHE_KEY)
    cold_start_without_database(monkeypatch)
    assert snapshot.get_snapshot().source == "fallback"
    assert catalog_copy.load() is None


@pytest.mark.urls("tests.urls")
def test_the_api_and_docs_pages_answer_503_when_the_database_is_down(client, monkeypatch):
    from django.db.models.query import QuerySet

    snapshot.get_snapshot()

    def down(*args, **kwargs):
        raise OperationalError("could not connect")

    client.raise_request_exception = False  # the database error is reported, as Django reports it
    monkeypatch.setattr(QuerySet, "_fetch_all", down)
    monkeypatch.setattr(QuerySet, "count", down)
    monkeypatch.setattr(QuerySet, "exists", down)
    api = client.get("/api/catalogs/oz/codes/")
    assert api.status_code == 503
    assert api["Content-Type"] == "application/problem+json"
    for path in ["/errors/", "/errors/oz/", "/errors/oz/UNKNOWN/"]:
        page = client.get(path)
        assert page.status_code == 503, path
        assert page["Content-Type"].startswith("text/html")
        assert page["Retry-After"] == "5"
        assert "unavailable" in page.content.decode()
