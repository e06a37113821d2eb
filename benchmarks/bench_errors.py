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
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("CACHE_DIR", tempfile.mkdtemp())

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from rest_framework import exceptions, serializers  # noqa: E402
from rest_framework.views import APIView, exception_handler as drf_handler  # noqa: E402

from errorcatalog.handlers import exception_handler as catalog_handler  # noqa: E402

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


def time_round(view, factory, repeat):
    start = time.perf_counter()
    for _ in range(repeat):
        run_view(view, factory.post("/demo/x/", {}, content_type="application/json"))
    return (time.perf_counter() - start) / repeat


def time_views(views, factory, repeat, rounds=7):
    # Rounds interleave the contenders so drift (CPU frequency, other load)
    # hits them alike; the median round stands for each.
    samples = {name: [] for name in views}
    for _ in range(rounds):
        for name, view in views.items():
            samples[name].append(time_round(view, factory, repeat))
    return {name: statistics.median(values) for name, values in samples.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("loaddata", *sorted(str(p) for p in (ROOT / "fixtures").glob("*.json")), verbosity=0)
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
        timings = time_views(views, factory, args.repeat)
        baseline = timings["DRF default"]
        for name, seconds in timings.items():
            print(f"  {name:<34} {seconds * 1e6:8.1f} µs   {seconds / baseline:5.2f}x")


if __name__ == "__main__":
    main()
