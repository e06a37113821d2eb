"""errorcatalog: a managed catalog of API errors for Django REST framework.

Public API: raise ``CatalogError`` to answer with a catalog code; subclass
``ErrorFormat`` to add a wire format. Everything else may change.
"""

from .exceptions import CatalogError
from .formats.base import ErrorFormat

__all__ = ["CatalogError", "ErrorFormat"]
