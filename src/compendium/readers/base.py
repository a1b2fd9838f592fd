"""What every reader shares: the error, the parsed record and the frame builder.

A family module turns text into :class:`ParsedRecord` objects (the record's original
``[tag, value]`` pairs plus the values it found for each column); :func:`build_frame`
normalises those values in one place, so every family yields the same schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from compendium import columns as col
from compendium.errors import InputError
from compendium.records import (
    normalise_authors,
    normalise_doi,
    normalise_pages,
    normalise_text,
    normalise_title,
    normalise_year,
)

__all__ = ["Export", "ParsedRecord", "ReaderError", "build_frame", "first"]


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

    pairs: list[list[str]]
    fields: dict[str, object] = field(default_factory=dict)
    line: int = 0
    raw: str | None = None  # the pairs as JSON, when the parser already wrote them


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


def build_frame(records: list[ParsedRecord], *, path: Path, database: str | None) -> pd.DataFrame:
    """Normalise parsed records into the record schema, in file order.

    ``database`` given by the caller wins over what each record says.
    """
    stem, name = path.stem, path.name
    data: dict[str, list] = {c: [] for c in col.RECORD_COLUMNS}
    dumps = json.dumps
    for n, record in enumerate(records, 1):
        fields = record.fields
        data[col.RECORD_ID].append(f"{stem}:{n:06d}")
        data[col.SOURCE_FILE].append(name)
        db = database if database is not None else fields.get(col.DATABASE)
        data[col.DATABASE].append(db if db else pd.NA)
        data[col.TITLE].append(normalise_title(fields.get(col.TITLE)))
        data[col.AUTHORS].append(
            normalise_authors(fields.get(col.AUTHORS), as_given=bool(fields.get(AS_GIVEN)))
        )
        data[col.YEAR].append(normalise_year(fields.get(col.YEAR)))
        for column in _TEXT_COLUMNS:
            data[column].append(normalise_text(fields.get(column)))
        data[col.PAGES].append(normalise_pages(fields.get(col.PAGES)))
        data[col.DOI].append(_first_doi(fields.get(col.DOI)))
        data[col.PMID].append(_pmid(fields.get(col.PMID)))
        raw = record.raw
        if raw is None:
            raw = dumps(record.pairs, ensure_ascii=False, sort_keys=False)
        data[col.RAW].append(raw)
    frame = pd.DataFrame(
        {
            c: pd.array(data[c], dtype="Int64" if c == col.YEAR else "string")
            for c in col.RECORD_COLUMNS
        },
        columns=list(col.RECORD_COLUMNS),
    )
    return frame


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
