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

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions
from rest_framework.permissions import AllowAny

from .examples import example_for_entry
from .exceptions import CatalogError
from .handlers import select_catalog, select_format
from .normalize import normalize_exception
from .resolve import choose_entry, generic_entry
from .snapshot import get_snapshot
from .text import escape_markdown

BODY_METHODS = {"POST", "PUT", "PATCH"}


class CatalogAutoSchema(AutoSchema):
    """drf-spectacular's ``AutoSchema`` plus each operation's catalog errors."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        snapshot = get_snapshot()
        catalog = snapshot.catalog(select_catalog(self.view, path))
        error_format = select_format(self.view, catalog)
        reference = self._format_component(error_format)
        request = getattr(self.view, "request", None)

        by_status = {}
        for exc in self.possible_errors():
            entry = choose_entry(normalize_exception(exc), catalog, snapshot.reasons)
            if not entry.public:
                # The document is public: a hidden code is documented as its status only.
                entry = generic_entry(entry.status, snapshot.reasons)
            by_status.setdefault(entry.status, {}).setdefault(entry.code, entry)

        responses = operation.setdefault("responses", {})
        listed = []
        for status in sorted(by_status):
            examples = {}
            for entry in by_status[status].values():
                example = example_for_entry(entry, catalog, request=request, view=self.view)
                examples[entry.code] = {"summary": f"{entry.code}: {entry.title}", "value": example.body}
                listed.append({"code": entry.code, "status": status, "title": entry.title,
                               "docs_uri": example.docs_uri})
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
        errors = [RuntimeError("unexpected"), exceptions.MethodNotAllowed(method)]
        # Codes the view raises itself, declared as ``error_codes = ["UZ-RUNS-410"]``.
        errors += [CatalogError(code) for code in getattr(view, "error_codes", ())]
        has_body = method in BODY_METHODS
        if has_body or self._has_filters():
            errors.append(exceptions.ValidationError({"field": ["invalid"]}))
        if has_body:
            errors += [exceptions.ParseError(), RequestDataTooBig()]
        if "{" in self.path or self._paginated():
            errors.append(Http404())  # an unknown object, or a page past the last
        if self._needs_permission():
            not_authenticated = exceptions.NotAuthenticated()
            if not self._offers_challenge():
                not_authenticated.status_code = 403
            errors += [not_authenticated, exceptions.PermissionDenied()]
        if self._throttled():
            errors.append(exceptions.Throttled(wait=60))
        return errors

    def _has_filters(self):
        return bool(getattr(self.view, "filterset_class", None) or getattr(self.view, "filter_backends", None)) and (
            self._is_list_view() if self.method == "GET" else False
        )

    def _paginated(self):
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None

    def _needs_permission(self):
        try:
            permissions = self.view.get_permissions()
        except Exception:
            return False
        return any(not isinstance(permission, AllowAny) for permission in permissions)

    def _offers_challenge(self):
        try:
            return any(a.authenticate_header(getattr(self.view, "request", None)) for a in self.view.get_authenticators())
        except Exception:
            return False

    def _throttled(self):
        try:
            return bool(self.view.get_throttles())
        except Exception:
            return False

