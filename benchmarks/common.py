"""What the benchmarks share: a throwaway project database and interleaved timing.

Importing it sets Django up on a fresh SQLite file (and a cache folder of its
own), so a benchmark never touches ``var/`` or the test databases.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# A benchmark that runs itself again (under callgrind) passes its folder on.
WORKDIR = Path(os.environ.get("ERRORCATALOG_BENCH_DIR") or tempfile.mkdtemp(prefix="errorcatalog-bench-"))
os.environ["ERRORCATALOG_BENCH_DIR"] = str(WORKDIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ.pop("REDIS_URL", None)
os.environ["CACHE_DIR"] = str(WORKDIR / "cache")

import django  # noqa: E402

django.setup()


def load_seeds():
    """Migrate the throwaway database and load the five seed catalogs."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", *sorted(str(p) for p in (ROOT / "fixtures").glob("*.json")), verbosity=0)


def interleaved_medians(contenders, repeat, rounds=7):
    """Seconds per call of each ``name -> callable``, median over ``rounds``.

    Rounds interleave the contenders so drift (CPU frequency, other load on a
    shared machine) hits them alike.
    """
    samples = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, call in contenders.items():
            start = time.perf_counter()
            for _ in range(repeat):
                call()
            samples[name].append((time.perf_counter() - start) / repeat)
    return {name: statistics.median(values) for name, values in samples.items()}
