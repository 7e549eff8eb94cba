"""Every error the API returns, in one JSON shape, from one handler table.

The shape is the library's :meth:`ClearanceError.to_dict` plus a top-level
``detail`` string, which is what yente (and so its clients) put in an error body::

    {"error": {"code": "not_found", "message": "no such dataset: XX", ...fields}, "detail": "no such dataset: XX"}

:data:`HANDLERS` maps each exception class to the function that renders it; an
unexpected exception becomes a 500 ``internal_error`` with a reference id and is logged
on the server: no stack trace or file path ever reaches a client (pattern:
opensanctions/yente ``app.py``; datasette ``handle_exception.py``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from clearance.errors import AuthError, ClearanceError, InputError, RateLimited

log = logging.getLogger("clearance.api")

STATUS_CODES: dict[int, str] = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "invalid_input", 429: "rate_limited", 503: "unavailable",
}


class Forbidden(AuthError):
    """The key is valid but its role does not allow this endpoint."""

    code = "forbidden"
    http_status = 403


class BadRequest(InputError):
    """A query yente would refuse with 400 (unknown algorithm, too many or no queries)."""

    code = "bad_request"
    http_status = 400


class Unavailable(ClearanceError):
    """A part of the service is not ready (lists still loading or failed to load)."""

    code = "unavailable"
    http_status = 503


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str = Field(..., examples=["not_found"])
    message: str = Field(..., examples=["no such dataset: 'XX'"])


class ErrorResponse(BaseModel):
    """The one error shape (documented for every operation in the OpenAPI schema)."""

    error: ErrorDetail
    detail: str


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Point every 4xx/5xx (and the default) response of an OpenAPI schema at :class:`ErrorResponse`."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    body = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(body.pop("$defs", {}))
    components["ErrorResponse"] = body
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    for item in schema.get("paths", {}).values():
        for op in item.values():
            responses = op.setdefault("responses", {})
            for code, resp in responses.items():
                if code[0] in "45":
                    resp["content"] = content
                    if code == "422":
                        resp["description"] = "Invalid input"
            responses.setdefault("default", {"description": "Error", "content": content})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return schema


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   **fields: Any) -> JSONResponse:
    body = {"error": {"code": code, "message": message, **fields}, "detail": message}
    return JSONResponse(body, status_code=status, headers=headers)


async def handle_clearance(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ClearanceError)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.fields.get("retry_after", 1))
    elif isinstance(exc, AuthError) and exc.http_status == 401:
        headers["WWW-Authenticate"] = 'ApiKey realm="clearance"'
    fields = {k: v for k, v in exc.fields.items() if k not in ("code", "message")}
    return error_response(exc.http_status, exc.code, exc.message, headers or None, **_jsonable(fields))


async def handle_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "malformed_json", "request body is not valid JSON")
    problems = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in errors[:50]
    ]
    first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
    message = f"{'.'.join(first['loc'])}: {first['msg']}" if first["loc"] else str(first["msg"])
    return error_response(422, "invalid_input", message, problems=problems)


async def handle_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = STATUS_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message, dict(exc.headers) if exc.headers else None)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    ref = secrets.token_hex(6)
    log.error("unhandled error (ref %s) on %s %s", ref, request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", f"internal error (reference {ref})", reference=ref)


Handler = Callable[[Request, Exception], Awaitable[JSONResponse]]

#: The one handler table: exception class -> renderer.
HANDLERS: dict[type[Exception], Handler] = {
    ClearanceError: handle_clearance,
    RequestValidationError: handle_validation,
    StarletteHTTPException: handle_http,
    Exception: handle_unexpected,
}


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in fields.items():
        out[k] = v if isinstance(v, str | int | float | bool | type(None) | list | dict) else str(v)
    return out
