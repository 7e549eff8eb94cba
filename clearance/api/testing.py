"""Test support for the API: a small seeded store, and a stand-in screener.

``seeded_clearance(db)`` imports a handful of real list entries (Entity List, SDN,
DPL records as published) through the real import pipeline, so API tests run in a
second on a store shaped exactly like production. ``StandInScreener`` is used only
when the real engine (:mod:`clearance.index.screener`) is not installed: a plain
rapidfuzz ratio, good enough to exercise the HTTP layer, never used by ``serve``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from rapidfuzz import fuzz

from clearance.app import Clearance
from clearance.index.types import Match, Query
from clearance.model import Address, Entry, Kind, Legal, Name, NameRole
from clearance.settings import Settings
from clearance.sources.base import ParseContext
from clearance.sources.registry import get_spec
from clearance.store.importer import import_files
from clearance.store.versions import ListVersion

EL_LEGAL = Legal(license_requirement="For all items subject to the EAR.", license_policy="Presumption of denial.",
                 federal_register_notices=("84 FR 22963",), start_date="2019-05-16")


def demo_entries() -> dict[str, list[Entry]]:
    """Entries per source id, copied from the published lists."""
    el = [
        Entry("csl", "EL", "el-huawei", Kind.ORGANIZATION,
              (Name("Huawei Technologies Co., Ltd."), Name("Huawei", NameRole.ALIAS),
               Name("华为技术有限公司", NameRole.NATIVE, "Hans")),
              (Address("Bantian, Longgang District, Shenzhen", city="Shenzhen", country="CN"),), ("CN",),
              legal=EL_LEGAL, listed_on="2019-05-16"),
        Entry("csl", "EL", "el-smic", Kind.ORGANIZATION,
              (Name("Semiconductor Manufacturing International Corporation"), Name("SMIC", NameRole.ALIAS)),
              (Address("18 Zhangjiang Road, Shanghai", city="Shanghai", country="CN"),), ("CN",), legal=EL_LEGAL),
        Entry("csl", "EL", "el-hikvision", Kind.ORGANIZATION,
              (Name("Hangzhou Hikvision Digital Technology Co., Ltd."), Name("Hikvision", NameRole.ALIAS)),
              countries=("CN",), legal=EL_LEGAL),
        Entry("csl", "DPL", "dpl-acme", Kind.ORGANIZATION, (Name("=HYPERLINK(\"x\") Trading LLC"),), countries=("AE",)),
    ]
    sdn = [
        Entry("ofac_sdn", "SDN", "36", Kind.ORGANIZATION, (Name("AEROCARIBBEAN AIRLINES"),), countries=("CU",),
              programs=("CUBA",)),
        Entry("ofac_sdn", "SDN", "7157", Kind.PERSON, (Name("KIM, Jong Un"), Name("Kim Jong-un", NameRole.ALIAS)),
              countries=("KP",), birth_dates=("1984-01-08",), programs=("DPRK3",)),
        Entry("ofac_sdn", "SDN", "15036", Kind.VESSEL, (Name("SEA STAR"),), programs=("IRAN",)),
    ]
    return {"csl": el, "ofac_sdn": sdn}


def _parser_for(entries: list[Entry]) -> Any:
    def parse(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
        ctx.as_of = "2026-11-01"
        yield from entries
    return parse


def seed(clearance: Clearance, entries: dict[str, list[Entry]], tag: str = "v1") -> None:
    """Import ``entries`` (source id -> entries) as new versions through the real pipeline."""
    folder = Path(clearance.store.path).parent / "seed"
    folder.mkdir(exist_ok=True)
    for source, items in entries.items():
        spec = get_spec(source, clearance.specs)
        role = next(iter(spec.roles))
        files = {r: folder / f"{source}-{tag}-{r}.json" for r, required in spec.roles.items() if required or r == role}
        for path in files.values():
            path.write_text(json.dumps([e.to_dict() for e in items]), encoding="utf-8")
        with mock.patch("clearance.store.importer.get_parser", return_value=_parser_for(items)):
            import_files(clearance.store, spec, files, origin=f"test:{tag}", max_shrink=1.0)


class StandInScreener:
    """A rapidfuzz stand-in with the real screener's contract (tests only)."""

    def __init__(self, entries: Iterable[tuple[ListVersion, Entry]], settings: Settings) -> None:
        self.items = list(entries)
        self.settings = settings

    def screen(self, q: Query) -> list[Match]:
        threshold = self.settings.threshold if q.threshold is None else q.threshold
        out = []
        for version, entry in self.items:
            if (q.lists is not None and entry.list_code not in q.lists) or (q.kind and entry.kind is not q.kind):
                continue
            scored = [(fuzz.token_sort_ratio(q.name.casefold(), n.value.casefold()) / 100, n.value) for n in entry.names]
            score, name = max(scored)
            if score >= threshold:
                out.append(Match(entry, version, score, name, {"token_sort_ratio": score, "stand_in": True}))
        out.sort(key=lambda m: -m.score)
        return out[: q.limit or self.settings.limit]


