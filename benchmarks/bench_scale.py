"""The error path as catalogs grow: 1,000 / 10,000 / 100,000 codes (scale issue).

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1000,10000,100000] [--repeat 2000]

For each size, one catalog with that many codes (titles 20-60 characters,
default details and two causes 60-120, as long as the seeds'), and as many
mapping rules: half naming one of 20 real DRF/Django exception classes with
distinct DRF or field codes, half naming no class, with distinct field codes.
It prints:

- the snapshot build: seconds, queries, and the memory the snapshot holds
  (tracemalloc, after a collection);
- the handler's cost for a validation error and a 404 whose matching rule is
  the worst case for a scan of every rule, as a ratio to the same error with
  only the five seed catalogs (the target is <= 1.10x), with the garbage
  collector on, as production runs.
"""

import argparse
import gc
import json
import random
import sys
import time
import tracemalloc

from common import interleaved_medians, load_seeds
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework import exceptions

from errorcatalog import snapshot
from errorcatalog.handlers import exception_handler
from errorcatalog.models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping, HttpStatus

CLASSES = [
    "rest_framework.exceptions.ValidationError",
    "rest_framework.exceptions.ParseError",
    "rest_framework.exceptions.AuthenticationFailed",
    "rest_framework.exceptions.NotAuthenticated",
    "rest_framework.exceptions.PermissionDenied",
    "rest_framework.exceptions.NotFound",
    "rest_framework.exceptions.MethodNotAllowed",
    "rest_framework.exceptions.NotAcceptable",
    "rest_framework.exceptions.UnsupportedMediaType",
    "rest_framework.exceptions.Throttled",
    "rest_framework.exceptions.APIException",
    "django.core.exceptions.ValidationError",
    "django.core.exceptions.PermissionDenied",
    "django.core.exceptions.SuspiciousOperation",
    "django.core.exceptions.RequestDataTooBig",
    "django.core.exceptions.BadRequest",
    "django.http.Http404",
    "django.db.utils.OperationalError",
    "django.db.utils.DatabaseError",
    "builtins.NotImplementedError",
]


def text(rng, low, high):
    words = []
    while sum(len(w) + 1 for w in words) < rng.randint(low, high):
        words.append(rng.choice(["token", "request", "workspace", "missing", "invalid", "expired", "agent", "field"]))
    return " ".join(words)[:high]


def make_catalog(size, rng):
    catalog = Catalog.objects.create(slug=f"scale-{size}", name=f"Scale {size}", format="problem")
    family = ErrorFamily.objects.create(catalog=catalog, key="all", name="All")
    statuses = list(HttpStatus.objects.filter(code__in=[400, 401, 403, 404, 409, 422, 429, 500, 503]))
    codes = ErrorCode.objects.bulk_create(
        ErrorCode(
            catalog=catalog,
            family=family,
            code=f"SC-{n:06d}",
            status=statuses[n % len(statuses)],
            title=text(rng, 20, 60),
            default_detail=text(rng, 60, 120),
        )
        for n in range(size)
    )
    Cause.objects.bulk_create(
        Cause(error_code=code, text=text(rng, 60, 120) + f" ({code.code} {i})", position=i)
        for code in codes
        for i in range(2)
    )
    half = size // 2
    ExceptionMapping.objects.bulk_create(
        [
            ExceptionMapping(
                catalog=catalog, error_code=codes[n], exception_class=CLASSES[n % len(CLASSES)], drf_code=f"drf_{n}"
            )
            for n in range(half)
        ]
        + [ExceptionMapping(catalog=catalog, error_code=codes[n], field_code=f"field_{n}") for n in range(half, size)]
    )
    snapshot.bump_version()
    return catalog, f"field_{size - 1}"


def build_figures():
    gc.collect()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        snapshot.build_snapshot()
    seconds = time.perf_counter() - started
    # Memory from a second build: tracemalloc would slow the timed one.
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    built = snapshot.build_snapshot()
    gc.collect()
    held = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(before, "filename"))
    tracemalloc.stop()
    del built
    return seconds, len(queries), held


def error_calls(slug, field_code):
    factory = RequestFactory()
    prefix = f"/demo/{slug}/" if slug else "/api/"

    def validation():
        request = factory.post(f"{prefix}x/", "{}", content_type="application/json")
        detail = {"name": [exceptions.ErrorDetail("bad", code=field_code)]}
        return exception_handler(exceptions.ValidationError(detail), {"request": request, "view": View(slug)})

    def not_found():
        return exception_handler(exceptions.NotFound(), {"request": factory.get(f"{prefix}x/"), "view": View(slug)})

    return validation, not_found


class View:
    def __init__(self, slug):
        self.error_catalog = slug


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    load_seeds()
    rng = random.Random(7)
    seed_validation, seed_not_found = error_calls("usezombie", "required")
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        started = time.perf_counter()
        slug = make_catalog(size, rng)[0].slug
        made = time.perf_counter() - started
        seconds, queries, held = build_figures()
        snapshot.reset()
        snapshot.get_snapshot()
        validation, not_found = error_calls(slug, f"field_{size - 1}")
        medians = interleaved_medians(
            {
                "seed validation": seed_validation,
                "scale validation": validation,
                "seed 404": seed_not_found,
                "scale 404": not_found,
            },
            args.repeat // 10 or 1,
        )
        rows.append(
            {
                "codes": size,
                "generated_s": round(made, 1),
                "build_s": round(seconds, 3),
                "build_queries": queries,
                "snapshot_MiB": round(held / 2**20, 1),
                "validation_ratio": round(medians["scale validation"] / medians["seed validation"], 2),
                "404_ratio": round(medians["scale 404"] / medians["seed 404"], 2),
                "validation_us": round(medians["scale validation"] * 1e6, 1),
            }
        )
        print(json.dumps(rows[-1]))
    met = all(r["validation_ratio"] <= 1.10 and r["404_ratio"] <= 1.10 for r in rows)
    print(f"per-error cost independent of catalog size (<= 1.10x the seed catalogs): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
