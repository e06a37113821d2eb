"""The catalog REST API as catalogs grow, and the project under a real server.

    .venv/bin/python benchmarks/bench_api.py [--repeat 30] [--server-seconds 8] [--compare-only]

1. In process (Django's test client, whole middleware stack): the code list,
   a code's detail and the export for catalogs of 100, 1,000 and 10,000 codes
   (two causes and one exception mapping each): time per request, the ratio
   to the 100-code catalog, and the SQL queries each request made.
2. A real server: gunicorn with two workers on the same SQLite file, driven
   by a threaded load generator in this process (new connection per request,
   as gunicorn's sync workers close them): requests/s, p50 and p99 latency,
   and throughput as a ratio to the smallest successful API response.
3. errorcatalog against DRF's default handler on the same gunicorn (scale
   issue): a 200 OK, a 404 and a 3-field validation error from the same views
   (``sample_views``), with errorcatalog's handler and middleware, then with
   DRF's default handler and no middleware (``server_settings``), alternated
   over two rounds. ``--compare-only`` runs this part alone.
"""

import argparse
import os
import statistics
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

import requests
from common import WORKDIR, interleaved_medians, load_seeds
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from sample_views import THREE

from errorcatalog.models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping, HttpStatus

SIZES = [100, 1_000, 10_000]
FAMILIES = 10


def make_catalog(size):
    """A catalog ``bench-<size>``: ``size`` codes over ten families, two causes and a mapping each."""
    catalog = Catalog.objects.create(slug=f"bench-{size}", name=f"Bench {size}", format="problem")
    families = ErrorFamily.objects.bulk_create(
        ErrorFamily(catalog=catalog, key=f"f{i}", name=f"Family {i}", position=i) for i in range(FAMILIES)
    )
    statuses = list(HttpStatus.objects.filter(code__gte=400, code__lt=600))
    codes = ErrorCode.objects.bulk_create(
        ErrorCode(
            catalog=catalog,
            family=families[i % FAMILIES],
            code=f"BENCH-{i:05d}",
            numeric_code=i,
            status=statuses[i % len(statuses)],
            title=f"Bench error {i}",
            description="A generated code for the benchmark. " * 5,
        )
        for i in range(size)
    )
    Cause.objects.bulk_create(
        Cause(error_code=code, text=f"Cause {n} of {code.code}", remedy="Do the other thing.", position=n)
        for code in codes
        for n in range(2)
    )
    ExceptionMapping.objects.bulk_create(
        ExceptionMapping(catalog=catalog, error_code=code, drf_code=f"bench_{code.numeric_code}") for code in codes
    )


