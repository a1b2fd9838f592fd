"""What the tool readers share: CSV rows with the line each starts on, the compendium id
marker, times as ISO text, and the normalised record frame (through the readers' own
normalisers, so a DOI or an author list means what it means everywhere in the compendium).
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pandas as pd

from compendium.readers.base import ParsedRecord, build_frame
from compendium.screening_tools import schema as s

__all__ = [
    "MARKER",
    "Found",
    "compendium_ids",
    "csv_rows",
    "iso_time",
    "records_frame",
    "unix_time",
]

#: The text the compendium writes into a field each tool keeps, so that a record comes back
#: from the tool with its compendium record_id (see the package's README).
MARKER = "compendium-record-id:"
# The id runs to the end of the field, or to the separator a tool joins several values with
# (Abstrackr and Rayyan join keywords with "," and ";", Rayyan joins note sections with " | ").
_MARKED = re.compile(re.escape(MARKER) + r"[ \t]*([^,;|\r\n]*[^,;|\r\n \t])")
#: Characters a compendium id must not hold for the marker to survive those joins.
ID_FORBIDDEN = frozenset(",;|\r\n")


def compendium_ids(texts: Iterable[object]) -> list[str]:
    """The distinct compendium ids marked in ``texts``, in the order found."""
    found: list[str] = []
    for text in texts:
        if isinstance(text, str) and MARKER in text:
            for match in _MARKED.finditer(text):
                if match.group(1) not in found:
                    found.append(match.group(1))
    return found


def one_compendium_id(
    texts: Iterable[object], problems: s.Problems, file: Path | str, where: str | None
) -> str | None:
    """The one compendium id a record carries; two different ones are a problem."""
    ids = compendium_ids(texts)
    if len(ids) > 1:
        problems.add(file, where, ids, "one compendium record id per record")
    return ids[0] if ids else None


def csv_rows(text: str, path: Path, *, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """Every non-empty row of a CSV text with the line it starts on (the header included).

    Parsed with :mod:`csv` (quoted cells may hold line breaks), so that an error or a vote
    can name the line a person finds the row on in a text editor.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
    except csv.Error as error:
        problem = s.Problem(path.name, s.line(reader.line_num), str(error), "well-formed CSV")
        raise s.DamagedExport(f"{path}: not readable as CSV", [problem]) from None
    return rows


def iso_time(text: object, *, utc: bool = False) -> str | None:
    """A tool's timestamp as ISO 8601 text: ``2024-08-15 08:42:23`` is ``2024-08-15T08:42:23``.

    ``utc``: the tool writes UTC without saying so (ASReview), and ``Z`` is added.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip().replace(" ", "T", 1)
    if utc and not value.endswith("Z") and not re.search(r"[+-]\d\d:?\d\d$", value):
        value += "Z"
    return value


def unix_time(seconds: object) -> str | None:
    """A Unix time (seconds, UTC) as ISO 8601 text ending in ``Z``."""
    if seconds is None or (isinstance(seconds, float) and seconds != seconds):
        return None
    moment = datetime.fromtimestamp(float(seconds), tz=UTC)
    return moment.isoformat().replace("+00:00", "Z")


# A RIS tag line that leaked into a field when a tool appended an unknown tag to the field
# before it (Rayyan: "10.1038/...     LK  - https://..."): two capitals, two spaces, "- ".
_LEAKED_TAG = re.compile(r"\s+[A-Z][A-Z0-9]  - ")


def without_leaked_tags(value: object) -> object:
    """A value up to the first RIS tag that leaked into it; lists element by element."""
    if isinstance(value, str):
        match = _LEAKED_TAG.search(value)
        return value[: match.start()] if match else value
    if isinstance(value, list):
        return [without_leaked_tags(v) for v in value]
    return value


def pairs_of(record: ParsedRecord) -> list[list[str]]:
    """A parsed record's ``[tag, value]`` pairs (kept as JSON by the RIS reader)."""
    if record.raw is not None:
        return orjson.loads(record.raw)
    return [list(pair) for pair in record.pairs]


def values_of(pairs: Sequence[Sequence[str]], *tags: str) -> list[str]:
    """The values of ``tags`` in a record's pairs, in file order."""
    wanted = set(tags)
    return [value for tag, value in pairs if tag in wanted]


@dataclass
class Found:
    """One record as a tool reader found it, before normalisation.

    ``fields`` are the values for the readers' normalisers, keyed by record column (as in
    :class:`compendium.readers.base.ParsedRecord`): a list of names for authors, candidates
    for the DOI.
    """

    tool_key: str
    fields: dict[str, object]
    pairs: list
    source_file: str
    line: int | None
    accession: str | None = None
    compendium_id: str | None = None
    labels: tuple[str, ...] = ()
    raw: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


_NORMALISED = (
    s.TITLE,
    s.AUTHORS,
    s.YEAR,
    s.JOURNAL,
    s.VOLUME,
    s.ISSUE,
    s.PAGES,
    s.DOI,
    s.PMID,
    s.ABSTRACT,
)


def records_frame(found: Sequence[Found]) -> pd.DataFrame:
    """The records table (:data:`schema.RECORD_COLUMNS`) of the records found, in order.

    The bibliographic columns go through :func:`compendium.readers.base.build_frame`, the
    normalisers every database export goes through.
    """
    parsed = [ParsedRecord(f.pairs, dict(f.fields), f.line or 0, f.raw) for f in found]
    normal = build_frame(parsed, path=Path("export"), database=None)

    def text(values: Iterable[object]) -> pd.api.extensions.ExtensionArray:
        return pd.array([pd.NA if v is None or v == "" else v for v in values], dtype="string")

    data = {
        s.TOOL_KEY: text(f.tool_key for f in found),
        **{name: normal[name].array for name in _NORMALISED},
        s.ACCESSION: text(f.accession for f in found),
        s.COMPENDIUM_ID: text(f.compendium_id for f in found),
        s.LABELS: [tuple(f.labels) for f in found],
        s.SOURCE_FILE: text(f.source_file for f in found),
        s.LINE: pd.array([f.line for f in found], dtype="Int64"),
        s.RAW: normal[s.RAW].array,
    }
    return pd.DataFrame(data, columns=list(s.RECORD_COLUMNS), index=pd.RangeIndex(len(found)))


def sqlite_from_bytes(data: bytes, name: str) -> closing[sqlite3.Connection]:
    """An SQLite database held in memory from its bytes (a member of a ZIP archive),
    so that nothing is extracted to disk."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
    except (sqlite3.DatabaseError, ValueError) as error:
        connection.close()
        problem = s.Problem(name, None, str(error), "an SQLite database")
        raise s.DamagedExport(f"{name}: not an SQLite database", [problem]) from None
    return closing(connection)
