"""Hostile query values cost no more than a normal request (trust issue, item 2).

    .venv/bin/python benchmarks/bench_hostile.py [--repeat 5]

For every query parameter of every GET operation in the OpenAPI document,
each hostile value (huge exponents and integers, long strings and lists) is
timed against the same URL without it, in interleaved rounds; the script
prints the worst ratios and fails (exit 1) when any is over 3x.
"""

import argparse
import sys
from urllib.parse import urlencode

from common import interleaved_medians, load_seeds
from django.test import Client

# Long values stop near 4,000 characters: gunicorn refuses request lines over
# 4,094 bytes (limit_request_line) and nginx over 8 KiB, before Django runs.
HOSTILE = ["-1e1000000", "1e3000000", "9" * 4000, "a" * 4000, ",".join(["code"] * 800), "-" * 4000]
PATH_VALUES = {"{slug}": "usezombie", "{key}": "auth", "{code}": "UZ-AUTH-001", "{id}": "1"}


def operations(client):
    document = client.get("/api/schema/?format=json").json()
    for path, item in document["paths"].items():
        operation = item.get("get")
        if not operation:
            continue
        url = path
        for name, value in PATH_VALUES.items():
            url = url.replace(name, "404" if name == "{code}" and "/statuses/" in path else value)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                yield url, parameter["name"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    load_seeds()
    client = Client(raise_request_exception=False)
    results = []
    for url, name in operations(client):
        contenders = {"normal": lambda url=url: client.get(url)}
        for value in HOSTILE:
            # Encoded once here: the test client's own encoding is not the server's cost.
            target = f"{url}?{urlencode({name: value})}"
            contenders[value[:12]] = lambda target=target: client.get(target)
        medians = interleaved_medians(contenders, args.repeat, rounds=3)
        for label, seconds in medians.items():
            if label != "normal":
                results.append((seconds / medians["normal"], url, name, label, seconds))
    results.sort(reverse=True)
    print(f"{len(results)} hostile requests over {len({(u, n) for _, u, n, _, _ in results})} parameters")
    print("worst ratios to the same URL without the value:")
    for ratio, url, name, label, seconds in results[:10]:
        print(f"  {ratio:5.2f}x  {seconds * 1000:7.2f} ms  {url}?{name}={label}...")
    worst = results[0][0]
    print(f"target <= 3.00x: {'met' if worst <= 3 else 'NOT met'} (worst {worst:.2f}x)")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
