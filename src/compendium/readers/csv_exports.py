"""CSV exports: PubMed, Scopus, Embase, Lens.org, OpenAlex, IEEE Xplore, Web of Science, generic.

Read as the standard library's :mod:`csv` reads them (quoted cells, line breaks inside
cells): the text is split at its quote characters, which gives csv's cells much faster,
and a text that this split would not read as csv does (see :func:`_quoted_rows`) is read
with :mod:`csv` itself. Web of Science's tab-delimited file quotes nothing and is read a line
per row, split at its tabs. Each export is recognised by its header row: a :class:`Profile`
lists the columns that identify it and where each record column comes from. The first
profile whose ``required`` columns are all present wins, so the specific layouts come
before the generic one.

Generic CSV (for hand-made lists, e.g. records from other sources): a header row with a
``title`` column, any case, separated by ``,``, ``;`` or a tab. Recognised column names
(case-insensitive):

=============  ==============================================================
column         header names
=============  ==============================================================
title          title, primary_title, ti
authors        authors, author, au (split on ``;``, or `` and `` as BibTeX; never on
               ``,``, which "Rodriguez Portal, Jose Antonio" holds inside one name)
year           year, publication_year, py, date
journal        journal, journal_name, secondary_title, source, source_title, publication
volume         volume, vl
issue          issue, number, is
pages          pages, page, pg
doi            doi
pmid           pmid, pubmed_id, pubmed id (and pubmedID: the generic profile
               compares names without case, spaces, ``_`` or ``-``)
abstract       abstract, ab
database       database, source_database
=============  ==============================================================

Every cell of a row is kept in ``raw`` as ``[column, value]``. Rows that are entirely
empty are skipped (they are no record); a row with a value beyond the header's last
column is an error (a shifted row would put values in the wrong columns), while empty
cells there (a delimiter ending each line) are not. Nothing but a line end ends a
record, so a damaged row or a file cut short would split, merge or lose records without a
sign; every record is accounted for instead:

- a row with fewer cells than the header, in a file whose other rows have them all (as
  every export writes them), is an error: a line break inside an unquoted cell splits a
  record in two, and a file cut short ends in a short row;
- a quoted cell still open at the end of the file (csv reads the rest of the file into
  it) is a file cut short, an error naming the line where its row starts;
- the header row again below the first is an error (two exports joined into one file).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_plus

from compendium import columns as col
from compendium.readers.base import ParsedRecord, ReaderError, pages_from
from compendium.readers.databases import accession_database, accession_pmid
from compendium.records import MISSING_MARKS

__all__ = ["PROFILES", "Profile", "parse_csv", "recognise"]


@dataclass(frozen=True)
class Profile:
    """How one CSV layout maps to record columns."""

    name: str
    required: frozenset[str]
    fields: dict[str, tuple[str, ...]]
    database: str | None = None
    author_split: str = ";"
    authors_end: str = ""  # a mark ending the author list (PubMed: "Lim SM, Lau Y.")
    family_first: bool = False  # names without a comma are "Family Given" (Scopus)
    case_insensitive: bool = False
    pages: tuple[str, str] | None = None
    citation: str | None = None  # a column holding "Journal (year) vol:issue (pages)"
    openurl: str | None = None  # a column of OpenURL links, whose "id=doi:..." gives the DOI
    accession: str | None = None  # a column of Web of Science accession numbers ("WOS:...")
    quoted: bool = True  # False: a quote is text like any other (cells never span lines)
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
            col.ACCESSION: ("PMID",),
        },
        database="PubMed",
        author_split=",",
        authors_end=".",
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
            col.ACCESSION: ("EID",),
            col.ABSTRACT: ("Abstract",),
        },
        database="Scopus",
        family_first=True,
        pages=("Page start", "Page end"),
    ),
    Profile(
        name="Embase",
        required=frozenset({"Title", "Author Names", "Source"}),
        fields={
            col.TITLE: ("Title",),
            col.AUTHORS: ("Author Names",),
            col.DOI: ("DOI",),
            col.PMID: ("Medline PMID",),  # not PUI: that is Embase's own record number
            col.ACCESSION: ("PUI", "Embase Accession ID", "Embase Accession Number"),
            col.ABSTRACT: ("Abstract",),
            col.YEAR: ("Publication Year",),
            col.JOURNAL: ("Source title",),
        },
        database="Embase",
        author_split=",",
        citation="Source",
        openurl="Open URL Link",
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
            col.ACCESSION: ("Lens ID",),
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
            col.ACCESSION: ("id",),
            col.ABSTRACT: ("abstract",),
        },
        database="OpenAlex",
        author_split="|",
        pages=("biblio.first_page", "biblio.last_page"),
    ),
    Profile(
        # IEEE Xplore's "Export > CSV": authors separated by "; "
        name="IEEE Xplore",
        required=frozenset({"Document Title", "Authors", "Publication Title"}),
        fields={
            col.TITLE: ("Document Title",),
            col.AUTHORS: ("Authors",),
            col.YEAR: ("Publication Year",),
            col.JOURNAL: ("Publication Title",),
            col.VOLUME: ("Volume",),
            col.ISSUE: ("Issue",),
            col.DOI: ("DOI",),
            col.ABSTRACT: ("Abstract",),
        },
        database="IEEE Xplore",
        pages=("Start Page", "End Page"),
    ),
    Profile(
        # Web of Science's "Tab delimited file": its plain-text tags as the header, one
        # record per line, nothing quoted (a title may start with a quotation mark).
        name="Web of Science tab-delimited",
        required=frozenset({"PT", "AU", "TI", "SO", "UT"}),
        fields={
            col.TITLE: ("TI",),
            col.AUTHORS: ("AF", "AU"),
            col.YEAR: ("PY", "EA", "PD"),
            col.JOURNAL: ("SO", "SE", "BS"),
            col.VOLUME: ("VL",),
            col.ISSUE: ("IS",),
            col.PAGES: ("PS", "AR"),
            col.DOI: ("DI", "D2"),
            col.PMID: ("PM",),
            col.ACCESSION: ("UT",),
            col.ABSTRACT: ("AB",),
        },
        database="Web of Science",
        pages=("BP", "EP"),
        accession="UT",
        quoted=False,
    ),
    Profile(
        name="generic",
        required=frozenset({"title"}),
        fields={
            col.TITLE: ("title", "primary_title", "ti"),
            col.AUTHORS: ("authors", "author", "au"),
            col.YEAR: ("year", "publication_year", "py", "date"),
            col.JOURNAL: (
                "journal",
                "journal_name",
                "secondary_title",
                "source",
                "source_title",
                "publication",
            ),
            col.VOLUME: ("volume", "vl"),
            col.ISSUE: ("issue", "number", "is"),
            col.PAGES: ("pages", "page", "pg"),
            col.DOI: ("doi",),
            col.PMID: ("pmid", "pubmed_id", "pubmed id"),
            col.ACCESSION: ("accession_number", "accession number", "accession", "an"),
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
_NA_CELLS = MISSING_MARKS | {""}  # how R-based exports and Scopus write "missing"
_PMID_URL = re.compile(r"(\d+)/?$")
_SCOPUS_ID = re.compile(r"\s*\(\d+\)\s*$")  # Scopus "Author full names": "Liu, Fengyuan (604...)"


_LEADING_LINE_ENDS = re.compile(r"\n*")


def _first_line(text: str) -> tuple[int, str]:
    """The number of empty lines before the header, and the header's line.

    Found without copying the text (``text.lstrip("\\n").split("\\n", 1)`` would copy
    all of it, and the header is looked at three times per read).
    """
    start = _LEADING_LINE_ENDS.match(text).end()
    end = text.find("\n", start)
    return start, text[start:] if end < 0 else text[start:end]


def _header(text: str) -> tuple[list[str], str] | None:
    line = _first_line(text)[1]
    best: tuple[list[str], str] | None = None
    for delimiter in _DELIMITERS:
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(cells) > 1 and (best is None or len(cells) > len(best[0])):
            best = ([c.strip() for c in cells], delimiter)
    return best


def _loose(name: str) -> str:
    """A header name as the generic profile compares it: without case, spaces, ``_`` or ``-``.

    Spreadsheets and scripts spell one column many ways (``PubMed ID``, ``pubmed_id``,
    ``pubmedID``, ``Publication-Year``); the export-specific profiles match exactly instead.
    """
    return re.sub(r"[\s_\-]+", "", name.lower())


def _match(header: list[str]) -> Profile | None:
    exact = set(header)
    loose = {_loose(h) for h in header}
    for profile in PROFILES:
        if profile.case_insensitive:
            found = {_loose(name) for name in profile.required} <= loose
        else:
            found = profile.required <= exact
        if found:
            return profile
    return None


def recognise(text: str) -> str | None:
    """Return the name of the CSV profile the text's header matches, or None."""
    found = _header(text)
    if found is None:
        return None
    profile = _match(found[0])
    return profile.name if profile else None