def in_process(repeat):
    client = Client()

    def fetch(path):
        """``(status, body)``; a streamed body (the export) is read whole, as its time is the body's."""
        response = client.get(path)
        return response.status_code, b"".join(response) if response.streaming else response.content

    endpoints = {
        "list (page of 50)": "/api/catalogs/bench-{size}/codes/",
        "detail": "/api/catalogs/bench-{size}/codes/BENCH-00042/",
        "export": "/api/catalogs/bench-{size}/export/",
    }
    client.get("/api/catalogs/")  # warms the catalog snapshot, which every request reads
    for label, template in endpoints.items():
        calls, queries = {}, {}
        for size in SIZES:
            path = template.format(size=size)
            with CaptureQueriesContext(connection) as captured:
                status, body = fetch(path)
            assert status == 200, (path, status, body[:300])
            queries[size] = len(captured)
            calls[size] = lambda path=path: fetch(path)
        # The export of 10,000 codes takes seconds: fewer repeats for it.
        timings = interleaved_medians(calls, repeat if label != "export" else max(1, repeat // 10), rounds=5)
        print(f"\n{label}: per-request time, ratio to 100 codes, SQL queries")
        for size in SIZES:
            print(
                f"  {size:>6} codes {timings[size] * 1e3:9.2f} ms   {timings[size] / timings[SIZES[0]]:6.2f}x"
                f"   {queries[size]:3d} queries"
            )


def load(url, path, seconds, threads, method="GET", body=None, headers=None, expect=None):
    """Requests/s, p50 and p99 (ms) and failures (a 5xx, or a status other
    than ``expect``) for ``path`` under ``threads`` clients."""
    host, port = url.removeprefix("http://").split(":")
    latencies, failures, deadline = [], [0], time.monotonic() + seconds
    headers = {**({"Content-Type": "application/json"} if body is not None else {}), **(headers or {})}

    def client():
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                connection = HTTPConnection(host, int(port), timeout=10)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
            except OSError:
                failures[0] += 1
                continue
            latencies.append(time.perf_counter() - start)
            if response.status >= 500 if expect is None else response.status != expect:
                failures[0] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, cuts[49] * 1e3, cuts[98] * 1e3, failures[0]


def first_etag(url, wait=30):
    """The ``ETag`` of ``url`` once the server gives one: a worker's first
    snapshot is built before it learns the catalog version (in the
    background), and until then its answers carry no validators."""
    deadline = time.monotonic() + wait
    while "ETag" not in (response := requests.get(url, timeout=10)).headers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no ETag from {url} in {wait} s")
        time.sleep(0.1)
    return response.headers["ETag"]


def real_server(seconds, threads):
    from tests.servers import Gunicorn, server_env

    env = server_env(os.environ["DATABASE_URL"], WORKDIR)
    server = Gunicorn(env, WORKDIR / "gunicorn.log", workers=2)
    listing = "/api/catalogs/bench-1000/codes/"
    etag = {"If-None-Match": first_etag(f"{server.url}{listing}")}
    scenarios = [
        ("status detail (baseline)", "GET", "/api/statuses/200/", None, None, None),
        ("code list, 1,000 codes", "GET", listing, None, None, None),
        ("code list, revalidated (304)", "GET", listing, None, etag, 304),
        ("code detail", "GET", "/api/catalogs/bench-1000/codes/BENCH-00042/", None, None, None),
        ("error: 404 (no route)", "GET", "/demo/usezombie/no/such/", None, None, None),
        ("error: 401 (no token)", "POST", "/demo/usezombie/items/", b"{}", None, None),
        ("error: 404 (unknown code)", "GET", "/api/catalogs/bench-1000/codes/NOPE/", None, None, None),
    ]
    try:
        print(f"\nReal server: gunicorn, 2 sync workers, {threads} client threads, {seconds:g} s each")
        baseline = None
        for label, method, path, body, headers, expect in scenarios:
            load(server.url, path, 1, threads, method, body, headers)  # warm both workers
            rate, p50, p99, failures = load(server.url, path, seconds, threads, method, body, headers, expect)
            baseline = baseline or rate
            print(
                f"  {label:<30} {rate:7.0f} req/s ({rate / baseline:4.2f}x)   p50 {p50:6.1f} ms"
                f"   p99 {p99:6.1f} ms   failed {failures}"
            )
    finally:
        server.stop()


def handler_comparison(seconds, threads, rounds=2):
    """errorcatalog against DRF's default handler on the same gunicorn.

    One server per configuration at a time (``server_settings``: the same
    project, views and workers; ``BENCH_HANDLER=drf`` swaps in DRF's handler
    and drops the middleware), alternated over ``rounds`` so drift hits both
    alike; the median round of each figure is printed.
    """
    from server_urls import PREFIX

    from tests.servers import Gunicorn, server_env

    scenarios = [
        ("200 OK", "GET", f"{PREFIX}ok/", None, 200),
        ("404 NotFound", "GET", f"{PREFIX}not-found/", None, 404),
        ("400, 3 fields", "POST", f"{PREFIX}three-fields/", THREE, 400),
    ]
    configs = ("DRF default", "errorcatalog")
    figures = {(config, label): [] for config in configs for label, *_ in scenarios}
    for _ in range(rounds):
        for config in configs:
            env = server_env(os.environ["DATABASE_URL"], WORKDIR)
            env.update(
                DJANGO_SETTINGS_MODULE="server_settings",
                BENCH_HANDLER="drf" if config == "DRF default" else "errorcatalog",
                PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), env.get("PYTHONPATH", "")]),
            )
            server = Gunicorn(env, WORKDIR / "gunicorn-compare.log", workers=2)
            try:
                for label, method, path, body, status in scenarios:
                    load(server.url, path, 1, threads, method, body)  # warm both workers
                    figures[config, label].append(load(server.url, path, seconds, threads, method, body, expect=status))
            finally:
                server.stop()
    print(f"\nSame gunicorn (2 sync workers, {threads} client threads, {seconds:g} s x {rounds} rounds):")
    print(f"  {'case':<16} {'DRF default req/s, p50, p99':>32}   {'errorcatalog req/s, p50, p99':>32}   req/s ratio")
    for label, *_ in scenarios:
        cells = []
        for config in configs:
            runs = figures[config, label]
            rate, p50, p99 = (statistics.median(run[i] for run in runs) for i in range(3))
            failed = sum(run[3] for run in runs)
            cells.append(
                (rate, f"{rate:7.0f}  {p50:6.1f} ms  {p99:6.1f} ms" + (f" ({failed} failed)" if failed else ""))
            )
        print(f"  {label:<16} {cells[0][1]:>32}   {cells[1][1]:>32}   {cells[1][0] / cells[0][0]:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--server-seconds", type=float, default=8, help="0 skips the real-server runs")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--compare-only", action="store_true", help="only errorcatalog against DRF's default")
    args = parser.parse_args()
    load_seeds()
    if not args.compare_only:
        for size in SIZES:
            make_catalog(size)
        in_process(args.repeat)
    if args.server_seconds:
        connection.close()  # the servers' workers use the file from here on
        if not args.compare_only:
            real_server(args.server_seconds, args.threads)
        handler_comparison(args.server_seconds, args.threads)


if __name__ == "__main__":
    main()
