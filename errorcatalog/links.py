"""Links to a code's docs page: the ``type`` / ``docs_uri`` / ``doc_url`` of responses."""

from functools import lru_cache
from urllib.parse import quote

from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse

from .conf import errorcatalog_settings

# Stands for the code in the one reverse() per catalog (a valid code, so the
# URL converter accepts it).
_CODE_PLACEHOLDER = "errorcatalog-code-placeholder"


@lru_cache(maxsize=1024)
def docs_link_maker(catalog_slug, docs_base_url):
    """A function ``code -> docs link`` for one catalog: absolute under the
    catalog's own base URL, else the path of this app's page (``None`` when
    the pages are not mounted). The URL is reversed once per catalog, not
    once per code: a snapshot of 100,000 codes spent most of its build there."""
    if docs_base_url:
        prefix = docs_base_url.rstrip("/") + "/"
        return lambda code: prefix + quote(code, safe="")
    try:
        path = reverse("errorcatalog-docs:code", kwargs={"slug": catalog_slug, "code": _CODE_PLACEHOLDER})
    except NoReverseMatch:
        return lambda code: None
    return _filled_in(path)


def absolute_link_maker(request, catalog_slug, docs_base_url):
    """``code -> absolute docs link`` for one catalog and one request: the
    request's host is read once for a whole list of codes, not once per code."""
    link = absolute_url(request, docs_url(catalog_slug, docs_base_url, _CODE_PLACEHOLDER))
    return (lambda code: None) if link is None else _filled_in(link)


def _filled_in(link):
    # ``code -> link`` with the quoted code where the placeholder stands.
    before, _, after = link.partition(_CODE_PLACEHOLDER)
    return lambda code: f"{before}{quote(code, safe='')}{after}"


def docs_url(catalog_slug, docs_base_url, code):
    """The docs link of ``code`` (see ``docs_link_maker``)."""
    return docs_link_maker(catalog_slug, docs_base_url)(code)


@lru_cache(maxsize=4096)
def code_docs_url(catalog_slug, docs_base_url, code):
    """``docs_url``, remembered for the codes errors name most: the snapshot
    keeps no link per code (100,000 codes made 8 MiB of them), and an error
    pays for quoting its code once."""
    return docs_url(catalog_slug, docs_base_url, code)


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
            return site_root(request) + url
        return request.build_absolute_uri(url)
    except DisallowedHost:
        return url


_HOST_SETTINGS = frozenset(
    {"ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT", "SECURE_PROXY_SSL_HEADER"}
)
_site_roots: dict[tuple[str | None, ...], str] = {}


def site_root(request):
    """``scheme://host`` of ``request``; raises ``DisallowedHost`` as ``get_host()`` does.

    Validating the host against ``ALLOWED_HOSTS`` costs more than the rest of
    an error response's links, so each distinct set of host headers is checked
    once; at most 256 valid ones are remembered, a host refused never is.
    """
    meta = request.META
    # Every value get_host() reads: the same values, the same answer (until
    # the settings it reads change).
    key = (
        request.scheme,
        meta.get("HTTP_X_FORWARDED_HOST"),
        meta.get("HTTP_X_FORWARDED_PORT"),
        meta.get("HTTP_HOST"),
        meta.get("SERVER_NAME"),
        meta.get("SERVER_PORT"),
    )
    root = _site_roots.get(key)
    if root is None:
        root = f"{key[0]}://{request.get_host()}"
        if len(_site_roots) < 256:
            _site_roots[key] = root
    return root


@receiver(setting_changed)
def _forget_site_roots(*, setting, **kwargs):
    if setting in _HOST_SETTINGS:
        _site_roots.clear()


def private_type(catalog_slug, code):
    """The ``type`` of a hidden code's responses: a ``tag:`` URI (RFC 4151).

    RFC 9457 section 3.1.1 allows a type URI that cannot be dereferenced: a
    client that received the code can still tell it apart, and no response
    links to a docs page that would answer 404.
    """
    authority = errorcatalog_settings.TAG_URI_AUTHORITY
    return f"tag:{authority}:{quote(catalog_slug or 'generic', safe='')}/{quote(code, safe='')}"


@lru_cache(maxsize=4096)
def generic_docs_url(catalog_slug, code):
    """The path of this app's page for a generic entry (``http_404``,
    ``internal_error``) of a catalog, or ``None`` when the pages are not mounted."""
    return docs_url(catalog_slug, "", code)


errorcatalog_settings.derived(generic_docs_url.cache_clear)
errorcatalog_settings.derived(code_docs_url.cache_clear)
errorcatalog_settings.derived(docs_link_maker.cache_clear)
