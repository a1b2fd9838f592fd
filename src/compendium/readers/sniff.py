"""Recognising an export's format from its content, never its file name.

Database exports are saved as ``.txt``, ``.ris``, ``.nbib`` or anything else (Web of
Science plain text named ``.ris``, RIS named ``.txt``), so the name decides nothing. The
checks below run in order and the first that holds wins; each looks for a structure only
its format has.

=====================  =================================================================
format                 recognised by
=====================  =================================================================
``pubmed-xml``         XML whose root is ``PubmedArticleSet`` / ``PubmedArticle``
``endnote-xml``        XML ``<xml><records><record>`` (EndNote's XML export)
``ovid-tagged``        a ``<1>`` or ``<1. >`` record header followed by ``XX  - `` lines
``ovid-labelled``      a ``<1>`` or ``<1. >`` record header followed by field labels
``wos``                first line ``FN ...`` or ``PT X``, and an ``ER`` line
``ris``                a ``TY  - `` line
``medline``            first line a MEDLINE tag (``PMID-``, ``OWN -``, ``TI  -``, ...)
``endnote-tagged``     first line ``%X value`` and a ``%0``, ``%A`` or ``%T`` line
``csv``                a header row matching one of :data:`csv_exports.PROFILES`
``bibtex``             a line starting ``@type{`` (``@article{``, ``@ARTICLE{``, ``@book(``)
=====================  =================================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from compendium.readers import (
    bibtex,
    csv_exports,
    endnote_tagged,
    ovid,
    pubmed,
    ris,
    wos,
    xml_exports,
)
from compendium.readers.base import ParsedRecord, ReaderError

__all__ = ["FORMATS", "READERS", "Reader", "sniff"]

_WINDOW = 1_000_000  # characters looked at; Ovid's search-history preamble is far shorter
_OVID_HEADER = re.compile(r"^<\d+(?:\.[ \t]*)?>[ \t]*$", re.MULTILINE)  # "<1>", "<1. >"
_TAGGED = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,2}- ")
_RIS_START = re.compile(r"^TY  -", re.MULTILINE)
_WOS_END = re.compile(r"^ER\s*$", re.MULTILINE)
_MEDLINE_TAG = re.compile(r"^(?:PMID|PMC|OWN|STAT|TI|AU|FAU|SO|DP|JT) *-")
_ENDNOTE_RECORD = re.compile(r"^%[0AT] ", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_OVID_LABELS = re.compile(r"^(?:Accession Number|Unique Identifier)\s*$", re.MULTILINE)


def _first_line(text: str, start: int = 0) -> str:
    for line in text[start : start + 20000].split("\n"):
        if line.strip():
            return line
    return ""


class Probe:
    """What the recognisers look at in an export's text, each worked out once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.window = text[:_WINDOW]  # a format shows itself early (Ovid: after its preamble)

    @cached_property
    def xml_head(self) -> str | None:
        head = self.text.lstrip()
        if head.startswith("<?xml") or re.match(r"<[A-Za-z!]", head):
            return head[:20000]
        return None

    @cached_property
    def ris_start(self) -> re.Match | None:
        return _RIS_START.search(self.window)

    @cached_property
    def ovid_header(self) -> re.Match | None:
        header = _OVID_HEADER.search(self.window)
        ris_first = self.ris_start is not None and header is not None
        if ris_first and self.ris_start.start() < header.start():
            return None  # a "<1>" line inside a RIS value is no Ovid record header
        return header

    @cached_property
    def ovid_tagged(self) -> bool:
        following = _first_line(self.text, self.ovid_header.end() + 1)
        return bool(_TAGGED.match(following))

    @cached_property
    def first(self) -> str:
        return _first_line(self.text)


Parser = Callable[..., list[ParsedRecord]]


@dataclass(frozen=True)
class Reader:
    """One export family: its key, its name, how its content is recognised, its parser."""

    key: str
    name: str
    recognise: Callable[[Probe], bool]
    parse: Parser  # parse(text, *, path) -> the records, in file order


