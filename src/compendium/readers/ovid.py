"""Ovid's text exports: field-labelled ("Complete Reference", "Citation") and tagged.

Ovid's RIS export is RIS and is read by :mod:`~compendium.readers.ris`. Its two text
displays are written by hand here because no well-kept PyPI parser reads them; the
layout followed is Ovid's own (as saved from Ovid, and as JabRef's ``OvidImporter``
reads it):

- an optional preamble: ``Database: APA PsycInfo <1806 to ...>``, ``Search Strategy:``,
  a rule of dashes, the numbered search lines and a row of asterisks. It is skipped (a
  known harmless vendor block) and its ``Database:`` line names the database of records
  that do not name their own;
- each record starts with a header line ``<1>``, ``<2>`` ... or, as Ovid writes it in
  tagged exports, ``<1. >`` (trailing spaces allowed);
- *field-labelled*: a field label alone on an unindented line (``Accession Number``,
  ``Author``, ``Title``, ``Source``, ``Abstract``, ``Digital Object Identifier``,
  ``Year of Publication``, ``Database`` ...), its value on the following lines indented
  by two spaces; a blank line may separate paragraphs of one value;
- Ovid's ``Link to the Ovid Full Text or citation:`` label is followed by its URL on a
  line indented by one space or not at all, or by the URL on the same line: a known
  harmless vendor line, kept as a field of its own;
- *tagged*: ``XX  - value`` lines (``VN``, ``DB``, ``AN``, ``TI``, ``AU``, ``SO`` ...), the
  tag padded to four characters. A value continues on the lines after it, indented or
  not (Embase abstracts start each section, ``Method(s): ...``, on an unindented line);
  blank lines inside a record are paragraph breaks. ``IS`` is the ISSN and ``PA`` a
  patent's assignee in Ovid's codes, not the issue and pages.

A file with Ovid labels but no ``<n>`` header is refused by the format check (it is not
an Ovid export: JabRef's ``OvidImporterTest2Invalid.txt``).

Nothing ends a record but the next header, so a damaged header would merge two records
and a file cut short would lose the end of one, without a sign. So every record is
accounted for:

- a line that looks like a damaged header (``<2 >``, ``<2``, ``2>``) is an error, and so
  is a record holding twice the field every record starts with (``Accession Number``,
  ``VN``): the second one starts a record whose header is lost;
- Ovid numbers the records it exports one by one (``<1>``, ``<2>`` ..., or counting down):
  a number that does not follow the one before says a header was lost or damaged, and is
  an error; the last header's number is the count the export states;
- a last record without the field every other record ends with is a file cut short
  (:func:`~compendium.readers.base.check_last_record`), an error.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

from compendium import columns as col
from compendium.readers.base import (
    ParsedRecord,
    ReaderError,
    check_last_record,
    group,
    join_lines,
)
from compendium.readers.databases import MEDLINE_FAMILY, database_name, ovid_link_database

__all__ = ["parse_labelled", "parse_tagged"]

_HEADER = re.compile(r"^<(\d+)(?:\.\s*)?>\s*$")  # "<12>", and "<12. >" in tagged exports
# A line that is a record number in angle brackets, but not quite: "<2 >", "< 2>", "<2", "2>".
_LETTER = re.compile(r"[^\W\d_]")
_DAMAGED_HEADER = re.compile(r"^\s*(?:<\s*\d+\s*\.?\s*>?|\d+\s*\.?\s*>)\s*$")
_LINK = "Link to the Ovid Full Text or citation"
_URL = re.compile(r"^https?://\S+$")
# A tag padded to four characters, then "- ": "TI  - ", "UI  - "; Ovid writes no other form.
_OVID_TAG = re.compile(r"^(?=[A-Z][A-Z0-9 ]{3}-(?: |$))([A-Z][A-Z0-9]{1,3}) *-(?: (.*))?$")
_PREAMBLE_DB = re.compile(r"^Database:\s*(.+)$")

# column -> Ovid field labels (lower case, without a trailing colon), first present wins
LABELS: dict[str, tuple[str, ...]] = {
    col.TITLE: ("title", "book title"),
    col.AUTHORS: ("authors full name", "author full name", "authors", "author", "editors"),
    col.YEAR: ("year of publication", "publication year", "year", "date of publication"),
    col.JOURNAL: ("journal name", "journal title", "journal", "source title"),
    col.VOLUME: ("volume",),
    col.ISSUE: ("issue", "issue part", "issue/part"),
    col.PAGES: ("pagination", "page", "pages", "page number"),
    col.DOI: ("digital object identifier", "doi number", "doi"),
    col.PMID: ("pubmed id", "pmid", "pubmed identifier"),
    col.ABSTRACT: ("abstract",),
    col.DATABASE: ("database",),
}
ACCESSION_LABELS: tuple[str, ...] = ("unique identifier", "accession number")

# Ovid field codes of the tagged display -> column, first present wins
TAGS: dict[str, tuple[str, ...]] = {
    col.TITLE: ("TI", "BT"),
    col.AUTHORS: ("FA", "AU", "ED"),
    col.YEAR: ("YR", "DP", "YP"),
    col.JOURNAL: ("JN", "JT", "JA"),
    col.VOLUME: ("VO", "VI"),
    col.ISSUE: ("IP",),
    col.PAGES: ("PG",),
    col.DOI: ("DO", "DI", "LI"),
    col.PMID: ("PM",),
    col.ABSTRACT: ("AB",),
    col.DATABASE: ("DB",),
}
ACCESSION_TAGS: tuple[str, ...] = ("UI", "AN")

# Ovid's sources, first match wins: "Journal. 28(2):103-106, April 2015." (MEDLINE),
# "Journal. Vol.26(6), 2019, pp. 691-700." (PsycInfo), "Journal. 12 (3) (pp 12-19), 2018."
# and "Journal. Conference: <name>. 12 (Supplement 3) (no pagination), 2018." (Embase);
# otherwise the journal alone, up to the first full stop.
_SOURCES = (
    re.compile(
        r"^(?P<journal>.+?)\.\s+Vol\.?\s*(?P<volume>[^(,\s]+)(?:\((?P<issue>[^)]*)\))?,"
        r".*?(?:pp?\.\s*(?P<pages>[\w-]+))?\.?\s*$"
    ),
    re.compile(
        r"^(?P<journal>.+?)\.\s+(?P<volume>[\w-]+)(?:\((?P<issue>[^)]*)\))?:"
        r"(?P<pages>[\w-]+)"
    ),
    re.compile(
        r"^(?P<journal>[^.]+?)\.\s+(?:Conference:.*?\.\s+)?(?P<volume>\d[\w-]*)\s*"
        r"(?:\((?P<issue>[^)]*)\)\s*)?\((?:pp\s*(?P<pages>[\w-]+)|no pagination)\)"
    ),
    # Not a book's "Editor (2015). Title." nor its "Kamp, R. M. [Editor], ... Title.:371-397"
    re.compile(r"^(?P<journal>[^.()\[\]]+?)\.(?:\s|$)"),
)
_NOTE = re.compile(r"\s*\[[^\]]*\]")
_LAST_YEAR = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20\d\d)(?!\d)")
# Degrees written after a name; _DEGREE removes them (and notes, numbers, footnote marks).
_DEGREE_WORDS = (
    "MD PhD RN FAAN MSc BSc MPH MA MS BA BS DrPH PharmD DPhil MBBS FRCP".split()  # noqa: SIM905
)
_DEGREES = frozenset(_DEGREE_WORDS)
_DEGREE = re.compile(r"(?:\s*\[[^\]]*\]|\s+(?:" + "|".join(_DEGREE_WORDS) + r"|[*+#]+|\d+))+$")
_AUTHOR_SEPARATOR = re.compile(r"[\n;]|\s{2,}")


def _authors(values: list[str]) -> list[str]:
    """Split Ovid author values: one per line, or ``;``-separated with footnote marks."""
    names = []
    for value in values:
        # "Werner, S. M. [Author, Reprint Author; E-mail: ...]": a note, which may hold ";"
        if "[" in value:
            value = _NOTE.sub("", value)
        for part in _AUTHOR_SEPARATOR.split(value):
            name = part.strip()
            if _may_end_in_degree(name):
                name = _DEGREE.sub("", name).strip()
                if _DEGREE.fullmatch(" " + name):
                    continue
            if name:
                names.append(name)
    return names


def _may_end_in_degree(name: str) -> bool:
    """Whether :data:`_DEGREE` could match at the end of ``name`` (a cheap test first).

    Every ending it removes is a bracketed note, a number, footnote marks or a degree
    written as the name's last word; a name ending otherwise is kept without the regex.
    """
    if not name:
        return False
    last = name[-1]
    if last == "]" or last in "*+#" or last.isdigit():
        return True
    return name.split()[-1] in _DEGREES


def _source_parts(source: str | None) -> dict[str, str]:
    if not source:
        return {}
    source = " ".join(source.split())
    for pattern in _SOURCES:
        match = pattern.match(source)
        if match is not None:
            parts = {k: v for k, v in match.groupdict().items() if v}
            years = _LAST_YEAR.findall(source[match.end("journal") :])
            if years:
                parts[col.YEAR] = years[-1]
            return parts
    return {}


def _fields(
    tags: dict[str, list[str]],
    table: dict,
    accession: tuple[str, ...],
    *,
    source_tag: str,
    preamble_db: str | None,
) -> dict[str, object]:
    fields: dict[str, object] = {}
    for column, keys in table.items():
        for key in keys:
            if key not in tags:
                continue
            values = [v for v in tags[key] if v.strip()]
            if values:
                fields[column] = _authors(values) if column == col.AUTHORS else values[0]
                break
    for column, value in _source_parts(next(iter(tags.get(source_tag, ())), None)).items():
        fields.setdefault(column, value)
    named = fields.get(col.DATABASE)
    database = database_name(named, provider="ovid") if named else preamble_db
    if database is None:
        links = [v for key, values in tags.items() if key.startswith("link") for v in values]
        database = ovid_link_database(links + tags.get("UR", []))
    fields[col.DATABASE] = database
    fields[col.ACCESSION] = next(
        (v for key in accession for v in tags.get(key, ()) if v.strip()), None
    )
    if not fields.get(col.PMID) and database in MEDLINE_FAMILY:
        for key in accession:
            value = next(iter(tags.get(key, ())), "").strip().rstrip(".")
            if value.isdigit():
                fields[col.PMID] = value
                break
    return fields


def _damaged_header(path: Path, index: int, line: str) -> ReaderError:
    return ReaderError.at(
        path,
        index + 1,
        line,
        "a record header such as '<2>' (a damaged header would merge two records)",
    )


def _second_start(path: Path, index: int, line: str) -> ReaderError:
    return ReaderError.at(
        path,
        index + 1,
        line,
        "each record to hold the field it starts with once (a second one starts another "
        "record, whose '<n>' header is lost or damaged)",
    )


def _check_numbering(headers: list[tuple[int, int]], path: Path) -> None:
    """Refuse record numbers that do not follow one another (``headers``: line, number).

    Ovid numbers the records of an export one after another, up or down; a number left
    out is a record header lost (its record merged into the one before) or a record
    missing from the file.
    """
    if len(headers) < 2:
        return
    step = 1 if headers[1][1] > headers[0][1] else -1
    for (_, previous), (line, number) in pairwise(headers):
        if number != previous + step:
            msg = (
                f"{path}: line {line}: record header <{number}> follows <{previous}>: "
                f"expected <{previous + step}> (a record header lost or damaged merges two "
                "records; a record left out of the file is lost)"
            )
            raise ReaderError(
                msg, path=path, line=line, value=f"<{number}>", expected=f"<{previous + step}>"
            )


def _key(label: str) -> str:
    """A field label as :data:`LABELS` writes it: lower case, without its colon."""
    return label.rstrip(":").strip().lower()


_PREAMBLE_END = re.compile(r"^\*{3,}\s*$")  # the row of asterisks closing the search history


def _preamble(lines: list[str], path: Path) -> tuple[int, str | None]:
    """Return the index of the first record header and the preamble's database name.

    Text before the first header is accepted only as Ovid's search-history preamble,
    which starts with a ``Database:`` line and ends with a row of asterisks; anything
    else there would be lost: text after the asterisks, or an indented line (a field's
    value: the first record's, whose header is lost or damaged).
    """
    database = None
    preamble = ended = False
    for index, line in enumerate(lines):
        if _HEADER.match(line):
            return index, database
        if not line.strip():
            continue
        if preamble and not ended and line[:1] not in " \t":
            ended = bool(_PREAMBLE_END.match(line))
            continue
        match = None if preamble else _PREAMBLE_DB.match(line.strip())
        if match is None:
            raise ReaderError.at(
                path,
                index + 1,
                line,
                "a '<n>' record header, or Ovid's 'Database:' preamble (its search history "
                "ending in a row of asterisks)",
            )
        preamble = True
        database = database_name(match.group(1), provider="ovid")
    raise ReaderError.at(path, None, "", "an Ovid record header such as '<1>'")


def parse_labelled(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse Ovid's field-labelled text display into records."""
    lines = text.split("\n")
    start, preamble_db = _preamble(lines, path)
    records: list[tuple[int, list[list[str]]]] = []
    pairs: list[list[str]] = []
    # current: [label, value] or, once lines were added to a non-empty value,
    # [label, value, pieces]: the pieces are joined once at the end (joining at every
    # line is quadratic in a long value).
    current: list | None = None
    link = False  # whether ``current`` is Ovid's "Link to ..." field, whose URL may be unindented
    first_label = ""
    for index in range(start, len(lines)):
        line = lines[index]
        head = line[:1]
        if head == " " or head == "\t":  # most lines: a value line, or a blank one
            value = line.strip()
            if value:
                if current is None:
                    raise ReaderError.at(path, index + 1, line, "a field label before its value")
                if len(current) == 3:
                    current[2].extend(("\n", value))
                elif current[1]:
                    current.append(["\n", value])
                else:
                    current[1] = value
                continue
        elif head == "<" and _HEADER.match(line):
            for pair in pairs:  # the record before is complete: join its pieces now
                if len(pair) == 3:
                    pair[1] += "".join(pair.pop())
            pairs = [["<n>", _HEADER.match(line).group(1)]]
            records.append((index + 1, pairs))
            current = None
            link = False
            continue
        elif not head or head.isspace():  # only then can the line be blank
            value = line.strip()
        else:
            value = None
        if value == "":  # a blank line: a paragraph break inside a value that has text
            if current is not None and (current[1] or len(current) == 3):
                if len(current) == 2:
                    current.append([])
                current[2].append("\n")
            continue
        if link and _URL.match(value if value is not None else line.strip()):
            if value is None:
                value = line.strip()
            if len(current) == 3:
                current[2].extend(("\n", value))
            elif current[1]:
                current.append(["\n", value])
            else:
                current[1] = value
            continue
        if _DAMAGED_HEADER.match(line) or not _LETTER.search(line):
            raise _damaged_header(path, index, line)  # a label has words; this is no label
        label = line.rstrip()
        value = ""
        link = label.startswith(_LINK)
        if link and ":" in label:
            label, _, value = label.partition(":")
            label, value = label + ":", value.strip()
        current = [label, value]
        if len(pairs) == 1:
            first_label = first_label or label  # the field every record starts with
        elif label == first_label and any(p[0] == label for p in pairs[1:]):
            raise _second_start(path, index, line)
        pairs.append(current)
    _check_numbering([(n, int(pairs[0][1])) for n, pairs in records], path)
    keys: dict[str, str] = {}  # label -> its key: a file has a few dozen distinct labels

    def key(label: str) -> str:
        return keys.get(label) or keys.setdefault(label, _key(label))

    check_last_record([(n, [key(t) for t, *_ in pairs[1:]]) for n, pairs in records], path=path)
    out = []
    for line_number, record in records:
        for pair in record:
            if len(pair) == 3:
                pair[1] += "".join(pair.pop())
            pair[1] = pair[1].strip("\n")
        tags = group([[key(t), v] for t, v in record])
        fields = _fields(
            tags, LABELS, ACCESSION_LABELS, source_tag="source", preamble_db=preamble_db
        )
        out.append(ParsedRecord(pairs=record, fields=fields, line=line_number))
    return out


def _tagged_pairs(
    lines: list[str], start: int, stop: int, path: Path, first_tag: str | None = None
) -> list[list[str]]:
    """The ``[tag, value]`` pairs of the lines ``start:stop`` of one tagged record.

    ``first_tag``: the tag every record starts with, which a record holds once.
    """
    pairs: list[list] = []
    blank = 0  # blank lines since the last text: a paragraph break if the value goes on
    for index in range(start, stop):
        line = lines[index]
        match = _OVID_TAG.match(line)
        if match is not None:
            tag = match.group(1)
            if tag == first_tag and pairs:
                raise _second_start(path, index, line)
            pairs.append([tag, (match.group(2) or "").strip()])
            blank = 0
            continue
        text = line.strip()
        if not text:
            blank += 1
            continue
        if _DAMAGED_HEADER.match(line) or (text[0] == "<" and not _LETTER.search(text)):
            raise _damaged_header(path, index, line)  # text would not start with a bare "<"
        if not pairs:
            raise ReaderError.at(path, index + 1, line, "a tagged line ('XX  - value') first")
        pair = pairs[-1]
        if len(pair) == 2:
            pair.append([])  # the value's lines, joined once at the end
        pair[2].extend([""] * blank)  # join_lines drops them before the first text
        pair[2].append(text)
        blank = 0
    for pair in pairs:
        if len(pair) == 3:
            pair[1] = join_lines(pair[1], pair.pop())
    return pairs


def parse_tagged(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse Ovid's tagged text display (``<1. >`` then ``XX  - value`` lines)."""
    lines = text.split("\n")
    start, preamble_db = _preamble(lines, path)
    # A record header ends the previous record.
    out = []
    match = _HEADER.match
    headers = [i for i in range(start, len(lines)) if lines[i][:1] == "<" and match(lines[i])]
    shapes: list[tuple[int, list[str]]] = []
    first_tag: str | None = None
    for position, header in enumerate(headers):
        end = headers[position + 1] if position + 1 < len(headers) else len(lines)
        pairs = [["<n>", match(lines[header]).group(1)]]
        pairs.extend(_tagged_pairs(lines, header + 1, end, path, first_tag))
        if first_tag is None and len(pairs) > 1:
            first_tag = pairs[1][0]
            if any(tag == first_tag for tag, _ in pairs[2:]):
                first_tag = ""  # repeated in the first record: no mark of a record's start
        shapes.append((header + 1, [tag for tag, _ in pairs[1:]]))
        tags = group(pairs)
        fields = _fields(tags, TAGS, ACCESSION_TAGS, source_tag="SO", preamble_db=preamble_db)
        out.append(ParsedRecord(pairs=pairs, fields=fields, line=header + 1))
    _check_numbering([(i + 1, int(match(lines[i]).group(1))) for i in headers], path)
    check_last_record(shapes, path=path)
    return out
