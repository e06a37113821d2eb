"""The rule index answers exactly as a scan of every rule would (scale issue groundwork).

The reference below is the linear scan the handler used before the index:
hypothesis builds catalogs of rules on DRF exception classes and conditions,
and errors, and both must pick the same entry.
"""

from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import exceptions

from errorcatalog.resolve import match_rule
from errorcatalog.types import CatalogEntry, CodeEntry, MappingRule, ProblemFacts

CLASSES = [
    None,
    exceptions.APIException,
    exceptions.ValidationError,
    exceptions.NotFound,
    exceptions.NotAuthenticated,
    exceptions.PermissionDenied,
]
FIELD_CODES = ["", "invalid", "required", "blank"]
DRF_CODES = ["", "invalid", "not_found", "not_authenticated"]
STATUSES = [400, 401, 403, 404, 422]


def reference(catalog, facts, status=None):
    best_rank, best = None, None
    candidates = [(0, rule) for rule in catalog.rules if rule.exception_class is None]
    for distance, cls in enumerate(type(facts.exception).__mro__):
        candidates += [(distance, rule) for rule in catalog.rules if rule.exception_class is cls]
    for distance, rule in candidates:
        if rule.field_code and rule.field_code != facts.first_field_code:
            continue
        if rule.drf_code and rule.drf_code != facts.drf_code:
            continue
        rank = (not rule.field_code, distance, not rule.drf_code)
        if best_rank is not None and rank >= best_rank:
            continue
        entry = catalog.codes.get(rule.code)
        if entry is not None and (status is None or entry.status == status):
            best_rank, best = rank, entry
    return best


rules = st.lists(
    st.builds(
        MappingRule,
        code=st.sampled_from([f"C{n}" for n in range(8)]),
        exception_class=st.sampled_from(CLASSES),
        field_code=st.sampled_from(FIELD_CODES),
        drf_code=st.sampled_from(DRF_CODES),
    ),
    max_size=25,
)
codes = st.dictionaries(st.sampled_from([f"C{n}" for n in range(10)]), st.sampled_from(STATUSES), max_size=10)
errors = st.sampled_from(
    [
        exceptions.ValidationError({"a": ["x"]}),
        exceptions.NotFound(),
        exceptions.ParseError(),
        exceptions.NotAuthenticated(),
        exceptions.PermissionDenied(),
        ValueError(),
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    rules=rules,
    codes=codes,
    exc=errors,
    field_code=st.sampled_from(FIELD_CODES + [None]),
    drf_code=st.sampled_from(DRF_CODES + [None]),
    status=st.sampled_from([None, 403, 404]),
)
def test_the_index_picks_what_a_scan_of_every_rule_picks(rules, codes, exc, field_code, drf_code, status):
    from errorcatalog.types import FieldError

    catalog = CatalogEntry(
        slug="c",
        name="C",
        format="problem",
        rules=tuple(rules),
        codes=MappingProxyType({code: CodeEntry(code=code, title=code, status=s) for code, s in codes.items()}),
    )
    field_errors = (FieldError(field="a", message="x", code=field_code),) if field_code else ()
    facts = ProblemFacts(exception=exc, status=400, drf_code=drf_code or None, field_errors=field_errors)
    assert match_rule(catalog, facts, status=status) == reference(catalog, facts, status)
