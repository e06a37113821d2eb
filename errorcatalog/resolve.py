"""Step two of the error path: facts meet the catalog.

Which code an error gets, first match wins:

1. the code a ``CatalogError`` names (unknown codes log and use the catch-all);
2. the catalog's exception mappings: rules on the first field error's code
   first, then the closest exception class by MRO, then rules on a DRF code;
3. the catalog's default code for the error's HTTP status;
4. for an error with an HTTP status, a generic entry for that status (reason
   phrase as title, ``type`` ``about:blank``, RFC 9457 section 4.2.1);
5. the catalog's catch-all code (or the bundled ``internal_error``).

The response's status is the chosen code's. The exception: an authentication
error DRF turned into a 403 (no authenticator offers a challenge) only maps to
403 codes, since a 401 without ``WWW-Authenticate`` breaks RFC 9110.
"""

import logging
from functools import lru_cache
from types import MappingProxyType

from .generic import GENERIC_CATALOG
from .links import code_docs_url, generic_docs_url, private_type
from .templating import fill_placeholders
from .types import EMPTY, CatalogEntry, CodeEntry, ProblemFacts, ResolvedError, class_key, condition_key

logger = logging.getLogger("errorcatalog")

ABOUT_BLANK = "about:blank"


def match_rule(catalog, facts, *, status=None):
    """The code of the catalog's most specific rule matching ``facts``.

    Specificity: a rule on the first field error's code, then the exception
    class closest in the MRO (a rule without a class counts as the closest),
    then a rule that also names a DRF code; among equals, the catalog's order.
    The rules are looked up in that order in the catalog's index, so the
    first one found with a usable entry wins, whatever the number of rules.
    """
    rules = catalog.rules
    if not rules:
        return None
    exception_type: type = type(facts.exception)
    for key in rule_keys(rules.classes, exception_type, facts.first_field_code, facts.drf_code):
        for code in rules.codes(key):
            entry = catalog.codes.get(code)
            if entry is not None and (status is None or entry.status == status):
                return entry
    return None


@lru_cache(maxsize=4096)
def rule_keys(
    rule_classes: frozenset, exception_type: type, field_code: str | None, drf_code: str | None
) -> tuple[str, ...]:
    """The ``RuleIndex`` keys an error can match, most specific first.

    The classes of ``exception_type``'s MRO count only when rules name them
    (rules naming no class rank with the exception's own class), so an error
    costs a lookup per class that has rules, not per class of its MRO. Errors
    repeat the same few combinations: each is worked out once.
    """
    own, *bases = exception_type.__mro__
    levels = [[class_key(cls) for cls in (None, own) if cls in rule_classes]]
    levels.extend([class_key(cls)] for cls in bases if cls in rule_classes)
    drf_codes = (drf_code, "") if drf_code else ("",)
    return tuple(
        prefix + condition_key(field, drf)
        for field in ((field_code, "") if field_code else ("",))
        for level in levels
        for drf in drf_codes
        for prefix in level
    )


def generic_entry(status, reasons):
    """An entry for a status the catalog has no code for."""
    return _generic_entry(status, reasons.get(status, "Error"))


@lru_cache(maxsize=128)
def _generic_entry(status, title):
    return CodeEntry(code=f"http_{status}", title=title, status=status, generic=True)


def choose_entry(facts, catalog, reasons):
    """Pick the catalog entry for ``facts`` (see the module docstring)."""
    if facts.catalog_code is not None:
        entry = catalog.codes.get(facts.catalog_code)
        if entry is not None:
            return entry
        logger.error(
            "errorcatalog: code %r is not in catalog %r; answering with the catch-all",
            facts.catalog_code,
            catalog.slug,
        )
        return catch_all(catalog)
    only_status = 403 if facts.challenge_refused else None
    entry = match_rule(catalog, facts, status=only_status)
    if entry is not None:
        return entry
    if facts.status is not None:
        code = catalog.status_defaults.get(facts.status)
        entry = catalog.codes.get(code)
        return entry or generic_entry(facts.status, reasons)
    return catch_all(catalog)


def catch_all(catalog):
    return catalog.catch_all_entry or GENERIC_CATALOG.catch_all_entry


def make_detail(entry, facts):
    """This occurrence's detail: client-safe text only."""
    if facts.detail:
        return facts.detail
    if entry.default_detail:
        return fill_placeholders(entry.default_detail, facts.extra)
    return entry.title


def resolve_error(facts: ProblemFacts, catalog: CatalogEntry, *, reasons, instance, request_id, absolute_url):
    """Turn ``facts`` into a ``ResolvedError`` from ``catalog``.

    ``absolute_url`` makes a docs path absolute for this request.
    """
    entry = choose_entry(facts, catalog, reasons)
    return error_for_entry(entry, facts, catalog, instance=instance, request_id=request_id, absolute_url=absolute_url)


def error_for_entry(entry, facts, catalog, *, instance, request_id, absolute_url):
    """The ``ResolvedError`` of ``entry`` for this occurrence: links, numeric code, detail.

    Real responses and every example (admin preview, docs page, OpenAPI) go
    through here, so what they show is what clients get.
    """
    if entry.generic:
        # Every error links to a page that exists: this app's page for the status.
        link = generic_docs_url(catalog.slug, entry.code)
        docs_uri, type_uri = (absolute_url(link) if link else None), ABOUT_BLANK
    elif entry.public:
        link = code_docs_url(catalog.slug, catalog.docs_base_url, entry.code)
        docs_uri = absolute_url(link) if link else None
        type_uri = catalog.type_base_url + entry.code if catalog.type_base_url else docs_uri or ABOUT_BLANK
    else:
        # The client sees the code it was sent, but no link to a page it may not read.
        docs_uri, type_uri = None, private_type(catalog.slug, entry.code)
    numeric_code = entry.numeric_code
    if numeric_code is None:
        numeric_code = catch_all(catalog).numeric_code
        if numeric_code is None:
            numeric_code = GENERIC_CATALOG.catch_all_entry.numeric_code
    retry_after = facts.wait if facts.wait is not None else entry.retry_after
    return ResolvedError(
        code=entry.code,
        title=entry.title,
        status=entry.status,
        detail=make_detail(entry, facts),
        type=type_uri,
        docs_uri=docs_uri,
        instance=instance,
        request_id=request_id,
        numeric_code=numeric_code,
        errors=facts.field_errors,
        retry_after=retry_after,
        extra=MappingProxyType(dict(facts.extra)) if facts.extra else EMPTY,
        catalog=catalog.slug,
    )
