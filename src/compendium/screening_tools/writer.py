"""Writing the compendium's records for import into a screening tool, each record marked
with its ``record_id`` in the fields the tools carry through (see the package's README).

The RIS file is for Rayyan, Covidence, EPPI-Reviewer and Abstrackr (and ASReview); the CSV
file for ASReview (and any tool reading a CSV with a ``title`` column). In both, the marker
``compendium-record-id: <record_id>`` goes:

- in RIS: ``N1`` (Rayyan keeps the imported note as the first section of its notes),
  ``KW`` (Rayyan, EPPI-Reviewer and Abstrackr keep keywords) and ``AN`` (Covidence keeps the
  accession number as its ``Accession Number``);
- in CSV: a ``compendium_record_id`` column (ASReview keeps every column), and the same
  marker in ``keywords`` and ``notes``.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from compendium import columns as col
from compendium.errors import InputError
from compendium.screening_tools.common import ID_FORBIDDEN, MARKER

__all__ = ["CSV_COLUMNS", "mark", "write_records_for_tools"]

CSV_COLUMNS: tuple[str, ...] = (
    "compendium_record_id",
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "keywords",
    "notes",
)


def mark(record_id: str) -> str:
    """The marker text for one record id: ``compendium-record-id: <id>``."""
    return f"{MARKER} {record_id}"


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())  # one line: RIS has no multi-line values here


def _check(records: pd.DataFrame) -> None:
    problems = []
    ids = records[col.RECORD_ID]
    for number, value in enumerate(ids, start=1):
        text = "" if value is None or value is pd.NA else str(value)
        if not text.strip():
            problems.append(f"  record {number}: no record_id")
        elif set(text) & ID_FORBIDDEN or text != text.strip() or not _ascii(text):
            problems.append(
                f"  record {number}: {text!r}: expected a record_id of printable ASCII "
                "without ',', ';', '|' or spaces at its ends (the tools join keywords and "
                "notes with these; Abstrackr loses other characters)"
            )
    repeated = sorted({str(v) for v in ids[ids.duplicated()]})
    if repeated:
        problems.append(f"  record_id given twice: {repeated}")
    if problems:
        msg = "records cannot be written for screening tools:\n" + "\n".join(problems)
        raise InputError(msg)


def _ascii(text: str) -> bool:
    return text.isascii() and text.isprintable()


def _ris_record(row: dict) -> list[str]:
    marker = mark(str(row[col.RECORD_ID]))
    lines = ["TY  - JOUR"]

    def tag(name: str, value: object) -> None:
        text = _text(value)
        if text:
            lines.append(f"{name}  - {text}")

    tag("TI", row.get(col.TITLE))
    for author in _text(row.get(col.AUTHORS)).split("; "):
        tag("AU", author)
    tag("PY", row.get(col.YEAR))
    tag("T2", row.get(col.JOURNAL))
    tag("VL", row.get(col.VOLUME))
    tag("IS", row.get(col.ISSUE))
    pages = _text(row.get(col.PAGES))
    start, dash, end = pages.partition("-")
    tag("SP", start if dash else pages)
    tag("EP", end if dash else "")
    tag("DO", row.get(col.DOI))
    tag("AB", row.get(col.ABSTRACT))
    tag("AN", marker)
    tag("KW", marker)
    tag("N1", marker)
    lines.append("ER  - ")
    return lines


def write_records_for_tools(records: pd.DataFrame) -> tuple[str, str]:
    """The records as RIS and as CSV text, each record marked with its ``record_id``.

    ``records`` has the columns of :data:`compendium.columns.RECORD_COLUMNS` (at least
    ``record_id``; the bibliographic ones as far as they are present). Both texts use ``\\n``
    line endings and are in the records' order, so the same records give the same bytes.

    Raises
    ------
    InputError
        A record_id is missing, repeated, or holds a character the tools use to join
        values (``,``, ``;``, ``|``, a line break), which would cut the marker.
    """
    _check(records)
    rows = records.to_dict(orient="records")
    ris_lines: list[str] = []
    for row in rows:
        ris_lines += [*_ris_record(row), ""]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        marker = mark(str(row[col.RECORD_ID]))
        writer.writerow(
            [
                str(row[col.RECORD_ID]),
                _text(row.get(col.TITLE)),
                _text(row.get(col.ABSTRACT)),
                _text(row.get(col.AUTHORS)),
                _text(row.get(col.YEAR)),
                _text(row.get(col.JOURNAL)),
                _text(row.get(col.VOLUME)),
                _text(row.get(col.ISSUE)),
                _text(row.get(col.PAGES)),
                _text(row.get(col.DOI)),
                _text(row.get(col.PMID)),
                marker,
                marker,
            ]
        )
    return "\n".join(ris_lines), buffer.getvalue()
