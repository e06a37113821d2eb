"""OpenAPI: every operation's catalog errors, validated by drf-spectacular."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def responses(schema, path, method):
    return schema["paths"][path][method]["responses"]


def test_schema_validates_without_warnings(schema):
    assert schema["openapi"].startswith("3.0")


def test_one_component_per_format(schema):
    names = set(schema["components"]["schemas"])
    assert {"ProblemDetails", "ErrorEnvelope", "FlatError"} <= names
    assert not [n for n in names if n.endswith(("ErrorResponse400", "ValidationError"))]


def test_create_documents_body_auth_and_server_errors(schema):
    zen = responses(schema, "/demo/zen-mesh/items/", "post")
    assert {"401", "403", "405", "413", "422", "500"} <= set(zen)
    assert "400" in zen  # parse errors: Zen Mesh's bad-request
    problem = zen["422"]["content"]["application/problem+json"]
    assert problem["schema"] == {"$ref": "#/components/schemas/ProblemDetails"}
    assert problem["examples"]["invalid-parameters"]["value"]["title"] == "Invalid Parameters"
    oz = responses(schema, "/demo/oz/items/", "post")
    assert oz["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FlatError"}
    assert oz["401"]["content"]["application/json"]["examples"]["AUTH_NOT_PROVIDED"]["value"]["error_code"] == 6


def test_detail_routes_document_404(schema):
    zof = responses(schema, "/demo/zof/items/{id}/", "get")
    assert zof["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}
    assert "401" not in zof and "403" not in zof  # AllowAny: no authentication errors


def test_throttled_routes_document_429(schema):
    assert "429" in responses(schema, "/demo/zof/limited/", "get")
    assert "429" not in responses(schema, "/demo/zof/boom/", "get")


def test_catalog_api_documents_filter_errors(schema):
    codes = responses(schema, "/api/catalogs/{slug}/codes/", "get")
    assert {"400", "404", "405", "500"} <= set(codes)
    assert "401" not in codes


def test_x_error_codes(schema):
    listed = schema["paths"]["/demo/usezombie/items/"]["post"]["x-error-codes"]
    by_code = {entry["code"]: entry for entry in listed}
    assert by_code["UZ-REQ-002"]["status"] == 413
    assert by_code["UZ-AUTH-002"]["title"] == "Unauthorized"
    assert by_code["UZ-AUTH-002"]["docs_uri"].endswith("/errors/usezombie/UZ-AUTH-002/")
    assert by_code["http_405"]["docs_uri"].endswith("/errors/usezombie/http_405/")  # generic: a page of its own


def test_schema_endpoint_and_offline_ui(client):
    assert client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").status_code == 200
    for path in ["/api/schema/swagger-ui/", "/api/schema/redoc/"]:
        page = client.get(path).content.decode()
        assert "drf_spectacular_sidecar" in page
        assert "cdn.jsdelivr" not in page and "unpkg" not in page
