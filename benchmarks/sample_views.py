"""The views every benchmark of a request uses (no Django set-up here: the
real-server run imports them inside gunicorn, under the project's settings)."""

import json

from rest_framework import exceptions, serializers
from rest_framework.authentication import BasicAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView
from uuid_utils import uuid7


class ItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1)
    environment = serializers.ChoiceField(choices=["staging", "production"])


class LineSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=3)
    quantity = serializers.IntegerField(min_value=1)
    price = serializers.DecimalField(max_digits=5, decimal_places=2)
    currency = serializers.ChoiceField(choices=["EUR", "USD"])
    note = serializers.CharField(max_length=2)


class OrderSerializer(serializers.Serializer):
    lines = LineSerializer(many=True)


class AlwaysThrottled(BaseThrottle):
    def allow_request(self, request, view):
        return False

    def wait(self):
        return 30.0


class BenchView(APIView):
    authentication_classes = []
    permission_classes = []
    handler = None

    def get_exception_handler(self):
        return self.handler or super().get_exception_handler()  # None: the settings' handler


class NotFoundView(BenchView):
    def get(self, request):
        raise exceptions.NotFound("No item 42.")


class UnauthorizedView(BenchView):
    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


class ThrottledView(BenchView):
    throttle_classes = [AlwaysThrottled]

    def get(self, request):
        return Response({"ok": True})


class BugView(BenchView):
    def get(self, request):
        raise RuntimeError("a bug")


class ThreeFieldsView(BenchView):
    def post(self, request):
        ItemSerializer(data=request.data).is_valid(raise_exception=True)


class FiftyFieldsView(BenchView):
    def post(self, request):
        OrderSerializer(data=request.data).is_valid(raise_exception=True)


class BareRequestId:
    """The least a middleware setting a request id on every response does
    through Django's API: an id (the client's, else a UUIDv7) and one header.
    What ``REQUEST_ID_ON_EVERY_RESPONSE`` costs a 200 OK, at the least."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.META.get("HTTP_X_REQUEST_ID") or str(uuid7())
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request.request_id
        return response


class OkView(BenchView):
    def get(self, request):
        return Response({"ok": True})


THREE = json.dumps({"quantity": 0, "environment": "dev"}).encode()
FIFTY = json.dumps(
    {"lines": [{"sku": "LONG", "quantity": 0, "price": "x", "currency": "GBP", "note": "long"}] * 10}
).encode()
