"""Value types in a leaf module, and resolution tested on values built by hand (design issue).

No test here touches the database: pytest-django would refuse the query.
"""

import gc
import subprocess
import sys
from collections import Counter
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import exceptions

from errorcatalog.normalize import normalize_exception
from errorcatalog.resolve import resolve_error
from errorcatalog.types import (
    CODE_COLUMNS,
    CatalogEntry,
    CodeEntry,
    CodeTable,
    FieldError,
    MappingRule,
    ProblemFacts,
    RuleIndex,
    rule_key,
)


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


entries = st.builds(
    CodeEntry,
    code=st.text(min_size=1, max_size=12),
    title=st.text(max_size=30),
    status=st.integers(400, 599),
    numeric_code=st.none() | st.integers(-(2**63) + 1, 2**63 - 1) | st.integers(2**63, 2**70),
    default_detail=st.text(max_size=40),
    retryable=st.booleans(),
    retry_after=st.none() | st.integers(0, 10**6),
    lifecycle=st.sampled_from(["active", "deprecated", "retired"]),
    replaced_by=st.none() | st.text(min_size=1, max_size=5),
    public=st.booleans(),
    generic=st.just(False),
)


def table_of(rows):
    return CodeTable({name: [getattr(row, name) for row in rows] for name in CODE_COLUMNS})


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(entries, unique_by=lambda entry: entry.code, max_size=40), probe=st.text(max_size=12))
def test_a_code_table_answers_as_a_dict_of_its_entries(rows, probe):
    table = table_of(rows)
    expected = {row.code: row for row in rows}
    assert len(table) == len(expected) and set(table) == set(expected)
    assert dict(table.items()) == expected
    assert (probe in table) is (probe in expected)
    assert table.get(probe) == expected.get(probe)
    for key in (None, 3, ("BAD",)):
        assert key not in table and table.get(key) is None


def test_a_code_table_holds_the_same_few_objects_whatever_its_size():
    def rows(n):
        return [CodeEntry(code=f"C{i:05d}", title="t" * 30, status=400, default_detail="d" * 90) for i in range(n)]

    small, big = table_of(rows(10)), table_of(rows(5000))
    assert len(gc.get_referents(small)) == len(gc.get_referents(big))
    assert big["C04999"].title == "t" * 30 and big["C04999"].default_detail == "d" * 90


rules_st = st.lists(
    st.builds(
        MappingRule,
        code=st.sampled_from("ABC"),
        exception_class=st.sampled_from([None, exceptions.NotFound, ValueError]),
        drf_code=st.sampled_from(["", "x", "y"]),
        field_code=st.sampled_from(["", "x"]),
    ),
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(rules=rules_st)
def test_a_rule_index_keeps_every_rule_and_their_order_under_equal_conditions(rules):
    index = RuleIndex(rules)
    assert len(index) == len(rules) and Counter(index) == Counter(rules)
    assert index.classes == {rule.exception_class for rule in rules}
    for rule in rules:
        same = tuple(r.code for r in rules if r[1:] == rule[1:])
        assert index.codes(rule_key(rule.exception_class, rule.field_code, rule.drf_code)) == same
    assert index.codes(rule_key(KeyError, "", "")) == ()
