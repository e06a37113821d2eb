"""A small API, mounted once per seed catalog, to try each error contract live."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.authentication import TokenAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from errorcatalog import CatalogError

from .models import Item
from .serializers import ItemSerializer


class BearerTokenAuthentication(TokenAuthentication):
    """DRF's token authentication with the ``Authorization: Bearer <token>`` keyword."""

    keyword = "Bearer"


class DemoView:
    """The demo mount (catalog slug) a view serves, set in the URLconf."""

    demo_catalog = None


class ItemCreateView(DemoView, generics.CreateAPIView):
    """Create an item (needs ``Authorization: Bearer <token>``)."""

    serializer_class = ItemSerializer
    # JSON only: one request media type, one schema (forms answer 415).
    parser_classes = [JSONParser]
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    def perform_create(self, serializer):
        serializer.save(catalog=self.demo_catalog)


class ItemDetailView(DemoView, generics.RetrieveAPIView):
    """Read an item created under the same mount."""

    serializer_class = ItemSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self):
        return get_object_or_404(Item, pk=self.kwargs["pk"], catalog=self.demo_catalog)


class PerMountThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, counted per demo mount: calls to one catalog's
    mount never throttle another's."""

    def get_cache_key(self, request, view):
        key = super().get_cache_key(request, view)
        return key and f"{key}:{view.demo_catalog}"


class LimitedView(DemoView, APIView):
    """Two requests a minute per mount, so a client sees 429 and ``Retry-After``."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [PerMountThrottle]
    throttle_scope = "demo-limited"

    @extend_schema(responses={200: {"type": "object", "properties": {"ok": {"type": "boolean"}}}})
    def get(self, request, *args, **kwargs):
        return Response({"ok": True})


class BoomView(DemoView, APIView):
    """Fails with an unexpected exception: the catalog's catch-all answers."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: None})
    def get(self, request, *args, **kwargs):
        raise RuntimeError("demo failure: secret internals that must never reach a client")


class RunsV1View(DemoView, APIView):
    """Pipeline v1 is gone: every call answers 410 with UZ-RUNS-410."""

    permission_classes = [permissions.AllowAny]
    error_codes = ["UZ-RUNS-410"]  # documented in the OpenAPI schema

    @extend_schema(responses={}, deprecated=True)
    def get(self, request, *args, **kwargs):
        raise CatalogError("UZ-RUNS-410", detail="Pipeline v1 endpoints were removed. Use the zombie event model.")
