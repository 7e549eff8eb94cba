"""Format parsers, registered by format name and imported lazily.

Each module documents the publisher's format it reads and cites where the format is
specified. The registry maps the ``format`` field of a source spec to
``module:function`` so adding a format is one line here and one module.
"""

from __future__ import annotations

import importlib

from clearance.errors import ConfigError
from clearance.sources.base import Parser

FORMATS: dict[str, str] = {
    "csl_csv": "clearance.sources.parsers.csl:parse_csv",
    "csl_json": "clearance.sources.parsers.csl:parse_json",
    "ofac_legacy": "clearance.sources.parsers.ofac_legacy:parse",
    "bis_dpl": "clearance.sources.parsers.bis_dpl:parse",
    "un_xml": "clearance.sources.parsers.un_xml:parse",
    "uk_ofsi_csv": "clearance.sources.parsers.uk_ofsi:parse_csv",
    "uk_ofsi_xlsx": "clearance.sources.parsers.uk_ofsi:parse_xlsx",
    "el_derived_nsfreg": "clearance.sources.parsers.el_derived:parse_nsfreg",
    "el_derived_casslab": "clearance.sources.parsers.el_derived:parse_casslab",
    "ftm_json": "clearance.sources.parsers.ftm:parse",
}


def get_parser(fmt: str) -> Parser:
    try:
        target = FORMATS[fmt]
    except KeyError:
        raise ConfigError(f"unknown list format {fmt!r}; known: {', '.join(sorted(FORMATS))}") from None
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]
