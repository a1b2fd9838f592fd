"""RIS, in the dialects real databases write, read through rispy's parser.

rispy (``rispy.RisParser``) finds records (``TY  -`` ... ``ER  -``), tags and continuation
lines. Around it, this module:

- keeps every ``[tag, value]`` pair in file order (rispy's dict form loses order between
  tags and renames them), by subclassing the parser and collecting pairs;
- keeps a continuation line (an untagged line inside a record: Scopus ``N1`` reference
  lists, Rayyan and EndNote ``KW`` lists, Ovid ``N2`` paragraphs) with its tag, joined by
  a line break; a blank line inside a record stays inside the value (Scopus ``U3``);
- reads 3- and 4-letter tags (APA PsycNET writes ``PMID  - ``), and a bare ``ER`` line;
- keeps Ovid's ``Link to the Ovid Full Text or citation:`` line (and its URL, on the
  same line or the next) as a pair of its own; Ovid writes it, and an ``NL  - `` (NLM
  journal abbreviation) line, *after* the record's ``ER``: both are kept with the record
  they follow;
- refuses what rispy would silently get wrong: a ``TY`` inside a record (two records
  merged because an ``ER`` is missing), a record cut off by the end of the file (rispy
  drops it), a tag or any other text between records (rispy skips it).

Known harmless vendor lines between records, each skipped (and tested):

======================================  =============================================
line                                    written by
======================================  =============================================
``1.``, ``2.`` ... numbering            Ovid, EndNote "RefMan" style, rispy's writer
``Record #1 of 2``                      APA PsycNET and ProQuest downloads
``Provider: ...``                       preamble (PsycNET, ProQuest, Ovid)
``Database: ...``                       preamble (PsycNET, Ovid)
``Content: ...``                        preamble (MIME type)
``Link to the Ovid Full Text ...``      Ovid; kept with the record before it
``NL  - ...`` right after ``ER``        Ovid; kept with the record before it
``EF``                                  end-of-file mark of some RIS writers
======================================  =============================================

The ``Provider:`` and ``Database:`` preamble lines are signals for the ``database``
column.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import rispy
from rispy import RisWriter

from compendium import columns as col
from compendium.readers.base import ParsedRecord, ReaderError, first, group, pages_from
from compendium.readers.databases import (
    MEDLINE_FAMILY,
    database_name,
    ovid_link_database,
    provider_of,
)

__all__ = ["parse_ris", "write_ris"]

LINK_TAG = "Link to the Ovid Full Text or citation"
_WIDE_TAG = re.compile(r"^([A-Z][A-Z0-9]{2,3})  - ?(.*)$")  # "PMID  - " (APA PsycNET)
_HARMLESS = re.compile(
    r"^(?:\d+\.|Record #\d+ of \d+|Provider:.*|Database:.*|Content:.*|EF"
    r"|Link to the Ovid Full Text or citation:?.*)$"
)
_URL = re.compile(r"^https?://\S+$")
_CHUNK = 1 << 20  # characters split into lines at a time
_EXPECTED_BETWEEN = (
    "'TY  - ' starting a record, a blank line or a known vendor line "
    "('1.', 'Record #1 of 2', 'Provider:', 'Database:', 'Content:', "
    "'Link to the Ovid Full Text or citation:', 'EF')"
)

# column -> RIS tags, most specific first (first non-empty value wins)
RIS_FIELDS: dict[str, tuple[str, ...]] = {
    col.TITLE: ("TI", "T1", "CT", "BT"),
    col.YEAR: ("PY", "Y1", "DA", "Y2"),
    col.JOURNAL: ("JF", "T2", "JO", "JA", "J2", "J1"),
    col.VOLUME: ("VL",),
    col.ISSUE: ("IS", "CP"),
    col.ABSTRACT: ("AB", "N2"),
}
AUTHOR_TAGS: tuple[str, ...] = ("AU", "A1")  # first tag present gives the authors
DOI_TAGS: tuple[str, ...] = ("DO", "DI", "M3", "UR", "L3", "L2")  # every value is a candidate
PMID_TAGS: tuple[str, ...] = ("PMID", "PM")
ACCESSION_TAGS: tuple[str, ...] = ("AN", "ID")  # PubMed ids in MEDLINE-family databases
_PMID = re.compile(r"^\d{1,8}$")
_PMID_NOTE = re.compile(r"^PMID:\s*(\d{1,8})\s*$")  # how write_ris keeps a PMID outside MEDLINE


class _PairParser(rispy.RisParser):
    """rispy's parser, collecting ``[tag, value]`` pairs and checking structure."""

    def __init__(self, path: Path) -> None:
        super().__init__(skip_unknown_tags=False)
        self.path = path
        self.lineno = 0
        self.start = 0
        self.in_record = False
        self.starts: list[int] = []
        self.preamble: dict[str, str] = {}
        self.numbered = False
        self.current: list[list[str]] | None = None
        self.records: list[ParsedRecord] = []
        self.provider: str | None = None
        self.preamble_db: str | None = None
        self.ovid_links = False

    def numbered_lines(self, text: str):
        # Split a megabyte at a time: a 100,000-record file is never held twice as lines.
        size, start, first = len(text), 0, 1
        while True:
            end = text.find("\n", min(start + _CHUNK, size))
            chunk = text[start:] if end < 0 else text[start:end]
            lines = chunk.split("\n")
            for self.lineno, line in enumerate(lines, first):
                yield line
            if end < 0:
                return
            first += len(lines)
            start = end + 1

    def finalise(self, pairs: list[list[str]], line: int) -> None:
        """Turn a closed record into a ParsedRecord and free its pairs."""
        fields = _fields(pairs, provider=self.provider, preamble_db=self.preamble_db)
        raw = json.dumps(pairs, ensure_ascii=False, sort_keys=False)
        self.records.append(ParsedRecord(pairs=[], fields=fields, line=line, raw=raw))
        pairs.clear()  # rispy's result list keeps only the (empty) list object

    def parse_line(self, line: str) -> tuple[str, str] | tuple[None, str]:
        if line[2:5] == "  -" and line[:2].isupper() and line[0:1].isalpha():
            return (line[0:2], line[6:].strip())
        if line[:1].isupper():
            match = _WIDE_TAG.match(line)
            if match is not None:
                return (match.group(1), match.group(2).strip())
            if line.startswith("Link to the Ovid"):
                label, _, rest = line.partition(":")
                return (label.strip(), rest.strip())
            if line.rstrip() == "ER":
                return ("ER", "")
        return (None, line.strip())

    def _iter_till_start(self, lines) -> list[list[str]]:
        self.in_record = False
        previous = self.current  # the record just closed, if any
        trailer = previous is not None  # Ovid writes NL and its link line after ER
        after_link = False
        while True:
            line = next(lines)
            if line[:5] == "TY  -":
                if previous is not None:
                    self.finalise(previous, self.start)
                self.in_record = True
                self.start = self.lineno
                self.starts.append(self.lineno)
                self.current = [["TY", line[6:].strip()]]
                return self.current
            stripped = line.strip()
            if not stripped:
                continue
            if after_link and _URL.match(stripped):
                after_link = False
                if trailer:
                    previous[-1][1] = stripped
                continue
            if trailer and (stripped.startswith("Link to the Ovid") or stripped[:6] == "NL  - "):
                tag, content = self.parse_line(stripped)
                previous.append([tag, content])
                after_link = tag == LINK_TAG and not content
                continue
            if _HARMLESS.match(stripped):
                trailer = False
                key, sep, value = stripped.partition(":")
                if sep and key in ("Provider", "Database"):
                    self.preamble.setdefault(key, value.strip())
                elif key[:1].isdigit():
                    self.numbered = True
                self._update_provider()
                continue
            raise ReaderError.at(self.path, self.lineno, line, _EXPECTED_BETWEEN)

    def _update_provider(self) -> None:
        provider = provider_of(self.preamble.get("Provider"))
        if provider is None and self.numbered and self.ovid_links:
            provider = "ovid"
        self.provider = provider
        self.preamble_db = database_name(self.preamble.get("Database"), provider=provider)

    def _add_tag(self, record, tag, content, extend_multiline=False) -> None:
        if extend_multiline:
            pair = record[-1]
            pair[1] = f"{pair[1]}\n{content}" if pair[1] else content
            return
        if tag == "TY":
            raise ReaderError.at(
                self.path,
                self.lineno,
                f"TY  - {content}",
                f"'ER  - ' closing the record that starts on line {self.start} "
                "before the next record starts",
            )
        record.append([tag, content])


