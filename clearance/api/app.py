"""The FastAPI application factory.

``create_app(clearance, settings)`` builds a fresh app around one
:class:`~clearance.app.Clearance` facade: no module state, so tests build as many
as they like. At start-up (lifespan) it warms the screening index in a thread, so
``/healthz`` answers at once and ``/readyz`` turns ready once every list is loaded, and
it starts the batch worker, which resumes jobs left unfinished by a previous run.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from clearance.api.errors import HANDLERS, document_errors
from clearance.api.jobs import JobManager
from clearance.api.keys import KeyStore
from clearance.api.limits import BodyLimit, RateLimiter
from clearance.app import Clearance
from clearance.settings import Settings

log = logging.getLogger("clearance.api")


def package_version() -> str:
    try:
        from importlib.metadata import version

        return version("clearance")
    except Exception:  # noqa: BLE001 - not installed as a distribution
        return "0"

WEB_DIR = Path(__file__).resolve().parent.parent / "web" / "static"

DESCRIPTION = """Export-control and sanctions screening with date-aware US license determination.

`/match`, `/search`, `/entities` and `/catalog` speak the OpenSanctions **yente** API, so clients
written for it work unchanged. Every endpoint but `/healthz` and `/readyz` needs an API key
(`Authorization: ApiKey <key>`). Errors share one shape: `{"error": {"code", "message", ...}, "detail"}`.
"""


@dataclass
class ApiContext:
    """What the routes share: the facade, settings, keys, limiter, jobs and readiness."""

    clearance: Clearance
    settings: Settings
    keys: KeyStore
    limiter: RateLimiter
    jobs: JobManager
    ready: threading.Event = field(default_factory=threading.Event)
    warm_error: str | None = None

    def warm_up(self) -> None:
        """Import missing bundled lists, build the screening index; mark ready when done."""
        try:
            if self.settings.load_bundled:
                self.clearance.ensure_bundled(notify=log.info)
            if self.clearance.store.current_versions():
                self.clearance.screener().candidates.warm()  # the compiled candidate loop, before the first request
                self.ready.set()
            else:
                self.warm_error = "no lists loaded"
        except Exception as exc:  # noqa: BLE001 - readiness reports it; the server stays up
            log.exception("warm-up failed")
            self.warm_error = type(exc).__name__


def open_side_connection(settings: Settings, clearance: Clearance) -> sqlite3.Connection:
    """A second connection to the store file for the API's own tables (keys, jobs)."""
    conn = sqlite3.connect(clearance.store.path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def create_app(clearance: Clearance, settings: Settings | None = None, *, start_worker: bool = True) -> FastAPI:
    """A FastAPI app serving ``clearance`` with ``settings`` (default: the facade's)."""
    from clearance.api import routes_core, routes_jobs, routes_lists, routes_yente

    settings = settings or clearance.settings
    jobs_dir = Path(clearance.store.path).parent / "jobs" if clearance.store.path != ":memory:" else None
    ctx = ApiContext(clearance=clearance, settings=settings, keys=KeyStore(open_side_connection(settings, clearance)),
                     limiter=RateLimiter(settings.rate_limit_per_minute),
                     jobs=JobManager(clearance, open_side_connection(settings, clearance), jobs_dir, settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=ctx.warm_up, name="clearance-warmup", daemon=True).start()
        if start_worker:
            ctx.jobs.start()
        try:
            yield
        finally:
            ctx.jobs.stop()

    app = FastAPI(title="clearance", version=package_version(), description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # Swagger UI loads from a CDN; the page must work offline
    app.state.ctx = ctx
    for exc_class, handler in HANDLERS.items():
        app.add_exception_handler(exc_class, handler)
    for module in (routes_yente, routes_core, routes_lists, routes_jobs):
        app.include_router(module.router)

    if WEB_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

        @app.get("/", include_in_schema=False)
        async def index() -> FileResponse:
            return FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-cache"})

        @app.get("/ui", include_in_schema=False)
        async def ui() -> RedirectResponse:
            return RedirectResponse("/")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    return app
