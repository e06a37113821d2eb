import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from errorcatalog import snapshot

SEED_FIXTURES = [
    "fixtures/usezombie.json",
    "fixtures/zof.json",
    "fixtures/management-api.json",
    "fixtures/zen-mesh.json",
    "fixtures/oz.json",
]


@pytest.fixture(scope="session", autouse=True)
def isolated_cache_keys(tmp_path_factory):
    """Each test session its own cache keys, in a shared Redis or cache folder.

    Throttle counters and the catalog version stamp from another run (or from
    `make run`) would otherwise leak into this one.
    """
    run = uuid.uuid4().hex[:12]
    caches = {
        alias: {**config, "KEY_PREFIX": f"{config.get('KEY_PREFIX', '')}-test-{run}"}
        for alias, config in settings.CACHES.items()
    }
    # The suite checks the catalog inside requests (SNAPSHOT_REFRESH "sync"):
    # an edit is seen by the next request, and no thread outlives a test's
    # database. The background mode has its own tests, and the server tests
    # run it as deployed.
    # The catalog copy goes to a folder of the run's own, never to var/.
    errorcatalog = {
        **getattr(settings, "ERRORCATALOG", {}),
        "SNAPSHOT_REFRESH": "sync",
        "CATALOG_COPY_PATH": str(tmp_path_factory.mktemp("copy") / "catalog-copy.json"),
    }
    # A fast hasher: the admin tests would spend most of the suite hashing.
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(CACHES=caches, ERRORCATALOG=errorcatalog, PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(scope="session")
def django_db_setup(isolated_cache_keys, django_db_setup, django_db_blocker):
    """Every test database holds the five seed catalogs, as `make run` does."""
    with django_db_blocker.unblock():
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)


@pytest.fixture(autouse=True)
def fresh_snapshot():
    """Each test starts with no snapshot in the process: it sees its own data."""
    snapshot.reset()
    yield
    snapshot.reset()


@pytest.fixture
def errorcatalog_settings():
    """Override some ERRORCATALOG keys, keeping the project's others."""
    overrides = []

    def apply(**changes):
        override = override_settings(ERRORCATALOG={**settings.ERRORCATALOG, **changes})
        override.enable()
        overrides.append(override)

    yield apply
    for override in reversed(overrides):
        override.disable()
