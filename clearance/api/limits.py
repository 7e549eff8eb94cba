"""Request limits: body size (streamed, never buffered) and a per-key rate limit.

:class:`BodyLimit` is plain ASGI middleware. It refuses a declared ``Content-Length``
over the limit before reading anything, and otherwise counts bytes as the app reads
them, stopping the upload the moment it passes the limit, so a 1 GB upload costs at
most one chunk of memory. Batch uploads (``/screenings``) get ``max_upload_bytes``;
every other route gets ``max_body_bytes``.

:class:`RateLimiter` is a token bucket per caller (API key id, or client address
when the read endpoints are open): ``rate_limit_per_minute`` tokens, refilled
continuously, so a burst of 10,000 requests is answered with 429s past the budget
while other keys carry on.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from clearance.errors import RateLimited

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_PATHS = ("/screenings",)


class BodyTooLarge(BaseException):  # noqa: N818 - not an Exception: FastAPI must not swallow it
    """Raised inside ``receive`` when the body passes the limit (a BaseException, so the
    framework's "error parsing the body" handler cannot turn it into a 400)."""


def error_body(status: int, code: str, message: str, **fields: Any) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, **fields}, "detail": message}).encode()


class BodyLimit:
    def __init__(self, app: ASGIApp, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def limit_for(self, path: str) -> int:
        return self.max_upload if path.startswith(UPLOAD_PATHS) else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._refuse(send, 400, "invalid_input", "invalid Content-Length header")
                    return
                if declared > limit:
                    await self._refuse_large(send, limit)
                    return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse_large(send, limit)

    async def _refuse_large(self, send: Send, limit: int) -> None:
        await self._refuse(send, 413, "payload_too_large", f"request body larger than the limit of {limit} bytes",
                           limit_bytes=limit)

    @staticmethod
    async def _refuse(send: Send, status: int, code: str, message: str, **fields: Any) -> None:
        body = error_body(status, code, message, **fields)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Token bucket per caller; thread-safe; memory bounded by pruning idle callers."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, caller: str) -> None:
        """Take one token for ``caller`` or raise :class:`RateLimited` with the wait in seconds."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[caller] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
                raise RateLimited(f"rate limit of {int(self.capacity)} requests per minute exceeded",
                                  retry_after=max(1, round(wait)))
            self._buckets[caller] = (tokens - 1.0, now)
            if len(self._buckets) > 100_000:
                self._prune(now)

    def _prune(self, now: float) -> None:
        full = [k for k, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.capacity]
        for k in full:
            del self._buckets[k]
