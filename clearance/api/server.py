"""Running the API under uvicorn, in one process or several.

With ``workers > 1`` uvicorn starts each worker from an import string, so the app is
built by :func:`app_from_env` from the ``CLEARANCE_*`` environment (the parent writes
every setting there first: the one settings table, read the same way in each worker).
Bundled lists are imported once in the parent before the workers start, so workers
never race to import. Each worker holds its own screening index; the batch worker
runs in whichever process holds the jobs lock (see :mod:`clearance.api.jobs`).
"""

from __future__ import annotations

import contextlib
import os
import socket
from typing import Any

from clearance.settings import ENV_PREFIX, Settings


def app_from_env() -> Any:
    """The ASGI app for one uvicorn worker, from ``CLEARANCE_*`` variables."""
    from clearance.api import create_app
    from clearance.app import Clearance
    from clearance.store.sqlite import ListStore

    settings = Settings.load()
    return create_app(Clearance(settings, ListStore(settings.db)), settings)


def run(settings: Settings, log_level: str = "info") -> None:
    """Serve until interrupted, with ``settings.workers`` processes."""
    import uvicorn

    from clearance.api import create_app
    from clearance.app import Clearance
    from clearance.store.sqlite import ListStore

    workers = settings.workers
    if workers <= 1:
        api = create_app(Clearance(settings, ListStore(settings.db)), settings)
        uvicorn.run(api, host=settings.host, port=settings.port, log_level=log_level, access_log=False)
        return
    if settings.load_bundled:
        parent = Clearance.open(settings)
        parent.close()
    for name, value in settings.model_dump().items():
        os.environ[ENV_PREFIX + name.upper()] = "" if value is None else str(value)
    if settings.staleness_days is None:
        os.environ.pop(ENV_PREFIX + "STALENESS_DAYS", None)
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("clearance.api.server:app_from_env", factory=True, workers=workers, host=settings.host,
                            port=settings.port, log_level=log_level, access_log=False)
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[bind_tcp(settings.host, settings.port)]).run()


def bind_tcp(host: str, port: int) -> socket.socket:
    """The shared listening socket for the workers, created with ``IPPROTO_TCP``.

    uvicorn's own ``bind_socket`` leaves the protocol 0, and asyncio then skips
    ``TCP_NODELAY`` on the accepted connections (``asyncio.base_events._set_nodelay`` checks
    ``sock.proto``): Nagle's algorithm meets delayed ACKs and every response stalls ~40 ms.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock
