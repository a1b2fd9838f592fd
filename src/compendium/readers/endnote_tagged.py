"""EndNote's tagged format (``.enw``, Refer/BibIX), as Google Scholar, publishers (Springer,
ACM, ACL Anthology), CNKI and reference managers export it.

Written by hand because no well-kept PyPI package reads it (rispy reads RIS and Web of
Science only). The format (EndNote manual, "Creating a Tagged EndNote Import File"):

- a line is ``%`` and a one-character tag (a capital letter, a digit or a sign), a space
  and the value: ``%0 Journal Article``, ``%A Jones, Mary``, ``%T Title``;
- records are separated by blank lines; tags repeat (one ``%A`` per author);
- a line without a tag inside a record continues the value before it (CNKI wraps
  abstracts so).

A line without a tag before any record, or at the start of one, can only be a damaged
record and is an error naming its line.

The tags read (EndNote's generic reference type): ``%T`` title, ``%A`` author, ``%D`` year
(``%8`` date), ``%J`` or ``%B`` journal, ``%V`` volume, ``%N`` issue, ``%P`` pages,
``%R`` DOI (``%U`` when it is a DOI link), ``%X`` abstract, ``%M`` accession number (the
PMID of a MEDLINE record), ``%~`` name of the database and ``%W`` its provider.
"""

from __future__ import annotations

import re
from pathlib import Path

from compendium import columns as col
from compendium.readers.base import ParsedRecord, ReaderError, first, group, join_lines
from compendium.readers.databases import MEDLINE_FAMILY, database_name, provider_of

__all__ = ["TAG_LINE", "parse_endnote_tagged"]

# "%" and one tag character (a capital letter, a digit or one of EndNote's signs), then a
# space or the end of the line: "%%" (a TeX comment), "% text" and "%50 of" are no tags.
TAG_LINE = re.compile(r"^%([A-Z0-9@!#$&()*+^~<>?=\[\]|])(?: (.*))?$")

ENDNOTE_FIELDS: dict[str, tuple[str, ...]] = {
    col.TITLE: ("T",),
    col.YEAR: ("D", "8"),
    col.JOURNAL: ("J", "B"),
    col.VOLUME: ("V",),
    col.ISSUE: ("N",),
    col.PAGES: ("P",),
    col.ABSTRACT: ("X",),
}


def _blocks(text: str, path: Path) -> list[tuple[int, list[list]]]:
    """Blank-line separated records of ``[tag, value]`` pairs, with their first line."""
    blocks: list[tuple[int, list[list]]] = []
    pairs: list[list] | None = None
    continued: list[list] = []
    for number, line in enumerate(text.split("\n"), 1):
        match = TAG_LINE.match(line)
        if match is not None:
            if pairs is None:
                pairs = []
                blocks.append((number, pairs))
            pairs.append([match.group(1), (match.group(2) or "").strip()])
            continue
        stripped = line.strip()
        if not stripped:
            pairs = None
            continue
        if pairs is None:
            expected = "a tagged line such as '%0 Journal Article' or '%T Title'"
            raise ReaderError.at(path, number, line, expected)
        pair = pairs[-1]
        if len(pair) == 2:
            pair.append([])
            continued.append(pair)
        pair[2].append(stripped)
    for pair in continued:
        pair[1] = join_lines(pair[1], pair.pop())
    return blocks


def _fields(pairs: list[list]) -> dict[str, object]:
    tags = group(pairs)
    fields: dict[str, object] = {c: first(tags, t) for c, t in ENDNOTE_FIELDS.items()}
    fields[col.AUTHORS] = tags.get("A")
    links = [u for u in tags.get("U", []) if "doi.org/" in u]
    fields[col.DOI] = tags.get("R", []) + links
    named = first(tags, ("~",))
    provider = provider_of(first(tags, ("W",)))
    database = database_name(named, provider=provider) if named else None
    fields[col.DATABASE] = database
    accession = (first(tags, ("M",)) or "").strip()
    fields[col.ACCESSION] = accession or None
    if database in MEDLINE_FAMILY and accession.isdigit():
        fields[col.PMID] = accession
    return fields


def parse_endnote_tagged(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse an EndNote tagged export into records, one per blank-line separated block."""
    return [ParsedRecord(pairs=p, fields=_fields(p), line=n) for n, p in _blocks(text, path)]
