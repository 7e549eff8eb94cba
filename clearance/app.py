"""The :class:`Clearance` facade: one object that owns the settings, the store, the
screening index and the rule engine. The CLI, the HTTP API and library users all go
through it, so every interface answers from the same list versions.

Built by a factory (:meth:`Clearance.open`), never held in module state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.settings import Settings
from clearance.sources.registry import SourceSpec, default_specs, get_spec
from clearance.store.importer import ImportResult, Progress, import_files
from clearance.store.sqlite import ListStore

if TYPE_CHECKING:
    from clearance.index.screener import Screener
    from clearance.index.types import Match, Query
    from clearance.rules.engine import RuleEngine
    from clearance.rules.types import CheckRequest, Determination

Notify = Callable[[str], None]


class Clearance:
    def __init__(self, settings: Settings, store: ListStore, specs: dict[str, SourceSpec] | None = None) -> None:
        self.settings = settings
        self.store = store
        self.specs = specs if specs is not None else default_specs()
        self._lock = threading.RLock()
        self._screener: Screener | None = None
        self._screener_token: object = None
        self._rules: Any = None

    @classmethod
    def open(cls, settings: Settings | None = None, *, notify: Notify | None = None) -> Clearance:
        """Open the store named by ``settings`` and, on first use, import the bundled lists."""
        settings = settings or Settings.load()
        app = cls(settings, ListStore(settings.db))
        if settings.load_bundled:
            app.ensure_bundled(notify=notify)
        return app

    def close(self) -> None:
        self.store.close()

    # -- lists ----------------------------------------------------------------------

    def ensure_bundled(self, *, notify: Notify | None = None) -> list[ImportResult]:
        """Import each bundled snapshot whose source has no version in the store yet."""
        results = []
        for spec in self.specs.values():
            if spec.bundled is None or self.store.current_version(spec.id) is not None:
                continue
            if notify:
                notify(f"loading bundled {spec.id} ({spec.bundled.as_of}) ...")
            results.append(self.import_source(spec.id, spec.bundled_files(), origin=f"bundled:{spec.id}", as_of=spec.bundled.as_of.isoformat()))
        return results

    def import_source(
        self,
        source: str,
        files: dict[str, Path],
        *,
        origin: str,
        as_of: str | None = None,
        force: bool = False,
        progress: Progress | None = None,
    ) -> ImportResult:
        spec = get_spec(source, self.specs)
        with self._lock:
            return import_files(
                self.store, spec, files, origin=origin, as_of=as_of, force=force,
                max_shrink=self.settings.max_shrink, progress=progress,
            )

    def update_source(
        self,
        source: str,
        *,
        files: dict[str, Path] | None = None,
        urls: dict[str, str] | None = None,
        as_of: str | None = None,
        force: bool = False,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Import a new version of ``source`` from local files, or download it (given or official URLs)."""
        from clearance.errors import InputError
        from clearance.sources.download import download

        spec = get_spec(source, self.specs)
        if files:
            origin = " ".join(f"{role}={path}" for role, path in sorted(files.items()))
            return self.import_source(source, files, origin=origin, as_of=as_of, force=force, progress=progress)
        urls = urls or spec.urls
        if not urls:
            raise InputError(f"source {source} has no official download URL; import a file with --file PATH")
        workdir = Path(self.settings.db).parent / "downloads"
        got = {}
        try:
            for role, url in sorted(urls.items()):
                got[role] = download(url, workdir, timeout=self.settings.http_timeout, retries=self.settings.http_retries)
            origin = " ".join(f"{role}={d.url} (sha256 {d.sha256}, {d.size} bytes)" for role, d in sorted(got.items()))
            return self.import_source(
                source, {r: d.path for r, d in got.items()}, origin=origin, as_of=as_of, force=force, progress=progress
            )
        finally:
            for d in got.values():
                d.path.unlink(missing_ok=True)

    # -- screening ------------------------------------------------------------------

    def screener(self) -> Screener:
        """The in-memory index over every serving list version, rebuilt when a version changes."""
        from clearance.index.screener import Screener

        with self._lock:
            token = self.store.data_version()
            if self._screener is None or token != self._screener_token:
                if self.settings.index_cache and self.store.path != ":memory:":
                    from clearance.index.cache import load_or_build

                    self._screener = Screener(load_or_build(self.store, self.settings.db), self.settings)
                else:
                    self._screener = Screener.build(self.store.current_entries(), self.settings)
                self._screener_token = token
            return self._screener

    def screen(self, query: str | Query, **options: Any) -> list[Match]:
        """Screen one name (or a :class:`~clearance.index.types.Query`) against every serving list."""
        from clearance.index.types import Query

        q = query if isinstance(query, Query) else Query(name=query, **options)
        return self.screener().screen(q)

    # -- license determination ----------------------------------------------------------

    def rules(self) -> RuleEngine:
        """The rule engine over the bundled rule packs (validated when first loaded)."""
        from clearance.rules.engine import RuleEngine

        with self._lock:
            if self._rules is None:
                self._rules = RuleEngine.load()
            return self._rules  # type: ignore[no-any-return]

    def check(self, request: CheckRequest) -> Determination:
        """May I do this? A date-aware license determination with its reasons and citations."""
        return self.rules().check(request, self)
