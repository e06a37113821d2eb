"""The one rule for exception classes named by catalog rows.

Exception mappings are typed by staff in the admin and arrive in files through
import: a dotted path there must never make the server import a module of the
writer's choosing (importing runs the module's code). A path is imported only
when its module lies under one of the allowed prefixes
(``ERRORCATALOG["EXCEPTION_MODULES"]``), and any failure while importing it is
reported, never raised past the caller. The model's validation, the snapshot
build, the system checks and ``errorcatalog check`` all ask here.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from .conf import errorcatalog_settings

# Where the exceptions a DRF project meets are defined. The project's own
# installed apps are added to these unless the setting names its own list.
DEFAULT_EXCEPTION_MODULES = (
    "builtins",
    "rest_framework.exceptions",
    "django.core.exceptions",
    "django.db",
    "django.http",
    "django.urls",
)


class ExceptionClassError(ValueError):
    """A path that does not name an allowed, importable exception class.

    The message is fit for a form or a log line.
    """


def allowed_module_prefixes() -> tuple[str, ...]:
    """The module prefixes whose exception classes a mapping may name."""
    configured = errorcatalog_settings.EXCEPTION_MODULES
    if configured is not None:
        return tuple(configured)
    from django.apps import apps

    return DEFAULT_EXCEPTION_MODULES + tuple(config.name for config in apps.get_app_configs())


def is_allowed_path(path: str) -> bool:
    """Whether ``path``'s module lies under an allowed prefix, or ``path`` names
    a class a normalizer is registered for (nothing is imported)."""
    module = path.rpartition(".")[0]
    if not module:
        return False
    if any(module == prefix or module.startswith(prefix + ".") for prefix in allowed_module_prefixes()):
        return True
    from .normalize import registered_classes

    return any(f"{cls.__module__}.{cls.__qualname__}" == path for cls in registered_classes())


def load_exception_class(path: str) -> type[BaseException]:
    """Import the exception class at ``path``, or raise ``ExceptionClassError``.

    A path outside the allowed modules is refused without being imported. Any
    failure of an allowed import (``ImportError``, ``ImproperlyConfigured``,
    a ``SyntaxError`` in the module, anything) becomes an ``ExceptionClassError``.
    """
    if not is_allowed_path(path):
        raise ExceptionClassError(
            f"{path} is not under the modules exception mappings may name "
            f"(ERRORCATALOG['EXCEPTION_MODULES']: {', '.join(allowed_module_prefixes())})."
        )
    try:
        cls = import_string(path)
    except Exception as exc:
        raise ExceptionClassError(f"{path} does not import: {type(exc).__name__}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        raise ExceptionClassError(f"{path} is not an exception class.")
    return cls
