"""The structured facts in the Remarks field of OFAC's legacy sdn.csv / cons_prim.csv.

OFAC writes one fact per "; "-separated item, optionally prefixed "alt.", e.g.
``DOB 09 Feb 1951; POB Gaza, Egypt; nationality Egypt; Passport 92/664 (Egypt);
Gender Male; a.k.a. 'ABU-'UMAR'; Linked To: HAMAS.`` (see OFAC's "SDN list data formats":
https://ofac.treasury.gov/sdn-list-data-formats-data-schemas). Items not recognized here
stay in the verbatim remarks; a date of birth in an unknown form is reported, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clearance.model import Identifier, Name, NameRole
from clearance.sources.countries import to_iso2
from clearance.sources.parsers.us_fields import parse_date_text

_ITEM_SPLIT = re.compile(r";\s+(?=(?:alt\. )?[A-Za-z])")
_ALIAS = re.compile(r"(?P<kind>a\.k\.a\.|f\.k\.a\.|n\.k\.a\.),?\s+'(?P<name>.+)'$")
# Identifier items: "<scheme> <value>[ (<country>)][ issued ...][ expires ...]". The scheme must end
# with one of these words so free text ("Member of the State Duma ...") is not taken for an id.
_ID_SCHEME_END = (r"(?:No\.?|Number|ID|Card|#|Code|Code \(USCC\)|\(MSN\)|Passport|C\.U\.R\.P\.|R\.F\.C\.|"
                  r"SWIFT/BIC|MMSI|IMO|D\.N\.I\.|SSN|C\.U\.I\.T\.|N\.I\.T\.|Pasaporte|Address - [A-Z0-9]+|"
                  r"Identification|\(CBLS\)|F/N\))")
_IDENT = re.compile(
    r"(?P<scheme>[A-Z].*?) (?P<value>[^\s()]+)(?: \((?P<country>[^()]+)\))?"
    r"(?P<rest> (?:issued|expires|Issue Date|Expire Date).*)?$"
)
_SCHEME_END = re.compile(rf"(?:^|\s){_ID_SCHEME_END}$")
_CONTACT = re.compile(r"(?P<scheme>Website|Email Address|Phone Number) (?P<value>\S+)$")


@dataclass
class RemarkFacts:
    names: list[Name] = field(default_factory=list)
    birth_dates: tuple[str, ...] = ()
    birth_places: tuple[str, ...] = ()
    countries: list[str] = field(default_factory=list)
    identifiers: tuple[Identifier, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    unparsed_dates: list[str] = field(default_factory=list)


def split_items(remarks: str) -> list[str]:
    text = remarks.strip()
    if text.endswith("."):
        text = text[:-1]
    return [i.strip() for i in _ITEM_SPLIT.split(text) if i.strip()]


def parse_remarks(remarks: str) -> RemarkFacts:
    facts = RemarkFacts()
    dobs: list[str] = []
    pobs: list[str] = []
    ids: list[Identifier] = []
    linked: list[str] = []
    for raw in split_items(remarks):
        item = raw.removeprefix("alt. ").strip()
        if m := _ALIAS.match(item):
            role = NameRole.FORMER if m.group("kind") == "f.k.a." else NameRole.WEAK_ALIAS
            facts.names.append(Name(m.group("name").strip(), role))
        elif item.startswith("DOB "):
            dates = parse_date_text(item[4:])
            if dates is None:
                facts.unparsed_dates.append(item[4:])
            else:
                dobs.extend(dates)
        elif item.startswith("POB "):
            pobs.append(item[4:].strip())
        elif m := re.match(r"(?:nationality|citizen) (?P<country>.+)$", item):
            iso = to_iso2(m.group("country"))
            if iso and iso not in facts.countries:
                facts.countries.append(iso)
        elif m := re.match(r"Gender (?P<g>Male|Female)$", item):
            facts.extra["gender"] = m.group("g").lower()
        elif item.startswith("Linked To: "):
            linked.append(item.removeprefix("Linked To: ").strip())
        elif (m := _IDENT.match(item)) and _SCHEME_END.search(m.group("scheme")) and "Date" not in m.group("scheme"):
            country = m.group("country")
            iso = to_iso2(country) if country else None
            note = " ".join(x for x in ((country if country and not iso else None), m.group("rest")) if x)
            ids.append(Identifier(m.group("scheme").strip(), m.group("value").strip(), iso, note.strip() or None))
        elif m := _CONTACT.match(item):
            ids.append(Identifier(m.group("scheme"), m.group("value")))
    if linked:
        facts.extra["linked_to"] = "; ".join(linked)
    facts.birth_dates = tuple(dict.fromkeys(dobs))
    facts.birth_places = tuple(dict.fromkeys(pobs))
    facts.identifiers = tuple(dict.fromkeys(ids))
    return facts
