"""Checks of a catalog's content: what would break clients or confuse readers."""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count

from .exception_classes import ExceptionClassError, load_exception_class
from .formats import load_format, uses_numeric_codes
from .models import Catalog, ExceptionMapping


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    catalog: str
    message: str

    def __str__(self):
        return f"{self.level.upper()} [{self.catalog}] {self.message}"


@dataclass(frozen=True)
class SkippedRow:
    """A catalog row the handler cannot use: it is skipped, and said so."""

    kind: str  # "format" or "mapping"
    catalog: str
    message: str


def skipped_rows(catalogs):
    """The rows of ``catalogs`` the snapshot skips: a format that does not load,
    exception mappings outside ``EXCEPTION_MODULES`` or that do not import.
    ``errorcatalog check`` and the database system check both report these."""
    for slug, name in catalogs.values_list("slug", "format"):
        try:
            load_format(name)
        except Exception as exc:
            yield SkippedRow("format", slug, f"format: {exc}")
    mappings = ExceptionMapping.objects.filter(catalog__in=catalogs).exclude(exception_class="")
    for slug, code, path in mappings.values_list("catalog__slug", "error_code__code", "exception_class"):
        try:
            load_exception_class(path)
        except ExceptionClassError as exc:
            yield SkippedRow("mapping", slug, f"mapping to {code}: {exc}")


def lint_catalog(catalog):
    """Errors (a format that does not load, mappings that are not allowed or do
    not import, flat codes without numbers,
    duplicate codes) and warnings (codes without causes, duplicate titles,
    empty families, statuses without a default code)."""
    found = []

    def add(level, message):
        found.append(Finding(level, catalog.slug, message))

    for problem in skipped_rows(Catalog.objects.filter(pk=catalog.pk)):
        add("error", problem.message)
    codes = list(catalog.codes.select_related("status").annotate(cause_count=Count("causes")))
    if uses_numeric_codes(catalog.format):
        for code in codes:
            if code.numeric_code is None:
                add("error", f"{code.code}: no numeric code, but the catalog's format ({catalog.format}) needs one")
    by_folded = defaultdict(list)
    by_title = defaultdict(list)
    for code in codes:
        by_folded[code.code.casefold()].append(code.code)
        by_title[code.title.casefold()].append(code.code)
        if not code.cause_count:
            add("warning", f"{code.code}: no causes listed")
    for names in by_folded.values():
        if len(names) > 1:
            add("error", f"duplicate codes (they differ only in case): {', '.join(sorted(names))}")
    for names in by_title.values():
        if len(names) > 1:
            add("warning", f"codes share a title: {', '.join(sorted(names))}")
    for family in catalog.families.annotate(code_count=Count("codes")).filter(code_count=0):
        add("warning", f"family {family.key}: no codes")
    statuses = {code.status.code for code in codes}
    defaults = {code.status.code for code in codes if code.is_status_default}
    for status in sorted(statuses - defaults):
        add("warning", f"HTTP {status}: no default code for the status")
    return found


def raised_codes(source_dir):
    """``(code, catalog or None, "file:line")`` for every ``CatalogError("...")`` in the sources."""
    for path in sorted(Path(source_dir).rglob("*.py")):
        if any(
            part in {".venv", "node_modules", "migrations", "__pycache__"} or part.startswith(".venv")
            for part in path.parts
        ):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                yield from _declared_codes(node, path)
                continue
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            first = node.args[0]
            if name == "CatalogError" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                catalog = next(
                    (
                        kw.value.value
                        for kw in node.keywords
                        if kw.arg == "catalog" and isinstance(kw.value, ast.Constant)
                    ),
                    None,
                )
                yield first.value, catalog, f"{path}:{node.lineno}"


def _declared_codes(node, path):
    """``class X(CatalogError): code = "..."`` (and ``catalog = "..."``)."""
    if not any(getattr(base, "id", getattr(base, "attr", None)) == "CatalogError" for base in node.bases):
        return
    values = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant):
            for target in statement.targets:
                if isinstance(target, ast.Name) and target.id in ("code", "catalog"):
                    values[target.id] = (statement.value.value, statement.lineno)
    if "code" in values and isinstance(values["code"][0], str):
        catalog = values.get("catalog", (None, 0))[0]
        yield values["code"][0], catalog, f"{path}:{values['code'][1]}"


def lint_sources(source_dir, catalogs):
    """Errors for ``CatalogError`` codes in the sources that the catalogs lack."""
    known = {catalog.slug: set(catalog.codes.values_list("code", flat=True)) for catalog in catalogs}
    every = set().union(*known.values()) if known else set()
    found = []
    for code, slug, where in raised_codes(source_dir):
        if slug is not None and slug in known:
            if code not in known[slug]:
                found.append(Finding("error", slug, f"{where}: CatalogError({code!r}) is not in the catalog"))
        elif code not in every:
            checked = ", ".join(sorted(known)) or "none"
            found.append(
                Finding("error", checked, f"{where}: CatalogError({code!r}) is in none of the catalogs checked")
            )
    return found


def lint(slug=None, source_dir=None):
    """Findings for one catalog (or all) and, with ``source_dir``, its sources."""
    catalogs = list(Catalog.objects.filter(slug=slug) if slug else Catalog.objects.all())
    if slug and not catalogs:
        return [Finding("error", slug, "no such catalog")]
    found = [finding for catalog in catalogs for finding in lint_catalog(catalog)]
    if source_dir:
        found += lint_sources(source_dir, catalogs)
    return found
