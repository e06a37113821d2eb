"""OpenAPI: every operation documents the errors it can return, from the catalog.

Set ``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "errorcatalog.schema.CatalogAutoSchema"``.
For each operation it works out which errors can happen (validation for
bodies and filters, 401/403 where authentication or permissions apply, 404
on detail routes and paginated lists, 405, 413 for bodies, 429 where
throttles apply, 500 always, and the codes in the view's ``error_codes``),
resolves each through the operation's catalog exactly as the handler would,
and documents the resulting statuses in the operation's format: one schema
component per format, examples from the catalog's real codes, and the codes
under ``x-error-codes``.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.schemas.utils import is_list_view
from rest_framework.settings import api_settings

from .examples import example_for_entry
from .exceptions import CatalogError, PreconditionFailed
from .handlers import select_catalog, select_format
from .normalize import normalize_exception
from .resolve import choose_entry, generic_entry
from .snapshot import get_snapshot
from .text import NO_NUL, NOT_BLANK, escape_markdown
from .types import CodeEntry

BODY_METHODS = {"POST", "PUT", "PATCH"}


NOT_MODIFIED = {"description": "Not Modified: the representation matches If-None-Match / If-Modified-Since."}
ACTION_VERBS = {
    "list": "List",
    "retrieve": "Get",
    "create": "Create",
    "update": "Replace",
    "partial_update": "Update",
    "destroy": "Delete",
}


if TYPE_CHECKING:
    _SchemaBase = AutoSchema
else:
    _SchemaBase = object


class CatalogSchemaMixin(_SchemaBase):
    """The OpenAPI additions, for a project's own ``AutoSchema`` subclass too::

        class ProjectSchema(CatalogSchemaMixin, AutoSchema): ...

    Every operation gets a summary, and a response per status its catalog can
    give the errors the operation can meet, with examples, its format's schema
    and the codes under ``x-error-codes``.
    """

    def get_summary(self):
        summary = super().get_summary()
        if summary:
            return summary
        first_line = (self.get_description() or "").strip().split("\n", 1)[0].rstrip(".")
        verb = ACTION_VERBS.get(getattr(self.view, "action", None) or "")
        if verb and first_line:
            return f"{verb}: {first_line}"
        return first_line or f"{self.method} {self.path}"

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        snapshot = get_snapshot()
        catalog = snapshot.catalog(select_catalog(self.view, path))
        error_format = select_format(self.view, catalog)
        reference = self._format_component(error_format)
        request = getattr(self.view, "request", None)

        by_status: dict[int, dict[str, CodeEntry]] = {}
        for exc in self.possible_errors():
            for entry in possible_entries(exc, catalog, snapshot.reasons):
                if not entry.public:
                    # The document is public: a hidden code is documented as its status only.
                    entry = generic_entry(entry.status, snapshot.reasons)
                by_status.setdefault(entry.status, {}).setdefault(entry.code, entry)

        responses = operation.setdefault("responses", {})
        if self.conditional_reads():
            responses.setdefault("304", NOT_MODIFIED)
        listed = []
        for status in sorted(by_status):
            examples = {}
            for entry in by_status[status].values():
                example = example_for_entry(entry, catalog, request=request, view=self.view)
                # JSON formats show the body as data, others (XML) as the text clients get.
                value = example.body if error_format.media_type.endswith("json") else example.text
                examples[entry.code] = {"summary": f"{entry.code}: {entry.title}", "value": value}
                listed.append(
                    {"code": entry.code, "status": status, "title": entry.title, "docs_uri": example.docs_uri}
                )
            if str(status) in responses:
                continue
            responses[str(status)] = {
                # ReDoc and Swagger UI render descriptions as Markdown with HTML.
                "description": "; ".join(
                    f"{escape_markdown(e.title)} ({escape_markdown(e.code)})" for e in by_status[status].values()
                ),
                "content": {error_format.media_type: {"schema": reference, "examples": examples}},
            }
        operation["x-error-codes"] = listed
        return operation

    def _format_component(self, error_format):
        component = ResolvedComponent(
            name=error_format.schema_name or type(error_format).__name__,
            type=ResolvedComponent.SCHEMA,
            object=type(error_format),
            schema=error_format.schema(),
        )
        self.registry.register_on_missing(component)
        return component.ref

    def possible_errors(self):
        """One representative exception per kind of error this operation can meet."""
        view, method = self.view, self.method
        errors = [
            RuntimeError("unexpected"),
            exceptions.MethodNotAllowed(method),
            exceptions.NotAcceptable(),
            OperationalError("the database is down"),
        ]
        # Codes the view raises itself, declared as ``error_codes = ["UZ-RUNS-410"]``.
        errors += [CatalogError(code) for code in getattr(view, "error_codes", ())]
        has_body = method in BODY_METHODS
        if has_body or self._has_query_parameters():
            errors.append(exceptions.ValidationError({"field": ["invalid"]}))
        if has_body:
            errors += [exceptions.ParseError(), RequestDataTooBig(), exceptions.UnsupportedMediaType("")]
        if "{" in self.path or self._paginated() or api_settings.URL_FORMAT_OVERRIDE:
            # An unknown object, a page past the last, or an unknown ?format=.
            errors.append(Http404())
        if self._needs_permission():
            not_authenticated = exceptions.NotAuthenticated()
            failed = exceptions.AuthenticationFailed()
            if not self._offers_challenge():
                not_authenticated.status_code = failed.status_code = 403
            errors += [not_authenticated, failed, exceptions.PermissionDenied()]
        if self._throttled():
            errors.append(exceptions.Throttled(wait=60))
        if self.conditional_reads():
            errors.append(PreconditionFailed())
        return errors

    def conditional_reads(self):
        """Whether this operation answers conditional requests (304, 412)."""
        return self.method == "GET" and getattr(self.view, "conditional_reads", False)

    def _has_query_parameters(self):
        if self.method != "GET":
            return False
        if is_list_view(self.path, self.method, self.view) and getattr(self.view, "filterset_class", None):
            return True
        return bool(getattr(self.view, "checked_query_parameters", ()))

    def _paginated(self):
        return (
            self.method == "GET"
            and is_list_view(self.path, self.method, self.view)
            and getattr(self.view, "paginator", None) is not None
        )

    def _needs_permission(self):
        try:
            permissions = self.view.get_permissions()
        except Exception:
            return False
        return any(not isinstance(permission, AllowAny) for permission in permissions)

    def _offers_challenge(self):
        try:
            request = getattr(self.view, "request", None)
            return any(a.authenticate_header(request) for a in self.view.get_authenticators())  # type: ignore[arg-type]
        except Exception:
            return False

    def _throttled(self):
        try:
            return bool(self.view.get_throttles())
        except Exception:
            return False


class CatalogAutoSchema(CatalogSchemaMixin, AutoSchema):
    """drf-spectacular's ``AutoSchema`` plus each operation's catalog errors."""


def possible_entries(exc, catalog, reasons):
    """Every entry ``catalog`` can give ``exc``: the one chosen for it as it
    stands and, for a validation error, every rule its class can meet (which
    first field error code comes, if one a rule names, depends on the request)."""
    facts = normalize_exception(exc)
    entries = [choose_entry(facts, catalog, reasons)]
    if isinstance(exc, exceptions.ValidationError):
        for rule in rules_for(catalog, type(exc)):
            entry = catalog.codes.get(rule.code)
            if entry is not None and (not rule.drf_code or rule.drf_code == facts.drf_code):
                entries.append(entry)
    return entries


def rules_for(catalog, exception_class):
    """The catalog's rules that can match an exception of ``exception_class``."""
    # Rules naming no class first, then by the class's place in the MRO
    # (a stable sort keeps the catalog's order among equals).
    distance = {cls: n for n, cls in enumerate(exception_class.__mro__, start=1)}
    distance[None] = 0
    matching = [rule for rule in catalog.rules if rule.exception_class in distance]
    yield from sorted(matching, key=lambda rule: distance[rule.exception_class])


def document_drf_string_rules(result, generator, request, public):
    """drf-spectacular postprocessing hook: request strings say what DRF refuses.

    Add ``"errorcatalog.schema.document_drf_string_rules"`` to
    ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]`` (after the default enum
    hook) with ``COMPONENT_SPLIT_REQUEST``: request components are the ones
    named ``...Request``, so responses are left as they are.
    """
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _add_string_rules(schema)
    return result


def _add_string_rules(schema):
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
        schema["pattern"] = NOT_BLANK if schema.get("minLength", 0) >= 1 else NO_NUL
    for child in schema.get("properties", {}).values():
        _add_string_rules(child)
    _add_string_rules(schema.get("items"))
