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
        ErrorCode(catalog=family.catalog, family=family, code=f"EXTRA_{n}", numeric_code=1000 + n,
                  status=status, title=f"Extra {n}")
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
    ExceptionMapping.objects.bulk_create([ExceptionMapping(catalog=code.catalog, error_code=code, exception_class="gone.Module")])
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
