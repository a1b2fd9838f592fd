"""Writing files whole or not at all.

Every file the pipeline writes goes through :func:`write_bytes`: the content lands in a
temporary file beside the target and is renamed over it, so a crash or an error never leaves
half a file where a finished one is expected.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

import pandas as pd


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; create parent folders as needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


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


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a data table (no index, ``\\n`` line endings), atomically."""
    return write_text(path, table.to_csv(index=False, lineterminator="\n"))


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a table the pipeline wrote, every cell as text and blanks as empty strings.

    Text keeps identifiers such as ``0012`` and DOIs exactly as written; a step converts the
    columns it computes with.
    """
    return pd.read_csv(
        io.StringIO(Path(path).read_text(encoding="utf-8")), dtype=str, keep_default_na=False
    )
