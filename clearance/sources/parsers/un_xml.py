"""UN Security Council Consolidated List, XML (``consolidated.xml``).

Format: https://scsanctions.un.org/resources/xml/en/consolidated.xsd (also referenced as
https://www.un.org/sc/resources/sc-sanctions.xsd). Root ``CONSOLIDATED_LIST`` with a
``dateGenerated`` attribute (-> ``ctx.as_of``), then ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY`` records: ``REFERENCE_NUMBER`` (e.g. ``QDi.001``: the stable id,
``un-QDi.001``), ``FIRST_NAME``..``FOURTH_NAME``, ``NAME_ORIGINAL_SCRIPT`` (-> a NATIVE
name, script detected), ``*_ALIAS`` with ``QUALITY`` (Good/a.k.a. -> alias, Low -> weak
alias, f.k.a. -> former), ``INDIVIDUAL_DATE_OF_BIRTH`` (``DATE`` | ``YEAR`` |
``FROM_YEAR``-``TO_YEAR`` with ``TYPE_OF_DATE``), ``INDIVIDUAL_PLACE_OF_BIRTH``,
``NATIONALITY/VALUE``, ``INDIVIDUAL_DOCUMENT``, ``*_ADDRESS``, ``UN_LIST_TYPE`` (the
sanctions regime: program), ``LISTED_ON`` and ``COMMENTS1``.

Safety: parsed with :mod:`defusedxml` (``forbid_dtd=True``): any DOCTYPE, hence any entity
declaration (billion laughs) or external entity (``file:///etc/passwd``), is refused
before it is expanded or fetched. Streaming: each record element is cleared once read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from clearance.errors import ParseError
from clearance.model import Address, Entry, Identifier, Kind, Legal, Name, NameRole
from clearance.sources.base import ParseContext
from clearance.sources.io import _DECOMPRESS_ERRORS, open_binary
from clearance.sources.parsers._common import country_code, iso_date, unique
from clearance.sources.scripts import detect_script

_RECORDS = {"INDIVIDUAL": Kind.PERSON, "ENTITY": Kind.ORGANIZATION}
_QUALITY = {"good": NameRole.ALIAS, "a.k.a.": NameRole.ALIAS, "": NameRole.ALIAS,
            "low": NameRole.WEAK_ALIAS, "f.k.a.": NameRole.FORMER}  # fmt: skip


def parse(files: dict[str, Path], ctx: ParseContext) -> Iterator[Entry]:
    path = files["main"]
    file = str(path)
    with open_binary(path) as f:
        events = iterparse(f, events=("start", "end"), forbid_dtd=True)
        root: ET.Element | None = None
        container: ET.Element | None = None
        count = 0
        try:
            for event, elem in events:
                if root is None:
                    root = elem
                    if elem.tag != "CONSOLIDATED_LIST":
                        raise ParseError(file, f"<{elem.tag}>", "not a UN consolidated list (root is not CONSOLIDATED_LIST)")
                    generated = elem.get("dateGenerated", "")
                    ctx.as_of = iso_date(generated[:10], file, "CONSOLIDATED_LIST/@dateGenerated") if generated else None
                elif event == "start" and elem.tag in ("INDIVIDUALS", "ENTITIES"):
                    container = elem
                elif event == "end" and elem.tag in _RECORDS:
                    count += 1
                    yield _entry(elem, ctx, file, count)
                    if container is not None:
                        container.clear()  # drop finished records: memory stays flat
        except DefusedXmlException as exc:
            what = getattr(exc, "name", None) or "DOCTYPE"
            raise ParseError(file, f"<!DOCTYPE {what}>", f"refused: {exc} (DTDs, entity declarations and external "
                             "entities are not allowed in list files)") from None
        except ET.ParseError as exc:
            line, col = exc.position
            raise ParseError(file, f"line {line}, column {col}", f"malformed XML ({_xml_problem(exc)})") from None
        except _DECOMPRESS_ERRORS as exc:
            raise ParseError(file, f"after record {count}", f"compressed stream is truncated or corrupt ({exc})") from None
    if count == 0:
        raise ParseError(file, "CONSOLIDATED_LIST", "no INDIVIDUAL or ENTITY records found")


def _xml_problem(exc: ET.ParseError) -> str:
    msg = str(exc).split(":", 1)[0]
    return f"{msg}; the file is cut short" if msg == "no element found" else msg


def _text(elem: ET.Element | None, tag: str) -> str:
    child = elem.find(tag) if elem is not None else None
    return " ".join((child.text or "").split()) if child is not None else ""


def _entry(rec: ET.Element, ctx: ParseContext, file: str, n: int) -> Entry:
    ref = _text(rec, "REFERENCE_NUMBER")
    where = f"{rec.tag} {ref or '#' + str(n)}"
    if not ref:
        raise ParseError(file, where, "record has no REFERENCE_NUMBER")
    primary = " ".join(p for p in (_text(rec, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if p)
    if not primary:
        raise ParseError(file, where, "record has no name (FIRST_NAME is empty)")
    names = [Name(primary, NameRole.PRIMARY, detect_script(primary))]
    if native := _text(rec, "NAME_ORIGINAL_SCRIPT"):
        names.append(Name(native, NameRole.NATIVE, detect_script(native)))
    birth_dates: list[str] = []
    birth_places: list[str] = []
    for alias in rec.findall(f"{rec.tag}_ALIAS"):
        value = _text(alias, "ALIAS_NAME")
        quality = _text(alias, "QUALITY").casefold()
        if not value:
            continue
        role = _QUALITY.get(quality)
        if role is None:
            role = NameRole.ALIAS
            ctx.notes.append(f"{where}: unknown alias QUALITY {quality!r} read as alias")
        names.append(Name(value, role, detect_script(value), _text(alias, "NOTE") or None))
        if dob := iso_date(_text(alias, "DATE_OF_BIRTH"), file, f"{where}/{alias.tag}/DATE_OF_BIRTH"):
            birth_dates.append(dob)
        birth_places.append(", ".join(p for p in (_text(alias, "CITY_OF_BIRTH"), _text(alias, "COUNTRY_OF_BIRTH")) if p))
    for dob_el in rec.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        birth_dates.extend(_birth_dates(dob_el, file, f"{where}/INDIVIDUAL_DATE_OF_BIRTH"))
    for pob in rec.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        birth_places.append(", ".join(p for p in (_text(pob, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")) if p))
    countries = [country_code(v.text, ctx) for v in rec.findall("NATIONALITY/VALUE")]
    addresses = []
    for a in rec.findall(f"{rec.tag}_ADDRESS"):
        parts = {t: _text(a, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")}
        if not any(parts.values()):
            continue
        code = country_code(parts["COUNTRY"], ctx)
        countries.append(code)
        full = ", ".join(v for k, v in parts.items() if v and k != "NOTE") + (f" ({parts['NOTE']})" if parts["NOTE"] else "")
        addresses.append(Address(full or None, parts["STREET"] or None, parts["CITY"] or None,
                                 parts["STATE_PROVINCE"] or None, parts["ZIP_CODE"] or None, code))  # fmt: skip
    # its own reference first: the UK list prints it on the entries implementing this designation
    identifiers = [Identifier("UN Reference Number", ref)]
    for doc in rec.findall("INDIVIDUAL_DOCUMENT"):
        if not (number := _text(doc, "NUMBER")):
            continue
        scheme = _text(doc, "TYPE_OF_DOCUMENT") or _text(doc, "TYPE_OF_DOCUMENT2") or "Document"
        issuer = _text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE")
        note = "; ".join(p for p in (_text(doc, "TYPE_OF_DOCUMENT2"), _text(doc, "CITY_OF_ISSUE"),
                                     _text(doc, "DATE_OF_ISSUE") and f"issued {_text(doc, 'DATE_OF_ISSUE')}",
                                     _text(doc, "NOTE")) if p and p != scheme)  # fmt: skip
        identifiers.append(Identifier(scheme, number, country_code(issuer, ctx), note or None))
    extra = {"dataid": _text(rec, "DATAID"), "gender": _text(rec, "GENDER"),
             "title": "; ".join(unique(v.text for v in rec.findall("TITLE/VALUE"))),
             "designation": "; ".join(unique(v.text for v in rec.findall("DESIGNATION/VALUE"))),
             "submitted_by": "; ".join(unique(v.text for v in rec.findall("SUBMITTED_BY"))),
             "last_updated": max(unique(v.text for v in rec.findall("LAST_DAY_UPDATED/VALUE")), default="")}  # fmt: skip
    return Entry(
        source=ctx.source,
        list_code=ctx.option("list_code", "UN"),
        entry_id=f"un-{ref}",
        kind=_RECORDS[rec.tag],
        names=_dedupe_names(names),
        addresses=tuple(dict.fromkeys(addresses)),
        countries=unique(countries),
        identifiers=tuple(dict.fromkeys(identifiers)),
        birth_dates=unique(birth_dates),
        birth_places=unique(birth_places),
        programs=unique([_text(rec, "UN_LIST_TYPE")]),
        listed_on=iso_date(_text(rec, "LISTED_ON"), file, f"{where}/LISTED_ON"),
        legal=Legal(source_list_url="https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"),
        remarks=_text(rec, "COMMENTS1") or None,
        extra=tuple(sorted((k, v) for k, v in extra.items() if v)),
    )


def _birth_dates(el: ET.Element, file: str, where: str) -> list[str]:
    """DATE, YEAR or FROM_YEAR..TO_YEAR (every year of a BETWEEN range, at most 30)."""
    if date := iso_date(_text(el, "DATE"), file, f"{where}/DATE"):
        return [date]
    if year := iso_date(_text(el, "YEAR"), file, f"{where}/YEAR"):
        return [year]
    lo = iso_date(_text(el, "FROM_YEAR"), file, f"{where}/FROM_YEAR")
    hi = iso_date(_text(el, "TO_YEAR"), file, f"{where}/TO_YEAR")
    if lo and hi:
        if len(lo) != 4 or len(hi) != 4 or not 0 <= int(hi) - int(lo) <= 30:
            raise ParseError(file, where, f"unexpected year range FROM_YEAR {lo} TO_YEAR {hi}")
        return [str(y) for y in range(int(lo), int(hi) + 1)]
    return [d for d in (lo, hi) if d]


def _dedupe_names(names: list[Name]) -> tuple[Name, ...]:
    seen: set[tuple[str, NameRole]] = set()
    out = []
    for name in names:
        key = (name.value.casefold(), name.role)
        if key not in seen and not (name.role is not NameRole.PRIMARY and name.value.casefold() == names[0].value.casefold()):
            seen.add(key)
            out.append(name)
    return tuple(out)
