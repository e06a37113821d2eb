from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerView

from errorcatalog.schema_view import CatalogRedocView, CatalogSchemaView
from errorcatalog.views import api_not_found
from project.demo.urls import demo_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("errorcatalog.urls")),
    path("api/schema/", CatalogSchemaView.as_view(), name="schema"),
    path("api/schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/schema/redoc/", CatalogRedocView.as_view(url_name="schema"), name="redoc"),
    path("errors/", include("errorcatalog.docs_urls")),
    *[
        path(f"demo/{slug}/", include((demo_patterns(slug), "demo"), namespace=f"demo-{slug}"))
        for slug in settings.DEMO_CATALOGS
    ],
    # Unknown URLs under the API prefixes answer from the catalog, DEBUG or not.
    re_path(r"^(?:api|demo)/", api_not_found),
]

handler400 = "errorcatalog.views.bad_request"
handler403 = "errorcatalog.views.permission_denied"
handler404 = "errorcatalog.views.page_not_found"
handler500 = "errorcatalog.views.server_error"
