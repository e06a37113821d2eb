"""The plain values the error path passes around, in a leaf module.

Frozen dataclasses and read-only mappings, importing nothing from Django's
ORM, DRF or the app's models: ``import errorcatalog.types`` needs no settings,
and ``resolve`` and the formats can be tested with values built by hand.
``snapshot`` turns catalog rows into them; ``normalize`` turns exceptions into
``ProblemFacts``; ``resolve`` makes a ``ResolvedError`` that formats render.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain
from types import MappingProxyType
from typing import Any, NamedTuple

from .http_statuses import REASON_PHRASES

__all__ = [
    "EMPTY",
    "GENERIC_SLUG",
    "CatalogEntry",
    "CatalogSnapshot",
    "CODE_COLUMNS",
    "CodeEntry",
    "CodeTable",
    "FieldError",
    "MappingRule",
    "RuleIndex",
    "ProblemFacts",
    "ResolvedError",
    "class_key",
    "condition_key",
    "rule_key",
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


class CodeEntry(NamedTuple):
    """One error code as the handler needs it (a record, made when looked up:
    a ``CodeTable`` keeps its codes column by column)."""

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


#: The columns a ``CodeTable`` is built from, in ``CodeEntry``'s order.
CODE_COLUMNS = CodeEntry._fields[:-1]
# How many entries a CodeTable remembers before it starts over.
_REMEMBERED = 4096
# Stands for None in an integer column (arrays hold machine integers only).
_NO_INT = -(2**63)


def _int_column(values):
    try:
        return array("q", [_NO_INT if value is None else value for value in values])
    except OverflowError:  # a number no machine integer holds: keep the values as they are
        return tuple(values)


class CodeTable(Mapping[str, CodeEntry]):
    """A catalog's codes, ``code -> CodeEntry``, kept column by column.

    A catalog of 100,000 codes would otherwise hold 100,000 entry objects and
    two or three strings each. Here the codes are one sorted tuple, looked up
    by binary search (17 comparisons at 100,000 codes); titles and default
    details are one UTF-8 buffer with the offsets of each text; numbers and
    flags are arrays. A lookup makes the ``CodeEntry`` of the row it finds,
    and the table remembers the last few thousand it made. It holds a
    handful of objects whatever its size, so the garbage collector has
    nothing of it to sweep.
    """

    __slots__ = (
        "_codes",
        "_text",
        "_bounds",
        "_status",
        "_numeric",
        "_retry_after",
        "_retryable",
        "_public",
        "_lifecycle",
        "_replaced_by",
        "_made",
    )

    def __init__(self, columns: Mapping[str, Sequence[Any]]):
        """``columns``: ``CODE_COLUMNS`` name -> one value per code, any order."""
        codes = columns["code"]
        if list(codes) == sorted(codes):  # the database's order, mostly
            rows = columns
        else:
            order = sorted(range(len(codes)), key=codes.__getitem__)
            rows = {name: [columns[name][i] for i in order] for name in CODE_COLUMNS}
        self._codes = tuple(rows["code"])
        # Title, then default detail, of each row in turn.
        texts = list(map(str.encode, chain.from_iterable(zip(rows["title"], rows["default_detail"], strict=True))))
        self._text = b"".join(texts)
        self._bounds = array("I" if len(self._text) < 2**32 else "Q", accumulate(map(len, texts), initial=0))
        self._status = array("H", rows["status"])
        self._numeric = _int_column(rows["numeric_code"])
        self._retry_after = _int_column(rows["retry_after"])
        self._retryable = bytes(map(bool, rows["retryable"]))
        self._public = bytes(map(bool, rows["public"]))
        # A handful of lifecycles: the column points at one string of each.
        lifecycles: dict[str, str] = {}
        self._lifecycle = tuple(map(lifecycles.setdefault, rows["lifecycle"], rows["lifecycle"]))
        # Replacements are few: only the rows that have one.
        self._replaced_by = {n: code for n, code in enumerate(rows["replaced_by"]) if code is not None}
        # The entries lookups made, by code: errors name the same few codes
        # again and again, and each is then one dictionary lookup away.
        self._made: dict[str, CodeEntry] = {}

    def _row(self, code):
        if type(code) is str:
            codes = self._codes
            row = bisect_left(codes, code)
            if row < len(codes) and codes[row] == code:
                return row
        return None

    def get(self, code, default=None):
        entry = self._made.get(code)
        if entry is None:
            row = self._row(code)
            if row is None:
                return default
            entry = self._entry(row)
            if len(self._made) >= _REMEMBERED:
                self._made.clear()
            self._made[code] = entry
        return entry

    def __getitem__(self, code):
        entry = self.get(code)
        if entry is None:
            raise KeyError(code)
        return entry

    def _entry(self, row):
        bounds, text = self._bounds, self._text
        start, middle, end = bounds[2 * row], bounds[2 * row + 1], bounds[2 * row + 2]
        numeric, retry_after = self._numeric[row], self._retry_after[row]
        return CodeEntry(
            self._codes[row],
            text[start:middle].decode(),
            self._status[row],
            None if numeric == _NO_INT else numeric,
            text[middle:end].decode(),
            self._retryable[row] == 1,
            None if retry_after == _NO_INT else retry_after,
            self._lifecycle[row],
            self._replaced_by.get(row),
            self._public[row] == 1,
        )

    def __contains__(self, code):
        return self._row(code) is not None

    def __iter__(self):
        return iter(self._codes)

    def __len__(self):
        return len(self._codes)

    def __repr__(self):
        return f"<CodeTable: {len(self._codes)} codes>"


class MappingRule(NamedTuple):
    """Errors matching every set condition get ``code``."""

    code: str
    exception_class: type | None = None
    drf_code: str = ""
    field_code: str = ""


def class_key(exception_class: type | None) -> str:
    """The first part of a ``RuleIndex`` key: which class a rule names (``None``: none).

    The class's identity, not its name: two classes may share a name, and
    the index holds every class it names, so no identity is reused while
    the index lives."""
    return f"{id(exception_class):x}\0"


def condition_key(field_code: str, drf_code: str) -> str:
    """The rest of a ``RuleIndex`` key: the rule's field code and DRF code ("" when not set).

    NUL cannot occur in either code: forms refuse it, and PostgreSQL cannot
    store it."""
    return f"{field_code}\0{drf_code}"


def rule_key(exception_class: type | None, field_code: str, drf_code: str) -> str:
    """A ``RuleIndex`` key: ``class_key(exception_class) + condition_key(field_code, drf_code)``."""
    return _RULE_KEY(id(exception_class), field_code, drf_code)


_RULE_KEY = "{:x}\0{}\0{}".format


class RuleIndex:
    """A catalog's mapping rules as one dictionary: ``rule_key(class, field
    code, DRF code)`` -> the code they give.

    Matching an error costs a few lookups whatever the number of rules, and
    the index is a handful of objects however many rules it holds. A key
    holds one code, or a tuple of them in catalog order when several rules
    share their conditions (a catalog built by hand: the database allows one
    rule per conditions). Iterating gives the rules back as ``MappingRule``
    values, grouped by conditions, in catalog order within each.
    """

    __slots__ = ("_codes", "_classes", "classes", "_count")

    def __init__(self, rules: Iterable[MappingRule] = ()):
        rules = tuple(rules)
        self._build(
            [rule.code for rule in rules],
            [rule.exception_class for rule in rules],
            [rule.drf_code for rule in rules],
            [rule.field_code for rule in rules],
        )

    @classmethod
    def from_columns(cls, codes, classes, drf_codes, field_codes) -> RuleIndex:
        """An index from one column per condition (no ``MappingRule`` made)."""
        index = cls.__new__(cls)
        index._build(codes, classes, drf_codes, field_codes)
        return index

    def _build(self, codes, classes, drf_codes, field_codes):
        keys = list(map(_RULE_KEY, map(id, classes), field_codes, drf_codes))
        index: dict[str, Any] = dict(zip(keys, codes, strict=True))
        if len(index) < len(keys):  # rules sharing their conditions: keep each, in order
            index = {}
            for key, code in zip(keys, codes, strict=True):
                found = index.get(key)
                index[key] = code if found is None else (*found, code) if type(found) is tuple else (found, code)
        self._codes = index
        #: The exception classes the rules name (``None`` for rules naming none).
        self.classes = frozenset(classes)
        self._classes = {class_key(cls): cls for cls in self.classes}
        self._count = len(keys)

    def codes(self, key: str) -> tuple[str, ...]:
        """The codes of the rules on ``key`` (``rule_key``), in catalog order."""
        found = self._codes.get(key)
        if found is None:
            return ()
        return found if type(found) is tuple else (found,)

    def __iter__(self) -> Iterator[MappingRule]:
        for key, found in self._codes.items():
            prefix, field_code, drf_code = key.split("\0")
            for code in found if type(found) is tuple else (found,):
                yield MappingRule(code, self._classes[prefix + "\0"], drf_code, field_code)

    def __len__(self):
        return self._count

    def __repr__(self):
        return f"<RuleIndex: {self._count} rules>"


@dataclass(frozen=True)
class CatalogEntry:
    """One catalog: its codes and the rules that pick among them."""

    slug: str
    name: str
    format: str
    #: ``code -> CodeEntry``: a ``CodeTable`` in a snapshot, any mapping by hand.
    codes: Mapping[str, CodeEntry] = field(default_factory=lambda: EMPTY)
    #: The mapping rules, as a ``RuleIndex`` (any iterable of ``MappingRule``
    #: is indexed when the entry is made).
    rules: RuleIndex = field(default_factory=RuleIndex)
    status_defaults: Mapping[int, str] = field(default_factory=lambda: EMPTY)
    catch_all: str | None = None
    #: Base of the catalog's own problem type URIs (``type`` = it + code), or "".
    type_base_url: str = ""
    #: Base of the catalog's own docs pages, or "" for this app's pages
    #: (``links.code_docs_url`` makes a public code's link from it).
    docs_base_url: str = ""

    def __post_init__(self):
        if not isinstance(self.rules, RuleIndex):
            object.__setattr__(self, "rules", RuleIndex(self.rules))

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
