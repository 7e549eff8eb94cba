"""Who is calling: API key from the request, role check and rate limit, as a dependency.

Keys are accepted the ways yente/OpenSanctions clients send them
(``Authorization: ApiKey <key>``, or ``?api_key=<key>``), plus ``Authorization:
Bearer <key>`` and ``X-API-Key: <key>``. With ``open_read`` set, reader endpoints
accept calls without a key; they are then rate-limited per client address.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from clearance.api.keys import ApiKey
from clearance.errors import AuthError

# Declared for the OpenAPI schema (so clients and schemathesis know a key is needed).
api_key_header = APIKeyHeader(name="Authorization", auto_error=False,
                              description="`ApiKey <key>` (yente style) or `Bearer <key>`")


@dataclass(frozen=True)
class Caller:
    key: ApiKey | None  # None: anonymous on an open read endpoint
    ident: str  # rate-limit bucket

    @property
    def role(self) -> str:
        return self.key.role if self.key else "anonymous"


def token_from(request: Request) -> str | None:
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, value = auth.strip().partition(" ")
        if scheme.lower() in ("apikey", "bearer", "token") and value.strip():
            return value.strip()
        return auth.strip()
    return request.headers.get("x-api-key") or request.query_params.get("api_key") or None


def require(role: str) -> Callable[..., Awaitable[Caller]]:
    """A dependency that authenticates the caller, checks ``role`` and takes a rate-limit token."""

    async def dependency(request: Request, _header: str | None = Depends(api_key_header)) -> Caller:
        from clearance.api.errors import Forbidden

        ctx = request.app.state.ctx
        token = token_from(request)
        if token is None:
            if role == "reader" and ctx.settings.open_read:
                host = request.client.host if request.client else "unknown"
                caller = Caller(None, f"addr:{host}")
                ctx.limiter.hit(caller.ident)
                return caller
            raise AuthError("an API key is required (header `Authorization: ApiKey <key>`)")
        key = ctx.keys.verify(token)
        ctx.limiter.hit(f"key:{key.key_id}")
        if not key.allows(role):
            raise Forbidden(f"this endpoint needs the {role} role; the key has {key.role}", role=role)
        return Caller(key, f"key:{key.key_id}")

    return dependency


reader = require("reader")
admin = require("admin")
