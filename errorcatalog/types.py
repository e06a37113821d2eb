"""The plain values the error path passes around, in a leaf module.

Frozen dataclasses and read-only mappings, importing nothing from Django's
ORM, DRF or the app's models: ``import errorcatalog.types`` needs no settings,
and ``resolve`` and the formats can be tested with values built by hand.
``snapshot`` turns catalog rows into them; ``normalize`` turns exceptions into
``ProblemFacts``; ``resolve`` makes a ``ResolvedError`` that formats render.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from .http_statuses import REASON_PHRASES

__all__ = [
    "EMPTY",
    "GENERIC_SLUG",
    "CatalogEntry",
    "CatalogSnapshot",
    "CodeEntry",
    "FieldError",
    "MappingRule",
    "ProblemFacts",
    "ResolvedError",
]

EMPTY: Mapping[Any, Any] = MappingProxyType({})

#: Slug of the bundled generic catalog; no catalog row may take it.
GENERIC_SLUG = "generic"


class FieldError(NamedTuple):
    """One validation error: where (dotted path and JSON Pointer), what, which DRF code.

    A record (named tuple): a 50-field validation error makes fifty of them,
    and a tuple is the cheapest immutable value Python builds.
    """

    field: str | None
    message: str
    code: str
    pointer: str | None = None

    def as_dict(self):
        data = {"field": self.field, "message": self.message, "code": self.code}
        if self.pointer is not None:
            data["pointer"] = self.pointer
        return data


class ProblemFacts(NamedTuple):
    """What an exception says, reduced to what the catalog and formats need.

    The values of one error on its way to a response (``ProblemFacts``,
    ``FieldError``, ``ResolvedError``) are records: named tuples, immutable
    and built in one step, as every error builds them anew.
    """

    exception: BaseException
    #: HTTP status the exception implies; ``None`` for an unexpected exception.
    status: int | None
    #: Client-safe text for this occurrence; ``None`` to use the catalog's.
    detail: str | None = None
    drf_code: str | None = None
    field_errors: tuple[FieldError, ...] = ()
    #: ``WWW-Authenticate`` challenge offered by the view's authenticator.
    auth_header: str | None = None
    #: Seconds to wait (DRF throttles), rounded up.
    wait: int | None = None
    #: ``CatalogError``: the code asked for, its catalog and extension members.
    catalog_code: str | None = None
    catalog: str | None = None
    extra: Mapping[str, Any] = EMPTY
    #: DRF turned an authentication error into a 403: no authenticator offers a challenge.
    challenge_refused: bool = False

    @property
    def unexpected(self):
        return self.status is None and self.catalog_code is None

    @property
    def first_field_code(self):
        return self.field_errors[0].code if self.field_errors else None


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """One error code as the handler needs it."""

    code: str
    title: str
    status: int
    numeric_code: int | None = None
    default_detail: str = ""
    retryable: bool = False
    retry_after: int | None = None
    lifecycle: str = "active"
    replaced_by: str | None = None
    public: bool = True
    #: A generic entry (a status's reason phrase, or the bundled catalog's):
    #: ``type`` stays ``about:blank`` (RFC 9457 section 4.2.1) and its docs
    #: page is this app's generic page for the catalog.
    generic: bool = False


@dataclass(frozen=True, slots=True)
class MappingRule:
    """Errors matching every set condition get ``code``."""

    code: str
    exception_class: type | None = None
    drf_code: str = ""
    field_code: str = ""


@dataclass(frozen=True)
class CatalogEntry:
    """One catalog: its codes and the rules that pick among them."""

    slug: str
    name: str
    format: str
    codes: Mapping[str, CodeEntry] = field(default_factory=lambda: EMPTY)
    rules: tuple[MappingRule, ...] = ()
    status_defaults: Mapping[int, str] = field(default_factory=lambda: EMPTY)
    catch_all: str | None = None
    #: Base of the catalog's own problem type URIs (``type`` = it + code), or "".
    type_base_url: str = ""
    #: Base of the catalog's own docs pages, or "" for this app's pages
    #: (``links.code_docs_url`` makes a public code's link from it).
    docs_base_url: str = ""
    #: The rules by their conditions, ``(exception_class, field_code, drf_code)``
    #: ("" for a condition not set), in catalog order: matching an error costs
    #: a few lookups whatever the number of rules.
    rule_index: Mapping[tuple[type | None, str, str], tuple[MappingRule, ...]] = field(
        init=False, repr=False, compare=False
    )
    #: The exception classes the rules name (``None`` for rules naming none).
    rule_classes: frozenset[type | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        index: dict[tuple[type | None, str, str], list[MappingRule]] = {}
        for rule in self.rules:
            index.setdefault((rule.exception_class, rule.field_code, rule.drf_code), []).append(rule)
        object.__setattr__(self, "rule_index", MappingProxyType({k: tuple(v) for k, v in index.items()}))
        object.__setattr__(self, "rule_classes", frozenset(key[0] for key in index))

    @property
    def catch_all_entry(self) -> CodeEntry | None:
        return self.codes.get(self.catch_all) if self.catch_all else None


@dataclass(frozen=True)
class CatalogSnapshot:
    """Every catalog at one version, plus the reason phrases of all statuses."""

    version: str | None
    source: str  # "database", "copy" (the last-known-good copy) or "fallback"
    catalogs: Mapping[str, CatalogEntry] = field(default_factory=lambda: EMPTY)
    reasons: Mapping[int, str] = field(default_factory=lambda: MappingProxyType(dict(REASON_PHRASES)))
    #: The catalog answering when none is selected or the slug is unknown
    #: (the bundled generic catalog, ``errorcatalog.generic``).
    fallback: CatalogEntry | None = None

    def catalog(self, slug: str | None) -> CatalogEntry | None:
        """The catalog ``slug``, or ``fallback`` when there is none."""
        if slug is not None:
            entry = self.catalogs.get(slug)
            if entry is not None:
                return entry
        return self.fallback


class ResolvedError(NamedTuple):
    """Everything a format needs to render one error response (a record, as ``ProblemFacts``)."""

    code: str
    title: str
    status: int
    detail: str
    type: str
    docs_uri: str | None
    instance: str
    request_id: str
    numeric_code: int | None = None
    errors: tuple[FieldError, ...] = ()
    retry_after: int | None = None
    extra: Mapping[str, Any] = EMPTY
    catalog: str = ""
