"""What every reader shares: the error, the parsed record and the frame builder.

A family module turns text into :class:`ParsedRecord` objects (the record's original
``[tag, value]`` pairs plus the values it found for each column); :func:`build_frame`
normalises those values in one place, so every family yields the same schema.
"""

from __future__ import annotations

import gc
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import orjson
import pandas as pd

from compendium import columns as col
from compendium.errors import InputError
from compendium.records import (
    MISSING_MARKS,
    normalise_authors,
    normalise_doi,
    normalise_text,
    normalise_year,
    unique_ids,
)

__all__ = [
    "Export",
    "ParsedRecord",
    "ReaderError",
    "build_frame",
    "check_last_record",
    "first",
    "join_lines",
    "no_cyclic_gc",
    "raw_json",
]


class ReaderError(InputError):
    """An export cannot be read without losing, merging or inventing records.

    Attributes
    ----------
    path : the file; line : 1-based line number or None; value : the offending text;
    expected : what the reader expected there.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.value = value
        self.expected = expected

    @classmethod
    def at(cls, path: Path | str, line: int | None, value: object, expected: str) -> ReaderError:
        """Build the standard message ``"<path>: line <n>: <value>: expected <...>"``."""
        where = f"line {line}" if line is not None else "end of file"
        msg = f"{path}: {where}: {value!r}: expected {expected}"
        return cls(msg, path=path, line=line, value=value, expected=expected)


@dataclass(frozen=True)
class Export:
    """A read export: its records and what was detected about the file."""

    records: pd.DataFrame
    format: str
    encoding: str
    line_endings: str
    path: Path
    bom: bool = False


@dataclass(slots=True)
class ParsedRecord:
    """One record as a family module found it.

    ``pairs`` are the original ``[tag, value]`` pairs in file order (repeated tags kept);
    ``fields`` maps a column name to a value or a list of candidates (first usable wins;
    for authors, the list of names); ``line`` is where the record starts.
    """

    pairs: list[list[str]] | list[tuple[str, str]]
    fields: dict[str, object] = field(default_factory=dict)
    line: int = 0
    raw: str | None = None  # the pairs as JSON, when the parser already wrote them


def raw_json(pairs: list[list[str]] | list[tuple[str, str]]) -> str:
    """The ``raw`` column's text: a record's ``[tag, value]`` pairs as compact JSON.

    orjson rather than :func:`json.dumps`: the JSON of every value of every record is the
    largest single cost of reading an export, and orjson writes it five times faster.
    Like ``json.dumps(..., ensure_ascii=False)`` it keeps non-ASCII characters as they are.
    """
    return orjson.dumps(pairs).decode()


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause cyclic garbage collection while records are read.

    Readers make a few lists per line and no reference cycles: the collector would find
    nothing while traversing every record read so far, again and again (a quarter of a
    large read's time). Reference counting still frees everything as usual.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def join_lines(first: str, rest: list[str]) -> str:
    """A value's first line and its continuation lines, joined by ``"\\n"``.

    Empty lines before the first text are left out (a tag with no value on its own line);
    once there is text, every line keeps its place. Each reader collects a value's lines
    and joins them once: joining at every line is quadratic in a long value.
    """
    lines = [first, *rest]
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    return "\n".join(lines[start:])


def check_last_record(
    records: list[tuple[int, list[str]]], *, path: Path | str, kind: str = "field"
) -> None:
    """Refuse a file that ends inside its last record.

    Formats without an end-of-record mark (Ovid's text displays, MEDLINE) give no sign
    that a file was cut short but one: each record is written with the same fields in the
    same order, so the last field of every record is the same. When every record before
    the last (two or more) ends with one field and the last record does not hold it, the
    file ends inside that record. ``records`` are each record's first line and the names
    of its fields in order.

    Raises
    ------
    ReaderError
        Naming the line where the last record starts, its last field and the one missing.
    """
    if len(records) < 3:
        return
    ends = {names[-1] for _, names in records[:-1] if names}
    if len(ends) != 1:
        return
    (end,) = ends
    line, names = records[-1]
    if end in names:
        return
    last = names[-1] if names else "(none)"
    msg = (
        f"{path}: line {line}: the file ends inside the record starting here: its last "
        f"{kind} is {last!r}, while each of the {len(records) - 1} records before it ends "
        f"with {end!r}; expected the whole record (was the file cut short?)"
    )
    raise ReaderError(msg, path=path, line=line, value=last, expected=f"a record ending {end!r}")


def first(pairs_by_tag: dict[str, list[str]], tags: tuple[str, ...]) -> str | None:
    """Return the first non-empty value among ``tags`` (in priority order)."""
    for tag in tags:
        for value in pairs_by_tag.get(tag, ()):
            if value and value.strip():
                return value
    return None


def _first_doi(candidates: object) -> str | pd.NAType:
    if isinstance(candidates, list | tuple):
        for candidate in candidates:
            doi = normalise_doi(candidate)
            if doi is not pd.NA:
                return doi
        return pd.NA
    return normalise_doi(candidates)


def _pmid(value: object) -> str | pd.NAType:
    text = normalise_text(value)
    if text is pd.NA:
        return pd.NA
    digits = text.removeprefix("PMID:").strip().split(" ")[0]
    return digits if digits.isdigit() else pd.NA


AS_GIVEN = "authors_as_given"  # a fields key: the export structures names itself
_TEXT_COLUMNS = (col.JOURNAL, col.VOLUME, col.ISSUE, col.ABSTRACT)


def _in_place(values: list, normalise: Callable[[object], object], *, cache: bool) -> None:
    """Normalise a column's values where they stand.

    Replacing each value as it is normalised frees the export's own string at once, so
    that a long column (abstracts) is never held twice. ``cache`` is for columns with few
    distinct values (journal, volume, year), normalised once per distinct value.
    """
    if cache:
        seen: dict[object, object] = {}
        for i, value in enumerate(values):
            if value.__class__ is str:
                try:
                    values[i] = seen[value]
                except KeyError:
                    values[i] = seen[value] = normalise(value)
            else:
                values[i] = normalise(value)
        return
    for i, value in enumerate(values):
        values[i] = normalise(value)


# Whitespace that exports put inside values (line breaks of wrapped values, no-break and
# thin spaces), each replaced by " " before collapsing.
_SPACES = ("\n", "\xa0", "\u2009", "\u202f", "\t", "\r")


def _text(value: object) -> object:
    """:func:`normalise_text` (which titles and pages use too), fast for a string."""
    if value.__class__ is str:  # the common case, without normalise_text's checks
        # Every whitespace character but " " is unprintable: once a value is printable,
        # collapsing is replacing runs of " " and stripping it, which is cheaper than
        # splitting a long abstract into words and joining them.
        if not value.isprintable():
            for space in _SPACES:
                if space in value:
                    value = value.replace(space, " ")
            if not value.isprintable():
                return normalise_text(value)
        while "  " in value:
            value = value.replace("  ", " ")
        if value[:1] == " " or value[-1:] == " ":
            value = value.strip(" ")
        return pd.NA if not value or value in MISSING_MARKS else value
    return normalise_text(value)


# EBSCOhost ends abstracts with its licence notice ("Copyright of <journal> is the property
# of <publisher> and its content may not be copied or emailed to multiple sites ..."),
# in the abstract or as a second one: the notice is no part of the abstract (raw keeps it).
_EBSCO_NOTICE = re.compile(
    r"\s*Copyright of .{1,400}? is the property of .{1,400}? and its content may not be"
    r" copied or emailed\b.*$"
)


def _abstract(value: object) -> object:
    """:func:`_text`, without EBSCOhost's licence notice."""
    text = _text(value)
    if text is not pd.NA and "is the property of" in text:
        text = _EBSCO_NOTICE.sub("", text) or pd.NA
    return text


def build_frame(records: list[ParsedRecord], *, path: Path, database: str | None) -> pd.DataFrame:
    """Normalise parsed records into the record schema, in file order.

    ``database`` given by the caller wins over what each record says. The list of records
    is emptied: its values move into the frame's columns.
    """
    name = path.name
    count = len(records)
    data: dict[str, list] = {}
    data[col.SOURCE_FILE] = [name] * count
    taken = (
        col.TITLE,
        col.AUTHORS,
        col.YEAR,
        *_TEXT_COLUMNS,
        col.PAGES,
        col.DOI,
        col.PMID,
        col.ACCESSION,
    )
    # One pass per column, each dict.get called from C (map), rather than one per record.
    fields = [record.fields for record in records]
    for column in taken:
        data[column] = list(map(dict.get, fields, repeat(column)))
    as_given = None
    if any(map(dict.get, fields, repeat(AS_GIVEN))):
        as_given = [bool(f.get(AS_GIVEN)) for f in fields]
    if database is None:
        data[col.DATABASE] = list(map(dict.get, fields, repeat(col.DATABASE)))
    else:
        data[col.DATABASE] = [database] * count
    data[col.RAW] = [r.raw if r.raw is not None else raw_json(r.pairs) for r in records]
    del fields
    records.clear()  # from here on the columns hold the only reference to each value
    data[col.DATABASE] = [db if db else pd.NA for db in data[col.DATABASE]]
    _in_place(data[col.TITLE], _text, cache=False)
    authors = data[col.AUTHORS]
    if as_given is not None:
        for i, value in enumerate(authors):
            authors[i] = normalise_authors(value, as_given=as_given[i])
    else:
        for i, value in enumerate(authors):
            authors[i] = normalise_authors(value)
    _in_place(data[col.YEAR], normalise_year, cache=True)
    for column in (col.JOURNAL, col.VOLUME, col.ISSUE):
        _in_place(data[column], _text, cache=True)
    _in_place(data[col.ABSTRACT], _abstract, cache=False)
    _in_place(data[col.PAGES], _text, cache=False)
    _in_place(data[col.DOI], _first_doi, cache=False)
    _in_place(data[col.PMID], _pmid, cache=False)
    _in_place(data[col.ACCESSION], _text, cache=False)
    data[col.RECORD_ID] = record_ids(data)
    frame = pd.DataFrame(
        {
            c: pd.array(data.pop(c), dtype="Int64" if c == col.YEAR else "string")
            for c in col.RECORD_COLUMNS
        },
        columns=list(col.RECORD_COLUMNS),
    )
    return unique_ids(frame)  # records alike in all the id is made of stay apart


# --- record ids -------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._:/\-]+")  # kept out of ids: tools split on , ; | and spaces
_WORDS = re.compile(r"[a-z0-9]+")


def _fold(value: object) -> str:
    """Lower-case letters and digits only, accents removed: what a hash of a field sees."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return " ".join(_WORDS.findall(text.lower()))


def record_id(
    database: object,
    accession: object,
    *,
    title: object,
    year: object,
    authors: object,
    journal: object,
) -> str:
    """A record's id: ``<database key>:<accession number>``, or ``<database key>:<hash>``.

    The id comes from the record itself, never from its place in the file, so it stays the
    same when the database is searched again, the file re-exported in another order, or
    records added or removed. The export's own accession number (a PMID, a PsycINFO or
    Embase accession number, a Web of Science UT, a Scopus EID, a Lens or OpenAlex id) is
    the database's name for the record; a record without one is named by a hash of its
    normalised title, year, first author's family name and journal. The database key is
    :func:`~compendium.readers.databases.database_key`'s (``record`` when no database is
    known). Two records that still share an id are told apart by
    :func:`compendium.records.unique_ids` when the exports are put together.

    Examples
    --------
    >>> record_id("Ovid MEDLINE", "36858434", title="", year=None, authors="", journal="")
    'medline:36858434'
    """
    from compendium.readers.databases import database_key

    key = database_key(str(database)) if _fold(database) else "record"
    if accession is not None and accession is not pd.NA and str(accession).strip():
        return f"{key}:{_UNSAFE.sub('-', str(accession).strip()).strip('-')}"
    first_author = str(authors).split(";")[0].split(",")[0] if _fold(authors) else ""
    year_text = "" if year is None or year is pd.NA else str(year)
    text = "|".join((_fold(title), year_text, _fold(first_author), _fold(journal)))
    return f"{key}:t{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def _own_accession(database: object, accession: object, pmid: object) -> object:
    """The record's accession number in its own database: a PubMed or MEDLINE record's is its
    PMID, when the export gave no other (a spreadsheet of PubMed records with a PMID column).
    Another database's record that carries a PMID is named by its own number, not the PMID."""
    from compendium.readers.databases import database_key

    given = accession is not None and accession is not pd.NA and str(accession).strip()
    if given or pmid is None or pmid is pd.NA or not _fold(database):
        return accession
    return pmid if database_key(str(database)) == "medline" else accession


