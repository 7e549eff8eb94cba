"""Test support for the API and web tests: a small store of real list entries, clients, a live server.

The seeded store holds a handful of entries selected from the official list files in
../shared/data, parsed by the real parsers (``get_parser`` + ``ParseContext`` +
``get_spec``) and imported through the real import pipeline, so API tests run in seconds
on a store shaped exactly like production. Nothing is written by hand: an entry is
picked by its real id and taken exactly as parsed, legal fields and all.

The entries (see ``PICKS``):

- CSL snapshot of May 2022 (``csl``): the Entity List rows of Huawei Technologies Co.,
  Ltd., Semiconductor Manufacturing International Corporation (SMIC) and Hangzhou
  Hikvision Digital Technology Co., Ltd.
- OFAC legacy CSV set of 2019-01-04 (``ofac_sdn``, sdn/add/alt): AEROCARIBBEAN AIRLINES
  (ent_num 36), KIM, Jong Un (20157), the vessel SEA STAR III (15076) and NAVIERA
  MARITIMA DE AROSA, S.A. (1544).
- BIS Denied Persons List of 2023-11-30 (``bis_dpl``): ADT ANALOG AND DIGITAL TECHNIK.

``seed_sdn_update`` imports the same SDN ids as found in the OFAC set of 2021-07-07, a
real later publication: OFAC delisted NAVIERA MARITIMA DE AROSA and amended KIM, Jong
Un's remarks, so the diff between the two versions is a real one (1 removed, 1 changed).

Parsing the real files takes about two seconds; it is done once per test session
(``functools.cache``).
"""

from __future__ import annotations

import functools
import json
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from clearance.app import Clearance
from clearance.model import Entry
from clearance.settings import Settings
from clearance.sources.base import ParseContext
from clearance.sources.parsers import get_parser
from clearance.sources.registry import get_spec
from clearance.store.importer import import_files
from clearance.store.sqlite import ListStore

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
OFAC_SETS = SHARED / "ofac" / "legacy_csv_sets"

# The real entries the tests rely on, by their real ids (as the real parsers assign them).
HUAWEI = "el-b8ec92d0a5f64a2d"  # Huawei Technologies Co., Ltd. (Huawei), first of its CSL rows
SMIC = "el-6aab45d149fe9ceb"  # Semiconductor Manufacturing International Corporation (SMIC)
HIKVISION = "el-a1e7ea69431e4498"  # Hangzhou Hikvision Digital Technology Co., Ltd.
AEROCARIBBEAN = "sdn-36"  # AEROCARIBBEAN AIRLINES, ent_num 36
KIM_JONG_UN = "sdn-20157"  # KIM, Jong Un, ent_num 20157
SEA_STAR = "sdn-15076"  # vessel SEA STAR III, ent_num 15076
NAVIERA = "sdn-1544"  # NAVIERA MARITIMA DE AROSA, S.A., ent_num 1544: delisted between 2019-01 and 2021-07
DENIED = "dpl-02cda4d08ce3259f"  # ADT ANALOG AND DIGITAL TECHNIK, Denied Persons List

# (source, files relative to ../shared/data by role, publication date, ids to take)
PICKS: dict[str, tuple[str, dict[str, str], str, tuple[str, ...]]] = {
    "csl": ("csl", {"main": "csl/csl_consolidated_2022-05.csv.gz"}, "2022-05-06", (HUAWEI, SMIC, HIKVISION)),
    "ofac_sdn": ("ofac_sdn", {r: f"ofac/legacy_csv_sets/2019-01-04/{r}.csv" for r in ("sdn", "add", "alt")},
                 "2019-01-04", (AEROCARIBBEAN, KIM_JONG_UN, SEA_STAR, NAVIERA)),
    "bis_dpl": ("bis_dpl", {"main": "bis_dpl/dpl_2023-11-30.txt"}, "2023-11-30", (DENIED,)),
    "ofac_sdn_2021": ("ofac_sdn", {r: f"ofac/legacy_csv_sets/2021-07-07/{r}.csv" for r in ("sdn", "add", "alt")},
                      "2021-07-07", (AEROCARIBBEAN, KIM_JONG_UN, SEA_STAR, NAVIERA)),
}


@functools.cache
def real_entries(pick: str) -> tuple[str, str, tuple[Entry, ...]]:
    """(source, as_of, entries) for one of ``PICKS``: the wanted ids as the real parser reads them.

    Ids missing from the file are left out (NAVIERA in the 2021 set: it was delisted); the
    first pick of each source must find every id, or the test data changed under us.
    """
    source, rel, as_of, wanted = PICKS[pick]
    if not SHARED.is_dir():
        raise RuntimeError(f"reference data not found at {SHARED} (clone next to ../shared)")
    spec = get_spec(source)
    files = {role: SHARED / path for role, path in rel.items()}
    found = {e.entry_id: e for e in get_parser(spec.format)(files, ParseContext(spec=spec)) if e.entry_id in wanted}
    if pick in ("csl", "ofac_sdn", "bis_dpl") and set(found) != set(wanted):
        raise RuntimeError(f"{pick}: ids {sorted(set(wanted) - set(found))} not found in {rel}")
    return source, as_of, tuple(found[i] for i in wanted if i in found)


def _parser_for(entries: tuple[Entry, ...]) -> Any:
    def parse(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
        yield from entries
    return parse


def seed(clearance: Clearance, pick: str) -> None:
    """Import the real entries of ``pick`` as a new version through the real import pipeline.

    The pipeline is fed a *subset of real parsed entries*: ``get_parser`` is patched to
    yield exactly the entries the real parser produced for the picked ids (importing the
    whole files would make every API test load ~20,000 entries). The file handed to the
    pipeline is that subset as JSON, so the version's content hash is the hash of what
    was imported; the publication date is the real file's.
    """
    source, as_of, entries = real_entries(pick)
    spec = get_spec(source, clearance.specs)
    folder = Path(clearance.store.path).parent / "seed"
    folder.mkdir(exist_ok=True)
    role = next(r for r, required in spec.roles.items() if required)
    path = folder / f"{pick}-{role}.json"
    path.write_text(json.dumps([e.to_dict() for e in entries]), encoding="utf-8")
    with mock.patch("clearance.store.importer.get_parser", return_value=_parser_for(entries)):
        import_files(clearance.store, spec, {role: path}, origin=f"test:{pick}:{PICKS[pick][1][role]}",
                     as_of=as_of, max_shrink=1.0)


def seed_sdn_update(clearance: Clearance) -> None:
    """A second ofac_sdn version: the picked ids as OFAC published them on 2021-07-07."""
    seed(clearance, "ofac_sdn_2021")


def seeded_clearance(db: Path, **overrides: Any) -> Clearance:
    """A real :class:`Clearance` (real screener) over a new store holding the picked entries."""
    app = reopen(db, **overrides)
    for pick in ("csl", "ofac_sdn", "bis_dpl"):
        seed(app, pick)
    return app


def reopen(db: Path, **overrides: Any) -> Clearance:
    settings = Settings.load({"db": db, "load_bundled": False, **overrides}, environ={})
    return Clearance(settings, ListStore(settings.db))


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


class LiveServer:
    """The real app under uvicorn on a free loopback port, in a thread (browser tests, the burst test)."""

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
