"""The demo API's URLs, one mount per seed catalog (``/demo/<slug>/``).

Which catalog a mount answers from is fixed here and in
``ERRORCATALOG["PATH_CATALOGS"]``, never per request.
"""

from django.urls import path

from . import views


def demo_patterns(slug):
    """The demo API for the catalog ``slug``."""
    patterns = [
        path("items/", views.ItemCreateView.as_view(demo_catalog=slug), name="item-create"),
        path("items/<int:pk>/", views.ItemDetailView.as_view(demo_catalog=slug), name="item-detail"),
        path("limited/", views.LimitedView.as_view(demo_catalog=slug), name="limited"),
        path("boom/", views.BoomView.as_view(demo_catalog=slug), name="boom"),
    ]
    if slug == "usezombie":
        patterns.append(path("v1/runs/", views.RunsV1View.as_view(demo_catalog=slug), name="runs-v1"))
    return patterns
