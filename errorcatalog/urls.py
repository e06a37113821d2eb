"""URLs of the catalog REST API: ``path("api/", include("errorcatalog.urls"))``."""

from typing import Any

from django.urls import path

from . import (
    api,
    converters,  # noqa: F401  (registers the path converters)
)

app_name = "errorcatalog"

LIST: dict[str, Any] = {"get": "list"}
DETAIL: dict[str, Any] = {"get": "retrieve"}

urlpatterns = [
    path("catalogs/", api.CatalogViewSet.as_view(LIST), name="catalog-list"),
    path("catalogs/<catalog_slug:slug>/", api.CatalogViewSet.as_view(DETAIL), name="catalog-detail"),
    path("catalogs/<catalog_slug:slug>/export/", api.CatalogViewSet.as_view({"get": "export"}), name="catalog-export"),
    path("catalogs/<catalog_slug:slug>/families/", api.ErrorFamilyViewSet.as_view(LIST), name="family-list"),
    path(
        "catalogs/<catalog_slug:slug>/families/<catalog_slug:key>/",
        api.ErrorFamilyViewSet.as_view(DETAIL),
        name="family-detail",
    ),
    path("catalogs/<catalog_slug:slug>/codes/", api.ErrorCodeViewSet.as_view(LIST), name="code-list"),
    path(
        "catalogs/<catalog_slug:slug>/codes/<error_code:code>/",
        api.ErrorCodeViewSet.as_view(DETAIL),
        name="code-detail",
    ),
    path("statuses/", api.HttpStatusViewSet.as_view(LIST), name="status-list"),
    path("statuses/<http_status:code>/", api.HttpStatusViewSet.as_view(DETAIL), name="status-detail"),
]