# "Little A.R." / "Mike Conner L." / "Kowalczyk Ł.": a family name and initials, as
# Scopus's Authors column writes each author (initials are capitals of any alphabet).
_FAMILY_INITIALS = re.compile(r"^[^,;]+\s(?:[^\W\d_]\.?-?){1,4}$")


def _is_family_initials(name: str) -> bool:
    if _FAMILY_INITIALS.match(name) is None:
        return False
    initials = name.rpartition(" ")[2]
    return all(c.isupper() for c in initials if c.isalpha())


def _openurl_ids(link: str) -> list[tuple[str, str]]:
    """The ``(kind, value)`` of an OpenURL's ``id``/``rft_id`` parameters (``doi:10...``).

    The parameters are read as :func:`urllib.parse.parse_qs` reads them (``&``-separated,
    ``+`` and ``%xx`` decoded, empty values left out, every ``id`` before every
    ``rft_id``), but only these two are decoded: a link has thirty-odd parameters, and
    decoding them all took a third of the time of reading an Embase CSV.
    """
    if "?" not in link:
        return []
    ids: dict[str, list[str]] = {"id": [], "rft_id": []}
    for part in link.partition("?")[2].split("&"):
        name, equals, value = part.partition("=")
        if not equals or not value:
            continue
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if name in ids:
            ids[name].append(unquote_plus(value))
    found = []
    for value in ids["id"] + ids["rft_id"]:
        if value.startswith("info:"):  # OpenURL 1.0: "info:doi/10...", "info:pmid/123"
            kind, _, value = value[5:].partition("/")
        else:  # OpenURL 0.1: "doi:10...", "pmid:123"
            kind, _, value = value.partition(":")
        if value:
            found.append((kind.lower(), value))
    return found