#: Every export family the compendium reads, in the order they are tried: the first whose
#: recognition holds wins, each looking for a structure only its format has. To read a new
#: format, write its module (a ``parse(text, *, path)``) and add it here.
READERS: tuple[Reader, ...] = (
    Reader(
        "pubmed-xml",
        "PubMed XML",
        lambda p: (
            p.xml_head is not None
            and ("<PubmedArticleSet" in p.xml_head or "<PubmedArticle" in p.xml_head)
        ),
        xml_exports.parse_pubmed_xml,
    ),
    Reader(
        "endnote-xml",
        "EndNote XML",
        lambda p: p.xml_head is not None and "<records>" in p.xml_head and "<record>" in p.xml_head,
        xml_exports.parse_endnote_xml,
    ),
    Reader(
        "ovid-tagged",
        "Ovid tagged text",
        lambda p: p.ovid_header is not None and p.ovid_tagged,
        ovid.parse_tagged,
    ),
    Reader(
        "ovid-labelled",
        "Ovid field-labelled text",
        lambda p: p.ovid_header is not None and not p.ovid_tagged,
        ovid.parse_labelled,
    ),
    Reader(
        "wos",
        "Web of Science plain text",
        lambda p: (
            (p.first.startswith("FN ") or bool(re.match(r"PT [A-Z]\s*$", p.first)))
            and _WOS_END.search(p.text) is not None
        ),
        wos.parse_wos,
    ),
    Reader("ris", "RIS", lambda p: p.ris_start is not None, ris.parse_ris),
    Reader(
        "medline",
        "MEDLINE/PubMed text (.nbib)",
        lambda p: bool(_MEDLINE_TAG.match(p.first)),
        pubmed.parse_medline,
    ),
    Reader(
        "endnote-tagged",
        "EndNote tagged (.enw)",
        lambda p: (
            bool(endnote_tagged.TAG_LINE.match(p.first))
            and _ENDNOTE_RECORD.search(p.window) is not None
        ),
        endnote_tagged.parse_endnote_tagged,
    ),
    Reader(
        "csv",
        "CSV (" + ", ".join(profile.name for profile in csv_exports.PROFILES) + ")",
        lambda p: csv_exports.recognise(p.text) is not None,
        csv_exports.parse_csv,
    ),
    Reader(
        "bibtex",
        "BibTeX",
        lambda p: _BIBTEX_ENTRY.search(p.window) is not None,
        bibtex.parse_bibtex,
    ),
)

#: Each format's name, by key (in the order of :data:`READERS`).
FORMATS: dict[str, str] = {reader.key: reader.name for reader in READERS}
_BY_KEY: dict[str, Reader] = {reader.key: reader for reader in READERS}


def reader(key: str) -> Reader:
    return _BY_KEY[key]


def sniff(text: str, *, path: Path | str) -> str:
    """Return the format key of an export's text (a key of :data:`FORMATS`).

    Raises
    ------
    ReaderError
        When no format matches; the message lists the formats tried.
    """
    probe = Probe(text)
    for candidate in READERS:
        if candidate.recognise(probe):
            return candidate.key
    if _OVID_LABELS.search(probe.window):
        msg = (
            f"{path}: looks like Ovid field-labelled text but has no record header "
            "such as '<1>': expected each record to start with a '<n>' line"
        )
        raise ReaderError(msg, path=path, value=None, expected="a '<n>' record header")
    first = probe.first
    tried = "; ".join(FORMATS.values())
    line = text[: text.find(first)].count("\n") + 1 if first else None
    where = f" (line {line}: {first[:80]!r})" if first else ""
    msg = f"{path}: not a recognised database export{where}; formats tried: {tried}"
    raise ReaderError(msg, path=path, line=line, value=first[:80], expected="one of: " + tried)
