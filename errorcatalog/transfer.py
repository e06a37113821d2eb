"""Export a catalog as one document, and import such a document back.

The document (JSON or YAML) holds everything but timestamps, keyed by natural
keys, so a catalog can live in git as well as in the admin::

    {"errorcatalog": 1, "catalog": {...}, "families": [...], "codes": [...], "mappings": [...]}
"""

import csv
import io
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, groupby, islice
from operator import itemgetter

import orjson
import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .conf import errorcatalog_settings
from .models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping, HttpStatus, driver_rows
from .text import escape_markdown, spreadsheet_safe

DOCUMENT_VERSION = 1

CATALOG_FIELDS = ["slug", "name", "description", "format", "docs_base_url", "type_base_url"]
FAMILY_FIELDS = ["key", "prefix", "name", "description", "position"]
CODE_FIELDS = [
    "code",
    "family",
    "numeric_code",
    "status",
    "title",
    "description",
    "default_detail",
    "retryable",
    "retry_after",
    "lifecycle",
    "replaced_by",
    "public",
    "is_status_default",
    "is_catch_all",
    "causes",
]
MAPPING_FIELDS = ["code", "exception_class", "drf_code", "field_code"]
# Where each exported field of a code is read from (the ORM path for
# values_list); related rows by their natural key.
CODE_SOURCES = {
    name: {"family": "family__key", "status": "status__code", "replaced_by": "replacement_code"}.get(name, name)
    for name in CODE_FIELDS
    if name != "causes"
}


class CatalogDocumentError(ValueError):
    """A document that cannot be imported; the message names the row and field."""


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: a few hundred bytes of nested aliases expand to
    gigabytes ("billion laughs"), and a catalog document never needs them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a catalog document", event.start_mark
            )
        return super().compose_node(parent, index)