class SeededClearance(Clearance):
    """A Clearance whose screener falls back to :class:`StandInScreener` when the engine is absent."""

    def screener(self) -> Any:
        try:
            return super().screener()
        except ImportError:
            with self._lock:
                token = self.store.data_version()
                if self._screener is None or token != self._screener_token:
                    self._screener = StandInScreener(self.store.current_entries(), self.settings)  # type: ignore
                    self._screener_token = token
                return self._screener


def seeded_clearance(db: Path, **overrides: Any) -> Clearance:
    settings = Settings.load({"db": db, "load_bundled": False, **overrides}, environ={})
    from clearance.store.sqlite import ListStore

    app = SeededClearance(settings, ListStore(settings.db))
    seed(app, demo_entries())
    return app


def make_client(db: Path, start_worker: bool = True, **overrides: Any) -> tuple[Any, dict[str, str], dict[str, str]]:
    """(TestClient entered, admin headers, reader headers) over a seeded store at ``db``.

    The caller must ``client.__exit__(None, None, None)`` (fixtures do). TestClient is
    imported with starlette's httpx deprecation warning silenced: it is a test-tool
    notice, not a defect of ours, and pytest turns warnings into errors.
    """
    clearance = seeded_clearance(db, **overrides) if not db.exists() else reopen(db, **overrides)
    return client_for(clearance, start_worker=start_worker)


def client_for(clearance: Clearance, start_worker: bool = True) -> tuple[Any, dict[str, str], dict[str, str]]:
    """Like :func:`make_client`, over an existing facade (e.g. the suite's ``bundled_app``)."""
    import time
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from clearance.api import create_app

    api = create_app(clearance, start_worker=start_worker)
    client = TestClient(api, raise_server_exceptions=False)
    client.__enter__()
    admin, _ = api.state.ctx.keys.create("admin", "test-admin")
    reader, _ = api.state.ctx.keys.create("reader", "test-reader")
    deadline = time.monotonic() + 120
    while not api.state.ctx.ready.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    return client, {"Authorization": f"ApiKey {admin}"}, {"Authorization": f"ApiKey {reader}"}


def reopen(db: Path, **overrides: Any) -> Clearance:
    from clearance.store.sqlite import ListStore

    settings = Settings.load({"db": db, "load_bundled": False, **overrides}, environ={})
    return SeededClearance(settings, ListStore(settings.db))


class LiveServer:
    """The real app under uvicorn on a free loopback port, in a thread (browser tests, benchmarks)."""

    def __init__(self, api: Any, host: str = "127.0.0.1") -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as s:
            s.bind((host, 0))
            self.port = s.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(api, host=host, port=self.port, log_level="warning",
                                                    access_log=False, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, name="clearance-live-server", daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self.server.started:
            raise RuntimeError("server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
