"""Each format's exact shape, from the seeds' pages."""

import datetime
import decimal
import enum
import json
import sys

import pytest
from django.test import override_settings

from errorcatalog.formats import EnvelopeFormat, FlatFormat, ProblemFormat, format_names, get_format, load_format
from errorcatalog.normalize import FieldError
from errorcatalog.resolve import ResolvedError

FIELD_ERRORS = (
    FieldError(
        field="environment",
        message="must be one of: staging, production",
        code="invalid_choice",
        pointer="#/environment",
    ),
    FieldError(field=None, message="Orders are closed.", code="invalid"),
)


def resolved(**changes):
    values = dict(
        code="invalid-parameters",
        title="Invalid Parameters",
        status=422,
        detail="environment: bad",
        type="https://docs.zen-mesh.io/errors/invalid-parameters",
        docs_uri="https://docs.example/errors/zen-mesh/invalid-parameters/",
        instance="/tenants/t1/destinations",
        request_id="req-1",
        numeric_code=4,
    )
    values.update(changes)
    return ResolvedError(**values)


def test_problem():
    body = ProblemFormat().render(resolved(errors=FIELD_ERRORS, extra={"tenant": "t1", "status": 200}))
    assert ProblemFormat.media_type == "application/problem+json"
    assert list(body)[:5] == ["type", "title", "status", "detail", "instance"]
    assert body["status"] == 422 and body["error_code"] == "invalid-parameters"
    # Two different links, each in its own member (a swap would show).
    assert body["type"] == "https://docs.zen-mesh.io/errors/invalid-parameters"
    assert body["docs_uri"] == "https://docs.example/errors/zen-mesh/invalid-parameters/"
    assert body["errors"] == [
        {
            "field": "environment",
            "message": "must be one of: staging, production",
            "code": "invalid_choice",
            "pointer": "#/environment",
        },
        {"field": None, "message": "Orders are closed.", "code": "invalid"},
    ]
    assert body["tenant"] == "t1"


def test_problem_without_field_errors_has_no_errors_member():
    assert "errors" not in ProblemFormat().render(resolved())


def test_envelope_matches_the_zof_page():
    error = resolved(
        code="invalid_request", detail="environment must be one of: staging, production", errors=FIELD_ERRORS[:1]
    )
    body = EnvelopeFormat().render(error)
    assert list(body) == ["error"]
    inner = body["error"]
    assert (inner["code"], inner["message"], inner["param"]) == (
        "invalid_request",
        "environment must be one of: staging, production",
        "environment",
    )
    assert inner["doc_url"] == error.docs_uri and inner["request_id"] == "req-1"
    assert "errors" not in inner and "retry_after" not in inner


def test_envelope_lists_several_errors_and_retry_after():
    inner = EnvelopeFormat().render(resolved(errors=FIELD_ERRORS, retry_after=45))["error"]
    assert len(inner["errors"]) == 2
    assert inner["retry_after"] == 45


def test_envelope_without_field_has_no_param():
    assert "param" not in EnvelopeFormat().render(resolved(errors=FIELD_ERRORS[1:]))["error"]


def test_flat_matches_the_oz_page():
    body = FlatFormat().render(resolved(numeric_code=0, detail="Unknown server side error occurred"))
    assert body == {"error_code": 0, "error_message": "Unknown server side error occurred", "details": None}
    assert FlatFormat().render(resolved(errors=FIELD_ERRORS))["details"][0]["field"] == "environment"


def test_formats_by_registered_name_only():
    assert isinstance(get_format("flat"), FlatFormat)
    assert load_format("envelope") is EnvelopeFormat
    sys.modules.pop("this", None)
    for name in ["xml", "errorcatalog.formats.EnvelopeFormat", "this.s", None]:
        with pytest.raises(ValueError, match="Unknown format"):
            load_format(name)
    assert "this" not in sys.modules  # a dotted path is never imported


def test_registered_path_that_is_not_a_format():
    with override_settings(ERRORCATALOG={"FORMATS": {"odd": "errorcatalog.normalize.FieldError"}}):
        with pytest.raises(TypeError, match="not an ErrorFormat subclass"):
            load_format("odd")


def test_formats_setting_adds_a_name_and_keeps_the_builtins():
    with override_settings(ERRORCATALOG={"FORMATS": {"legacy": "errorcatalog.formats.FlatFormat"}}):
        assert isinstance(get_format("legacy"), FlatFormat)
        assert isinstance(get_format("problem"), ProblemFormat)
        assert isinstance(get_format("envelope"), EnvelopeFormat)
        assert set(format_names()) == {"problem", "envelope", "flat", "problem-xml", "legacy"}
    with pytest.raises(ValueError):
        load_format("legacy")


@pytest.mark.django_db
@pytest.mark.urls("tests.urls")
def test_a_broken_format_falls_back_to_the_builtin_problem_format(client, errorcatalog_settings, caplog):
    # Even when the broken one took the name "problem".
    errorcatalog_settings(FORMATS={"problem": "no.such.Format"})
    response = client.get("/api/t/generic/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not Found"
    assert "does not import" in caplog.text


def test_bodies_are_standard_json_whatever_an_extension_holds():
    body = ProblemFormat().render(resolved(extra={"ratio": float("nan"), "nested": [float("inf"), 1.5]}))
    content = ProblemFormat().serialize(body)
    assert b"NaN" not in content and b"Infinity" not in content
    parsed = json.loads(content, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    assert (parsed["ratio"], parsed["nested"]) == (None, [None, 1.5])


class Tier(enum.Enum):
    GOLD = "gold"


@pytest.mark.parametrize(
    "extra",
    [
        {
            "when": datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC),
            "amount": decimal.Decimal("12.50"),
            "tier": Tier.GOLD,
        },
        # Values the fast encoder refuses: the standard library's encoder answers, the same way.
        {
            "when": datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC),
            "amount": decimal.Decimal("12.50"),
            "tier": Tier.GOLD,
            "big": 2**70,
            "by_id": {7: "seven"},
            "ratio": float("nan"),
        },
    ],
)
def test_values_json_has_no_type_for_are_written_as_text(extra):
    content = ProblemFormat().serialize(ProblemFormat().render(resolved(extra=extra)))
    parsed = json.loads(content, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    assert parsed["when"] == "2026-11-24 09:30:00+00:00"
    assert parsed["amount"] == "12.50"
    assert parsed["tier"] == "gold"
    assert parsed["title"] == "Invalid Parameters"
    if "big" in extra:
        assert (parsed["big"], parsed["by_id"], parsed["ratio"]) == (2**70, {"7": "seven"}, None)
    assert b'": ' not in content and b', "' not in content  # compact, as every body
