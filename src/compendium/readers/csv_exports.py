"""CSV exports: PubMed, Scopus, Embase, Lens.org, OpenAlex and a generic layout.

Read with the standard library's :mod:`csv` (quoted cells, line breaks inside cells).
Each export is recognised by its header row: a :class:`Profile` lists the columns that
identify it and where each record column comes from. The first profile whose
``required`` columns are all present wins, so the specific layouts come before the
generic one.

Generic CSV (for hand-made lists, e.g. records from other sources): a header row with a
``title`` column, any case, separated by ``,``, ``;`` or a tab. Recognised column names
(case-insensitive):

=============  ==============================================================
column         header names
=============  ==============================================================
title          title, primary_title, ti
authors        authors, author, au (split on ``;``, or `` and `` as BibTeX)
year           year, publication_year, py, date
journal        journal, journal_name, secondary_title, source, source_title
volume         volume, vl
issue          issue, number, is
pages          pages, page, pg
doi            doi
pmid           pmid, pubmed_id, pubmed id
abstract       abstract, ab
database       database, source_database
=============  ==============================================================

Every cell of a row is kept in ``raw`` as ``[column, value]``. Rows that are entirely
empty are skipped (they are no record); a row with more cells than the header is an
error (a shifted row would put values in the wrong columns).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from compendium import columns as col
from compendium.readers.base import ParsedRecord, ReaderError, pages_from

__all__ = ["PROFILES", "Profile", "parse_csv", "recognise"]


@dataclass(frozen=True)
class Profile:
    """How one CSV layout maps to record columns."""

    name: str
    required: frozenset[str]
    fields: dict[str, tuple[str, ...]]
    database: str | None = None
    author_split: str = ";"
    case_insensitive: bool = False
    pages: tuple[str, str] | None = None
    citation: str | None = None  # a column holding "Journal (year) vol:issue (pages)"
    extra: dict[str, str] = field(default_factory=dict)


PROFILES: tuple[Profile, ...] = (
    Profile(
        name="PubMed",
        required=frozenset({"PMID", "Title", "Authors", "Citation", "Journal/Book"}),
        fields={
            col.TITLE: ("Title",),
            col.AUTHORS: ("Authors",),
            col.YEAR: ("Publication Year", "Create Date"),
            col.JOURNAL: ("Journal/Book",),
            col.DOI: ("DOI",),
            col.PMID: ("PMID",),
        },
        database="PubMed",
        author_split=",",
        citation="Citation",
    ),
    Profile(
        name="Scopus",
        required=frozenset({"Title", "Year", "Source title", "Authors"}),
        fields={
            col.TITLE: ("Title",),
            col.AUTHORS: ("Author full names", "Authors"),
            col.YEAR: ("Year",),
            col.JOURNAL: ("Source title",),
            col.VOLUME: ("Volume",),
            col.ISSUE: ("Issue",),
            col.DOI: ("DOI",),
            col.PMID: ("PubMed ID",),
            col.ABSTRACT: ("Abstract",),
        },
        database="Scopus",
        pages=("Page start", "Page end"),
    ),
    Profile(
        name="Embase",
        required=frozenset({"Title", "Author Names", "Source"}),
        fields={
            col.TITLE: ("Title",),
            col.AUTHORS: ("Author Names",),
            col.DOI: ("DOI",),
            col.PMID: ("Medline PMID", "PUI"),
            col.ABSTRACT: ("Abstract",),
            col.YEAR: ("Publication Year",),
            col.JOURNAL: ("Source title",),
        },
        database="Embase",
        author_split=",",
        citation="Source",
    ),
    Profile(
        name="Lens.org",
        required=frozenset({"Lens ID", "Title", "Author/s"}),
        fields={
            col.TITLE: ("Title",),
            col.AUTHORS: ("Author/s",),
            col.YEAR: ("Publication Year", "Date Published"),
            col.JOURNAL: ("Source Title",),
            col.VOLUME: ("Volume",),
            col.ISSUE: ("Issue Number",),
            col.DOI: ("DOI",),
            col.PMID: ("PMID",),
            col.ABSTRACT: ("Abstract",),
        },
        database="Lens.org",
        pages=("Start Page", "End Page"),
    ),
    Profile(
        name="OpenAlex",
        required=frozenset({"id", "display_name", "authorships.author.display_name"}),
        fields={
            col.TITLE: ("display_name", "title"),
            col.AUTHORS: ("authorships.author.display_name",),
            col.YEAR: ("publication_year", "publication_date"),
            col.JOURNAL: ("primary_location.source.display_name",),
            col.VOLUME: ("biblio.volume",),
            col.ISSUE: ("biblio.issue",),
            col.DOI: ("doi",),
            col.PMID: ("ids.pmid",),
            col.ABSTRACT: ("abstract",),
        },
        database="OpenAlex",
        author_split="|",
        pages=("biblio.first_page", "biblio.last_page"),
    ),
    Profile(
        name="generic",
        required=frozenset({"title"}),
        fields={
            col.TITLE: ("title", "primary_title", "ti"),
            col.AUTHORS: ("authors", "author", "au"),
            col.YEAR: ("year", "publication_year", "py", "date"),
            col.JOURNAL: ("journal", "journal_name", "secondary_title", "source", "source_title"),
            col.VOLUME: ("volume", "vl"),
            col.ISSUE: ("issue", "number", "is"),
            col.PAGES: ("pages", "page", "pg"),
            col.DOI: ("doi",),
            col.PMID: ("pmid", "pubmed_id", "pubmed id"),
            col.ABSTRACT: ("abstract", "ab"),
            col.DATABASE: ("database", "source_database"),
        },
        case_insensitive=True,
    ),
)

_DELIMITERS = (",", ";", "\t")
# PubMed "Behav Ther. 2022 Mar;53(2):334-347." / Embase "Cancer (2004) 102:4 (253-258)."
_CITATIONS = (
    re.compile(r";(?P<volume>[^(:;]+)?(?:\((?P<issue>[^)]*)\))?:(?P<pages>[^.;\s]+)"),
    re.compile(
        r"^(?P<journal>.+?) \((?P<year>\d{4})\) (?P<volume>[^:\s(]+)(?::(?P<issue>\S+))?"
        r"(?: \((?P<pages>[^)]*)\))?"
    ),
)
_NA_CELLS = frozenset({"", "NA", "N/A"})  # how R-based exports and Scopus write "missing"
_PMID_URL = re.compile(r"(\d+)/?$")
_SCOPUS_ID = re.compile(r"\s*\(\d+\)\s*$")  # Scopus "Author full names": "Liu, Fengyuan (604...)"


def _header(text: str) -> tuple[list[str], str] | None:
    line = text.lstrip("\n").split("\n", 1)[0]
    best: tuple[list[str], str] | None = None
    for delimiter in _DELIMITERS:
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(cells) > 1 and (best is None or len(cells) > len(best[0])):
            best = ([c.strip() for c in cells], delimiter)
    return best


def _match(header: list[str]) -> Profile | None:
    exact = set(header)
    lowered = {h.lower() for h in header}
    for profile in PROFILES:
        names = lowered if profile.case_insensitive else exact
        if profile.required <= names:
            return profile
    return None


def recognise(text: str) -> str | None:
    """Return the name of the CSV profile the text's header matches, or None."""
    found = _header(text)
    if found is None:
        return None
    profile = _match(found[0])
    return profile.name if profile else None


