from django.test import override_settings

from errorcatalog.conf import DEFAULTS, errorcatalog_settings


def test_defaults_apply_for_missing_keys():
    with override_settings(ERRORCATALOG={}):
        assert errorcatalog_settings.SNAPSHOT_CHECK_INTERVAL == DEFAULTS["SNAPSHOT_CHECK_INTERVAL"] == 1.0
        assert errorcatalog_settings.DEFAULT_CATALOG is None


def test_override_settings_reloads():
    with override_settings(ERRORCATALOG={"DEFAULT_CATALOG": "oz"}):
        assert errorcatalog_settings.DEFAULT_CATALOG == "oz"
    assert errorcatalog_settings.DEFAULT_CATALOG is None
