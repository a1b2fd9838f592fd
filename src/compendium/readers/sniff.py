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
from pathlib import Path

from compendium.readers import csv_exports, endnote_tagged
from compendium.readers.base import ReaderError

__all__ = ["FORMATS", "sniff"]

FORMATS: dict[str, str] = {
    "ris": "RIS",
    "medline": "MEDLINE/PubMed text (.nbib)",
    "ovid-labelled": "Ovid field-labelled text",
    "ovid-tagged": "Ovid tagged text",
    "wos": "Web of Science plain text",
    "pubmed-xml": "PubMed XML",
    "endnote-xml": "EndNote XML",
    "csv": "CSV (" + ", ".join(p.name for p in csv_exports.PROFILES) + ")",
    "endnote-tagged": "EndNote tagged (.enw)",
    "bibtex": "BibTeX",
}

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


def sniff(text: str, *, path: Path | str) -> str:
    """Return the format key of an export's text (a key of :data:`FORMATS`).

    Raises
    ------
    ReaderError
        When no format matches; the message lists the formats tried.
    """
    head = text.lstrip()
    if head.startswith("<?xml") or re.match(r"<[A-Za-z!]", head):
        window = head[:20000]
        if "<PubmedArticleSet" in window or "<PubmedArticle" in window:
            return "pubmed-xml"
        if "<records>" in window and "<record>" in window:
            return "endnote-xml"
    window = text[:_WINDOW]  # a format shows itself early (Ovid: after its preamble)
    header = _OVID_HEADER.search(window)
    ris_start = _RIS_START.search(window)
    if ris_start is not None and header is not None and ris_start.start() < header.start():
        header = None  # a "<1>" line inside a RIS value is no Ovid record header
    if header is not None:
        following = _first_line(text, header.end() + 1)
        return "ovid-tagged" if _TAGGED.match(following) else "ovid-labelled"
    first = _first_line(text)
    if (first.startswith("FN ") or re.match(r"PT [A-Z]\s*$", first)) and _WOS_END.search(text):
        return "wos"
    if ris_start is not None:
        return "ris"
    if _MEDLINE_TAG.match(first):
        return "medline"
    if endnote_tagged.TAG_LINE.match(first) and _ENDNOTE_RECORD.search(window):
        return "endnote-tagged"
    if csv_exports.recognise(text) is not None:
        return "csv"
    if _BIBTEX_ENTRY.search(window):
        return "bibtex"
    if _OVID_LABELS.search(window):
        msg = (
            f"{path}: looks like Ovid field-labelled text but has no record header "
            "such as '<1>': expected each record to start with a '<n>' line"
        )
        raise ReaderError(msg, path=path, value=None, expected="a '<n>' record header")
    tried = "; ".join(FORMATS.values())
    line = text[: text.find(first)].count("\n") + 1 if first else None
    where = f" (line {line}: {first[:80]!r})" if first else ""
    msg = f"{path}: not a recognised database export{where}; formats tried: {tried}"
    raise ReaderError(msg, path=path, line=line, value=first[:80], expected="one of: " + tried)
