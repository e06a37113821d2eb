"""Links to a code's docs page: the ``type`` / ``docs_uri`` / ``doc_url`` of responses."""

from django.core.exceptions import DisallowedHost
from django.urls import NoReverseMatch, reverse

from .conf import errorcatalog_settings


def docs_url(catalog_slug, docs_base_url, code):
    """The docs link of ``code``: absolute under the catalog's own base URL,
    else the path of this app's page (``None`` when the pages are not mounted)."""
    if docs_base_url:
        return docs_base_url.rstrip("/") + "/" + code
    try:
        return reverse("errorcatalog-docs:code", kwargs={"slug": catalog_slug, "code": code})
    except NoReverseMatch:
        return None


def absolute_url(request, url):
    """Make a docs path absolute: ``DOCS_BASE_URL``, else the request's host.

    Never raises: on a host Django does not allow, the path stays relative.
    """
    if url is None or "://" in url:
        return url
    base = errorcatalog_settings.DOCS_BASE_URL
    if base:
        return base.rstrip("/") + url
    if request is None:
        return url
    try:
        if url.startswith("/") and not url.startswith("//"):
            # A path from reverse() is already a URI: skip build_absolute_uri's
            # parsing and re-quoting, which costs more than the rest of the link.
            return f"{request.scheme}://{request.get_host()}{url}"
        return request.build_absolute_uri(url)
    except DisallowedHost:
        return url
