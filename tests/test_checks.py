from django.core.checks import run_checks
from django.test import override_settings


def ids(**kwargs):
    return {message.id for message in run_checks(**kwargs) if message.id.startswith("errorcatalog")}


def test_project_is_configured():
    assert ids() == set()


def test_missing_handler_and_middleware_are_reported(settings):
    settings.REST_FRAMEWORK = {}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "errorcatalog" not in m]
    assert ids() == {"errorcatalog.W001", "errorcatalog.W002"}


def test_unknown_setting_and_broken_format_are_errors():
    with override_settings(ERRORCATALOG={"DEFAULT_CATALOGUE": "x", "FORMATS": {"x": "no.such.Format"}}):
        assert ids() == {"errorcatalog.E001", "errorcatalog.E002"}


def test_catalog_whose_format_does_not_resolve(db):
    from errorcatalog.models import Catalog

    Catalog.objects.filter(slug="zof").update(format="gone")
    messages = [m for m in run_checks(databases=["default"]) if m.id == "errorcatalog.E004"]
    assert len(messages) == 1 and "'zof'" in messages[0].msg


def test_mapping_that_no_longer_imports(db):
    from errorcatalog.models import ErrorCode, ExceptionMapping

    code = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")
    ExceptionMapping.objects.bulk_create(
        [ExceptionMapping(catalog=code.catalog, error_code=code, exception_class="gone.Error")]
    )
    assert "errorcatalog.E003" in ids(databases=["default"])


def test_subclasses_of_the_middleware_and_handler_count(settings, errorcatalog_settings):
    settings.MIDDLEWARE = [
        "tests.test_checks.ProjectMiddleware",
        *[m for m in settings.MIDDLEWARE if "errorcatalog" not in m],
    ]
    errorcatalog_settings(HANDLER_CLASS="tests.test_extending.TracingHandler")
    assert ids() == set()


def test_a_handler_class_that_is_not_an_error_handler_is_an_error(errorcatalog_settings):
    errorcatalog_settings(HANDLER_CLASS="tests.views.BrokenFormat")
    assert ids() == {"errorcatalog.E005"}


from errorcatalog.middleware import ErrorCatalogMiddleware  # noqa: E402


class ProjectMiddleware(ErrorCatalogMiddleware):
    """A project's own subclass, as admin's checks accept subclasses."""
