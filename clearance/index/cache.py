"""A cached copy of the screening index beside the store, so a one-off ``clearance screen`` starts fast.

Why: building the index reads every serving entry from SQLite (~2.5 s on the bundled lists) and
normalizes, weighs and links ~100,000 names (~4 s). The server pays that once; the CLI paid it on
every call, while an analyst waits. The built :class:`~clearance.index.nameindex.NameIndex` is
written once to ``<store dir>/index-cache/<key>.pickle`` and read back in ~1.3 s (46 MB on the
bundled lists).

The key is a SHA-256 of everything the index is made of:

- every serving list version: source, version id and the hash of its entries (``entries_hash``),
  so a new list version, a rollback or a recreated store never meets an old index;
- the code and tables that shape it: every ``.py`` file of ``clearance/index`` and
  ``clearance/names``, every name table (YAML and the company-word counts), ``clearance/model.py``;
  the Python and numpy versions, and those of the transliteration libraries (pypinyin, OpenCC,
  anyascii), whose tables turn non-Latin names into the index's words.

A cache that is missing, unreadable or of another key is rebuilt from the store (never an error);
older files are removed after a new one is written, which happens atomically (temporary file,
then ``os.replace``), so a crash mid-write leaves no half file under a valid name. Writing is
best-effort: a read-only directory only costs the speed.

Pickle runs code on load, so the file is trusted exactly as far as the store beside it: anyone
who can write there can already change the lists. ``CLEARANCE_INDEX_CACHE=false`` (or the ``index_cache`` setting)
turns it off.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Protocol

import numpy as np

from clearance.index.candidates import precompute_credits
from clearance.index.nameindex import NameIndex
from clearance.model import Entry
from clearance.store.versions import ListVersion

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parents[1]
CACHE_DIR = "index-cache"


class IndexSource(Protocol):
    def data_fingerprint(self) -> list[tuple[str, int, str]]: ...
    def current_entries(self) -> Iterable[tuple[ListVersion, Entry]]: ...


def fingerprint_files() -> list[Path]:
    """The files whose content shapes the index: its code, the name code and every name table, and the
    country table (a country in parentheses is no acronym: ``names.variants.is_published_acronym``)."""
    return sorted([*(PACKAGE / "index").glob("*.py"), *(PACKAGE / "names").rglob("*.py"),
                   *(p for p in (PACKAGE / "names" / "tables").iterdir() if p.is_file()), PACKAGE / "model.py",
                   PACKAGE / "sources" / "countries.py", PACKAGE / "sources" / "tables" / "countries.yaml"])


TRANSLITERATORS = ("pypinyin", "opencc-python-reimplemented", "anyascii")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the code, tables and runtime that shape the index (computed once per process)."""
    h = hashlib.sha256(f"{sys.version}|{np.__version__}".encode())
    for dist in TRANSLITERATORS:  # their tables shape every non-Latin name
        try:
            h.update(f"|{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"|{dist}=none".encode())
    for path in fingerprint_files():
        h.update(path.relative_to(PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def cache_key(fingerprint: list[tuple[str, int, str]]) -> str:
    h = hashlib.sha256(code_fingerprint().encode())
    for source, version_id, entries_hash in sorted(fingerprint):
        h.update(f"|{source}:{version_id}:{entries_hash}".encode())
    return h.hexdigest()[:32]


def load_or_build(store: IndexSource, db_path: Path) -> NameIndex:
    """The index over the store's serving versions: from the cache when its key matches, else built
    (and written to the cache)."""
    directory = db_path.parent / CACHE_DIR
    fingerprint = store.data_fingerprint()
    path = directory / f"{cache_key(fingerprint)}.pickle"
    index = _read(path)
    if index is not None:
        return index
    index = NameIndex(store.current_entries())
    # a cached index serves many processes (every CLI call, every batch worker): give it the list
    # words' candidate credits, which each process would otherwise compute on first use
    precompute_credits(index)
    if store.data_fingerprint() == fingerprint:  # an import landed meanwhile: serve, but file under no key
        _write(index, path)
    return index


def _read(path: Path) -> NameIndex | None:
    if not path.is_file():
        return None
    was_enabled = gc.isenabled()
    gc.disable()  # ~1M objects come back; the cyclic GC would rescan them for nothing (see NameIndex)
    try:
        with path.open("rb") as f:
            index = pickle.load(f)
    except Exception as exc:  # a truncated or foreign file: rebuild, never fail a screen over a cache
        log.warning("index cache %s unreadable (%s); rebuilding", path, exc)
        return None
    finally:
        if was_enabled:
            gc.enable()
    if not isinstance(index, NameIndex):
        return None
    gc.freeze()
    return index


def _write(index: NameIndex, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in path.parent.glob("*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("index cache not written to %s (%s); screening is unaffected", path.parent, exc)
