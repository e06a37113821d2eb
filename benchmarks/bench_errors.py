"""Time the same error views under DRF's default handler, errorcatalog (each
format) and drf-standardized-errors; print per-request time and the ratio to
DRF's default.

    .venv/bin/pip install -r benchmarks/requirements.txt
    .venv/bin/python benchmarks/bench_errors.py [--repeat 2000]

It builds a throwaway SQLite database with the seed catalogs, warms the
catalog snapshot, then calls each view directly (view, handler, rendering;
no middleware or URL routing, which every handler pays alike).
"""

import argparse

from common import interleaved_medians, load_seeds
from django.test import RequestFactory
from rest_framework import exceptions, serializers
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_handler

from errorcatalog.handlers import exception_handler as catalog_handler

try:
    from drf_standardized_errors.handler import exception_handler as standardized_handler
except ImportError:  # pragma: no cover - optional
    standardized_handler = None


class ItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1)
    environment = serializers.ChoiceField(choices=["staging", "production"])


class ValidationView(APIView):
    authentication_classes = []
    permission_classes = []
    handler = None
    error_catalog = None

    def get_exception_handler(self):
        return self.handler

    def post(self, request):
        ItemSerializer(data={"quantity": 0, "environment": "dev"}).is_valid(raise_exception=True)


class NotFoundView(ValidationView):
    def post(self, request):
        raise exceptions.NotFound("No item 42.")


def run_view(view, request):
    response = view(request)
    if hasattr(response, "render"):
        response.render()
    return response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    load_seeds()
    factory = RequestFactory()
    contenders = [("DRF default", drf_handler, None)]
    for fmt, catalog in [("problem", "usezombie"), ("envelope", "zof"), ("flat", "oz")]:
        contenders.append((f"errorcatalog {fmt} ({catalog})", catalog_handler, catalog))
    if standardized_handler:
        contenders.append(("drf-standardized-errors", standardized_handler, None))
    else:
        print("drf-standardized-errors is not installed: pip install -r benchmarks/requirements.txt")
    for label, view_class in [("ValidationError (3 fields)", ValidationView), ("NotFound", NotFoundView)]:
        print(f"\n{label}: per-request time, ratio to DRF's default")
        views = {}
        for name, handler, catalog in contenders:
            views[name] = view_class.as_view(handler=handler, error_catalog=catalog)
            run_view(views[name], factory.post("/x/", {}, content_type="application/json"))  # warm
        calls = {
            name: lambda view=view: run_view(view, factory.post("/demo/x/", {}, content_type="application/json"))
            for name, view in views.items()
        }
        timings = interleaved_medians(calls, args.repeat)
        baseline = timings["DRF default"]
        for name, seconds in timings.items():
            print(f"  {name:<34} {seconds * 1e6:8.1f} µs   {seconds / baseline:5.2f}x")


if __name__ == "__main__":
    main()
