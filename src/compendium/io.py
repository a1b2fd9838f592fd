"""Writing files whole or not at all, and reading the files people write.

Every file the pipeline writes goes through :func:`write_bytes`: the content lands in a
temporary file beside the target and is renamed over it, so a crash or an error never leaves
half a file where a finished one is expected, and the file it replaces is never changed in
place (the runner's rollback relies on that: see :mod:`compendium.safekeeping`).

Every file a person writes (a sheet, a YAML file) is read through :func:`read_input_text`,
:func:`load_yaml` or :func:`read_sheet_table`, so that whatever is wrong with it (it cannot
be opened, it is not UTF-8, its YAML or CSV syntax is broken) is an :class:`InputError`
naming the file and, where known, the line and column, never a library's own exception.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from compendium.errors import InputError, OutputError

#: Prefix and suffix of :func:`write_bytes`' temporary files, so the runner can tell them
#: from outputs (and remove those a killed run left behind).
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".", ".tmp"


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; create parent folders as needed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            dir=path.parent, prefix=f"{TEMPORARY_PREFIX}{path.name}.", suffix=TEMPORARY_SUFFIX
        )
    except OSError as error:
        raise _cannot_write(path, error) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(path, error) from None
        raise
    return path


def _cannot_write(path: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    msg = (
        f"{path}: cannot write it: {reason}. Expected a writable folder with space to spare "
        "(is the folder read-only, or the disk full?); the file it would replace is unchanged."
    )
    return OutputError(msg)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` as UTF-8 with ``\\n`` line endings, atomically."""
    return write_bytes(path, text.encode("utf-8"))


def sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- files people write ----------------------------------------------------------------------

#: How many undecodable bytes an encoding error lists (the count says how many in all).
BYTES_LISTED = 5


def read_input_bytes(path: str | Path) -> bytes:
    """The bytes of a file a person wrote; a file that cannot be read is an :class:`InputError`."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        msg = f"{path}: missing; expected the file here"
    except IsADirectoryError:
        msg = f"{path}: is a folder; expected a file"
    except OSError as error:
        msg = f"{path}: cannot be read: {error.strerror or error}"
    raise InputError(msg)


def decode_utf8(data: bytes, path: str | Path) -> str:
    """``data`` as UTF-8 (a byte-order mark dropped), or an error naming every bad byte.

    A spreadsheet saved as "CSV" rather than "CSV UTF-8" is in the machine's legacy code page
    (Windows-1252, say): guessing would read another code page's letters silently wrong, so
    each byte that is not UTF-8 is named by line and column and the file is refused.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": the byte-order mark says so unambiguously
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            msg = f"{path}: UTF-16 (by its byte-order mark) but byte {error.start} is not: {error}"
            raise InputError(msg) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    bad = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        position = 0
        while position < len(line):
            try:
                line[position:].decode("utf-8")
                break
            except UnicodeDecodeError as error:
                start = position + error.start
                prefix = line[:start].decode("utf-8", errors="replace")
                bad.append((number, len(prefix) + 1, line[start]))
                position = start + 1
    listed = "\n".join(
        f"  line {line}, column {column}: byte 0x{byte:02x}"
        f" ({bytes([byte]).decode('cp1252', errors='replace')!r} in Windows-1252)"
        for line, column, byte in bad[:BYTES_LISTED]
    )
    more = f"\n  ... and {len(bad) - BYTES_LISTED} more" if len(bad) > BYTES_LISTED else ""
    msg = (
        f"{path}: not UTF-8 ({len(bad)} byte(s) that UTF-8 does not allow):\n{listed}{more}\n"
        'Expected UTF-8 text: save the file again as UTF-8 (in Excel: "CSV UTF-8"; in '
        'LibreOffice: character set "Unicode (UTF-8)").'
    )
    raise InputError(msg)


def read_input_text(path: str | Path) -> str:
    """The text of a file a person wrote, decoded as UTF-8 (see :func:`decode_utf8`)."""
    return decode_utf8(read_input_bytes(path), path)


def load_yaml(path: str | Path) -> object:
    """A YAML file a person wrote; a syntax error names its line and column and shows the line."""
    import yaml

    text = read_input_text(path)
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else f"{path}"
        context = error.context
        begun = error.context_mark
        if context and begun is not None and begun is not mark:
            context += f" (begun at line {begun.line + 1}, column {begun.column + 1})"
        problem = ", ".join(part for part in (context, error.problem) if part)
        shown = ""
        if mark is not None:
            lines = text.splitlines()
            if mark.line < len(lines):
                shown = f"\n    {lines[mark.line]}\n    {' ' * mark.column}^"
        msg = f"{where}: {problem}{shown}\nExpected valid YAML (key: value lines, lists as - item)."
    except yaml.YAMLError as error:
        msg = f"{path}: {error}; expected valid YAML"
    raise InputError(msg)


def read_sheet_table(path: str | Path) -> pd.DataFrame:
    """A sheet a person wrote (``.csv`` or ``.xlsx``), every cell as text, blanks as ``""``.

    Whatever stops it being read (not UTF-8, a row with more cells than the header, an empty
    file, a damaged workbook) is an :class:`InputError` naming the file.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _read_workbook_sheet(path)
    text = read_input_text(path)
    if not text.strip():
        msg = f"{path}: empty; expected a header row, then one row per entry"
        raise InputError(msg)
    return _csv_frame(text, path)


def _csv_frame(text: str, path: Path) -> pd.DataFrame:
    """Rows of a CSV text, each as long as the header, indexed by row as a spreadsheet shows it.

    Parsed with :mod:`csv` rather than ``pandas.read_csv``, which takes a row with one cell
    more than the header as an index column without a word. Short rows are padded (some
    spreadsheets leave off trailing empty cells), and so are empty extra cells; empty rows
    are left out but keep their number, so that row numbers are the spreadsheet's (the
    header is row 1).
    """
    import csv

    reader = csv.reader(io.StringIO(text, newline=""))
    rows, numbers, problems = [], [], []
    try:
        header = next(reader)
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
                problems.append(
                    f"  row {number}: {len(cells)} cells: expected at most {len(header)}, "
                    "as in the header"
                )
                continue
            rows.append((cells + [""] * len(header))[: len(header)])
            numbers.append(number)
    except csv.Error as error:
        msg = f"{path}, line {reader.line_num}: {error}; expected comma-separated values"
        raise InputError(msg) from None
    names = [name.strip() for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.insert(0, f"  row 1: column {', '.join(map(repr, repeated))} given twice")
    if problems:
        listed = "\n".join(problems)
        msg = (
            f"{path}: {len(problems)} problem(s):\n{listed}\n"
            'A cell holding a comma or a line break must be in double quotes (").'
        )
        raise InputError(msg)
    return pd.DataFrame(rows, columns=header, index=pd.Index(numbers, name="row"), dtype=str)


def _read_workbook_sheet(path: Path) -> pd.DataFrame:
    import zipfile

    read_input_bytes(path)  # a missing or unreadable file is named as for CSV
    try:
        table = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        msg = f"{path}: not a readable .xlsx workbook ({error}); expected an Excel workbook"
        raise InputError(msg) from None
    table.index = pd.RangeIndex(2, len(table) + 2, name="row")
    return table
