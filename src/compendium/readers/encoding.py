"""Decoding export bytes, and saying how it was done.

Exports come as UTF-8 (with or without a byte-order mark), UTF-16 (EndNote and some
Windows tools, usually with a BOM) or cp1252 (older Windows exports). The rule, in order:

1. a BOM decides (UTF-8, UTF-16 LE/BE);
2. NUL bytes at every other position are UTF-16 without a BOM (text in UTF-8 or cp1252
   has no NUL byte; ASCII characters in UTF-16 are a byte and a NUL), LE or BE by where
   the NULs fall;
3. otherwise strict UTF-8;
4. otherwise strict cp1252 (its five undefined bytes still fail), but only for a file with
   no character in UTF-8's multi-byte form: a file that is UTF-8 but for a few bytes is a
   damaged UTF-8 file, and decoding it as cp1252 would turn every other accented letter
   into two ("Décio" into "DÃ©cio"). Those bytes are an error naming each one's line and
   column.

A caller who knows better passes ``encoding=``; that is used strictly. The encoding used
and whether a BOM was present are returned, so a notebook can show them: nothing is
guessed silently, and undecodable bytes are an error, never replacement characters.
Line endings (LF, CRLF, CR or a mix) are counted, reported, and all turned into ``\\n``.

A large file in an encoding whose line breaks are single bytes (UTF-8, cp1252) can be
read as a :class:`Stream` instead: one pass checks every byte and counts the line
endings, then the text is decoded a block at a time while it is parsed, so that neither
the file's bytes nor its whole text (two or four bytes a character as soon as one
character needs it) are held beside the records.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from compendium.readers.base import ReaderError

__all__ = ["Decoded", "Stream", "decode", "head_of", "open_stream"]

# BOM -> codec (UTF-32 is not written by bibliographic software).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FALLBACKS: tuple[str, ...] = ("utf-8", "cp1252")
# Codecs in which "\\n" and "\\r" are single bytes never part of another character.
_STREAMABLE = frozenset({"utf-8", "cp1252", "iso8859-1", "ascii"})
_BLOCK = 1 << 20  # bytes decoded at a time


@dataclass(frozen=True)
class Decoded:
    """Text of an export and how it was decoded."""

    text: str
    encoding: str
    bom: bool
    line_endings: str


def _line_endings(text: str) -> str:
    if "\r" not in text:  # the common case, found without counting every line
        return "LF" if "\n" in text else "none"
    crlf = text.count("\r\n")
    return _describe(crlf, text.count("\n") - crlf, text.count("\r") - crlf)


def _describe(crlf: int, lf: int, cr: int) -> str:
    kinds = {"CRLF": crlf, "LF": lf, "CR": cr}
    present = {k: v for k, v in kinds.items() if v}
    if not present:
        return "none"
    if len(present) == 1:
        return next(iter(present))
    return "mixed (" + ", ".join(f"{k} {v}" for k, v in present.items()) + ")"


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


# The share of NUL bytes at odd (or even) positions that makes text UTF-16 LE (or BE):
# ASCII letters, digits, spaces and line ends, most of any export, give a NUL each.
_UTF16_NULS = 0.3


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 text without a BOM, else None."""
    if b"\x00" not in data[:4096] or len(data) < 2:
        return None
    head = data[: 1 << 16]
    even, odd = head[0::2], head[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / max(len(odd), 1)
    if odd_nuls >= _UTF16_NULS and even_nuls < odd_nuls / 10:
        return "utf-16-le"
    if even_nuls >= _UTF16_NULS and odd_nuls < even_nuls / 10:
        return "utf-16-be"
    return None


_SHOWN_BYTES = 10  # invalid bytes listed by name; the rest are counted


def _damaged_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 but for some bytes: invalid bytes beside characters in
    UTF-8's multi-byte form (which cp1252 text holds only as mojibake)."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return False
    text = data.decode("utf-8", errors="surrogateescape")
    return any(not ("\udc80" <= c <= "\udcff") for c in text if not c.isascii())


def _invalid_utf8(data: bytes, path: Path | str) -> ReaderError:
    """The error for a UTF-8 file with invalid bytes, naming each byte's line and column."""
    text = data.decode("utf-8", errors="surrogateescape")
    found: list[str] = []
    count = 0
    line, start = 1, 0
    for position, character in enumerate(text):
        if character == "\n":
            line, start = line + 1, position + 1
        elif "\udc80" <= character <= "\udcff":
            count += 1
            if count <= _SHOWN_BYTES:
                byte = ord(character) - 0xDC00
                found.append(f"line {line}, column {position - start + 1} (byte 0x{byte:02X})")
    more = f" and {count - _SHOWN_BYTES} more" if count > _SHOWN_BYTES else ""
    msg = (
        f"{path}: {count} byte(s) not valid UTF-8 in a file that is UTF-8 elsewhere: "
        f"{'; '.join(found)}{more}; expected UTF-8 throughout (the file is damaged, or "
        "text in another encoding was pasted into it; decoding it all as cp1252 would "
        "garble every other accented letter). Repair those bytes, or pass encoding="
    )
    first_line = int(found[0].split(",")[0].removeprefix("line ")) if found else None
    return ReaderError(msg, path=path, line=first_line, value=None, expected="UTF-8")


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
        else:
            utf16 = _utf16_without_bom(data)
            if utf16 is not None:
                tries = (utf16,)
            elif _damaged_utf8(data):
                raise _invalid_utf8(data, path)
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


@dataclass(frozen=True)
class Stream:
    """A checked file whose text is decoded a block at a time (see the module docstring).

    ``found`` holds those of the strings asked for at opening that occur in the text.
    """

    path: Path
    encoding: str
    bom: bool
    line_endings: str
    offset: int
    found: frozenset[str]

    def chunks(self) -> Iterator[str]:
        """The text with line endings turned into ``\\n``, in pieces.

        The pieces, joined by ``"\\n"``, give the text: each ends where a line does, so
        that ``piece.split("\\n")`` gives whole lines.
        """
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        carry = ""
        # Blocks of a line longer than a block (an XML file on one line), joined once
        # the line ends: adding each to the carry would be quadratic in the line.
        held: list[str] = []
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            while True:
                block = handle.read(_BLOCK)
                final = not block
                piece = carry + decoder.decode(block, final)
                tail = ""
                if not final and piece.endswith("\r"):  # its "\n" may start the next block
                    piece, tail = piece[:-1], "\r"
                if "\r" in piece:
                    piece = piece.replace("\r\n", "\n").replace("\r", "\n")
                if final:
                    yield "".join([*held, piece])
                    return
                cut = piece.rfind("\n")
                if cut < 0:
                    held.append(piece)
                    carry = tail
                    continue
                if held:
                    held.append(piece[:cut])
                    yield "".join(held)
                    held = []
                else:
                    yield piece[:cut]
                carry = piece[cut + 1 :] + tail

    def head(self, size: int) -> tuple[str, bool]:
        """The first ``size`` characters or more (whole lines), and whether that is all."""
        pieces: list[str] = []
        length = 0
        for piece in self.chunks():
            pieces.append(piece)
            length += len(piece) + 1
            if length > size:
                return "\n".join(pieces), False
        return "\n".join(pieces), True


def _codec(path: Path, encoding: str | None) -> tuple[str, int, bool] | None:
    """The codec, BOM length and BOM presence a stream of ``path`` would use, or None."""
    with path.open("rb") as handle:
        start = handle.read(4)
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            return None
    else:
        codec = _FALLBACKS[0]
    offset, bom = 0, False
    for mark, name in _BOMS:
        if start.startswith(mark) and (encoding is None or name[:5] == codec[:5]):
            offset, bom, codec = len(mark), True, name
            break
    if codec not in _STREAMABLE:
        return None
    return codec, offset, bom


def head_of(path: Path, size: int, *, encoding: str | None = None) -> tuple[str, bool] | None:
    """:meth:`Stream.head` of the file :func:`open_stream` would open, without its scan.

    The format check needs only the head: a large file that turns out not to be streamed
    is then not read twice. None when :func:`open_stream` would give None.
    """
    found = _codec(path, encoding)
    if found is None:
        return None
    codec, offset, bom = found
    return Stream(path, codec, bom, "", offset, frozenset()).head(size)


def open_stream(
    path: Path, *, encoding: str | None = None, watch: tuple[str, ...] = ()
) -> Stream | None:
    """Check a file for :meth:`Stream.chunks`, or return None to decode it whole.

    None when that codec is not one whose line breaks are single bytes. The bytes are
    not checked here: :meth:`Stream.chunks` raises ``UnicodeDecodeError`` on the first
    invalid one, and the caller then reads the file whole with :func:`decode`, which falls
    back or reports the bytes at fault as always.
    """
    found_codec = _codec(path, encoding)
    if found_codec is None:
        return None
    codec, offset, bom = found_codec
    # Bytes are enough: in these codecs CR, LF and the (ASCII) watched strings are
    # their own bytes. The bytes' validity is checked as the text is decoded for parsing.
    marks = [w.encode("ascii") for w in watch]
    overlap = max((len(m) for m in marks), default=1) - 1
    crlf = cr = lf = 0
    found: set[bytes] = set()
    previous = b""
    with path.open("rb") as handle:
        handle.seek(offset)
        while block := handle.read(_BLOCK):
            if previous.endswith(b"\r") and block.startswith(b"\n"):
                crlf += 1
            crlf += block.count(b"\r\n")
            cr += block.count(b"\r")
            lf += block.count(b"\n")
            seen = previous[-overlap:] + block if overlap else block
            found.update(m for m in marks if m not in found and m in seen)
            previous = block
    endings = _describe(crlf, lf - crlf, cr - crlf)
    return Stream(path, codec, bom, endings, offset, frozenset(m.decode() for m in found))
