"""Decoding export bytes, and saying how it was done.

Exports come as UTF-8 (with or without a byte-order mark), UTF-16 with a BOM (EndNote and
some Windows tools) or cp1252 (older Windows exports). The rule, in order:

1. a BOM decides (UTF-8, UTF-16 LE/BE);
2. otherwise strict UTF-8;
3. otherwise strict cp1252 (its five undefined bytes still fail).

A caller who knows better passes ``encoding=``; that is used strictly. The encoding used
and whether a BOM was present are returned, so a notebook can show them: nothing is
guessed silently, and undecodable bytes are an error, never replacement characters.
Line endings (LF, CRLF, CR or a mix) are counted, reported, and all turned into ``\\n``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from compendium.readers.base import ReaderError

__all__ = ["Decoded", "decode"]

# BOM -> codec (UTF-32 is not written by bibliographic software).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FALLBACKS: tuple[str, ...] = ("utf-8", "cp1252")


@dataclass(frozen=True)
class Decoded:
    """Text of an export and how it was decoded."""

    text: str
    encoding: str
    bom: bool
    line_endings: str


def _line_endings(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = {"CRLF": crlf, "LF": lf, "CR": cr}
    present = {k: v for k, v in kinds.items() if v}
    if not present:
        return "none"
    if len(present) == 1:
        return next(iter(present))
    return "mixed (" + ", ".join(f"{k} {v}" for k, v in present.items()) + ")"


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def decode(data: bytes, *, path: Path | str, encoding: str | None = None) -> Decoded:
    """Decode ``data`` following the module's rule; see the module docstring.

    Raises
    ------
    ReaderError
        When the bytes are not valid in the encoding given or in any tried.
    """
    bom = False
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            msg = f"{path}: unknown encoding {encoding!r}: expected a Python codec name"
            raise ReaderError(msg, path=path, value=encoding, expected="a codec name") from None
        tries: tuple[str, ...] = (codec,)
        for mark, name in _BOMS:
            # A BOM of the same family as the encoding given is the file's, not text.
            if data.startswith(mark) and name[:5] == codec[:5]:
                data, bom, tries = data[len(mark) :], True, (name,)
                break
    else:
        tries = _FALLBACKS
        for mark, name in _BOMS:
            if data.startswith(mark):
                data, bom, tries = data[len(mark) :], True, (name,)
                break
    errors: list[str] = []
    for name in tries:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as exc:
            errors.append(f"{name} (byte {exc.start}, line {_line_of(data, exc.start)})")
            continue
        endings = _line_endings(text)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return Decoded(text=text, encoding=name, bom=bom, line_endings=endings)
    msg = f"{path}: cannot decode the file: tried {', '.join(errors)}; pass encoding="
    raise ReaderError(msg, path=path, value=None, expected="text in " + " or ".join(tries))