def _split_authors(value: str, profile: Profile) -> list[str]:
    separator = profile.author_split
    if profile.case_insensitive and " and " in value and ";" not in value:
        separator = " and "
    elif profile.family_first and ";" not in value and "," in value and "(" not in value:
        # Scopus's Authors column before 2019: names separated by commas, none holding
        # one ("Janko Wolfgang, Yagai T."); "Author full names" has "(id)" after each.
        separator = ","
    elif separator == ";" and ";" not in value and "," in value:
        # Scopus CSVs before 2019 separate the Authors column by commas ("Little A.R.,
        # Mike Conner L."); a single "Family, Given" name has no initials-only part.
        parts = value.split(",")
        if all(_is_family_initials(p.strip()) for p in parts):
            separator = ","
    if profile.authors_end:
        value = value.rstrip().removesuffix(profile.authors_end)
    names = value.split(separator)
    if ")" in value:  # _SCOPUS_ID ends in ")": without one it has nothing to remove
        sub = _SCOPUS_ID.sub
        names = [sub("", n) for n in names]
    names = list(map(str.strip, names))
    if profile.family_first:
        names = [_family_first(n) for n in names]
    return [n for n in names if n]


def _family_first(name: str) -> str:
    """``"Janko Wolfgang"`` -> ``"Janko, Wolfgang"``: Scopus writes the family name first.

    A name with a comma, or with initials after the family name ("Little A.R."), is
    left for :func:`compendium.records.normalise_authors`, which reads both forms.
    """
    words = name.split()
    if "," in name or len(words) < 2 or _is_family_initials(name):
        return name
    return f"{words[0]}, {' '.join(words[1:])}"


