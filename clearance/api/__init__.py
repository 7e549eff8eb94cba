"""The HTTP API of clearance (``clearance serve``): a FastAPI app built by a factory.

Needs the ``server`` extra (fastapi, uvicorn, python-multipart)::

    from clearance.api import create_app
    api = create_app(Clearance.open())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from clearance.app import Clearance
    from clearance.settings import Settings

__all__ = ["create_app"]


def create_app(clearance: Clearance, settings: Settings | None = None, **options: Any) -> FastAPI:
    """Build the API around ``clearance`` (see :func:`clearance.api.app.create_app`)."""
    try:
        from clearance.api.app import create_app as factory
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(f"the HTTP API needs the server extra: pip install 'clearance[server]' ({exc})") from exc
    return factory(clearance, settings, **options)
