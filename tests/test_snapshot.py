import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from errorcatalog import snapshot
from errorcatalog.models import Cause, ErrorCode, ErrorFamily, ExceptionMapping, HttpStatus

pytestmark = pytest.mark.django_db


def queries_to_build():
    with CaptureQueriesContext(connection) as captured:
        snapshot.build_snapshot()
    return len(captured)


def test_build_cost_does_not_grow_with_the_catalog():
    before = queries_to_build()
    family = ErrorFamily.objects.get(catalog__slug="oz", key="api")
    status = HttpStatus.objects.get(code=400)
    codes = ErrorCode.objects.bulk_create(
        ErrorCode(
            catalog=family.catalog,
            family=family,
            code=f"EXTRA_{n}",
            numeric_code=1000 + n,
            status=status,
            title=f"Extra {n}",
        )
        for n in range(300)
    )
    Cause.objects.bulk_create(Cause(error_code=code, text="because") for code in codes)
    ExceptionMapping.objects.bulk_create(
        ExceptionMapping(catalog=family.catalog, error_code=code, drf_code=f"extra_{code.numeric_code}")
        for code in codes
    )
    assert queries_to_build() == before <= 6  # savepoint, 4 reads, release


def test_snapshot_is_immutable():
    snap = snapshot.build_snapshot()
    oz = snap.catalog("oz")
    with pytest.raises(TypeError):
        oz.codes["NEW"] = None
    with pytest.raises(AttributeError):
        oz.codes["UNKNOWN"].title = "changed"


def test_unknown_slug_reads_as_the_generic_catalog():
    snap = snapshot.build_snapshot()
    assert snap.catalog("nope") is snapshot.GENERIC_CATALOG
    assert snap.catalog(None) is snapshot.GENERIC_CATALOG


def test_mapping_that_does_not_import_is_skipped_and_logged(caplog):
    code = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")
    ExceptionMapping.objects.bulk_create(
        [ExceptionMapping(catalog=code.catalog, error_code=code, exception_class="gone.Module")]
    )
    rules = snapshot.build_snapshot().catalog("oz").rules
    assert all(rule.exception_class is not None or rule.drf_code or rule.field_code for rule in rules)
    assert "gone.Module" in caplog.text


def test_get_snapshot_reuses_the_snapshot_within_the_interval(django_assert_num_queries):
    first = snapshot.get_snapshot()
    with django_assert_num_queries(0):
        assert snapshot.get_snapshot() is first


def test_bump_makes_this_process_rebuild_at_once(django_assert_max_num_queries):
    first = snapshot.get_snapshot()
    snapshot.bump_version()
    assert snapshot.get_snapshot() is not first


@pytest.mark.django_db(transaction=True)
def test_background_mode_checks_and_rebuilds_off_the_request_path(errorcatalog_settings, monkeypatch):
    """The version check blocks (a cache that stopped answering): requests
    keep getting the snapshot in hand at once, and only the process's
    refresher thread ever reads the stamp; once it answers, the rebuilt
    snapshot is swapped in."""
    import threading

    errorcatalog_settings(SNAPSHOT_REFRESH="background", SNAPSHOT_CHECK_INTERVAL=0.01)
    answer, readers = threading.Event(), []

    def hanging_read_version():
        readers.append(threading.current_thread().name)
        answer.wait(10)
        return "1763860000-new"

    monkeypatch.setattr(snapshot, "read_version", hanging_read_version)
    first = snapshot.get_snapshot()  # cold: built here, without asking the cache
    assert first.version is None
    deadline = time.monotonic() + 10
    while not readers:  # the refresher thread gets to the cache, and is stuck there
        assert snapshot.get_snapshot() is first
        assert time.monotonic() < deadline, "the refresher never asked the cache"
        time.sleep(0.001)
    for _ in range(50):
        assert snapshot.get_snapshot() is first  # served at once meanwhile
    assert set(readers) == {"errorcatalog-snapshot"}
    answer.set()
    deadline = time.monotonic() + 10
    while snapshot.get_snapshot().version != "1763860000-new":
        assert time.monotonic() < deadline, "the refresher never swapped the new snapshot in"
        time.sleep(0.01)
    assert set(readers) == {"errorcatalog-snapshot"}


def test_docs_links_are_reversed_once_per_catalog(monkeypatch):
    from errorcatalog import links

    calls = []
    real_reverse = links.reverse
    monkeypatch.setattr(links, "reverse", lambda *args, **kwargs: calls.append(kwargs) or real_reverse(*args, **kwargs))
    links.docs_link_maker.cache_clear()
    links.code_docs_url.cache_clear()
    built = snapshot.build_snapshot()
    assert calls == []  # the snapshot keeps no link per code: errors make theirs
    usezombie = built.catalog("usezombie")
    made = {code: links.code_docs_url("usezombie", usezombie.docs_base_url, code) for code in usezombie.codes}
    assert len(calls) == 1
    assert made["UZ-AUTH-003"] == "/errors/usezombie/UZ-AUTH-003/"
    # A code from outside the admin's validation (a copy, a test) is quoted, never pasted raw.
    assert links.docs_url("usezombie", "", "a b/<c>") == "/errors/usezombie/a%20b%2F%3Cc%3E/"
    assert links.docs_url("acme", "https://docs.acme.test/errors/", "X 1") == "https://docs.acme.test/errors/X%201"


@pytest.mark.django_db
def test_a_snapshot_built_in_background_mode_is_out_of_the_collectors_sight(errorcatalog_settings):
    import gc

    errorcatalog_settings(SNAPSHOT_REFRESH="background", SNAPSHOT_CHECK_INTERVAL=60)
    snapshot.reset()
    try:
        built = snapshot.get_snapshot()
        catalog = built.catalog("usezombie")
        # Frozen: in no generation a collection sweeps, yet still tracked.
        assert gc.is_tracked(catalog) and gc.get_freeze_count() > 0
        assert not any(obj is catalog for obj in gc.get_objects())
    finally:
        gc.unfreeze()
        snapshot.reset()
