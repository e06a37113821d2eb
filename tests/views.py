"""Views the handler tests need beyond the demo API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import HttpResponse
from rest_framework import permissions, serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.views import APIView

from errorcatalog import CatalogError, ErrorFormat


class BrokenFormat(ErrorFormat):
    def render(self, error):
        raise ZeroDivisionError("a bug in a user's format")


class RaisingView(APIView):
    """Raises ``self.exc`` (an instance, or a callable making one)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    exc = None
    error_catalog = None
    error_format = None

    def get(self, request, *args, **kwargs):
        raise self.exc() if callable(self.exc) else self.exc

    post = get


class NestedSerializer(serializers.Serializer):
    class Line(serializers.Serializer):
        qty = serializers.IntegerField(min_value=1)

    lines = Line(many=True)


class NestedValidationView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    def post(self, request):
        NestedSerializer(data=request.data).is_valid(raise_exception=True)


def plain_boom(request):
    raise ValueError("plain view secret")


def plain_ok(request):
    return HttpResponse("ok")


def plain_own_request_id(request):
    # An error status without an exception: no handler sees it, only the middleware.
    status = 409 if "conflict" in request.GET else 200
    response = HttpResponse("ok" if status == 200 else "conflict", status=status)
    response["X-Request-ID"] = "set-by-the-view"
    return response


def plain_form(request):
    return HttpResponse("posted")


def django_validation():
    return DjangoValidationError({"email": ["Enter a valid email address."]}, code="invalid")


def database_down():
    return OperationalError('connection to server at "10.0.0.5", port 5432 failed')


def workspace_missing():
    return CatalogError(
        "UZ-WORKSPACE-001",
        detail="No workspace 0190-abc",
        workspace_id="0190-abc",
        status=999,
        title="overwritten?",
        error_code="HACK",
    )


class SessionPostView(APIView):
    """DRF's SessionAuthentication enforces CSRF for a logged-in user."""

    from rest_framework.authentication import SessionAuthentication

    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        return HttpResponse("posted")


@api_view(["GET"])
@permission_classes([permissions.AllowAny])
@authentication_classes([])
def raise_catalog_error(request, slug, code):
    """A view raising ``CatalogError(code)`` of catalog ``slug``: what a client gets."""
    raise CatalogError(code, catalog=slug)


class PaymentRequired(Exception):
    """A project's own exception, that no built-in normalizer knows."""
