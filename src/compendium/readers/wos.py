"""Web of Science plain text ("Other file formats" > "Plain text file").

The structure (Clarivate, "Web of Science Core Collection field tags"): an ``FN`` and a
``VR`` header line, then records from ``PT`` to ``ER``, then ``EF``. A line is a 2-letter
tag, a space and the value; a value continues on lines indented by three spaces (author
lists, cited references, wrapped titles). Other Web of Science platform databases
(Zoological Record, BIOSIS, MEDLINE via WoS) write the same format.

rispy's ``WokParser`` reads this layout; it is used here, subclassed as for RIS so that
the tag pairs keep their order and that a record cut off, a ``PT`` inside a record or a
tag between records is an error instead of a silent loss.
"""

from __future__ import annotations

import re
from pathlib import Path

import rispy

from compendium import columns as col
from compendium.readers.base import ParsedRecord, ReaderError, first, group, pages_from
from compendium.readers.databases import database_name

__all__ = ["parse_wos"]

_EMAIL = re.compile(r"\s*\([^()]*@[^()]*\)\s*$")
_HARMLESS = re.compile(r"^(?:FN .*|VR .*|EF)$")  # file header and end-of-file lines

WOS_FIELDS: dict[str, tuple[str, ...]] = {
    col.TITLE: ("TI",),
    col.YEAR: ("PY", "EA", "PD"),
    col.JOURNAL: ("SO", "SE", "BS"),
    col.VOLUME: ("VL",),
    col.ISSUE: ("IS",),
    col.PMID: ("PM",),
    col.ABSTRACT: ("AB",),
}
# Accession-number prefix (UT) -> database of the Web of Science platform
UT_DATABASES: dict[str, str] = {
    "WOS": "Web of Science",
    "ZOOREC": "Zoological Record",
    "ZOOR": "Zoological Record",
    "BCI": "BIOSIS Citation Index",
    "MEDLINE": "MEDLINE (Web of Science)",
    "CCC": "Current Contents Connect",
    "SCIELO": "SciELO Citation Index",
    "KJD": "KCI-Korean Journal Database",
}


class _WosParser(rispy.WokParser):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.lineno = 0
        self.start = 0
        self.in_record = False
        self.starts: list[int] = []

    def numbered_lines(self, text: str):
        for self.lineno, line in enumerate(text.split("\n"), 1):
            yield line

    def parse_line(self, line: str) -> tuple[str, str] | tuple[None, str]:
        if not line.strip() or line[0:1] == " ":
            return (None, line.strip())
        return (line[0:2], line[3:].strip())

    def _iter_till_start(self, lines) -> list[list[str]]:
        self.in_record = False
        while True:
            line = next(lines)
            if line[:3] == "PT ":
                self.in_record = True
                self.start = self.lineno
                self.starts.append(self.lineno)
                return [["PT", line[3:].strip()]]
            stripped = line.strip()
            if stripped and not _HARMLESS.match(stripped):
                raise ReaderError.at(
                    self.path, self.lineno, line, "'PT' starting a record, 'FN', 'VR' or 'EF'"
                )

    def _add_tag(self, record, tag, content, extend_multiline=False) -> None:
        if extend_multiline:
            pair = record[-1]
            pair[1] = f"{pair[1]}\n{content}" if pair[1] else content
        elif tag == "PT":
            raise ReaderError.at(
                self.path,
                self.lineno,
                f"PT {content}",
                f"'ER' closing the record that starts on line {self.start} first",
            )
        else:
            record.append([tag, content])


def _fields(pairs: list[list[str]]) -> dict[str, object]:
    tags = group(pairs)
    fields: dict[str, object] = {c: first(tags, t) for c, t in WOS_FIELDS.items()}
    authors = tags.get("AF") or tags.get("AU") or []
    # Zoological Record appends e-mail addresses to authors: "Stillman, A. (a@b.edu)"
    fields[col.AUTHORS] = [_EMAIL.sub("", a) for value in authors for a in value.split("\n")]
    start, end = first(tags, ("BP",)), first(tags, ("EP",))
    fields[col.PAGES] = pages_from(start, end) or first(tags, ("AR",))
    fields[col.DOI] = tags.get("DI", []) + tags.get("D2", [])
    accession = first(tags, ("UT",)) or ""
    prefix = accession.split(":", 1)[0].strip().upper() if ":" in accession else "WOS"
    fields[col.DATABASE] = UT_DATABASES.get(prefix) or database_name(prefix) or "Web of Science"
    return fields


def parse_wos(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse Web of Science plain text into records."""
    parser = _WosParser(path)
    found = parser.parse_lines(parser.numbered_lines(text))
    if parser.in_record:
        raise ReaderError.at(
            path, parser.start, "PT", "'ER' closing this record before the end of the file"
        )
    return [
        ParsedRecord(pairs=p, fields=_fields(p), line=n)
        for p, n in zip(found, parser.starts, strict=True)
    ]