@dataclass(frozen=True)
class _Plan:
    """Where a row of one width finds what its profile reads: indexes into its cells.

    Worked out once per file and width from the header, rather than a dict of the row's
    cells by column name built for every row.
    """

    profile: Profile
    # (record column, indexes of its CSV columns that are present, in priority order)
    columns: tuple[tuple[str, tuple[int, ...]], ...]
    pages: tuple[int | None, int | None] | None
    citation: int | None
    openurl: int | None
    accession: int | None


def _plan(profile: Profile, header: list[str], width: int) -> _Plan:
    """The :class:`_Plan` of a row of ``width`` cells (at most the header's width)."""
    # A row was read as dict(zip(header, cells)): a short row has only the first columns,
    # and of repeated column names the last one present wins. With case_insensitive, the
    # names were then lowered in that dict's order, the later name winning again.
    index = dict(zip(header[:width], range(width), strict=True))
    name = str
    if profile.case_insensitive:
        name = _loose
        index = {_loose(header_name): i for header_name, i in index.items()}
    get = index.get
    columns = tuple(
        (column, tuple(index[name(n)] for n in names if name(n) in index))
        for column, names in profile.fields.items()
    )
    pages = None if profile.pages is None else (get(profile.pages[0]), get(profile.pages[1]))
    citation = None if profile.citation is None else get(profile.citation)
    openurl = None if profile.openurl is None else get(profile.openurl)
    accession = None if profile.accession is None else get(profile.accession)
    return _Plan(profile, columns, pages, citation, openurl, accession)


def _record_fields(cells: list[str], plan: _Plan) -> dict[str, object]:
    """The values a row gives each record column, as :class:`ParsedRecord` ``fields``.

    A column the row lacks (not in the header, or past the end of a short row) is taken
    as an empty cell, as every test below treats a missing value and "" alike.
    """
    profile = plan.profile
    fields: dict[str, object] = {}
    for column, indexes in plan.columns:
        for i in indexes:
            value = cells[i]
            if value.strip() not in _NA_CELLS:
                fields[column] = value
                break
    if plan.pages is not None:
        first, last = plan.pages
        start = None if first is None else cells[first]
        end = None if last is None else cells[last]
        start = None if start in _NA_CELLS else start
        end = None if end in _NA_CELLS else end
        fields[col.PAGES] = pages_from(start, end) or fields.get(col.PAGES)
    if profile.citation is not None:
        citation = (None if plan.citation is None else cells[plan.citation]) or ""
        for pattern in _CITATIONS:
            match = pattern.search(citation)
            if match:
                for key, value in match.groupdict().items():
                    if value:
                        fields.setdefault(key, value.strip())
                break
    if plan.openurl is not None and not (fields.get(col.DOI) and fields.get(col.PMID)):
        for kind, value in _openurl_ids(cells[plan.openurl]):
            column = {"doi": col.DOI, "pmid": col.PMID}.get(kind)
            if column is not None and not fields.get(column):
                fields[column] = value
    if isinstance(fields.get(col.AUTHORS), str):
        fields[col.AUTHORS] = _split_authors(fields[col.AUTHORS], profile)
    pmid = fields.get(col.PMID)
    if isinstance(pmid, str) and "/" in pmid:  # OpenAlex writes PubMed URLs
        match = _PMID_URL.search(pmid)
        fields[col.PMID] = match.group(1) if match else None
    if plan.accession is not None:
        accession = cells[plan.accession].strip()
        fields[col.DATABASE] = accession_database(accession)
        if not fields.get(col.PMID):
            fields[col.PMID] = accession_pmid(accession)
    if profile.database and not fields.get(col.DATABASE):
        fields[col.DATABASE] = profile.database
    return fields


# --- Splitting the text into rows ----------------------------------------------------------
# A row is (cells, line): its cells as csv.reader gives them, and csv.reader's line_num
# after reading it (the line the row ends on), counted from the start of the text.
_Row = tuple[list[str], int]


