"""Load benchmark of ``clearance serve`` on loopback: sustained requests/s and p50/p99
latency of ``POST /match/default`` with 1 and with 20 queries per request.

    python -m bench.load_api                 # starts a server (2 workers) on every bundled list
    python -m bench.load_api --url http://127.0.0.1:8000 --key clr_...   # an existing server

Scenarios, each for ``--duration`` seconds after a warm-up:

- ``1 query, open loop``: requests sent on a fixed schedule at ``--rate`` per second
  (default 500, the issue's target); latency counts from the scheduled send time, so a
  stalled server cannot hide queueing (no coordinated omission).
- ``1 query, closed loop`` and ``20 queries, closed loop``: ``--connections`` clients
  send back to back; the sustained rate is the server's capacity.

The client is a small HTTP/1.1 keep-alive client on asyncio streams (cheaper per request
than a general HTTP library, so the generator does not starve the server of CPU). Query
names are real list names and real-looking non-listed names, in a seeded order.
Figures are printed and written to ``bench/results/api_latest.md``. All traffic stays on
127.0.0.1, bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

RESULTS = Path(__file__).resolve().parent / "results" / "api_latest.md"
REPO = Path(__file__).resolve().parents[1]


@dataclass
class Stats:
    name: str
    queries_per_request: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def pct(self, p: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(p / 100 * len(data)))] * 1000 if data else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def row(self) -> str:
        return (f"| {self.name} | {self.queries_per_request} | {self.rate:,.0f} | {self.rate * self.queries_per_request:,.0f}"
                f" | {self.pct(50):.1f} | {self.pct(99):.1f} | {self.errors} |")


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return status


def build_request(host: str, key: str, names: list[str]) -> bytes:
    body = json.dumps({"queries": {f"q{i}": {"schema": "LegalEntity", "properties": {"name": [n]}}
                                   for i, n in enumerate(names)}}).encode()
    return (f"POST /match/default HTTP/1.1\r\nHost: {host}\r\nAuthorization: ApiKey {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


async def closed_loop(url: str, requests: list[bytes], stats: Stats, connections: int, duration: float) -> None:
    parts = urlsplit(url)
    deadline = time.perf_counter() + duration
    counter = iter(range(10**9))

    async def client() -> None:
        conn = Connection(parts.hostname or "127.0.0.1", parts.port or 80)
        while time.perf_counter() < deadline:
            raw = requests[next(counter) % len(requests)]
            t0 = time.perf_counter()
            status = await conn.request(raw)
            stats.latencies.append(time.perf_counter() - t0)
            stats.errors += status != 200

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    stats.elapsed = time.perf_counter() - start


async def open_loop(url: str, requests: list[bytes], stats: Stats, rate: float, duration: float,
                    connections: int) -> None:
    parts = urlsplit(url)
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(Connection(parts.hostname or "127.0.0.1", parts.port or 80))
    total = int(rate * duration)
    tasks = []

    async def one(raw: bytes, scheduled: float) -> None:
        conn = await pool.get()
        try:
            status = await conn.request(raw)
        finally:
            pool.put_nowait(conn)
        stats.latencies.append(time.perf_counter() - scheduled)
        stats.errors += status != 200

    start = time.perf_counter()
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(requests[i % len(requests)], scheduled)))
    await asyncio.gather(*tasks)
    stats.elapsed = time.perf_counter() - start


def sample_names(db: Path, n: int = 2000, seed: int = 7) -> list[str]:
    """Real list names (half) and non-listed company and person names (half), shuffled with a fixed seed."""
    from clearance.store.sqlite import ListStore

    store = ListStore(db)
    listed = [e.name for _, e in store.current_entries() if e.name]
    store.close()
    rng = random.Random(seed)
    words = ["Northern", "Pacific", "Golden", "River", "Summit", "Blue", "Harbor", "Atlas", "Cedar", "Union"]
    kinds = ["Trading", "Logistics", "Foods", "Textiles", "Software", "Consulting", "Mining", "Shipping"]
    forms = ["Ltd", "LLC", "GmbH", "S.A.", "Co., Ltd.", "Inc."]
    people = ["Maria Gonzalez", "John Smith", "Wei Zhang", "Anna Ivanova", "Ahmed Hassan", "Yuki Tanaka"]
    other = [f"{rng.choice(words)} {rng.choice(words)} {rng.choice(kinds)} {rng.choice(forms)}" for _ in range(n // 3)]
    other += [f"{rng.choice(people)} {rng.randint(1, 99)}" for _ in range(n // 6)]
    names = rng.sample(listed, min(n // 2, len(listed))) + other
    rng.shuffle(names)
    return names


def start_server(db: Path, workers: int) -> tuple[subprocess.Popen[bytes], str, str]:
    """A fresh ``clearance serve`` subprocess on a free port, with a reader key; waits for /readyz."""
    import httpx

    from clearance.api.keys import KeyStore
    from clearance.app import Clearance
    from clearance.settings import Settings

    Clearance.open(Settings.load({"db": db}, environ={}), notify=lambda m: print(m, file=sys.stderr)).close()
    import sqlite3

    token, _ = KeyStore(sqlite3.connect(db, isolation_level=None)).create("reader", "bench")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARANCE_")}
    env.update({"CLEARANCE_DB": str(db), "CLEARANCE_RATE_LIMIT_PER_MINUTE": "100000000",
                "PYTHONPATH": str(REPO)})
    cmd = [sys.executable, "-c", "from clearance.cli import main; main()", "serve", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return proc, url, token
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("server exited before it was ready")
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("server not ready in 600 s")


def write_results(stats: list[Stats], args: argparse.Namespace, workers: int) -> str:
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    lines = [
        "# API load benchmark (`python -m bench.load_api`)", "",
        f"- date: {datetime.now(UTC).isoformat(timespec='seconds')}; commit {rev or '?'}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"server `clearance serve --workers {workers}` and load generator on the same machine, loopback",
        f"- data: every bundled list; `POST /match/default`; {args.duration:g} s per scenario after a "
        f"{args.warmup:g} s warm-up; {args.connections} connections",
        "- target (issue 5): >= 500 single-query requests/s with p99 <= 50 ms", "",
        "| scenario | queries/request | requests/s | queries/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *[s.row() for s in stats], "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="target an existing server (with --key) instead of starting one")
    parser.add_argument("--key", help="API key for --url")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "clearance-bench" / "c.sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    args.load_before = os.getloadavg()[0]

    proc = None
    if args.url:
        url, key = args.url, args.key or ""
    else:
        args.db.parent.mkdir(parents=True, exist_ok=True)
        proc, url, key = start_server(args.db, args.workers)
    try:
        names = sample_names(args.db)
        host = urlsplit(url).netloc
        single = [build_request(host, key, [n]) for n in names]
        batch = [build_request(host, key, names[i:i + 20]) for i in range(0, len(names) - 20, 20)]
        asyncio.run(closed_loop(url, single, Stats("warm-up", 1), args.connections, args.warmup))
        results = [Stats(f"1 query, open loop at {args.rate:g}/s", 1), Stats("1 query, closed loop", 1),
                   Stats("20 queries, closed loop", 20)]
        asyncio.run(open_loop(url, single, results[0], args.rate, args.duration, args.connections * 4))
        asyncio.run(closed_loop(url, single, results[1], args.connections, args.duration))
        asyncio.run(closed_loop(url, batch, results[2], args.connections, args.duration))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    report = write_results(results, args, args.workers)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
