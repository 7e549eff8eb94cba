"""The contract between the import pipeline and a format parser.

A parser is a function ``parse(files, ctx) -> Iterator[Entry]``:

- ``files`` maps a role to a path. Single-file formats use the role ``"main"``;
  OFAC's legacy set uses ``"sdn"``/``"add"``/``"alt"``/``"comments"`` (or
  ``"prim"``/... for the consolidated non-SDN set). Roles come from the source spec.
- ``ctx`` is a :class:`ParseContext`: the source spec (its ``options`` parametrize the
  parser, e.g. the list code), and two things the parser reports back while it
  streams: ``ctx.as_of`` (publication date found in the file, ISO) and
  ``ctx.notes`` (caveats and collapsed oddities worth recording on the version).
- It streams: yield entries as they are read; never hold the whole file.
- It raises :class:`~clearance.errors.ParseError` (file, line/element, problem) on any
  malformed input. The pipeline rolls back; nothing half-imported is ever served.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.model import Entry

if TYPE_CHECKING:
    from clearance.sources.registry import SourceSpec


@dataclass
class ParseContext:
    spec: SourceSpec
    force: bool = False  # the operator accepted known oddities (duplicate ids: keep the first)
    as_of: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.spec.id

    def option(self, key: str, default: Any = None) -> Any:
        return self.spec.options.get(key, default)


Parser = Callable[[dict[str, Path], ParseContext], Iterator[Entry]]
