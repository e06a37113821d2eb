"""CatalogError subclasses declare their code (design issue); DEBUG shows Django's page."""

import pytest
from django.test import Client

from errorcatalog import CatalogError

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls")]


class WorkspaceMissing(CatalogError):
    code = "UZ-WORKSPACE-001"
    catalog = "usezombie"


def test_a_subclass_raised_with_no_arguments_carries_its_code():
    error = WorkspaceMissing(workspace_id="w1")
    assert (error.code, error.catalog, error.detail, error.extra) == (
        "UZ-WORKSPACE-001",
        "usezombie",
        None,
        {"workspace_id": "w1"},
    )
    assert WorkspaceMissing("UZ-AUTH-003").code == "UZ-AUTH-003"  # an explicit code still wins


def test_a_code_is_required():
    with pytest.raises(TypeError, match="needs a code"):
        CatalogError()


def test_a_subclass_renders_its_code(rf):
    import json

    from errorcatalog.handlers import render_exception

    response = render_exception(WorkspaceMissing(workspace_id="w9"), rf.get("/api/anything/"))
    body = json.loads(response.content)
    assert (response.status_code, body["error_code"], body["workspace_id"]) == (404, "UZ-WORKSPACE-001", "w9")


def test_debug_shows_djangos_technical_page_for_unexpected_errors(settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    for path in ["/demo/usezombie/boom/", "/api/t/plain-boom/"]:
        response = client.get(path)
        assert response.status_code == 500
        assert response["Content-Type"].startswith("text/html"), path
    # Expected errors still render from the catalog.
    assert client.get("/demo/usezombie/items/424242/")["Content-Type"] == "application/problem+json"


def test_debug_can_render_unexpected_errors_from_the_catalog(settings, errorcatalog_settings):
    settings.DEBUG = True
    errorcatalog_settings(RENDER_UNEXPECTED_IN_DEBUG=True)
    client = Client(raise_request_exception=False)
    response = client.get("/demo/usezombie/boom/")
    assert (response.status_code, response["Content-Type"]) == (500, "application/problem+json")
