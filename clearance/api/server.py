"""Running the API under uvicorn, in one process or several.

With ``workers > 1`` uvicorn starts each worker from an import string, so the app is
built by :func:`app_from_env` from the ``CLEARANCE_*`` environment (the parent writes
every setting there first: the one settings table, read the same way in each worker).
Bundled lists are imported once in the parent before the workers start, so workers
never race to import. Each worker holds its own screening index; the batch worker
runs in whichever process holds the jobs lock (see :mod:`clearance.api.jobs`).
"""

from __future__ import annotations

import os
from typing import Any

from clearance.settings import ENV_PREFIX, Settings


def app_from_env() -> Any:
    """The ASGI app for one uvicorn worker, from ``CLEARANCE_*`` variables."""
    from clearance.api import create_app
    from clearance.app import Clearance
    from clearance.store.sqlite import ListStore

    settings = Settings.load()
    return create_app(Clearance(settings, ListStore(settings.db)), settings)


def run(settings: Settings, workers: int = 1, log_level: str = "info") -> None:
    """Serve until interrupted."""
    import uvicorn

    from clearance.api import create_app
    from clearance.app import Clearance
    from clearance.store.sqlite import ListStore

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
    uvicorn.run("clearance.api.server:app_from_env", factory=True, workers=workers, host=settings.host,
                port=settings.port, log_level=log_level, access_log=False)
