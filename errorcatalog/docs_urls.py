"""URLs of the docs pages: ``path("errors/", include("errorcatalog.docs_urls"))``.

Responses link here by default (``type`` / ``docs_uri`` / ``doc_url``).
"""

from django.urls import path

from . import (
    converters,  # noqa: F401  (registers the path converters)
    docs_views,
)

app_name = "errorcatalog-docs"

urlpatterns = [
    path("", docs_views.catalog_index, name="index"),
    path("<catalog_slug:slug>/", docs_views.catalog_page, name="catalog"),
    path("<catalog_slug:slug>/<error_code:code>/", docs_views.code_page, name="code"),
]
