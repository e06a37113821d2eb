"""A non-public code is never named to someone who may not see it (trust issue, item 3).

What an anonymous reader can fetch (catalog API, export, docs pages and their
JSON, the OpenAPI document) never enumerates or names a hidden code, however
it is linked: as a replacement, a catch-all, a status default, a mapping
target, or through a family that holds only hidden codes.
"""

import pytest
from django.contrib.auth.models import Permission

from errorcatalog.models import ErrorCode, ErrorFamily

from .support import body

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls")]

# The catch-all, the 401 default (and NotAuthenticated's mapping target), the
# 413 default, and the only code of the "scoring" family.
HIDDEN = ["UZ-INTERNAL-003", "UZ-AUTH-002", "UZ-REQ-002", "UZ-SCORING-001"]

ANONYMOUS_URLS = [
    "/api/catalogs/usezombie/codes/?page_size=500",
    "/api/catalogs/usezombie/codes/UZ-API-001/",
    "/api/catalogs/usezombie/families/",
    "/api/catalogs/usezombie/families/api/",
    "/api/catalogs/usezombie/families/internal/",
    "/api/catalogs/usezombie/export/",
    "/errors/usezombie/",
    "/errors/usezombie/UZ-API-001/",
    "/api/schema/?format=json",
]


@pytest.fixture
def hidden():
    ErrorCode.objects.filter(catalog__slug="usezombie", code__in=HIDDEN).update(public=False)
    replacement = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-SCORING-001")
    for name in ["UZ-API-001", "UZ-INTERNAL-001"]:
        code = ErrorCode.objects.get(catalog__slug="usezombie", code=name)
        code.replaced_by, code.lifecycle = replacement, "deprecated"
        code.save()  # bumps the version: the snapshot sees the hidden flags too
    return HIDDEN


@pytest.mark.parametrize("url", ANONYMOUS_URLS)
def test_anonymous_readers_never_see_a_hidden_name(client, hidden, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = body(response).decode()
    for name in hidden:
        assert name not in text, (url, name)


def test_the_docs_page_json_names_no_hidden_replacement(client, hidden):
    response = client.get("/errors/usezombie/UZ-API-001/", HTTP_ACCEPT="application/json")
    assert response.json()["replaced_by"] is None
    assert client.get("/api/catalogs/usezombie/codes/UZ-API-001/").json()["replaced_by"] is None


def test_a_family_of_hidden_codes_is_not_listed(client, hidden):
    keys = [f["key"] for f in client.get("/api/catalogs/usezombie/families/").json()["results"]]
    assert "scoring" not in keys and "api" in keys
    assert client.get("/api/catalogs/usezombie/families/scoring/").status_code == 404
    assert 'id="family-scoring"' not in client.get("/errors/usezombie/").content.decode()
    # Empty families name nothing hidden: they stay listed.
    ErrorFamily.objects.create(
        catalog_id=ErrorFamily.objects.get(catalog__slug="usezombie", key="api").catalog_id, key="empty", name="Empty"
    )
    keys = [f["key"] for f in client.get("/api/catalogs/usezombie/families/?page_size=100").json()["results"]]
    assert "empty" in keys


def test_readers_with_the_permission_see_everything(client, hidden, django_user_model):
    user = django_user_model.objects.create_user("reader")
    user.user_permissions.add(Permission.objects.get(codename="view_errorcode"))
    client.force_login(user)
    assert client.get("/api/catalogs/usezombie/codes/UZ-API-001/").json()["replaced_by"] == "UZ-SCORING-001"
    listed = client.get("/api/catalogs/usezombie/codes/", {"page_size": 500}).json()["results"]
    replaced = {code["code"]: code["replaced_by"] for code in listed if code["replaced_by"]}
    assert replaced == {"UZ-API-001": "UZ-SCORING-001", "UZ-INTERNAL-001": "UZ-SCORING-001"}
    family = client.get("/api/catalogs/usezombie/families/api/").json()
    assert {code["code"]: code["replaced_by"] for code in family["codes"]}["UZ-API-001"] == "UZ-SCORING-001"
    keys = [f["key"] for f in client.get("/api/catalogs/usezombie/families/?page_size=100").json()["results"]]
    assert "scoring" in keys
    export = body(client.get("/api/catalogs/usezombie/export/")).decode()
    assert all(name in export for name in HIDDEN)


@pytest.mark.parametrize(
    "path, code",
    [
        ("/demo/usezombie/boom/", "UZ-INTERNAL-003"),
        ("/demo/usezombie/items/", "UZ-AUTH-002"),
    ],
)
def test_a_response_carrying_a_hidden_code_links_nowhere(client, hidden, path, code):
    client.raise_request_exception = False
    response = client.post(path) if path.endswith("items/") else client.get(path)
    body = response.json()
    assert body["error_code"] == code
    assert body["type"] == f"tag:errorcatalog,2026:usezombie/{code}"
    assert body["docs_uri"] is None
    assert client.get(f"/errors/usezombie/{code}/").status_code == 404


def test_envelope_of_a_hidden_code_has_no_doc_url(client, hidden):
    ErrorCode.objects.filter(catalog__slug="zof", code="not_found").update(public=False)
    from errorcatalog import bump_version

    bump_version()
    body = client.get("/demo/zof/items/424242/").json()["error"]
    assert body["code"] == "not_found" and body["doc_url"] is None
