"""System checks: say at start-up what would silently break error responses."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError
from django.utils.module_loading import import_string

from .conf import DEFAULTS, errorcatalog_settings
from .formats import format_names, load_format

HANDLER = "errorcatalog.handlers.exception_handler"
MIDDLEWARE = "errorcatalog.middleware.ErrorCatalogMiddleware"


def _imports(path):
    try:
        return import_string(path)
    except Exception:
        return None


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs):
    from .handlers import ErrorHandler, exception_handler
    from .middleware import ErrorCatalogMiddleware

    issues: list[CheckMessage] = []
    configured = getattr(settings, "REST_FRAMEWORK", {}).get("EXCEPTION_HANDLER")
    if not configured or _imports(configured) is not exception_handler:
        issues.append(
            Warning(
                "DRF errors do not go through the error catalog.",
                hint=f'Set REST_FRAMEWORK["EXCEPTION_HANDLER"] = "{HANDLER}".',
                id="errorcatalog.W001",
            )
        )
    # As django.contrib.admin's checks do: a subclass of the middleware counts.
    middleware = [_imports(path) for path in settings.MIDDLEWARE]
    if not any(isinstance(cls, type) and issubclass(cls, ErrorCatalogMiddleware) for cls in middleware):
        issues.append(
            Warning(
                "Plain Django views on API paths answer errors with HTML, and errors no handler saw carry no request id.",
                hint=f'Add "{MIDDLEWARE}" (or a subclass) at the top of MIDDLEWARE.',
                id="errorcatalog.W002",
            )
        )
    handler_class: Any
    try:
        handler_class = errorcatalog_settings.HANDLER_CLASS
    except Exception as exc:
        handler_class = exc
    if not (isinstance(handler_class, type) and issubclass(handler_class, ErrorHandler)):
        issues.append(
            Error(
                f"ERRORCATALOG['HANDLER_CLASS'] is not an ErrorHandler subclass: {handler_class!r}",
                hint="Name a subclass of errorcatalog.ErrorHandler, or leave the key out.",
                id="errorcatalog.E005",
            )
        )
    user_settings = getattr(settings, "ERRORCATALOG", {})
    for key in sorted(set(user_settings) - set(DEFAULTS)):
        issues.append(
            Error(
                f"ERRORCATALOG has an unknown key {key!r}.",
                hint="Known keys: " + ", ".join(sorted(DEFAULTS)),
                id="errorcatalog.E001",
            )
        )
    for name in format_names():
        try:
            load_format(name)
        except Exception as exc:
            issues.append(
                Error(
                    f"ERRORCATALOG['FORMATS'][{name!r}]: {exc}",
                    hint="Errors of catalogs using it render in the built-in problem format.",
                    id="errorcatalog.E002",
                )
            )
    return issues


# What to do about each kind of skipped row, and the check's id.
SKIPPED_ROW_ERRORS = {
    "mapping": (
        "errorcatalog.E003",
        "Errors it named get other codes.",
        "Fix or delete the exception mapping in the admin.",
    ),
    "format": (
        "errorcatalog.E004",
        "Its errors render in the built-in problem format.",
        "Choose a registered format for the catalog in the admin.",
    ),
}


@register(Tags.database)
def check_catalog_rows(app_configs, databases=None, **kwargs):
    """Catalog rows the handler must skip (run with ``check --database default``):
    exception mappings whose class is not allowed or does not import, and
    catalogs whose format does not load."""
    if not databases:
        return []
    from .lint import skipped_rows
    from .models import Catalog

    try:
        rows = list(skipped_rows(Catalog.objects.all()))
    except DatabaseError:
        return []
    issues = []
    for row in rows:
        check_id, effect, hint = SKIPPED_ROW_ERRORS[row.kind]
        issues.append(Error(f"Catalog {row.catalog!r}: {row.message} {effect}", hint=hint, id=check_id))
    return issues
