"""Speed and memory: index build, single-query latency (p50 / p99), batch throughput, peak RSS.

Latency: one query at a time through ``Screener.screen`` at the default threshold, over a
seeded mix of half list aliases and half non-listed company names. Throughput: 100,000 names
(20,000 of the same mix, cycled; and, for information, once with as many distinct names as the
data give, ~69,000) written to a CSV and screened by :func:`clearance.index.batchfile.screen_file`
with two workers in a fresh process, end to end (reading, screening, writing; the index build is
not included). Peak memory is the high-water RSS (VmHWM) of fresh processes doing what a user
does -- one ``screen`` and one batch run -- not of this benchmark process, which holds more.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from bench import peer
from bench.data import SEED
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


_BATCH_PROBE = """
import json, resource, sys, time
from pathlib import Path
from clearance.app import Clearance
from clearance.index.batch import Columns
from clearance.index.batchfile import screen_file
from clearance.settings import Settings
app = Clearance.open(Settings.load({"db": sys.argv[1], "threshold": float(sys.argv[5])}, environ={}))
screener = app.screener()
t = time.perf_counter()
summary = screen_file(screener, Path(sys.argv[2]), Path(sys.argv[3]), Columns("name", id="id"), workers=int(sys.argv[4]))
summary["wall_s"] = time.perf_counter() - t
summary["main_mb"] = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM")) / 1024
summary["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(summary))
"""


def throughput(db: Path, names: list[str], total: int, workers: int, threshold: float) -> dict[str, Any]:
    """Screen ``total`` names from a CSV in a fresh process (as ``clearance screen-file`` does)."""
    tmp = Path(tempfile.mkdtemp(prefix="clearance-bench-batch-"))
    src = tmp / "names.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        for i, name in enumerate(islice(cycle(names), total)):
            w.writerow([i, name])
    out = subprocess.run([sys.executable, "-c", _BATCH_PROBE, str(db), str(src), str(tmp / "out.csv"), str(workers),
                          str(threshold)], capture_output=True, text=True, check=True)
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    return {"names": total, "distinct": len(set(islice(cycle(names), total))), "workers": workers,
            "seconds": summary["wall_s"], "per_s": total / summary["wall_s"],
            "matched_rows": summary["matched_rows"], "errors": summary["errors"],
            "main_mb": summary["main_mb"], "worker_mb": summary["worker_mb"]}


def throughput_median(db: Path, names: list[str], total: int, workers: int, threshold: float, runs: int) -> dict[str, Any]:
    """:func:`throughput` ``runs`` times: the median run, with every run's names/s in ``runs_per_s``
    and the largest memory of any run. Timings on a shared 2-core machine move by a quarter between
    two runs of the same code; the median of three is steadier than one run and not biased upward
    like the best of three."""
    results = sorted((throughput(db, names, total, workers, threshold) for _ in range(max(1, runs))),
                     key=lambda r: r["per_s"])
    mid = dict(results[len(results) // 2])
    mid["runs_per_s"] = [r["per_s"] for r in results]
    mid["main_mb"] = max(r["main_mb"] for r in results)
    mid["worker_mb"] = max(r["worker_mb"] for r in results)
    return mid


_MEMORY_PROBE = """
import sys
from clearance.app import Clearance
from clearance.settings import Settings
app = Clearance.open(Settings.load({"db": sys.argv[1]}, environ={}))
for name in ("Huawei Technologies", "HAIGE GUANGZHOU", "Bashar al-Assad", "华为技术有限公司"):
    app.screen(name)
# VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the forking bench process's size
print(next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM")) / 1024)
"""


def peak_memory_mb(db: Path, thr: dict[str, Any]) -> dict[str, float]:
    """Peak RSS of a fresh process that opens the store, builds the index and screens (what a user runs),
    and of the batch run's main process and largest worker."""
    out = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(db)], capture_output=True, text=True, check=True)
    return {"main_mb": float(out.stdout.strip().splitlines()[-1]), "batch_main_mb": thr["main_mb"],
            "largest_worker_mb": thr["worker_mb"], "cores": float(os.cpu_count() or 1)}
