from django.urls import path
from rest_framework import exceptions

from project import urls as project_urls

from . import views

RaisingView = views.RaisingView

urlpatterns = [
    path("api/t/plain-boom/", views.plain_boom),
    path("site/plain-boom/", views.plain_boom),
    path("api/t/plain-ok/", views.plain_ok),
    path("api/t/own-request-id/", views.plain_own_request_id),
    path("api/t/form/", views.plain_form),
    path("site/form/", views.plain_form),
    path("api/t/nested/", views.NestedValidationView.as_view()),
    path("api/t/oz-not-found/", RaisingView.as_view(exc=exceptions.NotFound, error_catalog="oz")),
    path(
        "api/t/zen-envelope/",
        RaisingView.as_view(
            exc=exceptions.ValidationError({"name": ["bad"]}), error_catalog="zen-mesh", error_format="envelope"
        ),
    ),
    path("api/t/broken-format/", RaisingView.as_view(exc=exceptions.NotFound, error_format="broken")),
    path("api/t/django-validation/", RaisingView.as_view(exc=views.django_validation, error_catalog="zen-mesh")),
    path("api/t/db-down/", RaisingView.as_view(exc=views.database_down, error_catalog="usezombie")),
    path("api/t/db-down-generic/", RaisingView.as_view(exc=views.database_down)),
    path("api/t/workspace/", RaisingView.as_view(exc=views.workspace_missing, error_catalog="usezombie")),
    path(
        "api/t/unknown-code/",
        RaisingView.as_view(exc=lambda: views.CatalogError("UZ-NOPE-999"), error_catalog="usezombie"),
    ),
    path("api/t/session-post/", views.SessionPostView.as_view()),
    path("api/t/raise/<str:slug>/<str:code>/", views.raise_catalog_error),
    path("api/t/payment/", RaisingView.as_view(exc=views.PaymentRequired, error_catalog="usezombie")),
    path("api/t/generic/", RaisingView.as_view(exc=exceptions.NotFound)),
    *project_urls.urlpatterns,
]

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
