"""XML exports: PubMed XML (``PubmedArticleSet``) and EndNote XML (``<xml><records>``).

Read with the standard library's :mod:`xml.etree.ElementTree` (expat; the external DTD
PubMed names in its ``DOCTYPE`` is never fetched). Each record keeps every element as a
``[path, text]`` pair (and every attribute as ``[path@name, value]``) in document order,
so the ``raw`` column holds the whole record. Inline markup (``<i>``, ``<sup>``, EndNote's
``<style>``) is read as part of its parent's text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from compendium import columns as col
from compendium.readers.base import AS_GIVEN, ParsedRecord, ReaderError
from compendium.readers.databases import MEDLINE_FAMILY, database_name

__all__ = ["parse_endnote_xml", "parse_pubmed_xml"]

INLINE = frozenset({"i", "b", "u", "sup", "sub", "style", "br"})
_SPACE = re.compile(r"\s+")


def _parse(text: str, path: Path) -> ET.Element:
    # The XML declaration's encoding was already honoured when the bytes were decoded.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ReaderError.at(path, line, str(exc), "well-formed XML") from None


def _text(element: ET.Element) -> str:
    # str.split() knows the same whitespace as the regex "\s": this is _SPACE.sub(" ", ...)
    # followed by strip(), without the regex.
    if len(element):
        return " ".join("".join(element.itertext()).split())
    text = element.text  # no children: itertext() would give this alone
    return " ".join(text.split()) if text else ""


def _flatten(element: ET.Element, prefix: str, pairs: list[list[str]]) -> None:
    path = f"{prefix}/{element.tag}" if prefix else element.tag
    if element.attrib:
        for name, value in element.attrib.items():
            pairs.append([f"{path}@{name}", value])
    if not len(element):  # a leaf, the common case: no child list to build
        text = element.text
        if text:
            text = " ".join(text.split())
            if text:
                pairs.append([path, text])
        return
    children = [c for c in element if c.tag not in INLINE]
    if not children:
        text = _text(element)
        if text:
            pairs.append([path, text])
        return
    for child in children:
        _flatten(child, path, pairs)


def _find(element: ET.Element, path: str) -> str | None:
    found = element.find(path)
    if found is None:
        return None
    text = _text(found)
    return text or None


def _pubmed_fields(record: ET.Element) -> dict[str, object]:
    # Search the citation only: PubmedData's reference lists hold other articles' authors.
    article = record.find("MedlineCitation")
    if article is None:
        article = record.find("BookDocument")
    if article is None:
        article = record
    authors = []
    for author in article.iterfind(".//AuthorList/Author"):
        last = _find(author, "LastName")
        given = _find(author, "ForeName") or _find(author, "Initials")
        collective = _find(author, "CollectiveName")
        if last:
            authors.append(f"{last}, {given}" if given else last)
        elif collective:
            authors.append(collective)
    doi = [
        _text(e)
        for e in record.iterfind("./*/ArticleIdList/ArticleId")  # not the ReferenceList's
        if e.get("IdType") == "doi"
    ] + [_text(e) for e in article.iterfind(".//ELocationID") if e.get("EIdType") == "doi"]
    abstract = " ".join(
        (f"{e.get('Label')}: " if e.get("Label") else "") + _text(e)
        for e in article.iterfind(".//Abstract/AbstractText")
    )
    year = (
        _find(article, ".//JournalIssue/PubDate/Year")
        or _find(article, ".//JournalIssue/PubDate/MedlineDate")
        or _find(article, ".//Book/PubDate/Year")
        or _find(article, ".//ArticleDate/Year")
    )
    return {
        col.TITLE: _find(article, ".//ArticleTitle") or _find(article, ".//BookTitle"),
        col.AUTHORS: authors,
        col.YEAR: year,
        col.JOURNAL: _find(article, ".//Journal/Title"),
        col.VOLUME: _find(article, ".//JournalIssue/Volume"),
        col.ISSUE: _find(article, ".//JournalIssue/Issue"),
        col.PAGES: _find(article, ".//Pagination/MedlinePgn"),
        col.DOI: doi,
        col.PMID: _find(article, "./PMID") or _find(article, ".//PMID"),
        col.ABSTRACT: abstract or None,
        col.DATABASE: "PubMed",
        AS_GIVEN: True,
    }


def parse_pubmed_xml(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse a PubMed XML file (``PubmedArticle`` and ``PubmedBookArticle`` records)."""
    root = _parse(text, path)
    articles = [e for e in root.iter() if e.tag in ("PubmedArticle", "PubmedBookArticle")]
    records = []
    for article in articles:
        pairs: list[list[str]] = []
        _flatten(article, "", pairs)
        records.append(ParsedRecord(pairs=pairs, fields=_pubmed_fields(article)))
    return records


def _endnote_fields(record: ET.Element) -> dict[str, object]:
    provider = _find(record, "remote-database-provider")
    database = database_name(_find(record, "remote-database-name"), provider=provider)
    accession = _find(record, "accession-num")
    pmid = (
        accession
        if accession and accession.isdigit() and (database is None or database in MEDLINE_FAMILY)
        else None
    )
    start = _find(record, "pages")
    return {
        col.TITLE: _find(record, "titles/title"),
        col.AUTHORS: [_text(a) for a in record.iterfind("contributors/authors/author")],
        col.YEAR: _find(record, "dates/year") or _find(record, "dates/pub-dates/date"),
        col.JOURNAL: _find(record, "titles/secondary-title")
        or _find(record, "periodical/full-title"),
        col.VOLUME: _find(record, "volume"),
        col.ISSUE: _find(record, "number"),
        col.PAGES: start,
        col.DOI: [
            _find(record, "electronic-resource-num"),
            *(_text(u) for u in record.iterfind("urls/related-urls/url")),
        ],
        col.PMID: pmid,
        col.ABSTRACT: _find(record, "abstract"),
        col.DATABASE: database,
    }


def parse_endnote_xml(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse an EndNote XML export (``<xml><records><record>``)."""
    root = _parse(text, path)
    records = []
    for record in root.iter("record"):
        pairs: list[list[str]] = []
        _flatten(record, "", pairs)
        records.append(ParsedRecord(pairs=pairs, fields=_endnote_fields(record)))
    return records
