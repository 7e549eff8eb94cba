"""Name normalization, transliteration and name tables (see docs/matching.md)."""

from clearance.names.normalize import NormalizedName, clean_text, natural_order, normalize_name, normalize_text
from clearance.names.script import detect_scripts, to_ascii
from clearance.names.tables import NameTables, load_tables
from clearance.names.variants import acronyms, hyphen_compounds, split_variants

__all__ = [
    "NameTables",
    "NormalizedName",
    "acronyms",
    "clean_text",
    "detect_scripts",
    "hyphen_compounds",
    "load_tables",
    "natural_order",
    "normalize_name",
    "normalize_text",
    "split_variants",
    "to_ascii",
]
