"""Recognising which screening tool wrote a file, from its content, never its name.

People rename downloads (``articles.csv``, ``export (3).csv``), so a name decides nothing.
Each rule looks for something only that tool writes; the rules are checked in the order
below and the first that holds wins. A rule is a property of the tool's export format, not
of one sample file:

=====================  ===================================================================
tool, kind             recognised by
=====================  ===================================================================
asreview project       a ZIP archive holding ``project.json`` and ``data_store.db`` or
                       ``reviews/``: the layout of an ASReview LAB project file
eppi-reviewer xlsx     a workbook whose first sheet's header has ``Included``, ``ID`` and
                       ``ShortTitle``: EPPI-Reviewer's field names (``ShortTitle`` is its
                       "Author (Year)" label; ``Included`` its I/E flag)
asreview csv           a header with a column named ``asreview_label`` (LAB 2) or
                       ``asreview_ranking`` (LAB 1.x): ASReview prefixes the columns it adds
                       with ``asreview_``, a name no database or other tool writes. Checked
                       before the other CSV rules because ASReview keeps the imported file's
                       columns, which may be another tool's
covidence csv          the header is exactly Covidence's 16 columns (``... Covidence #,Study,
                       Notes,Tags``)
rayyan log             the header is exactly ``created_at,user_id,user_email,article_id,key,
                       value`` (Rayyan's ``customizations_log.csv``)
rayyan csv             a header starting ``key`` with ``title`` and ``notes`` columns, and a
                       first record whose key is ``rayyan-<digits>``: Rayyan's article ids
abstrackr csv          a header starting ``(internal) id,(source) id,pubmed id``: Abstrackr's
                       own parenthesised names
rayyan ris             a RIS file whose first record's ``AN`` is ``rayyan-<digits>``
eppi-reviewer ris      a RIS file whose first record has a numeric ``U1`` (the EPPI ItemId)
                       and the keyword ``eppi-reviewer`` EPPI-Reviewer adds to every record
covidence ris          a RIS file whose first record has ``NS``, ``PD`` and ``PG`` lines and
                       no tag outside Covidence's fixed set: ``NS`` is no tag of the RIS
                       specification, and Covidence writes it, empty, in all four variants
rayyan bibtex          a BibTeX entry keyed ``rayyan-<digits>`` (``@article{rayyan-1,``)
=====================  ===================================================================

A file none of these fits is refused by :func:`read_tool_export` unless the caller names
the tool and the file's format is one that tool exports; a file that fits one tool's rule
while the caller named another is refused too.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from compendium.io import read_input_bytes
from compendium.screening_tools import schema as s

__all__ = ["KINDS", "Source", "format_of", "recognise"]

# kinds of file, by tool
PROJECT, XLSX, CSV, RIS, BIBTEX, LOG = "project", "xlsx", "csv", "ris", "bibtex", "log"
ASREVIEW_LAB1, ASREVIEW_LAB2 = "lab1-csv", "lab2-csv"

KINDS: dict[str, tuple[str, ...]] = {
    s.RAYYAN: (CSV, RIS, BIBTEX, LOG),
    s.COVIDENCE: (CSV, RIS),
    s.ASREVIEW: (PROJECT, ASREVIEW_LAB1, ASREVIEW_LAB2),
    s.EPPI: (XLSX, RIS),
    s.ABSTRACKR: (CSV,),
}

COVIDENCE_HEADER: tuple[str, ...] = (
    "Title",
    "Authors",
    "Abstract",
    "Published Year",
    "Published Month",
    "Journal",
    "Volume",
    "Issue",
    "Pages",
    "Accession Number",
    "DOI",
    "Ref",
    "Covidence #",
    "Study",
    "Notes",
    "Tags",
)
RAYYAN_LOG_HEADER: tuple[str, ...] = (
    "created_at",
    "user_id",
    "user_email",
    "article_id",
    "key",
    "value",
)
ABSTRACKR_START: tuple[str, ...] = ("(internal) id", "(source) id", "pubmed id")
EPPI_COLUMNS = frozenset({"Included", "ID", "ShortTitle"})
# Every tag Covidence writes in its four RIS variants (EndNote, Mendeley, RefWorks, Zotero).
COVIDENCE_RIS_TAGS = frozenset(
    {"TY", "TI", "T1", "AU", "A1", "PY", "Y1", "PD", "N2", "AB", "JO", "PB", "CY"}
    | {"VL", "IS", "PG", "SP", "EP", "AN", "ID", "DO", "UR", "NS", "N1", "ER"}
)

_HEAD = 1 << 20  # characters looked at: a header and a first record are far shorter
_RAYYAN_KEY = re.compile(r"^rayyan-\d+$")
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_RIS_START = re.compile(r"^TY  -", re.MULTILINE)
_RAYYAN_BIBTEX = re.compile(r"^\s*@\s*[A-Za-z]+\s*\{\s*rayyan-\d+\s*,", re.MULTILINE)


@dataclass(frozen=True)
class Source:
    """A file of an export: which tool wrote it and which of the tool's kinds of file it is.

    ``delimiter`` is the CSV delimiter where that applies (ASReview also writes TSV).
    """

    path: Path
    tool: str
    kind: str
    delimiter: str = ","


def _head_text(data: bytes) -> str:
    text = data[: 4 * _HEAD].decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")


def _header(text: str, delimiter: str) -> list[str]:
    first = next((line for line in text.split("\n", 50) if line.strip()), "")
    try:
        return [
            cell.strip() for cell in next(csv.reader([first.rstrip("\r")], delimiter=delimiter))
        ]
    except (csv.Error, StopIteration):
        return []


def _first_data_row(text: str) -> list[str]:
    try:
        rows = csv.reader(io.StringIO(text[:_HEAD], newline=""))
        next(rows)
        return next(rows)
    except (csv.Error, StopIteration):
        return []


def _first_ris_record(text: str) -> dict[str, list[str]] | None:
    start = _RIS_START.search(text[:_HEAD])
    if start is None:
        return None
    tags: dict[str, list[str]] = {}
    for line in text[start.start() :].split("\n"):
        match = _RIS_LINE.match(line.rstrip("\r"))
        if match is None:
            continue  # a continuation line
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "ER":
            break
        tags.setdefault(tag, []).append(value)
    return tags


def _zip_kind(data: bytes, path: Path) -> Source | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "project.json" in names and (
                "data_store.db" in names or any(n.startswith("reviews/") for n in names)
            ):
                return Source(path, s.ASREVIEW, PROJECT)
            if "xl/workbook.xml" in names:
                return _workbook_kind(data, path)
    except zipfile.BadZipFile:
        return None
    return None


def workbook_header(data: bytes) -> list[str]:
    """The first row of a workbook's first sheet, as text."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        return ["" if cell is None else str(cell).strip() for cell in first]
    finally:
        workbook.close()