def _quoted_rows(text: str, start: int, delimiter: str) -> list[_Row] | None:
    """The rows of ``text[start:]`` as :mod:`csv` reads them, or None to leave it to csv.

    ``csv.reader`` looks at every character in turn. Here the text is cut at its quote
    characters instead (``str.split``, in C), which leaves pieces inside quotes (a quoted
    cell, or part of one around a doubled quote) alternating with pieces outside them (the
    delimiters, line ends and unquoted cells in between, split in turn on "\\n" and the
    delimiter). That reads the text as csv does as long as every quote opens a cell,
    closes one or is doubled inside one. A text where one does not (a quote inside an
    unquoted cell, text after a closing quote, a quote never closed), where a cell may be
    longer than csv's field limit, or with a "\\r" (a line end to csv; decoded exports
    have none) gives None: csv reads it, with its own results and errors.
    """
    if "\r" in text:
        return None
    pieces = text[start:].split('"')
    if len(pieces) % 2 == 0:  # an odd number of quotes: the last quoted cell is not closed
        return None
    limit = csv.field_size_limit()
    if max(map(len, pieces)) > limit:  # a cell (or, less likely, a run of them) too long
        return None
    rows: list[_Row] = []
    found = _unquoted(pieces[0], delimiter, None, [], rows, start, opens=len(pieces) > 1)
    if found is None or len(pieces) == 1:  # (no quote at all: the piece was the text)
        return None if found is None else rows
    row, line = found
    append = row.append
    cell = pieces[1]  # the quoted cell being read
    line += cell.count("\n")
    middle = iter(pieces[2:-1])
    for outside, inside in zip(middle, middle, strict=True):
        # The common cases first; every other piece outside quotes goes to _unquoted.
        if outside == delimiter:  # "a","b": the next cell of the row
            append(cell)
            cell = inside
        elif not outside:  # "a""b": a doubled quote, which is a quote in the cell
            cell = f'{cell}"{inside}'
            if len(cell) > limit:
                return None
        elif outside == "\n":  # "a"\n"b": the row ends, the next one starts
            append(cell)
            line += 1
            rows.append((row, line))
            row = []
            append = row.append
            cell = inside
        elif outside[0] == delimiter == outside[-1] and "\n" not in outside:
            # "a",1,,"b": unquoted cells between two quoted ones, in the same row
            append(cell)
            row.extend(outside[1:-1].split(delimiter))
            cell = inside
        else:
            found = _unquoted(outside, delimiter, cell, row, rows, line, opens=True)
            if found is None:
                return None
            row, line = found
            append = row.append
            cell = inside
        if "\n" in inside:  # line ends inside a quoted cell
            line += inside.count("\n")
    found = _unquoted(pieces[-1], delimiter, cell, row, rows, line, opens=False)
    return None if found is None else rows


def _unquoted(
    piece: str,
    delimiter: str,
    cell: str | None,
    row: list[str],
    rows: list[_Row],
    line: int,
    *,
    opens: bool,
) -> tuple[list[str], int] | None:
    """Read a piece of text outside quotes; add the rows it ends to ``rows``.

    ``cell`` is the quoted cell just before the piece (None at the start of the text)
    and ``row`` the cells of its row before it; ``opens`` is whether a quoted cell
    follows (not at the end of the text). ``line`` counts the lines ended before the
    piece. Returns the cells of the row the next quoted cell belongs to and the lines
    ended, or None when the piece is not read as csv reads it: text right after a
    closing quote, or an opening quote inside an unquoted cell.
    """
    segments = piece.split("\n")
    last = len(segments) - 1
    for number, segment in enumerate(segments):
        if number == 0 and cell is not None:  # the rest of the quoted cell's row
            parts = segment.split(delimiter)  # parts[0] is what follows the closing quote
            if parts[0]:
                return None  # '"a"b': csv would add "b" to the cell
            cells = [*row, cell, *parts[1:]]
        else:
            cells = segment.split(delimiter) if segment else []  # csv reads "" as []
        if number < last:
            rows.append((cells, line + number + 1))
        elif opens:  # the cells before the quoted cell that follows
            if segment:
                if segment[-1] != delimiter:
                    return None  # 'a"b"': the quote is part of an unquoted cell
                cells.pop()  # the empty cell in place of the quoted one
            return cells, line + last
        elif cells:  # a last row without a line end
            rows.append((cells, line + last + 1))
    return [], line + last


