"""Staff cannot make the server import arbitrary modules (trust issue, item 4)."""

import logging
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from errorcatalog import snapshot
from errorcatalog.exception_classes import ExceptionClassError, is_allowed_path, load_exception_class
from errorcatalog.models import Catalog, ErrorCode, ExceptionMapping


@pytest.fixture
def never_imported():
    """A module name nothing in the suite imports, gone again afterwards."""
    name = "antigravity"  # opens a web browser when imported: the point exactly
    sys.modules.pop(name, None)
    yield name
    assert name not in sys.modules, f"{name} was imported"


def test_paths_outside_the_allowed_modules_are_refused_unimported(never_imported):
    with pytest.raises(ExceptionClassError, match="not under the modules"):
        load_exception_class(f"{never_imported}.geohash")
    assert not is_allowed_path("os.system")
    assert not is_allowed_path("Error")  # no module at all


def test_default_allowlist_covers_drf_django_builtins_and_installed_apps():
    from django.db.utils import OperationalError
    from rest_framework.exceptions import Throttled

    assert load_exception_class("rest_framework.exceptions.Throttled") is Throttled
    assert load_exception_class("django.db.utils.OperationalError") is OperationalError
    assert load_exception_class("builtins.NotImplementedError") is NotImplementedError
    assert is_allowed_path("project.demo.views.Anything")
    # A prefix matches whole module names only.
    assert not is_allowed_path("rest_framework_evil.Error")


def test_the_setting_replaces_the_allowlist(errorcatalog_settings):
    errorcatalog_settings(EXCEPTION_MODULES=["tests"])
    assert is_allowed_path("tests.views.BrokenFormat")
    with pytest.raises(ExceptionClassError, match="not under"):
        load_exception_class("rest_framework.exceptions.Throttled")


def test_any_failure_while_importing_is_a_clear_error(errorcatalog_settings, tmp_path, monkeypatch):
    errorcatalog_settings(EXCEPTION_MODULES=["tests", "broken_syntax"])
    with pytest.raises(ExceptionClassError, match="ImproperlyConfigured: this module needs a setting"):
        load_exception_class("tests.raises_on_import.Error")
    (tmp_path / "broken_syntax.py").write_text("def (:\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ExceptionClassError, match="SyntaxError"):
        load_exception_class("broken_syntax.Error")
    with pytest.raises(ExceptionClassError, match="not an exception class"):
        load_exception_class("tests.views.BrokenFormat")


@pytest.mark.django_db
def test_admin_form_validation_refuses_a_disallowed_path(never_imported):
    code = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")
    mapping = ExceptionMapping(error_code=code, exception_class=f"{never_imported}.Error")
    with pytest.raises(ValidationError) as info:
        mapping.full_clean()
    assert "not under the modules" in info.value.message_dict["exception_class"][0]


@pytest.mark.django_db
def test_import_refuses_a_disallowed_path_and_writes_nothing(tmp_path, never_imported):
    from errorcatalog.transfer import export_catalog

    document = export_catalog(Catalog.objects.get(slug="oz"))
    document["mappings"][0]["exception_class"] = f"{never_imported}.Error"
    before = ExceptionMapping.objects.count()
    path = tmp_path / "oz.json"
    import json

    path.write_text(json.dumps(document))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="mappings\\[0\\].*not under the modules"):
        call_command("errorcatalog", "import", str(path))
    assert ExceptionMapping.objects.count() == before


@pytest.mark.django_db
def test_a_broken_row_is_skipped_and_the_rest_still_served(errorcatalog_settings, caplog, client):
    """One row whose import raises something other than ImportError used to
    fail the whole build: warm workers kept their old snapshot forever."""
    errorcatalog_settings(EXCEPTION_MODULES=["rest_framework", "django", "builtins", "tests"])
    oz = Catalog.objects.get(slug="oz")
    code = ErrorCode.objects.get(catalog=oz, code="NOT_ALLOWED")
    ExceptionMapping.objects.bulk_create(
        [
            ExceptionMapping(catalog=oz, error_code=code, exception_class="tests.raises_on_import.Error"),
            ExceptionMapping(catalog=oz, error_code=code, exception_class="antigravity.Error"),
        ]
    )
    snapshot.get_snapshot()  # warm
    ErrorCode.objects.filter(pk=code.pk).update(title="Edited title")
    snapshot.bump_version()
    with caplog.at_level(logging.ERROR, logger="errorcatalog"):
        current = snapshot.get_snapshot()
    assert current.source == "database"
    assert current.catalog("oz").codes["NOT_ALLOWED"].title == "Edited title"
    assert "ImproperlyConfigured" in caplog.text
    assert "antigravity.Error is not under" in caplog.text
    assert sum(rule.exception_class is not None for rule in current.catalog("oz").rules) == (
        ExceptionMapping.objects.filter(catalog=oz).exclude(exception_class="").count() - 2
    )
