"""The exception an application raises to return a catalog error, and the API's own."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException


class CatalogError(Exception):
    """Raise to answer with a catalog code::

        raise CatalogError("UZ-WORKSPACE-001", detail="No workspace 0190...", workspace_id=wid)

    or declare the code once on a subclass, as DRF's exceptions declare
    ``default_code``, and raise it with no arguments::

        class WorkspaceMissing(CatalogError):
            code = "UZ-WORKSPACE-001"

        raise WorkspaceMissing(workspace_id=wid)

    ``detail`` describes this occurrence (the code's ``default_detail`` or its
    title when omitted); ``catalog`` picks a catalog other than the request's
    (a subclass may declare it too); every other keyword becomes an extension
    member of the body (it never replaces a member the format defines) and
    fills ``{name}`` placeholders of the code's ``default_detail``.
    """

    #: The catalog code a subclass stands for.
    code: str | None = None
    #: The catalog a subclass's code belongs to (``None``: the request's).
    catalog: str | None = None

    # ``code`` is positional-only so that ``code=`` is free for an extension member.
    def __init__(self, code=None, /, detail=None, *, catalog=None, **extra):
        code = code if code is not None else type(self).code
        if code is None:
            raise TypeError(f"{type(self).__name__} needs a code: pass one, or declare `code = ...` on the class")
        self.code = code
        self.detail = detail
        self.catalog = catalog if catalog is not None else type(self).catalog
        self.extra = extra
        super().__init__(code if detail is None else f"{code}: {detail}")


class PreconditionFailed(APIException):
    """``If-Match`` or ``If-Unmodified-Since`` does not hold (RFC 9110 section 13.1)."""

    status_code = 412
    default_detail = _("A precondition in the request headers does not hold.")
    default_code = "precondition_failed"
