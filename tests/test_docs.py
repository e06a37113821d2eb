"""The HTML docs pages behind every docs link."""

import pytest

from errorcatalog.models import Catalog, Cause, ErrorCode

pytestmark = pytest.mark.django_db


def test_index_lists_catalogs(client):
    page = client.get("/errors/").content.decode()
    for name in ["UseZombie", "Zof Console API", "Management API", "Zen Mesh", "Oz Knowledge Base"]:
        assert name in page


def test_catalog_page_has_a_table_per_family(client):
    response = client.get("/errors/usezombie/")
    page = response.content.decode()
    assert page.count("<table>") == 23
    assert (
        '<th scope="col">Code</th><th scope="col">HTTP</th><th scope="col">Title</th><th scope="col">Common Causes</th>'
        in page
    )
    assert 'href="/errors/usezombie/UZ-AUTH-003/"' in page
    assert "JWT has passed its expiry time. Re-authenticate." in page


def test_catalog_page_search_has_a_label(client):
    page = client.get("/errors/usezombie/", {"q": "expiry"}).content.decode()
    assert '<label for="q">' in page
    assert "UZ-AUTH-003" in page and "UZ-AUTH-001" not in page


def test_code_page(client):
    page = client.get("/errors/usezombie/UZ-AUTH-003/").content.decode()
    assert "<h1><code>UZ-AUTH-003</code>: Token expired</h1>" in page
    assert "401 Unauthorized" in page
    assert "Re-authenticate." in page
    assert "Content-Type: application/problem+json" in page
    assert "&quot;error_code&quot;: &quot;UZ-AUTH-003&quot;" in page
    assert '<meta name="viewport"' in page and '<html lang="en">' in page


def test_flat_code_page_shows_its_number(client):
    page = client.get("/errors/oz/AUTH_NOT_PROVIDED/").content.decode()
    assert "<dd>6</dd>" in page
    assert "&quot;error_code&quot;: 6" in page


def test_removed_code_keeps_its_page_with_its_replacement(client):
    replacement = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-ZMB-009")
    ErrorCode.objects.filter(catalog__slug="usezombie", code="UZ-RUNS-410").update(replaced_by=replacement)
    response = client.get("/errors/usezombie/UZ-RUNS-410/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Removed" in page
    assert 'href="/errors/usezombie/UZ-ZMB-009/"' in page


def test_code_page_as_json(client):
    response = client.get("/errors/zof/unauthorized/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"]["code"] == 401
    assert "Accept" in response["Vary"]


def test_catalog_text_is_escaped(client):
    code = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")
    ErrorCode.objects.filter(pk=code.pk).update(
        title="<script>alert('t')</script>", description="<img src=x onerror=alert(1)>"
    )
    Cause.objects.create(error_code=code, text="<b>bold</b>")
    Catalog.objects.filter(slug="oz").update(name="<i>Oz</i>")
    for path in ["/errors/", "/errors/oz/", "/errors/oz/UNKNOWN/"]:
        page = client.get(path).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
        assert "<i>Oz</i>" not in page


def test_hidden_code_pages_are_404_for_the_public(client, admin_client):
    ErrorCode.objects.filter(catalog__slug="oz", code="DATABASE").update(public=False)
    assert client.get("/errors/oz/DATABASE/").status_code == 404
    assert "DATABASE" not in client.get("/errors/oz/").content.decode()
    assert admin_client.get("/errors/oz/DATABASE/").status_code == 200


def test_unknown_pages_are_404(client):
    assert client.get("/errors/nope/").status_code == 404
    assert client.get("/errors/oz/NOPE/").status_code == 404


def test_error_responses_link_to_these_pages(client):
    body = client.get("/demo/usezombie/v1/runs/").json()
    assert body["type"] == body["docs_uri"] == "http://testserver/errors/usezombie/UZ-RUNS-410/"
    assert client.get(body["type"].replace("http://testserver", "")).status_code == 200


def test_a_catalog_with_its_own_type_uris_keeps_them_and_links_here(client):
    """Zen Mesh publishes its problem types (the seed's type URIs); the docs
    link stays this app's page."""
    body = client.get("/demo/zen-mesh/items/999999/").json()
    assert body["type"] == "https://docs.zen-mesh.io/errors/not-found"
    assert body["docs_uri"] == "http://testserver/errors/zen-mesh/not-found/"
    assert client.get("/errors/zen-mesh/not-found/").status_code == 200


def test_docs_base_url_setting(client, errorcatalog_settings):
    errorcatalog_settings(DOCS_BASE_URL="https://errors.example.com")
    body = client.get("/demo/zen-mesh/items/999999/").json()
    assert body["docs_uri"] == "https://errors.example.com/errors/zen-mesh/not-found/"


def test_disallowed_host_never_breaks_the_link(client):
    client.raise_request_exception = False
    response = client.get("/demo/zen-mesh/items/999999/", HTTP_HOST="evil.example")
    # Django refuses the host (handler400); the link stays a path on this site.
    assert response.status_code == 400
    assert response.json()["docs_uri"] == "/errors/zen-mesh/bad-request/"


def test_absolute_url_keeps_a_path_on_a_disallowed_host(rf):
    from errorcatalog.links import absolute_url

    request = rf.get("/x/", HTTP_HOST="evil.example")
    assert absolute_url(request, "/errors/oz/UNKNOWN/") == "/errors/oz/UNKNOWN/"


def test_a_host_remembered_as_allowed_is_checked_again_when_allowed_hosts_change(rf, settings):
    from errorcatalog.links import absolute_url

    settings.ALLOWED_HOSTS = ["api.example", "testserver"]
    assert absolute_url(rf.get("/x/", HTTP_HOST="api.example"), "/errors/oz/A/") == "http://api.example/errors/oz/A/"
    settings.ALLOWED_HOSTS = ["testserver"]
    # The same host headers no longer pass: the remembered answer was dropped.
    assert absolute_url(rf.get("/x/", HTTP_HOST="api.example"), "/errors/oz/A/") == "/errors/oz/A/"
    # A refused host is never remembered: refused again, whatever came before.
    assert absolute_url(rf.get("/x/", HTTP_HOST="evil.example"), "/errors/oz/A/") == "/errors/oz/A/"
