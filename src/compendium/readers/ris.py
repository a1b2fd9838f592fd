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
  drops it), a tag or any other text between records (rispy skips it), and a count of
  records read other than the one the file states (``Record #1 of 2``).

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

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from rispy import TAG_KEY_MAPPING, RisWriter

from compendium import columns as col
from compendium.readers.base import (
    ParsedRecord,
    ReaderError,
    index_tags,
    join_lines,
    no_cyclic_gc,
    pages_from,
    raw_json,
)
from compendium.readers.databases import (
    EMBASE_NAMES,
    MEDLINE_FAMILY,
    database_name,
    identifier_database,
    ovid_link_database,
    provider_of,
)

__all__ = ["parse_ris", "write_ris"]

LINK_TAG = "Link to the Ovid Full Text or citation"
OVID_LINK_MARK = "Link to the Ovid"  # its presence anywhere marks a numbered file as Ovid's
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

# rispy's field name -> RIS tag: rispy's table says which tag holds what.
_RISPY_TAG = {name: tag for tag, name in TAG_KEY_MAPPING.items()}


def _tags(*names: str) -> tuple[str, ...]:
    """RIS tags for rispy field names; a name rispy lacks is an RIS tag written as is."""
    return tuple(_RISPY_TAG.get(name, name) for name in names)


# column -> RIS tags, most specific first (first non-empty value wins). Tags rispy's table
# lacks: CT, BT (titles), J1 (journal), CP (issue), DI, L3 (DOI), PMID, PM (PubMed ID).
RIS_FIELDS: dict[str, tuple[str, ...]] = {
    col.TITLE: _tags("title", "primary_title", "CT", "BT"),
    col.YEAR: _tags("year", "publication_year", "date", "access_date"),
    col.JOURNAL: _tags(
        "alternate_title3",
        "secondary_title",
        "journal_name",
        "alternate_title2",
        "alternate_title1",
        "J1",
    ),
    col.VOLUME: _tags("volume"),
    col.ISSUE: _tags("number", "CP"),
    col.ABSTRACT: _tags("abstract", "notes_abstract"),
}
AUTHOR_TAGS = _tags("authors", "first_authors")  # first tag present gives the authors
# every value of these is a DOI candidate
DOI_TAGS = _tags("doi", "DI", "type_of_work", "urls", "L3", "file_attachments2")
PMID_TAGS: tuple[str, ...] = ("PMID", "PM")
# PubMed ids in MEDLINE-family databases: AN, and ID (where Ovid writes the accession
# number). In an export that names no database ID is no evidence: Rayyan, Dimensions and
# reference managers number their records there (ID  - 1, 2, 939).
ACCESSION_TAGS = _tags("accession_number", "id")
UNNAMED_ACCESSION_TAGS = _tags("accession_number")
EMBASE_PMID_TAG = "C5"  # Embase.com RIS: the MEDLINE PMID of a record also in MEDLINE
_PMID = re.compile(r"^\d{1,8}$")
_PMID_NOTE = re.compile(r"^PMID:\s*(\d{1,8})\s*$")  # how write_ris keeps a PMID outside MEDLINE


def _pieces(text: str) -> Iterator[str]:
    """Split text at line ends about a megabyte at a time (joined by "\\n", the text)."""
    size, start = len(text), 0
    while True:
        end = text.find("\n", min(start + _CHUNK, size))
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _other_line(line: str) -> tuple[str, str] | tuple[None, str]:
    """Read a line that is no two-letter tag line: a wide tag, Ovid's link, a bare ER."""
    if line[:1].isupper():
        match = _WIDE_TAG.match(line)
        if match is not None:
            return (match.group(1), match.group(2).strip())
        if line.startswith(OVID_LINK_MARK):
            label, _, rest = line.partition(":")
            return (label.strip(), rest.strip())
        if line.rstrip() == "ER":
            return ("ER", "")
    return (None, line.strip())


def _valid(tag: str, valid: set[str]) -> bool:
    """Whether two characters are a tag (two capitals, the first a letter); remembered."""
    if tag.isupper() and tag[0].isalpha():
        valid.add(tag)
        return True
    return False


def _line(line: str) -> tuple[str, str] | tuple[None, str]:
    """Read any line inside a record as ``(tag, value)``; ``None`` for a continuation."""
    if line[2:5] == "  -" and line[:2].isupper() and line[:1].isalpha():
        return (line[0:2], line[6:].strip())
    return _other_line(line)


class _Reader:
    """A RIS tokenizer collecting ``[tag, value]`` pairs and checking structure.

    It reads lines as ``rispy.RisParser`` does (a tag line is two capital letters, the
    first a letter, then ``"  -"``; the value starts at the seventh character; an untagged
    line continues the value before it; ``ER`` closes the record), and as rispy does not,
    keeps order, wide tags and vendor lines, and refuses structure that would lose
    records. It is its own loop rather than a subclass of ``rispy.RisParser`` because
    rispy's loop makes two method calls a line: on a 100,000-record file that loop alone
    took as long as ``rispy.load`` and the whole read 2.2 times as long. Which tag feeds
    which column still comes from rispy's own tag table (:data:`RIS_FIELDS`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.start = 0
        self.starts: list[int] = []
        self.preamble: dict[str, str] = {}
        self.numbered = False
        self.stated: dict[int, int] = {}  # counts "Record #1 of 2" lines state: their lines
        self.current: list[list] | None = None
        self.current_tags: dict[str, list[str]] | None = None  # see read
        self.continued: list[list] = []  # pairs of the open record with continuation lines
        self.records: list[ParsedRecord] = []
        self.provider: str | None = None
        self.preamble_db: str | None = None
        self.ovid_links = False
        # One string object per distinct journal, year, volume or issue: a large export
        # repeats them in many records (20 MB less for 100,000 records).
        self.shared: dict[str, str] = {}

    def finalise(self, pairs: list[list], line: int, tags: dict[str, list[str]] | None) -> None:
        """Turn a closed record into a ParsedRecord and free its pairs.

        ``tags`` holds the values of the tags :func:`_fields` reads, collected as the
        record was read, or is None when a value changed later (a continuation line, a
        line after ``ER``): the pairs are then indexed here.
        """
        for pair in self.continued:
            pair[1] = join_lines(pair[1], pair.pop())
        self.continued = []
        lines = tags is not None
        if tags is None:
            tags = _index(pairs)
        fields = _fields(tags, self.provider, self.preamble_db, lines=lines)
        shared = self.shared
        for column in _SHARED:
            value = fields.get(column)
            if value.__class__ is str:
                fields[column] = shared.setdefault(value, value)
        self.records.append(ParsedRecord([], fields, line, raw_json(pairs)))

    def read(self, pieces: Iterable[str]) -> None:
        """Read every line; a record is finalised when the next one starts or at the end."""
        lineno = 0
        record: list[list] = []
        append = record.append
        in_record = False
        previous: list[list] | None = None  # the record just closed, if any
        trailer = after_link = False  # Ovid writes NL and its link line after ER
        continued = self.continued
        # The values of the tags _fields reads, by tag, collected here rather than in a
        # second pass over each record's pairs; None once a collected value has changed.
        read_tags = _READ_TAGS
        tags: dict[str, list[str]] = {}
        stale = False
        previous_tags: dict[str, list[str]] | None = None
        valid: set[str] = set()  # two-letter tags already found valid
        for piece in pieces:
            for line in piece.split("\n"):
                lineno += 1
                if in_record:
                    if line[2:5] == "  -" and ((tag := line[:2]) in valid or _valid(tag, valid)):
                        if tag != "ER" and tag != "TY":  # the common case first
                            value = line[6:].strip()
                            append([tag, value])
                            if tag in read_tags:
                                if tag in tags:
                                    tags[tag].append(value)
                                else:
                                    tags[tag] = [value]
                        elif tag == "ER":
                            in_record, previous, trailer, after_link = False, record, True, False
                            previous_tags = None if stale else tags
                        else:
                            raise ReaderError.at(
                                self.path,
                                lineno,
                                f"TY  - {line[6:].strip()}",
                                f"'ER  - ' closing the record that starts on line {self.start} "
                                "before the next record starts",
                            )
                        continue
                    tag, content = _other_line(line)
                    if tag is None:
                        pair = record[-1]
                        if len(pair) == 2:  # a list of its continuation lines, for finalise
                            pair.append([])
                            continued.append(pair)
                        pair[2].append(content)
                        if pair[0] in read_tags:
                            stale = True
                    elif tag == "ER":
                        in_record, previous, trailer, after_link = False, record, True, False
                        previous_tags = None if stale else tags
                    else:
                        append([tag, content])
                        if tag in read_tags:
                            if tag in tags:
                                tags[tag].append(content)
                            else:
                                tags[tag] = [content]
                    continue
                if line[:5] == "TY  -":
                    if previous is not None:
                        self.finalise(previous, self.start, previous_tags)
                        continued = self.continued
                    tags, stale = {}, False
                    in_record = True
                    self.start = lineno
                    self.starts.append(lineno)
                    record = self.current = [["TY", line[6:].strip()]]
                    append = record.append
                    continue
                stripped = line.strip()
                if not stripped:
                    continue
                if after_link and _URL.match(stripped):
                    after_link = False
                    if trailer:
                        previous[-1][1] = stripped
                    continue
                if trailer and (stripped.startswith(OVID_LINK_MARK) or stripped[:6] == "NL  - "):
                    tag, content = _line(stripped)
                    previous.append([tag, content])
                    previous_tags = None
                    after_link = tag == LINK_TAG and not content
                    continue
                if _HARMLESS.match(stripped):
                    trailer = False
                    key, sep, value = stripped.partition(":")
                    if sep and key in ("Provider", "Database"):
                        self.preamble.setdefault(key, value.strip())
                    elif key[:1].isdigit():
                        self.numbered = True
                    elif stripped.startswith("Record #"):
                        self.stated.setdefault(int(stripped.rpartition(" ")[2]), lineno)
                    self._update_provider()
                    continue
                raise ReaderError.at(self.path, lineno, line, _EXPECTED_BETWEEN)
        self.in_record = in_record
        self.current_tags = previous_tags

    def _update_provider(self) -> None:
        provider = provider_of(self.preamble.get("Provider"))
        if provider is None and self.numbered and self.ovid_links:
            provider = "ovid"
        self.provider = provider
        self.preamble_db = database_name(self.preamble.get("Database"), provider=provider)


# Every tag _fields reads; indexing only these skips most of a record's pairs.
_READ_TAGS = frozenset(
    {t for tags in RIS_FIELDS.values() for t in tags}
    | {*AUTHOR_TAGS, *DOI_TAGS, *PMID_TAGS, *ACCESSION_TAGS}
    | {"SP", "EP", "DP", "DB", "L2", "UR", "N1", EMBASE_PMID_TAG, LINK_TAG}
)
_COLUMN_TAGS = tuple(RIS_FIELDS.items())
_SHARED = (col.JOURNAL, col.YEAR, col.VOLUME, col.ISSUE)


def _first(tags: dict[str, list[str]], wanted: tuple[str, ...]) -> str | None:
    """:func:`~compendium.readers.base.first` for this reader's values.

    Every value here is stripped (a joined continuation starts with a non-empty line), so
    a value is non-empty exactly when it is not blank.
    """
    for tag in wanted:
        values = tags.get(tag)
        if values is not None:
            for value in values:
                if value:
                    return value
    return None


def _index(pairs: list[list[str]]) -> dict[str, list[str]]:
    """The values of the tags :func:`_fields` reads, by tag, in file order."""
    return index_tags(pairs, _READ_TAGS)


def _fields(
    tags: dict[str, list[str]], provider: str | None, preamble_db: str | None, *, lines: bool
) -> dict:
    """The column values of a record; ``lines``: each value is one line (no continuation).

    A column without a value is left out: a dict of ten keys or fewer takes 272 bytes,
    one of eleven 464, which is 20 MB for a 100,000-record file.
    """
    get = tags.get
    fields: dict[str, object] = {}
    for column, wanted in _COLUMN_TAGS:
        # _first, inline for the common case: the first tag present has a value.
        for tag in wanted:
            if tag in tags:
                value = tags[tag][0]
                fields[column] = value if value else _first(tags, wanted)
                break
    for tag in AUTHOR_TAGS:
        if tag in tags:
            values = tags[tag]
            if lines:
                fields[col.AUTHORS] = values
            else:
                fields[col.AUTHORS] = [a for value in values for a in value.split("\n")]
            break
    if "SP" in tags or "EP" in tags:
        fields[col.PAGES] = pages_from(_first(tags, ("SP",)), _first(tags, ("EP",)))
    dois = [v for t in DOI_TAGS if t in tags for v in tags[t]]
    if dois:
        fields[col.DOI] = dois
    dp = _first(tags, ("DP",)) if "DP" in tags else None
    record_provider = provider_of(dp) or provider
    database = database_name(_first(tags, ("DB",)), provider=record_provider)
    if database is None:
        database = database_name(dp, keep_unknown=False) or preamble_db
    if database is None:  # Ovid RIS without DB: its links carry the database code
        links = [v for t in ("L2", "UR", LINK_TAG) for v in get(t, ())]
        database = ovid_link_database(links)
        if database is None:  # WoS, Dimensions, Lens: their accession numbers and links
            ids = [v for t in ("AN", "UR", "L2") for v in get(t, ())]
            database = identifier_database(ids)
    if database is not None:
        fields[col.DATABASE] = database
    fields[col.ACCESSION] = _first(tags, ("AN",))  # the database's own record number
    pmid = _first(tags, PMID_TAGS)
    if pmid is None and (database is None or database in MEDLINE_FAMILY):
        accession = ACCESSION_TAGS if database else UNNAMED_ACCESSION_TAGS
        for value in (v for t in accession for v in get(t, ())):
            if _PMID.match(value.strip()):
                pmid = value
                break
    if pmid is None and database in EMBASE_NAMES:
        value = _first(tags, (EMBASE_PMID_TAG,)) if EMBASE_PMID_TAG in tags else None
        if value and _PMID.match(value.strip()):
            pmid = value
    if pmid is None and "N1" in tags:
        for note in tags["N1"]:
            if match := _PMID_NOTE.match(note):
                pmid = match.group(1)
                break
    if pmid is not None:
        fields[col.PMID] = pmid
    return fields


def parse_ris(
    text: str | Iterable[str], *, path: Path, ovid_links: bool | None = None
) -> list[ParsedRecord]:
    """Parse RIS text into records, refusing structure that would lose or merge records.

    ``text`` is the text or its pieces (joined by ``"\\n"``, each ending where a line
    does), as :meth:`~compendium.readers.encoding.Stream.chunks` gives them; then
    ``ovid_links`` says whether the text holds :data:`OVID_LINK_MARK`.
    """
    reader = _Reader(path)
    if isinstance(text, str):
        reader.ovid_links = OVID_LINK_MARK in text
        text = _pieces(text)
    else:
        reader.ovid_links = bool(ovid_links)
    with no_cyclic_gc():
        reader.read(text)
    if reader.in_record:
        raise ReaderError.at(
            path,
            reader.start,
            "TY  - ",
            "'ER  - ' closing this record before the end of the file (the file is cut off)",
        )
    if reader.current is not None:
        reader.finalise(reader.current, reader.start, reader.current_tags)
    for stated, line in sorted(reader.stated.items(), key=lambda item: item[1]):
        if stated != len(reader.records):
            msg = (
                f"{path}: line {line}: the export states it holds {stated} records "
                f"('Record #... of {stated}'), {len(reader.records)} read: expected as many "
                "as it states (a record lost, or the file cut short)"
            )
            raise ReaderError(msg, path=path, line=line, value=stated, expected=f"{stated}")
    return reader.records


def may_be_wos(head: str) -> bool:
    """Whether the format check could find Web of Science text given the whole file."""
    first = next((line for line in head[:20000].split("\n") if line.strip()), "")
    return first.startswith("FN ") or re.match(r"PT [A-Z]\s*$", first) is not None


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
    pmid, accession = value(col.PMID), value(col.ACCESSION)
    if accession:  # the database's own record number, which the record's id is made of
        ref["accession_number"] = accession
    if pmid and accession != pmid:
        ref["notes"] = [f"PMID: {pmid}"]
    return ref


def write_ris(records: pd.DataFrame, path: Path | str) -> Path:
    """Write records as RIS for Zotero or EndNote; reading the file gives them back.

    Written from the normalised columns (title, authors, year, journal as ``T2``, volume,
    issue, pages as ``SP``/``EP``, DOI, database as ``DB``, abstract), in UTF-8 without
    BOM, LF line endings, so that a reference manager imports clean values rather than one
    vendor's dialect. The accession number goes to ``AN`` (for MEDLINE, the PMID, as Ovid
    writes it); a PMID that is not the accession number goes to a ``N1  - PMID: <n>`` note,
    so that reading the file gives back the same accession number and PMID.
    """
    path = Path(path)
    references = [_to_reference(row) for row in records.to_dict(orient="records")]
    text = _Writer().formats(references)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)
    return path