def _fields(pairs: list[list[str]], *, provider: str | None, preamble_db: str | None) -> dict:
    tags = group(pairs)
    fields: dict[str, object] = {c: first(tags, t) for c, t in RIS_FIELDS.items()}
    for tag in AUTHOR_TAGS:
        if tag in tags:
            fields[col.AUTHORS] = [a for value in tags[tag] for a in value.split("\n")]
            break
    fields[col.PAGES] = pages_from(first(tags, ("SP",)), first(tags, ("EP",)))
    fields[col.DOI] = [v for t in DOI_TAGS for v in tags.get(t, ())]
    record_provider = provider_of(first(tags, ("DP",))) or provider
    database = database_name(first(tags, ("DB",)), provider=record_provider)
    if database is None:
        database = database_name(first(tags, ("DP",)), keep_unknown=False) or preamble_db
    if database is None:  # Ovid RIS without DB: its links carry the database code
        links = [v for t in ("L2", "UR", LINK_TAG) for v in tags.get(t, ())]
        database = ovid_link_database(links)
    fields[col.DATABASE] = database
    pmid = first(tags, PMID_TAGS)
    if pmid is None and (database is None or database in MEDLINE_FAMILY):
        for value in (v for t in ACCESSION_TAGS for v in tags.get(t, ())):
            if _PMID.match(value.strip()):
                pmid = value
                break
    if pmid is None:
        for note in tags.get("N1", ()):
            if match := _PMID_NOTE.match(note):
                pmid = match.group(1)
                break
    fields[col.PMID] = pmid
    return fields