def _split_authors(value: str, profile: Profile) -> list[str]:
    separator = profile.author_split
    if profile.case_insensitive and " and " in value and ";" not in value:
        separator = " and "
    names = [
        _SCOPUS_ID.sub("", n).strip().rstrip(".")
        if separator == ","
        else _SCOPUS_ID.sub("", n).strip()
        for n in value.split(separator)
    ]
    return [n for n in names if n]


def _record_fields(row: dict[str, str], profile: Profile) -> dict[str, object]:
    get = row.get
    if profile.case_insensitive:
        lowered = {k.lower(): v for k, v in row.items()}
        get = lowered.get
    fields: dict[str, object] = {}
    for column, names in profile.fields.items():
        for name in names:
            value = get(name)
            if value is not None and value.strip() not in _NA_CELLS:
                fields[column] = value
                break
    if profile.pages is not None:
        start, end = (get(n) for n in profile.pages)
        start = None if start in _NA_CELLS else start
        end = None if end in _NA_CELLS else end
        fields[col.PAGES] = pages_from(start, end) or fields.get(col.PAGES)
    if profile.citation is not None:
        citation = get(profile.citation) or ""
        for pattern in _CITATIONS:
            match = pattern.search(citation)
            if match:
                for key, value in match.groupdict().items():
                    if value:
                        fields.setdefault(key, value.strip())
                break
    if isinstance(fields.get(col.AUTHORS), str):
        fields[col.AUTHORS] = _split_authors(fields[col.AUTHORS], profile)
    pmid = fields.get(col.PMID)
    if isinstance(pmid, str) and "/" in pmid:  # OpenAlex writes PubMed URLs
        match = _PMID_URL.search(pmid)
        fields[col.PMID] = match.group(1) if match else None
    if profile.database and not fields.get(col.DATABASE):
        fields[col.DATABASE] = profile.database
    return fields


_CHUNK = 1 << 20  # characters handed to the CSV reader at a time


def _lines(text: str, start: int) -> Iterator[str]:
    """The lines of ``text[start:]`` with their line ends, as ``io.StringIO`` gives them.

    A megabyte at a time: ``io.StringIO`` of the whole text would hold a second copy of
    it, at four bytes a character.
    """
    size = len(text)
    while start < size:
        end = text.find("\n", min(start + _CHUNK, size))
        end = size if end < 0 else end + 1
        yield from io.StringIO(text[start:end], newline="")
        start = end


def parse_csv(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse a CSV export whose header matches one of :data:`PROFILES`."""
    found = _header(text)
    profile = _match(found[0]) if found else None
    if found is None or profile is None:
        msg = f"{path}: line 1: the header matches no CSV export layout"
        raise ReaderError(msg, path=path, line=1, expected="a known CSV header")
    header, delimiter = found
    skipped = len(text) - len(text.lstrip("\n"))
    reader = csv.reader(_lines(text, skipped), delimiter=delimiter)
    next(reader)
    records = []
    width = len(header)
    strip = str.strip
    try:
        for cells in reader:
            if not any(map(strip, cells)):
                continue
            line = reader.line_num + skipped
            if len(cells) > width:
                raise ReaderError.at(
                    path, line, cells[width], f"at most {width} cells, as the header"
                )
            row = dict(zip(header, cells, strict=False))
            pairs = list(map(list, zip(header, cells, strict=False)))
            records.append(
                ParsedRecord(pairs=pairs, fields=_record_fields(row, profile), line=line)
            )
    except csv.Error as exc:
        raise ReaderError.at(path, reader.line_num + skipped, str(exc), "well-formed CSV") from None
    return records
