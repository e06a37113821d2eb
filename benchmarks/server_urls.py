"""URLs of bench_api.py's handler comparison: the benchmark views under a
demo catalog's prefix (its catalog renders their errors), then the project's."""

from django.urls import include, path
from sample_views import NotFoundView, OkView, ThreeFieldsView

from project.urls import handler400, handler403, handler404, handler500  # noqa: F401 (Django reads them here)

PREFIX = "/demo/usezombie/bench/"

urlpatterns = [
    path(f"{PREFIX[1:]}ok/", OkView.as_view()),
    path(f"{PREFIX[1:]}not-found/", NotFoundView.as_view()),
    path(f"{PREFIX[1:]}three-fields/", ThreeFieldsView.as_view()),
    path("", include("project.urls")),
]