def parse_ris(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse RIS text into records, refusing structure that would lose or merge records."""
    parser = _PairParser(path)
    parser.ovid_links = "Link to the Ovid" in text
    found = parser.parse_lines(parser.numbered_lines(text))
    if parser.in_record:
        raise ReaderError.at(
            path,
            parser.start,
            "TY  - ",
            "'ER  - ' closing this record before the end of the file (the file is cut off)",
        )
    if len(found) != len(parser.starts):  # rispy's count must be the true count
        msg = f"{path}: {len(parser.starts)} records start with 'TY  - ' but {len(found)} were read"
        raise ReaderError(msg, path=path, expected=f"{len(parser.starts)} records")
    if parser.current is not None:
        parser.finalise(parser.current, parser.start)
    return parser.records


class _Writer(RisWriter):
    """rispy's writer without the ``1.`` numbering lines Zotero and EndNote do not need."""

    def set_header(self, count: int) -> str:
        return ""


def _to_reference(row: dict) -> dict:
    def value(column: str) -> str | None:
        v = row.get(column)
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        return str(v)

    ref: dict[str, object] = {"type_of_reference": "JOUR"}
    pairs = {
        "title": value(col.TITLE),
        "year": value(col.YEAR),
        "secondary_title": value(col.JOURNAL),
        "volume": value(col.VOLUME),
        "number": value(col.ISSUE),
        "doi": value(col.DOI),
        "name_of_database": value(col.DATABASE),
        "abstract": value(col.ABSTRACT),
    }
    authors = value(col.AUTHORS)
    if authors:
        ref["authors"] = authors.split("; ")
    pages = value(col.PAGES)
    if pages:
        start, dash, end = pages.partition("-")
        if dash and start and end:
            ref["start_page"], ref["end_page"] = start, end
        else:
            ref["start_page"] = pages
    ref.update({k: v for k, v in pairs.items() if v is not None})
    pmid, database = value(col.PMID), value(col.DATABASE)
    if pmid and (database is None or database in MEDLINE_FAMILY):
        ref["accession_number"] = pmid
    elif pmid:
        ref["notes"] = [f"PMID: {pmid}"]
    return ref


def write_ris(records: pd.DataFrame, path: Path | str) -> Path:
    """Write records as RIS for Zotero or EndNote; reading the file gives them back.

    Written from the normalised columns (title, authors, year, journal as ``T2``, volume,
    issue, pages as ``SP``/``EP``, DOI, database as ``DB``, abstract), in UTF-8 without
    BOM, LF line endings, so that a reference manager imports clean values rather than one
    vendor's dialect. The PMID goes to ``AN`` (as Ovid MEDLINE writes it) when the
    database is MEDLINE-family or unnamed; otherwise, since another database's ``AN`` is
    its own accession number, to a ``N1  - PMID: <n>`` note.
    """
    path = Path(path)
    references = [_to_reference(row) for row in records.to_dict(orient="records")]
    text = _Writer().formats(references)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)
    return path
