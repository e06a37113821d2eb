"""errorcatalog: a managed catalog of API errors for Django REST framework.

Public API: raise ``CatalogError`` to answer with a catalog code; subclass
``ErrorFormat`` to add a wire format; call ``bump_version()`` after writing
catalog rows with ``update()`` or ``bulk_create()`` (they send no signals);
read a request's id (the one its error responses carry) with
``request_id_for(request)``. Everything else may change.

Names are imported on first use (PEP 562), so importing the package loads
neither the ORM nor the settings.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "CatalogError": ".exceptions",
    "ErrorFormat": ".formats.base",
    "FieldError": ".types",
    "ProblemFacts": ".types",
    "ResolvedError": ".types",
    "ErrorHandler": ".handlers",
    "bump_version": ".snapshot",
    "normalizes": ".normalize",
    "render_exception": ".handlers",
    "request_id_for": ".request_id",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'errorcatalog' has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
