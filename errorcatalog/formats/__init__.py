"""Wire formats: how a resolved error becomes a response body."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from ..conf import errorcatalog_settings
from .base import ErrorFormat
from .envelope import EnvelopeFormat
from .flat import FlatFormat
from .problem import ProblemFormat

__all__ = ["ErrorFormat", "EnvelopeFormat", "FlatFormat", "ProblemFormat", "get_format", "load_format"]


def load_format(name):
    """Return the format class for a name in ``FORMATS`` or a dotted path.

    Raises ``ValueError``, ``ImportError`` or ``TypeError`` with a message fit
    for a form when ``name`` does not name a format.
    """
    path = errorcatalog_settings.FORMATS.get(name, name)
    if "." not in path:
        known = ", ".join(sorted(errorcatalog_settings.FORMATS))
        raise ValueError(f"Unknown format {name!r}: use one of {known} or a dotted path.")
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, ErrorFormat)):
        raise TypeError(f"{path} is not an ErrorFormat subclass.")
    return cls


@lru_cache(maxsize=64)
def get_format(name):
    """Return a shared instance of the format ``name`` (formats are stateless)."""
    return load_format(name)()


def _clear_formats(*, setting, **kwargs):
    if setting == "ERRORCATALOG":
        get_format.cache_clear()


setting_changed.connect(_clear_formats)