def _workbook_kind(data: bytes, path: Path) -> Source | None:
    try:
        header = workbook_header(data)
    except Exception:  # a damaged workbook is no tool's export; reading it says why
        return None
    if set(header) >= EPPI_COLUMNS:
        return Source(path, s.EPPI, XLSX)
    if "asreview_label" in header:
        return Source(path, s.ASREVIEW, ASREVIEW_LAB2)
    if "asreview_ranking" in header:
        return Source(path, s.ASREVIEW, ASREVIEW_LAB1)
    return None


def _text_kind(text: str, path: Path) -> Source | None:
    for delimiter in (",", "\t"):
        header = _header(text, delimiter)
        if "asreview_label" in header:
            return Source(path, s.ASREVIEW, ASREVIEW_LAB2, delimiter)
        if "asreview_ranking" in header:
            return Source(path, s.ASREVIEW, ASREVIEW_LAB1, delimiter)
    header = _header(text, ",")
    if tuple(header) == COVIDENCE_HEADER:
        return Source(path, s.COVIDENCE, CSV)
    if tuple(header) == RAYYAN_LOG_HEADER:
        return Source(path, s.RAYYAN, LOG)
    if header[:1] == ["key"] and {"title", "notes"} <= set(header):
        first = _first_data_row(text)
        if first and _RAYYAN_KEY.match(first[0].strip()):
            return Source(path, s.RAYYAN, CSV)
    if tuple(header[:3]) == ABSTRACKR_START:
        return Source(path, s.ABSTRACKR, CSV)
    record = _first_ris_record(text)
    if record is not None:
        if any(_RAYYAN_KEY.match(value) for value in record.get("AN", ())):
            return Source(path, s.RAYYAN, RIS)
        u1 = record.get("U1", [""])[0]
        if u1.isdigit() and "eppi-reviewer" in record.get("KW", ()):
            return Source(path, s.EPPI, RIS)
        if {"NS", "PD", "PG"} <= set(record) and set(record) <= COVIDENCE_RIS_TAGS:
            return Source(path, s.COVIDENCE, RIS)
    if _RAYYAN_BIBTEX.search(text[:_HEAD]):
        return Source(path, s.RAYYAN, BIBTEX)
    return None


