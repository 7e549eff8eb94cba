"""A burst of 10,000 requests from one key against the real server (uvicorn on loopback):
past the key's budget each gets a 429 in the error shape, the server stays up, and another
key is served normally during the burst."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from pathlib import Path

from api_support import LiveServer, make_client

BURST = 10_000
CONNECTIONS = 50


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> tuple[int, bytes]:
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line[15:]) for line in head.split(b"\r\n") if line[:15].lower() == b"content-length:")
    return int(head[9:12]), await reader.readexactly(length)


async def burst(port: int, raw: bytes, other: bytes) -> tuple[Counter[int], list[int], set[bytes]]:
    statuses: Counter[int] = Counter()
    other_statuses: list[int] = []
    bodies: set[bytes] = set()
    todo = iter(range(BURST))

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in todo:
            status, body = await get(reader, writer, raw)
            statuses[status] += 1
            if status == 429 and len(bodies) < 3:
                bodies.add(body)
        writer.close()

    async def bystander() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(20):
            other_statuses.append((await get(reader, writer, other))[0])
            await asyncio.sleep(0.01)
        writer.close()

    await asyncio.gather(bystander(), *(client() for _ in range(CONNECTIONS)))
    return statuses, other_statuses, bodies


def test_burst_of_10000_requests(tmp_path: Path) -> None:
    client, admin, reader = make_client(tmp_path / "c.sqlite", rate_limit_per_minute=600)
    try:
        with LiveServer(client.app) as server:
            req = f"GET /lists/ofac_sdn/versions HTTP/1.1\r\nHost: x\r\nAuthorization: {reader['Authorization']}\r\n\r\n"
            other = f"GET /lists/ofac_sdn/versions HTTP/1.1\r\nHost: x\r\nAuthorization: {admin['Authorization']}\r\n\r\n"
            started = time.monotonic()
            statuses, other_statuses, bodies = asyncio.run(burst(server.port, req.encode(), other.encode()))
            elapsed = time.monotonic() - started
            assert sum(statuses.values()) == BURST
            # the budget: 600 at once, then 10 a second as the bucket refills
            assert set(statuses) == {200, 429} and 600 <= statuses[200] <= 600 + 10 * elapsed + 5
            assert other_statuses == [200] * 20
            for body in bodies:
                error = json.loads(body)
                assert error["error"]["code"] == "rate_limited" and error["error"]["retry_after"] >= 1
            import httpx

            assert httpx.get(server.url + "/healthz").status_code == 200
    finally:
        client.__exit__(None, None, None)
