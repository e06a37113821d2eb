"""Wire formats: how a resolved error becomes a response body.

A catalog, a view and the catalog API name their format by one of the names
registered in ``ERRORCATALOG["FORMATS"]``, merged over the built-ins below.
Names only: a catalog is edited in the admin, and a dotted path typed there
would make the server import any module.
"""

from functools import lru_cache

from django.utils.module_loading import import_string

from ..conf import errorcatalog_settings
from .base import ErrorFormat
from .envelope import EnvelopeFormat
from .flat import FlatFormat
from .problem import ProblemFormat
from .problem_xml import ProblemXmlFormat

__all__ = [
    "BUILTIN_FORMATS",
    "ErrorFormat",
    "EnvelopeFormat",
    "FlatFormat",
    "ProblemFormat",
    "ProblemXmlFormat",
    "fallback_format",
    "format_choices",
    "format_names",
    "get_format",
    "load_format",
    "uses_numeric_codes",
]

#: The formats every project has; ``FORMATS`` adds to them or replaces one by name.
BUILTIN_FORMATS = {
    "problem": "errorcatalog.formats.ProblemFormat",
    "envelope": "errorcatalog.formats.EnvelopeFormat",
    "flat": "errorcatalog.formats.FlatFormat",
    "problem-xml": "errorcatalog.formats.ProblemXmlFormat",
}


def format_names():
    """Name -> dotted path of every registered format: the built-ins, then ``FORMATS``."""
    return {**BUILTIN_FORMATS, **(errorcatalog_settings.FORMATS or {})}


def format_choices():
    """Choices of ``Catalog.format``: the registered names."""
    return [(name, name) for name in format_names()]


def load_format(name):
    """Return the format class registered as ``name``.

    Raises ``ValueError`` for a name that is not registered (nothing is
    imported then), ``ImportError`` or ``TypeError`` with a message fit for a
    form when the registered path does not give an ``ErrorFormat`` subclass.
    """
    registered = format_names()
    if not isinstance(name, str) or name not in registered:
        known = ", ".join(sorted(registered))
        raise ValueError(f"Unknown format {name!r}: use one of {known} (ERRORCATALOG['FORMATS']).")
    path = registered[name]
    try:
        cls = import_string(path)
    except Exception as exc:
        raise ImportError(f"The format {name!r} ({path}) does not import: {type(exc).__name__}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, ErrorFormat)):
        raise TypeError(f"The format {name!r} ({path}) is not an ErrorFormat subclass.")
    return cls


@lru_cache(maxsize=64)
def get_format(name):
    """Return a shared instance of the format ``name`` (formats are stateless)."""
    return load_format(name)()


def uses_numeric_codes(name):
    """Whether the format ``name`` renders the codes' integers (``False`` when it does not load)."""
    try:
        return get_format(name).numeric_codes
    except Exception:
        return False


_FALLBACK = ProblemFormat()


def fallback_format():
    """The built-in problem format, used when the selected format fails to load
    (even when ``FORMATS`` replaced the name ``problem``)."""
    return _FALLBACK


errorcatalog_settings.derived(get_format.cache_clear)
