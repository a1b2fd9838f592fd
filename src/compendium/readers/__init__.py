"""Reading database exports into records.

``read_records(path)`` recognises the export's format from its content
(:mod:`~compendium.readers.sniff`), decodes it (:mod:`~compendium.readers.encoding`),
parses it with the family's module and normalises every record into the columns of
:data:`compendium.columns.RECORD_COLUMNS`, one row per record in file order.

Examples
--------
>>> from compendium.readers import read_export  # doctest: +SKIP
>>> export = read_export("data/raw/searches/ovid_medline.ris")  # doctest: +SKIP
>>> export.format, export.encoding, len(export.records)  # doctest: +SKIP
('RIS', 'utf-8', 222)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from compendium.readers import csv_exports, ris
from compendium.readers.base import Export, ParsedRecord, ReaderError, build_frame, no_cyclic_gc
from compendium.readers.encoding import Decoded, decode, head_of, open_stream
from compendium.readers.ris import write_ris
from compendium.readers.sniff import FORMATS, READERS, reader, sniff

__all__ = [
    "FORMATS",
    "READERS",
    "Export",
    "ReaderError",
    "read_export",
    "read_records",
    "write_ris",
]

Parser = Callable[..., list[ParsedRecord]]

STREAM_FROM = 8 << 20  # bytes; smaller files are decoded whole
HEAD = 1_100_000  # characters the format check sees of a streamed file (its window and more)


def read_export(
    path: Path | str, *, database: str | None = None, encoding: str | None = None
) -> Export:
    """Read an export and say what was detected (format, encoding, line endings).

    Parameters
    ----------
    path
        The export file.
    database
        The database the records come from; when given it wins over the export's own
        signals (for exports that do not say, such as a PubMed CSV saved by hand).
    encoding
        The file's encoding, when known; otherwise it is detected and reported.

    Raises
    ------
    ReaderError
        When the file is empty or no recognised export, cannot be decoded (a UTF-8 file
        with invalid bytes names each one), or holds anything that would drop or merge
        records (the message names the file and the line).
    """
    path = Path(path)
    with no_cyclic_gc():
        found, decoded, records = _read(path, database, encoding)
    records.attrs.update(
        {
            "format": found,
            "encoding": decoded.encoding,
            "bom": decoded.bom,
            "line_endings": decoded.line_endings,
            "source_file": path.name,
        }
    )
    return Export(
        records=records,
        format=found,
        encoding=decoded.encoding,
        line_endings=decoded.line_endings,
        path=path,
        bom=decoded.bom,
    )


def _read(
    path: Path, database: str | None, encoding: str | None
) -> tuple[str, Decoded, pd.DataFrame]:
    """The format found, how the file was decoded, and its records."""
    streamed = _read_streamed(path, encoding)
    if streamed is not None:
        found, decoded, parsed = streamed
    else:
        decoded = decode(path.read_bytes(), path=path, encoding=encoding)
        text = decoded.text
        if not text or text.isspace():  # (no copy of the text, as strip would make)
            msg = f"{path}: the file is empty: expected a database export with its records"
            raise ReaderError(msg, path=path, value="", expected="a database export")
        key = sniff(text, path=path)
        found = FORMATS[key]
        if key == "csv":
            found = f"CSV ({csv_exports.recognise(text)})"
        decoded = replace(decoded, text="")  # keep one copy of the text alive, not two
        parsed = reader(key).parse(text, path=path)
        del text  # the records hold what is needed; free the file's text before the frame
    records = build_frame(parsed, path=path, database=database)
    del parsed
    return found, decoded, records


def _read_streamed(
    path: Path, encoding: str | None
) -> tuple[str, Decoded, list[ParsedRecord]] | None:
    """Read a large RIS file block by block, or return None to read the file whole.

    The records of a large RIS file hold as much text as the file; keeping the file's
    text (and its bytes) alive beside them would double the memory a read needs.
    """
    if path.stat().st_size < STREAM_FROM:
        return None
    try:
        # The format check first, on the head alone: a large file of another format is
        # then decoded once, not also scanned whole for a stream it will not use.
        peek = head_of(path, HEAD, encoding=encoding)
        if peek is None:
            return None
        head, complete = peek
        key = sniff(head, path=path)
        if complete or key != "ris" or ris.may_be_wos(head):
            return None  # the format check may need the whole text
        del head, peek
        stream = open_stream(path, encoding=encoding, watch=(ris.OVID_LINK_MARK,))
        if stream is None:
            return None
        parsed = ris.parse_ris(
            stream.chunks(), path=path, ovid_links=ris.OVID_LINK_MARK in stream.found
        )
    except (ReaderError, UnicodeDecodeError):
        return None  # read whole, the file gives its error as any file does (decoding first)
    decoded = Decoded("", stream.encoding, stream.bom, stream.line_endings)
    return FORMATS["ris"], decoded, parsed


def read_records(
    path: Path | str, *, database: str | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """Read a database export: one row per record, in file order.

    The columns are exactly :data:`compendium.columns.RECORD_COLUMNS`; ``df.attrs`` holds
    the detected ``format``, ``encoding``, ``bom`` and ``line_endings``. See
    :func:`read_export` for the parameters.
    """
    return read_export(path, database=database, encoding=encoding).records
