"""MEDLINE/PubMed text (PubMed's "PubMed" format, saved as ``.nbib`` or ``.txt``).

Written by hand because no well-kept PyPI package parses it (rispy reads RIS and Web of
Science only). The format (NLM, "MEDLINE/PubMed Data Element (Field) Descriptions"):

- a tag of up to four characters, padded to four, then ``- `` and the value
  (``PMID- 30776994``, ``TI  - ...``, ``FAU - Takeuchi, Yuichi``); older files and ERIC
  write ``PMID-22664220`` or ``TI-`` without the padding, also read;
- a value continues on lines indented by six spaces (any indentation is accepted);
- records are separated by one or more blank lines.

Any other line inside a record (unindented text without a tag) is an error, since it can
only be a damaged record. A blank line is the only thing that ends a record, so two more
checks account for every record: the tag that starts each record (``PMID``, or ``PMC``,
``OWN`` in other MEDLINE-style files) found twice in one record says a blank line is
missing between two records, and a last record without the tag every other one ends with
(``SO``) says the file was cut short; both are errors.
"""

from __future__ import annotations

import re
from pathlib import Path

from compendium import columns as col
from compendium.readers.base import (
    ParsedRecord,
    ReaderError,
    check_last_record,
    first,
    index_tags,
    join_lines,
)
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
    col.ACCESSION: ("PMID",),  # PubMed's own record number is the PMID
    col.ABSTRACT: ("AB", "OAB"),
}


def _padded_tag(prefix: str, tag: re.Pattern[str]) -> str | None:
    """The tag of a line starting ``prefix + "- "``, when ``tag`` reads it as padded.

    Only a prefix that the pattern reads whole as a tag and its padding qualifies; the
    tag and value of such a line then do not depend on the rest of the line, so the
    answer holds for every line with that prefix.
    """
    match = tag.match(prefix + "- ")
    if match is None or prefix.rstrip(" ") != match.group(1):
        return None
    return match.group(1)


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
    # Most lines are "XXXX- value" with the tag padded to four characters: their tag is
    # looked up by that prefix (one regex match per distinct prefix, not per line).
    padded: dict[str, str | None] = {}
    continued: list[list] = []  # pairs with continuation lines, joined once at the end
    for index in range(start, len(lines) if stop is None else stop):
        line = lines[index]
        if line[4:6] == "- ":
            prefix = line[:4]
            try:
                name = padded[prefix]
            except KeyError:
                name = padded[prefix] = _padded_tag(prefix, tag)
            if name is not None:
                if pairs is None:
                    pairs = []
                    blocks.append((index + 1, pairs))
                pairs.append([name, line[5:].strip()])
                continue
        text = line.strip()
        if not text:
            pairs = None
            continue
        if line[0] in " \t":
            if pairs is None or not pairs:
                raise ReaderError.at(path, index + 1, line, "a tag such as 'TI  - ' first")
            pair = pairs[-1]
            if len(pair) == 2:
                pair.append([])
                continued.append(pair)
            pair[2].append(text)
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
    for pair in continued:
        pair[1] = join_lines(pair[1], pair.pop())
    return blocks


# Every tag _fields reads; indexing only these skips most of a record's pairs.
_READ_TAGS = frozenset(
    {t for tags in MEDLINE_FIELDS.values() for t in tags} | {"FAU", "AU", "CN", "LID", "AID", "OWN"}
)


def _fields(pairs: list[list[str]]) -> dict[str, object]:
    tags = index_tags(pairs, _READ_TAGS)
    fields: dict[str, object] = {c: first(tags, t) for c, t in MEDLINE_FIELDS.items()}
    fields[col.AUTHORS] = tags.get("FAU") or tags.get("AU") or tags.get("CN")
    ids = tags.get("LID", []) + tags.get("AID", [])
    fields[col.DOI] = sorted(ids, key=lambda v: "[doi]" not in v)  # "[doi]" ones first
    owner = first(tags, ("OWN",))
    name = database_name(owner, keep_unknown=False) if owner else None
    fields[col.DATABASE] = name or ("PubMed" if "PMID" in tags else None)
    return fields


def _check_one_start_per_record(
    lines: list[str], blocks: list[tuple[int, list[str]]], path: Path
) -> None:
    """Refuse two records written without a blank line between them.

    ``PMID`` is once in a record (NLM's definition of the format); so is the tag that
    starts the first record (``PMC``, ``OWN``) when that record holds it once. A second
    one inside a record is the start of another. ``blocks``: each record's first line
    and its tags in order.
    """
    if not blocks or not blocks[0][1]:
        return
    start = blocks[0][1][0]
    if start != "PMID" and blocks[0][1].count(start) != 1:
        return
    for start_line, tags in blocks:
        if tags.count(start) < 2:
            continue
        seen = False
        for index in range(start_line - 1, len(lines)):  # the record's lines, to name the line
            line = lines[index]
            found = _TAG.match(line) if line.startswith(start) else None
            if found is None or found.group(1) != start:
                continue
            if seen:
                msg = (
                    f"{path}: line {index + 1}: {line.strip()[:60]!r}: a second {start!r} in "
                    "one record: expected a blank line before each record (two records "
                    "without one between them would be read as one)"
                )
                raise ReaderError(
                    msg, path=path, line=index + 1, value=line, expected="a blank line"
                )
            seen = True


def parse_medline(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse MEDLINE/PubMed text into records."""
    lines = text.split("\n")
    blocks = parse_tagged_blocks(lines, path=path)
    shapes = [(n, [pair[0] for pair in pairs]) for n, pairs in blocks]
    _check_one_start_per_record(lines, shapes, path)
    check_last_record(shapes, path=path, kind="tag")
    return [ParsedRecord(pairs=p, fields=_fields(p), line=n) for n, p in blocks]
