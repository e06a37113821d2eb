"""What the benchmarks share: a throwaway project database and interleaved timing.

Importing it sets Django up on a fresh SQLite file (and a cache folder of its
own), so a benchmark never touches ``var/`` or the test databases.
"""

import gc
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
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


def measure_stretches(calls, repeat):
    """Run inside callgrind: ``repeat`` calls of each ``name -> callable``.

    Each measured stretch ends at a ``getppid()``, where callgrind dumps its
    counters (``--dump-before=getppid``); a warm-up stretch comes before
    each. The names, in order, are printed last for ``callgrind_per_call``.
    """
    for call in calls.values():
        for _ in range(3):
            call()
        gc.collect()  # each stretch pays for the collections its own garbage causes
        os.getppid()  # ends the stretch before: warm-up
        for _ in range(repeat):
            call()
        os.getppid()  # ends this stretch
    print(json.dumps(list(calls)))


def callgrind_per_call(script, args, repeat):
    """``{name: instructions per call}`` of ``script --callgrind-child *args``
    run under callgrind (which calls ``measure_stretches``); ``None`` without
    valgrind or when the child failed (its error output is printed).

    Instructions, not seconds: a loaded machine does not move them.
    """
    if not shutil.which("valgrind"):
        print("\nvalgrind is not installed: no instruction counts (apt install valgrind)")
        return None
    out = tempfile.mkdtemp(prefix="errorcatalog-callgrind-")
    command = [
        "valgrind",
        "--tool=callgrind",
        "--dump-before=getppid",
        # Only the requests' thread: the snapshot's background check (every
        # SNAPSHOT_CHECK_INTERVAL, many times over at callgrind's pace) is not a request's cost.
        "--separate-threads=yes",
        f"--callgrind-out-file={out}/callgrind.out",
        sys.executable,
        str(script),
        "--callgrind-child",
        *args,
        "--repeat",
        str(repeat),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        print(done.stderr[-2000:])
        return None
    names = json.loads(done.stdout.strip().splitlines()[-1])
    totals = []
    for name in sorted(glob.glob(f"{out}/callgrind.out.*-01"), key=lambda p: int(p.rsplit(".", 1)[1][:-3])):
        with open(name) as f:
            found = re.search(r"^(?:summary|totals): (\d+)", f.read(), re.MULTILINE)
            totals.append(int(found.group(1)) if found else 0)
    shutil.rmtree(out, ignore_errors=True)
    # Dumps alternate: warm-up stretch, measured stretch (the first also holds the start-up).
    return {name: total / repeat for name, total in zip(names, totals[1::2], strict=False)}
