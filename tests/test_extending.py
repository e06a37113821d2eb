"""The seams a project extends without forking (design issue): a handler
subclass named in HANDLER_CLASS, and the problem-xml format everywhere a body
is shown."""

import json
from xml.etree import ElementTree

import pytest

from errorcatalog import bump_version
from errorcatalog.formats import ProblemXmlFormat
from errorcatalog.handlers import ErrorHandler
from errorcatalog.models import Catalog
from errorcatalog.testing import assert_error
from errorcatalog.types import FieldError, ResolvedError

pytestmark = pytest.mark.django_db

REPORTED = []


class TracingHandler(ErrorHandler):
    """What a project writes: one more header on every error, another report."""

    def get_headers(self, error, request, **kwargs):
        return {**super().get_headers(error, request, **kwargs), "X-Error-Code": str(error.code)}

    def report(self, response, request_id):
        REPORTED.append((type(self.exc).__name__, request_id))


def test_a_handler_subclass_changes_headers_and_reporting_through_the_setting_alone(client, errorcatalog_settings):
    errorcatalog_settings(HANDLER_CLASS="tests.test_extending.TracingHandler")
    REPORTED.clear()
    client.raise_request_exception = False
    drf = client.get("/demo/usezombie/items/424242/")  # DRF's exception_handler
    plain = client.post("/api/no/such/endpoint/")  # a Django-level view
    boom = client.get("/demo/usezombie/boom/")  # unexpected: reported
    assert drf["X-Error-Code"] == "http_404" and plain["X-Error-Code"] == "http_404"
    assert boom["X-Error-Code"] == "UZ-INTERNAL-003" and boom["X-Request-ID"]
    assert REPORTED == [("RuntimeError", boom["X-Request-ID"])]


ERROR = ResolvedError(
    code="invalid-parameters",
    title="Invalid Parameters",
    status=422,
    detail="name: bad\x01value",
    type="https://docs.zen-mesh.io/errors/invalid-parameters",
    docs_uri=None,
    instance="/items/",
    request_id="r1",
    errors=(FieldError(field="name", message="bad", code="invalid", pointer="#/name"),),
    extra={"ok_member": 1, "not a name": 2, "xmlns": "x"},
)


def test_problem_xml_is_rfc_9457_appendix_b():
    xml_format = ProblemXmlFormat()
    content = xml_format.serialize(xml_format.render(ERROR))
    root = ElementTree.fromstring(content)
    ns = "{urn:ietf:rfc:7807}"
    assert root.tag == f"{ns}problem"
    assert root.find(f"{ns}title").text == "Invalid Parameters"
    assert root.find(f"{ns}status").text == "422"
    assert root.find(f"{ns}detail").text == "name: bad\ufffdvalue"  # no control character in XML
    assert root.find(f"{ns}docs_uri").get("nil") == "true"
    items = root.find(f"{ns}errors").findall(f"{ns}i")
    assert [i.find(f"{ns}field").text for i in items] == ["name"]
    assert root.find(f"{ns}ok_member").text == "1"
    assert [child.tag for child in root if "not" in child.tag or child.tag.endswith("xmlns")] == []
    assert xml_format.code_of(xml_format.parse(content)) == "invalid-parameters"


def test_problem_xml_end_to_end(client, admin_client):
    Catalog.objects.filter(slug="zen-mesh").update(format="problem-xml")
    bump_version()
    response = client.get("/demo/zen-mesh/items/424242/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+xml"
    assert_error(response, "not-found")
    page = client.get("/errors/zen-mesh/not-found/").content.decode()
    assert "Content-Type: application/problem+xml" in page and "&lt;problem" in page
    document = client.get("/api/schema/?format=json").json()
    responses = document["paths"]["/demo/zen-mesh/items/{id}/"]["get"]["responses"]["404"]["content"]
    example = responses["application/problem+xml"]["examples"]["not-found"]["value"]
    assert example.startswith("<problem") and "not-found" in example
    assert (
        json.dumps(document["components"]["schemas"]["ProblemDetailsXml"]["xml"])
        == '{"name": "problem", "namespace": "urn:ietf:rfc:7807"}'
    )


@pytest.fixture
def payment_normalizer():
    from errorcatalog import ProblemFacts, normalizes
    from errorcatalog.normalize import _user_normalizers
    from tests.views import PaymentRequired

    @normalizes(PaymentRequired)
    def payment_required(exc):
        return ProblemFacts(exception=exc, status=402, detail="Top up the workspace.")

    yield PaymentRequired
    _user_normalizers.pop(PaymentRequired)


@pytest.mark.urls("tests.urls")
def test_one_decorated_function_maps_a_projects_exception(client, payment_normalizer):
    client.raise_request_exception = False
    response = client.get("/api/t/payment/")
    body = response.json()
    assert (response.status_code, body["error_code"], body["detail"]) == (402, "http_402", "Top up the workspace.")
    # The registered class joins the allowlist: a mapping may name it.
    from errorcatalog.models import ErrorCode, ExceptionMapping

    code = ErrorCode.objects.get(catalog__slug="usezombie", code="UZ-WORKSPACE-002")
    mapping = ExceptionMapping(error_code=code, exception_class="tests.views.PaymentRequired")
    mapping.full_clean()
    mapping.save()
    bump_version()  # the test's transaction never commits: bump as on_commit would
    body = client.get("/api/t/payment/").json()
    assert (body["error_code"], body["status"]) == ("UZ-WORKSPACE-002", 402)


def test_the_closest_class_wins_and_a_projects_registration_beats_a_builtin():
    from django.http import Http404
    from rest_framework import exceptions

    from errorcatalog import ProblemFacts, normalizes
    from errorcatalog.normalize import _user_normalizers, normalize_exception

    class TeapotNotFound(exceptions.NotFound):
        pass

    @normalizes(exceptions.NotFound)
    def not_found(exc):
        return ProblemFacts(exception=exc, status=404, detail="Nothing here, says the project.")

    try:
        assert normalize_exception(TeapotNotFound()).detail == "Nothing here, says the project."
        # Http404 has a built-in of its own, closer than any project registration.
        assert normalize_exception(Http404()).detail == "Not found."
        assert normalize_exception(exceptions.ParseError()).status == 400  # the built-in APIException one
    finally:
        _user_normalizers.pop(exceptions.NotFound)


class FailingReportHandler(ErrorHandler):
    def report(self, response, request_id):
        raise RuntimeError("the error tracker is down")


def test_a_report_that_raises_still_answers(client, errorcatalog_settings):
    errorcatalog_settings(HANDLER_CLASS="tests.test_extending.FailingReportHandler")
    client.raise_request_exception = False
    response = client.get("/demo/usezombie/boom/")
    assert (response.status_code, response.json()["error_code"]) == (500, "UZ-INTERNAL-003")
