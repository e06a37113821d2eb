"""Value types in a leaf module, and resolution tested on values built by hand (design issue).

No test here touches the database: pytest-django would refuse the query.
"""

import subprocess
import sys
from types import MappingProxyType

from rest_framework import exceptions

from errorcatalog.normalize import normalize_exception
from errorcatalog.resolve import resolve_error
from errorcatalog.types import CatalogEntry, CodeEntry, FieldError, MappingRule, ProblemFacts


def test_importing_the_types_loads_no_orm_drf_or_settings():
    code = (
        "import sys, errorcatalog.types as t, errorcatalog\n"
        "assert t.ResolvedError and errorcatalog.__version__\n"
        "loaded = [m for m in ('django.db.models', 'rest_framework', 'errorcatalog.models', 'django.conf')"
        " if m in sys.modules]\n"
        "print(loaded)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": ""}, cwd=".")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def catalog(**fields):
    codes = {
        "BAD": CodeEntry(code="BAD", title="Bad input", status=400),
        "BAD_TYPE": CodeEntry(code="BAD_TYPE", title="Wrong type", status=400, numeric_code=5),
        "NOPE": CodeEntry(code="NOPE", title="No such thing", status=404, public=False),
        "BOOM": CodeEntry(code="BOOM", title="Server failure", status=500, numeric_code=0),
    }
    rules = (
        MappingRule(code="BAD", exception_class=exceptions.ValidationError),
        MappingRule(code="BAD_TYPE", exception_class=exceptions.ValidationError, field_code="invalid"),
        MappingRule(code="NOPE", exception_class=exceptions.NotFound),
    )
    return CatalogEntry(
        slug="acme",
        name="Acme",
        format="problem",
        codes=MappingProxyType(codes),
        rules=rules,
        catch_all="BOOM",
        **fields,
    )


def resolved(exc_or_facts, entry=None):
    facts = exc_or_facts if isinstance(exc_or_facts, ProblemFacts) else normalize_exception(exc_or_facts)
    return resolve_error(
        facts,
        entry or catalog(),
        reasons={400: "Bad Request", 401: "Unauthorized"},
        instance="/x/",
        request_id="r1",
        absolute_url=lambda url: f"https://api.test{url}",
    )


def test_a_field_code_rule_beats_the_class_rule():
    error = resolved(exceptions.ValidationError({"age": [exceptions.ErrorDetail("no", code="invalid")]}))
    assert (error.code, error.numeric_code, error.errors[0]) == (
        "BAD_TYPE",
        5,
        FieldError(field="age", message="no", code="invalid"),
    )
    other = resolved(exceptions.ValidationError({"age": [exceptions.ErrorDetail("no", code="min_value")]}))
    assert (other.code, other.type, other.docs_uri) == (
        "BAD",
        "https://api.test/errors/acme/BAD/",
        "https://api.test/errors/acme/BAD/",
    )


def test_a_status_without_a_code_is_generic_and_unexpected_is_the_catch_all():
    assert (resolved(exceptions.NotAuthenticated()).code, resolved(exceptions.NotAuthenticated()).title) == (
        "http_401",
        "Unauthorized",
    )
    assert resolved(exceptions.NotAuthenticated()).type == "about:blank"
    assert resolved(RuntimeError("x")).code == "BOOM"


def test_a_hidden_code_gets_a_tag_uri_and_no_docs_link():
    error = resolved(exceptions.NotFound())
    assert (error.code, error.type, error.docs_uri) == ("NOPE", "tag:errorcatalog,2026:acme/NOPE", None)


def test_a_catalog_with_its_own_type_uris():
    tree = {"a": [exceptions.ErrorDetail("x", code="min_value")]}
    error = resolved(exceptions.ValidationError(tree), catalog(type_base_url="https://docs.acme.test/errors/"))
    assert (error.type, error.docs_uri) == ("https://docs.acme.test/errors/BAD", "https://api.test/errors/acme/BAD/")