def record_ids(data: dict[str, list]) -> list[str]:
    """:func:`record_id` of every record of a frame's columns, in order."""
    return [
        record_id(
            database,
            _own_accession(database, accession, pmid),
            title=title,
            year=year,
            authors=authors,
            journal=journal,
        )
        for database, accession, pmid, title, year, authors, journal in zip(
            data[col.DATABASE],
            data[col.ACCESSION],
            data[col.PMID],
            data[col.TITLE],
            data[col.YEAR],
            data[col.AUTHORS],
            data[col.JOURNAL],
            strict=True,
        )
    ]


def pages_from(start: str | None, end: str | None) -> str | None:
    """Join a start and end page as ``start-end`` (either may be missing)."""
    start = start.strip() if start else ""
    end = end.strip() if end else ""
    if start and end:
        return f"{start}-{end}"
    return start or end or None


def group(pairs: list[list[str]]) -> dict[str, list[str]]:
    """Index pairs by tag, values in file order."""
    out: dict[str, list[str]] = {}
    for tag, value in pairs:
        out.setdefault(tag, []).append(value)
    return out


def index_tags(pairs: list[list[str]], wanted: frozenset[str] | set[str]) -> dict[str, list[str]]:
    """The values of the ``wanted`` tags of one record, by tag, in file order."""
    tags: dict[str, list[str]] = {}
    for tag, value in pairs:
        if tag in wanted:
            if tag in tags:
                tags[tag].append(value)
            else:
                tags[tag] = [value]
    return tags