def _csv_rows(text: str, start: int, delimiter: str, path: Path) -> Iterator[_Row]:
    """The rows of ``text[start:]`` read by :mod:`csv`; its errors as :class:`ReaderError`.

    csv reads a quoted cell still open at the end of the text as ending there; that is a
    file cut short, so the last row is read again strictly, which says so.
    """
    reader = csv.reader(_lines(text, start), delimiter=delimiter)
    ended = start  # the line the row before ended on
    try:
        for cells in reader:
            line = reader.line_num + start
            yield cells, line
            ended, last_start = line, ended + 1
    except csv.Error as exc:
        raise ReaderError.at(path, reader.line_num + start, str(exc), "well-formed CSV") from None
    if ended == start:
        return
    offset = 0
    for _ in range(last_start - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return  # lines csv counted that "\n" does not end ("\r"): nothing left open
    try:
        list(csv.reader(io.StringIO(text[offset:], newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return  # csv's lenient reading of other quirks stands
        msg = (
            f"{path}: line {last_start}: a quoted cell in the row starting here is still open "
            "at the end of the file: expected its closing '\"' (was the file cut short?)"
        )
        raise ReaderError(msg, path=path, line=last_start, expected="a closing quote") from None


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


def _unquoted_rows(text: str, start: int, delimiter: str) -> Iterator[_Row]:
    """The rows of ``text[start:]`` of a layout that quotes nothing: a line per row."""
    for number, line in enumerate(text[start:].split("\n"), start + 1):
        yield line.split(delimiter), number


def parse_csv(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse a CSV export whose header matches one of :data:`PROFILES`."""
    found = _header(text)
    profile = _match(found[0]) if found else None
    if found is None or profile is None:
        msg = f"{path}: line 1: the header matches no CSV export layout"
        raise ReaderError(msg, path=path, line=1, expected="a known CSV header")
    header, delimiter = found
    skipped = _first_line(text)[0]  # empty lines before the header
    if profile.quoted:
        quoted = _quoted_rows(text, skipped, delimiter)
        rows = iter(quoted) if quoted is not None else _csv_rows(text, skipped, delimiter, path)
    else:
        rows = _unquoted_rows(text, skipped, delimiter)
    next(rows)  # the header
    records = []
    width = len(header)
    plans: dict[int, _Plan] = {}  # by row width: almost always the header's alone
    strip = str.strip
    short: tuple[int, int] | None = None  # the first row with fewer cells: line, cells
    full = False  # whether any row has as many cells as the header
    for cells, line in rows:
        if not any(map(strip, cells)):
            continue
        count = len(cells)
        if count == width and cells[0].strip() == header[0] and list(map(strip, cells)) == header:
            msg = (
                f"{path}: line {line}: the header row again: expected a record (two exports "
                "joined into one file? each is read on its own)"
            )
            raise ReaderError(msg, path=path, line=line, value=cells, expected="a record")
        if count < width:
            short = short or (line, count)
        else:
            full = True
        if count > width:
            extra = next((c for c in cells[width:] if c.strip()), None)
            if extra is not None:
                raise ReaderError.at(path, line, extra, f"at most {width} cells, as the header")
            del cells[width:]  # empty cells after the last column (a trailing delimiter)
            count = width
        plan = plans.get(count)
        if plan is None:
            plan = plans[count] = _plan(profile, header, count)
        # (name, cell) tuples, made by zip in C: no list per cell to build and free
        pairs = list(zip(header, cells, strict=False))
        records.append(ParsedRecord(pairs, _record_fields(cells, plan), line))
    if short is not None and full:
        line, count = short
        msg = (
            f"{path}: line {line}: a row of {count} cell(s): expected {width}, as the header "
            "and the other rows have (a line break inside an unquoted cell splits a record "
            "in two; a file cut short ends in a short row)"
        )
        raise ReaderError(msg, path=path, line=line, value=count, expected=f"{width} cells")
    return records
