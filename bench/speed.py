"""Speed and memory: index build, single-query latency (p50 / p99), batch throughput, peak RSS.

Latency: one query at a time through ``Screener.screen`` at the default threshold, over a
seeded mix of half list aliases and half non-listed company names. Throughput: 100,000 names
(the same mix, cycled) written to a CSV and screened by :func:`clearance.index.batchfile.screen_file`
on every core, end to end (reading, screening, writing). Peak memory is the maximum resident set
size of this process (which holds the index) and of the worker processes.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from bench import peer
from bench.data import SEED
from clearance.index.batch import Columns
from clearance.index.batchfile import screen_file
from clearance.index.screener import Screener
from clearance.index.types import Query


def query_mix(listed: list[str], clear: list[str], n: int) -> list[str]:
    rng = random.Random(SEED)
    half = n // 2
    return rng.sample(listed, min(half, len(listed))) + rng.sample(clear, min(n - half, len(clear)))


def latency(screener: Screener, names: list[str]) -> dict[str, float]:
    times = []
    for name in names:
        t = time.perf_counter()
        screener.screen(Query(name))
        times.append(time.perf_counter() - t)
    times.sort()
    return {"n": len(times), "p50_ms": times[len(times) // 2] * 1000, "p99_ms": times[int(len(times) * 0.99)] * 1000,
            "max_ms": times[-1] * 1000, "mean_ms": sum(times) / len(times) * 1000}


def peer_latency(screener: Screener, names: list[str]) -> dict[str, float]:
    """Seconds per query for each peer scorer re-ranking our top candidates (scoring only)."""
    out = {}
    cands = {n: [m.entry for m in screener.screen(Query(n, threshold=0.0, limit=peer.CANDIDATES))] for n in names}
    for pname, algo in peer.load().items():
        t = time.perf_counter()
        for n in names:
            qe = peer.query_entity(n)
            for e in cands[n]:
                peer.score(algo, qe, e)
        out[pname] = (time.perf_counter() - t) / len(names) * 1000
    return out


def throughput(screener: Screener, names: list[str], total: int, workers: int) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="clearance-bench-batch-"))
    src = tmp / "names.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        for i, name in enumerate(islice(cycle(names), total)):
            w.writerow([i, name])
    t = time.perf_counter()
    summary = screen_file(screener, src, tmp / "out.csv", Columns("name", id="id"), workers=workers)
    seconds = time.perf_counter() - t
    return {"names": total, "workers": workers, "seconds": seconds, "per_s": total / seconds,
            "matched_rows": summary["matched_rows"], "errors": summary["errors"]}


_MEMORY_PROBE = """
import resource, sys
from clearance.app import Clearance
from clearance.settings import Settings
app = Clearance.open(Settings.load({"db": sys.argv[1]}, environ={}))
for name in ("Huawei Technologies", "HAIGE GUANGZHOU", "Bashar al-Assad", "华为技术有限公司"):
    app.screen(name)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def peak_memory_mb(db: Path) -> dict[str, float]:
    """Peak RSS of a fresh process that opens the store, builds the index and screens (what a user runs)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the batch workers, so far
    out = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(db)], capture_output=True, text=True, check=True)
    return {"main_mb": float(out.stdout.strip().splitlines()[-1]), "largest_worker_mb": children,
            "cores": float(os.cpu_count() or 1)}