def load_document(path):
    """Read a JSON or YAML catalog document from ``path``, bounded and alias-free.

    Raises ``CatalogDocumentError`` for a file over ``IMPORT_MAX_BYTES``, a
    YAML alias, nesting too deep to parse, or text that is not JSON or YAML;
    ``OSError`` when the file cannot be read.
    """
    limit = errorcatalog_settings.IMPORT_MAX_BYTES
    with open(path, "rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise CatalogDocumentError(f"the file is larger than {limit} bytes (ERRORCATALOG['IMPORT_MAX_BYTES'])")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogDocumentError("the file is not UTF-8 text") from None
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise CatalogDocumentError(f"not valid JSON or YAML: {exc.problem or exc.context}{where}") from None
    except yaml.YAMLError as exc:
        raise CatalogDocumentError(f"not valid JSON or YAML: {exc}") from None
    except RecursionError:
        raise CatalogDocumentError("not valid JSON or YAML: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise CatalogDocumentError(f"not valid JSON or YAML: {exc}") from None


def export_catalog(catalog, *, include_hidden=True):
    """The whole ``catalog`` as a JSON-serialisable document, in memory.

    For the command's formats; the API streams the same document with
    ``stream_export``.
    """
    head, code_chunks, mapping_chunks = _export_parts(catalog, include_hidden)
    return {
        **head,
        "codes": [code for chunk in code_chunks for code in chunk],
        "mappings": [mapping for chunk in mapping_chunks for mapping in chunk],
    }


#: Rows per piece of a streamed export.
EXPORT_CHUNK = 2000


def stream_export(catalog, *, include_hidden=True, chunk_size=None) -> Iterator[bytes]:
    """``export_catalog``'s document as compact UTF-8 JSON, a piece at a time.

    Memory holds one piece (``chunk_size`` codes with their causes, by
    default ``EXPORT_CHUNK``) whatever
    the catalog's size. As DRF's ``JSONRenderer``, text stays unescaped
    UTF-8 except U+2028 and U+2029, which JavaScript does not allow in strings.
    """
    head, code_chunks, mapping_chunks = _export_parts(catalog, include_hidden, chunk_size)
    yield _json(head)[:-1]  # the head without its closing brace
    for name, chunks in (("codes", code_chunks), ("mappings", mapping_chunks)):
        separator = f',"{name}":['.encode()
        for chunk in chunks:
            yield separator + _json(chunk)[1:-1]  # the chunk's items, without the list's brackets
            separator = b","
        yield b"]" if separator == b"," else f',"{name}":[]'.encode()
    yield b"}"


def _json(value) -> bytes:
    # orjson: a tenth of the standard library's time on 100,000 codes, which
    # was a third of the export's. The document holds only strings, integers,
    # booleans and nulls, all of which it writes as json.dumps does.
    return orjson.dumps(value).replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")


def _export_parts(catalog, include_hidden, chunk_size=None):
    """The document's head, then its codes and its mappings as iterators of lists.

    Rows are read as values, not model instances, a chunk at a time, each
    code with its causes joined to it in one query (one statement: one
    consistent read), so the export takes the same few queries and memory
    holds one chunk, whatever the catalog's size (benchmarks/bench_scale.py).
    """
    chunk_size = chunk_size or EXPORT_CHUNK
    codes = catalog.codes.with_replacement_code(include_hidden).order_by(
        "family__position", "family__key", "code", "causes__position", "causes__id"
    )
    families = catalog.families.order_by("position", "key")
    mappings = catalog.mappings.order_by("error_code__code", "exception_class", "drf_code", "field_code")
    if not include_hidden:
        # The public document names no hidden code: not as a row, not as a
        # replacement (with_replacement_code), not through a family holding
        # only hidden codes.
        codes, mappings = codes.filter(public=True), mappings.filter(error_code__public=True)
        families = families.visible_to(None)
    head = {
        "errorcatalog": DOCUMENT_VERSION,
        "catalog": {name: getattr(catalog, name) for name in CATALOG_FIELDS},
        "families": list(families.values(*FAMILY_FIELDS)),
    }
    code_rows = codes.values_list("id", *CODE_SOURCES.values(), "causes__id", "causes__text", "causes__remedy")
    mapping_rows = driver_rows(mappings.values_list("error_code__code", *MAPPING_FIELDS[1:]), chunk_size)
    return (
        head,
        _chunks(_with_causes(chain.from_iterable(driver_rows(code_rows, chunk_size))), chunk_size),
        _chunks((dict(zip(MAPPING_FIELDS, row, strict=True)) for row in chain.from_iterable(mapping_rows)), chunk_size),
    )


_CODE_NAMES = list(CODE_SOURCES)
#: A code's boolean fields, which ``driver_rows`` reads as 0 and 1 from SQLite.
FLAG_FIELDS = frozenset(
    field.name for field in ErrorCode._meta.concrete_fields if isinstance(field, models.BooleanField)
)
_CODE_FLAGS = [name for name in _CODE_NAMES if name in FLAG_FIELDS]


def _with_causes(rows):
    """Each code as a document row: a row per cause (or one with no cause), grouped by code."""
    for _, group in groupby(rows, itemgetter(0)):
        first, *more = group
        code = dict(zip(_CODE_NAMES, first[1:-3], strict=True))
        for name in _CODE_FLAGS:
            code[name] = bool(code[name])
        code["causes"] = [{"text": row[-2], "remedy": row[-1]} for row in (first, *more) if row[-3] is not None]
        yield code


def _chunks(rows, size):
    while chunk := list(islice(rows, size)):
        yield chunk


def export_markdown(document):
    """The catalog as the seeds present it: one table per family.

    Catalog text is escaped: it shows as written and never becomes markup.
    """
    lines = [f"# {escape_markdown(document['catalog']['name'])}", ""]
    if document["catalog"]["description"]:
        lines += [escape_markdown(document["catalog"]["description"]), ""]
    for family in document["families"]:
        lines += [
            f"## {escape_markdown(family['name'])}",
            "",
            "| Code | HTTP | Title | Common Causes |",
            "|---|---|---|---|",
        ]
        for code in (c for c in document["codes"] if c["family"] == family["key"]):
            causes = " ".join(
                " ".join(part for part in (cause["text"].rstrip(".") + ".", cause["remedy"]) if part)
                for cause in code["causes"]
            )
            lines.append(
                f"| `{code['code']}` | {code['status']} | {escape_markdown(code['title'])} | {escape_markdown(causes)} |"
            )
        lines.append("")
    return "\n".join(lines)


def export_csv(document):
    """One row per code, causes joined, for spreadsheets (cells made formula-safe)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "code",
            "numeric_code",
            "family",
            "status",
            "title",
            "lifecycle",
            "replaced_by",
            "retryable",
            "retry_after",
            "public",
            "causes",
        ]
    )
    for code in document["codes"]:
        writer.writerow(
            spreadsheet_safe(cell)
            for cell in [
                code["code"],
                code["numeric_code"],
                code["family"],
                code["status"],
                code["title"],
                code["lifecycle"],
                code["replaced_by"] or "",
                code["retryable"],
                code["retry_after"] or "",
                code["public"],
                "; ".join(c["text"] + (f" ({c['remedy']})" if c["remedy"] else "") for c in code["causes"]),
            ]
        )
    return out.getvalue()


@dataclass
class ImportResult:
    """What an import did, per kind of row: created / updated / unchanged."""

    counts: dict = field(
        default_factory=lambda: {kind: Counter() for kind in ("catalog", "families", "codes", "causes", "mappings")}
    )

    def note(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def total(self, outcome):
        return sum(counter[outcome] for counter in self.counts.values())


def _section(document, section):
    value = document.get(section)
    if not isinstance(value, dict):
        raise CatalogDocumentError(f"{section}: expected an object")
    return value


def _rows(document, section):
    rows = document.get(section, [])
    if not isinstance(rows, list):
        raise CatalogDocumentError(f"{section}: expected a list")
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise CatalogDocumentError(f"{section}[{index}]: expected an object")
        yield index, row


# The JSON type of every field a document may hold. Checked before any model
# sees the value: Django would turn a list or an object into its repr for a
# text field, and ``.inf`` into an OverflowError for an integer one.
_TEXT = (str,)
_FIELD_TYPES = {
    **dict.fromkeys(
        [
            "slug",
            "name",
            "description",
            "format",
            "docs_base_url",
            "type_base_url",
            "key",
            "prefix",
            "code",
            "family",
            "title",
            "default_detail",
            "lifecycle",
            "exception_class",
            "drf_code",
            "field_code",
            "text",
            "remedy",
        ],
        (_TEXT, "a string"),
    ),
    **dict.fromkeys(["position", "status"], ((int,), "an integer")),
    **dict.fromkeys(["numeric_code", "retry_after"], ((int, type(None)), "an integer or null")),
    "replaced_by": ((str, type(None)), "a string or null"),
    **dict.fromkeys(["retryable", "public", "is_status_default", "is_catch_all"], ((bool,), "true or false")),
    "causes": ((list,), "a list"),
}


def check_type(key, value, where):
    """``value`` when it has the JSON type ``key`` takes, else ``CatalogDocumentError``."""
    types, expected = _FIELD_TYPES[key]
    # bool is an int in Python, never in a document.
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        raise CatalogDocumentError(f"{where}: {key}: expected {expected}, got {_json_type(value)}")
    return value


def _json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float):
        return "a decimal number" if math.isfinite(value) else f"the number {value!r}"
    return {int: "an integer", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _require(row, key, where):
    try:
        value = row[key]
    except KeyError:
        raise CatalogDocumentError(f"{where}: '{key}' is missing") from None
    return check_type(key, value, where)


def _optional(row, key, where, default):
    return check_type(key, row[key], where) if key in row else default


def _upsert(instance, values, where, result, kind):
    """Set ``values`` on ``instance``, validate, save when anything changed."""
    created = instance.pk is None
    changed = created
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if not changed:
        result.note(kind, "unchanged")
        return instance
    try:
        instance.full_clean()
    except ValidationError as exc:
        details = "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
        raise CatalogDocumentError(f"{where}: {details}") from None
    instance.save()
    result.note(kind, "created" if created else "updated")
    return instance


def _values(row, names, where):
    return {name: _require(row, name, where) for name in names}


@transaction.atomic
def import_document(document, *, dry_run=False):
    """Upsert the catalog a document describes, in one transaction.

    Rows are matched by natural keys; nothing absent from the document is
    deleted. Raises ``CatalogDocumentError`` naming the row and field of the
    first problem, and then nothing is changed. ``dry_run`` validates and
    counts, then rolls back.
    """
    if not isinstance(document, dict) or document.get("errorcatalog") != DOCUMENT_VERSION:
        raise CatalogDocumentError(f'not an errorcatalog document (expected "errorcatalog": {DOCUMENT_VERSION})')
    result = ImportResult()
    info = _section(document, "catalog")
    slug = _require(info, "slug", "catalog")
    catalog = Catalog.objects.filter(slug=slug).first() or Catalog(slug=slug)
    values = _values(info, [name for name in CATALOG_FIELDS[1:] if name != "type_base_url"], "catalog")
    # Documents exported before type_base_url existed leave it as it is.
    values["type_base_url"] = _optional(info, "type_base_url", "catalog", catalog.type_base_url)
    catalog = _upsert(catalog, values, "catalog", result, "catalog")

    families = {}
    for index, row in _rows(document, "families"):
        where = f"families[{index}]"
        key = _require(row, "key", where)
        family = ErrorFamily.objects.filter(catalog=catalog, key=key).first() or ErrorFamily(catalog=catalog, key=key)
        families[key] = _upsert(family, _values(row, FAMILY_FIELDS[1:], where), f"{where} ({key})", result, "families")

    statuses = dict(HttpStatus.objects.values_list("code", "pk"))
    existing = {code.code: code for code in catalog.codes.all()}
    code_rows = list(_rows(document, "codes"))
    # Codes losing a default or catch-all flag are saved before codes gaining one.
    code_rows.sort(key=lambda item: (bool(item[1].get("is_status_default")), bool(item[1].get("is_catch_all"))))
    codes, replacements = {}, []
    for index, row in code_rows:
        where = f"codes[{index}]"
        name = _require(row, "code", where)
        where = f"{where} ({name})"
        values = _values(
            row, [f for f in CODE_FIELDS if f not in ("code", "family", "status", "replaced_by", "causes")], where
        )
        family_key = _require(row, "family", where)
        if family_key not in families:
            raise CatalogDocumentError(f"{where}: family: no family '{family_key}' in the document")
        status = _require(row, "status", where)
        if status not in statuses:
            raise CatalogDocumentError(f"{where}: status: {status!r} is not an HTTP status")
        values.update(family_id=families[family_key].pk, status_id=statuses[status])
        code = existing.get(name) or ErrorCode(catalog=catalog, code=name)
        codes[name] = _upsert(code, values, where, result, "codes")
        replacements.append((where, codes[name], _optional(row, "replaced_by", where, None)))
        _import_causes(codes[name], _optional(row, "causes", where, []), where, result)
    for where, code, replaced_by in replacements:
        target = None
        if replaced_by:
            target = codes.get(replaced_by) or existing.get(replaced_by)
            if target is None:
                raise CatalogDocumentError(f"{where}: replaced_by: no code '{replaced_by}' in the catalog")
        if code.replaced_by_id != (target.pk if target else None):
            code.replaced_by = target
            _validate_and_save(code, where)

    for index, row in _rows(document, "mappings"):
        where = f"mappings[{index}]"
        values = _values(row, MAPPING_FIELDS, where)
        code = codes.get(values.pop("code")) or None
        if code is None:
            raise CatalogDocumentError(f"{where}: code: no code '{row['code']}' in the document")
        mapping = ExceptionMapping.objects.filter(catalog=catalog, **values).first() or ExceptionMapping(**values)
        _upsert(mapping, {"error_code_id": code.pk}, where, result, "mappings")

    if dry_run:
        transaction.set_rollback(True)
    return result


def _validate_and_save(instance, where):
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise CatalogDocumentError(f"{where}: {exc.messages[0]}") from None
    instance.save()


def _import_causes(code, rows, where, result):
    existing = {cause.text: cause for cause in code.causes.all()} if code.pk else {}
    for position, row in enumerate(rows, 1):
        cause_where = f"{where}.causes[{position - 1}]"
        if not isinstance(row, dict):
            raise CatalogDocumentError(f"{cause_where}: expected an object")
        text = _require(row, "text", cause_where)
        cause = existing.get(text) or Cause(error_code=code, text=text)
        remedy = _optional(row, "remedy", cause_where, "")
        _upsert(cause, {"remedy": remedy, "position": position}, cause_where, result, "causes")