def recognise(path: Path | str) -> Source | None:
    """Which tool wrote the file and which kind of file it is, or None for no tool's export.

    Raises :class:`compendium.errors.InputError` only when the file cannot be read at all.
    """
    path = Path(path)
    data = read_input_bytes(path)
    if data[:4] == b"PK\x03\x04":
        return _zip_kind(data, path)
    return _text_kind(_head_text(data), path)


def format_of(path: Path) -> str:
    """The file's format, for a file no rule recognised: ``zip``, ``xlsx``, ``ris``,
    ``bibtex`` or ``csv`` (anything else that is text)."""
    data = read_input_bytes(path)
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return XLSX if "xl/workbook.xml" in archive.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    text = _head_text(data)
    if _first_ris_record(text) is not None:
        return RIS
    if re.search(r"^\s*@\s*[A-Za-z]+\s*\{", text[:_HEAD], re.MULTILINE):
        return BIBTEX
    return CSV


def first_line(path: Path) -> str:
    """What the file starts with, for an error message: its first line, or its format."""
    data = read_input_bytes(path)
    if data[:4] == b"PK\x03\x04":
        return f"a ZIP archive ({format_of(path)})"
    line = next((ln for ln in _head_text(data).split("\n", 50) if ln.strip()), "")
    return line.strip()[:100]


def fallback_kind(path: Path, tool: str) -> Source | None:
    """The kind of file ``path`` is for ``tool`` when no rule recognised it, judged by its
    format alone (the caller named the tool); None when the tool exports no such format."""
    found = format_of(path)
    by_format = {
        s.RAYYAN: {CSV: CSV, RIS: RIS, BIBTEX: BIBTEX},
        s.COVIDENCE: {CSV: CSV, RIS: RIS},
        s.ASREVIEW: {"zip": PROJECT, CSV: ASREVIEW_LAB1},
        s.EPPI: {XLSX: XLSX, RIS: RIS},
        s.ABSTRACKR: {CSV: CSV},
    }[tool]
    kind = by_format.get(found)
    return None if kind is None else Source(path, tool, kind)


def describe_rules() -> str:
    """The recognition rules in one line each, for an error message."""
    return (
        "an ASReview project (.asreview ZIP with project.json) or CSV with asreview_label "
        "or asreview_ranking; a Covidence CSV (its 16-column header) or RIS (NS, PD, PG "
        "lines); a Rayyan articles CSV (key column of rayyan-<n>), RIS (AN rayyan-<n>), "
        "BibTeX (@article{rayyan-<n>,) or customizations_log.csv; an EPPI-Reviewer XLSX "
        "(Included, ID, ShortTitle) or RIS (U1 and the eppi-reviewer keyword); an Abstrackr "
        "CSV ((internal) id,(source) id,pubmed id)"
    )
