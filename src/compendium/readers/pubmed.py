"""MEDLINE/PubMed text (PubMed's "PubMed" format, saved as ``.nbib`` or ``.txt``).

Written by hand because no well-kept PyPI package parses it (rispy reads RIS and Web of
Science only). The format (NLM, "MEDLINE/PubMed Data Element (Field) Descriptions"):

- a tag of up to four characters, padded to four, then ``- `` and the value
  (``PMID- 30776994``, ``TI  - ...``, ``FAU - Takeuchi, Yuichi``); older files and ERIC
  write ``PMID-22664220`` or ``TI-`` without the padding, also read;
- a value continues on lines indented by six spaces (any indentation is accepted);
- records are separated by one or more blank lines.

Any other line inside a record (unindented text without a tag) is an error, since it can
only be a damaged record.
"""

from __future__ import annotations

import re
from pathlib import Path

from compendium import columns as col
from compendium.readers.base import ParsedRecord, ReaderError, first, group
from compendium.readers.databases import database_name

__all__ = ["parse_medline", "parse_tagged_blocks"]

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *-(?: ?(.*))?$")

MEDLINE_FIELDS: dict[str, tuple[str, ...]] = {
    col.TITLE: ("TI", "BTI"),
    col.YEAR: ("DP", "DEP", "DA"),
    col.JOURNAL: ("JT", "TA", "BTI"),
    col.VOLUME: ("VI",),
    col.ISSUE: ("IP",),
    col.PAGES: ("PG",),
    col.PMID: ("PMID",),
    col.ABSTRACT: ("AB", "OAB"),
}


def parse_tagged_blocks(
    lines: list[str],
    *,
    path: Path,
    start: int = 0,
    stop: int | None = None,
    tag: re.Pattern[str] = _TAG,
) -> list[tuple[int, list[list[str]]]]:
    """Split tagged lines into blank-line separated records of ``[tag, value]`` pairs.

    ``start``/``stop`` are 0-based indices of the lines to read; returned line numbers
    are 1-based.
    """
    blocks: list[tuple[int, list[list[str]]]] = []
    pairs: list[list[str]] | None = None
    for index in range(start, len(lines) if stop is None else stop):
        line = lines[index]
        if not line.strip():
            pairs = None
            continue
        if line[0] in " \t":
            if pairs is None or not pairs:
                raise ReaderError.at(path, index + 1, line, "a tag such as 'TI  - ' first")
            pair = pairs[-1]
            text = line.strip()
            pair[1] = f"{pair[1]}\n{text}" if pair[1] else text
            continue
        match = tag.match(line)
        if match is None:
            raise ReaderError.at(
                path, index + 1, line, "a tagged line ('XXXX- value') or an indented continuation"
            )
        if pairs is None:
            pairs = []
            blocks.append((index + 1, pairs))
        pairs.append([match.group(1), (match.group(2) or "").strip()])
    return blocks


def _fields(pairs: list[list[str]]) -> dict[str, object]:
    tags = group(pairs)
    fields: dict[str, object] = {c: first(tags, t) for c, t in MEDLINE_FIELDS.items()}
    fields[col.AUTHORS] = tags.get("FAU") or tags.get("AU") or tags.get("CN")
    ids = tags.get("LID", []) + tags.get("AID", [])
    fields[col.DOI] = sorted(ids, key=lambda v: "[doi]" not in v)  # "[doi]" ones first
    owner = first(tags, ("OWN",))
    name = database_name(owner, keep_unknown=False) if owner else None
    fields[col.DATABASE] = name or ("PubMed" if "PMID" in tags else None)
    return fields


def parse_medline(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse MEDLINE/PubMed text into records."""
    blocks = parse_tagged_blocks(text.split("\n"), path=path)
    return [ParsedRecord(pairs=p, fields=_fields(p), line=n) for n, p in blocks]
