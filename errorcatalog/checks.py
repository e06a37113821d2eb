"""System checks: say at start-up what would silently break error responses."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError
from django.utils.module_loading import import_string

from .conf import DEFAULTS

HANDLER = "errorcatalog.handlers.exception_handler"
MIDDLEWARE = "errorcatalog.middleware.ErrorCatalogMiddleware"


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs):
    issues = []
    rest_framework = getattr(settings, "REST_FRAMEWORK", {})
    if rest_framework.get("EXCEPTION_HANDLER") != HANDLER:
        issues.append(Warning(
            "DRF errors do not go through the error catalog.",
            hint=f'Set REST_FRAMEWORK["EXCEPTION_HANDLER"] = "{HANDLER}".',
            id="errorcatalog.W001",
        ))
    if MIDDLEWARE not in settings.MIDDLEWARE:
        issues.append(Warning(
            "Responses carry no request id and plain Django views on API paths answer with HTML.",
            hint=f'Add "{MIDDLEWARE}" at the top of MIDDLEWARE.',
            id="errorcatalog.W002",
        ))
    user_settings = getattr(settings, "ERRORCATALOG", {})
    for key in sorted(set(user_settings) - set(DEFAULTS)):
        issues.append(Error(
            f"ERRORCATALOG has an unknown key {key!r}.",
            hint="Known keys: " + ", ".join(sorted(DEFAULTS)),
            id="errorcatalog.E001",
        ))
    for name, path in user_settings.get("FORMATS", {}).items():
        try:
            import_string(path)
        except ImportError as exc:
            issues.append(Error(
                f"ERRORCATALOG['FORMATS'][{name!r}] does not import: {exc}",
                id="errorcatalog.E002",
            ))
    return issues


@register(Tags.database)
def check_mappings(app_configs, databases=None, **kwargs):
    """Exception mappings whose class no longer imports (run with --database)."""
    if not databases:
        return []
    from .models import ExceptionMapping

    issues = []
    try:
        rows = list(ExceptionMapping.objects.exclude(exception_class="").values_list(
            "catalog__slug", "exception_class").distinct())
    except DatabaseError:
        return []
    for slug, path in rows:
        try:
            import_string(path)
        except ImportError:
            issues.append(Error(
                f"Catalog {slug!r} maps {path}, which does not import; errors it named get other codes.",
                hint="Fix or delete the exception mapping in the admin.",
                id="errorcatalog.E003",
            ))
    return issues
