"""XML exports: PubMed XML (``PubmedArticleSet``) and EndNote XML (``<xml><records>``).

Read with the standard library's :mod:`xml.etree.ElementTree` (expat; the external DTD
PubMed names in its ``DOCTYPE`` is never fetched). Each record keeps every element as a
``[path, text]`` pair (and every attribute as ``[path@name, value]``) in document order,
so the ``raw`` column holds the whole record. Inline markup (``<i>``, ``<sup>``, EndNote's
``<style>``) is read as part of its parent's text.

Why not lxml, which parses these files two to three times faster: every element of every
record is then read from Python, and an lxml element costs several times more to reach
than an ElementTree one (a proxy made on each access, each property a call into libxml2).
Measured on 40 MB exports with the reading below written for each, the two came out even
for PubMed, and ElementTree took a third less time for EndNote, whose every value sits in
a ``<style>`` element. expat also keeps the error messages, and the handling of DTD subsets and
entities, exactly as they were.

Speed comes instead from reading each element once: the pairs in one pass
(:func:`_flatten`), which also keeps the text of every value it reads for the fields to
reuse, and the fields from one pass over a PubMed citation or from ElementTree's own
(C-level) search for a plain child tag, not a dozen ElementPath searches.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from compendium import columns as col
from compendium.readers.base import AS_GIVEN, ParsedRecord, ReaderError
from compendium.readers.databases import MEDLINE_FAMILY, database_name

__all__ = ["parse_endnote_xml", "parse_pubmed_xml"]

INLINE = frozenset({"i", "b", "u", "sup", "sub", "style", "br"})
_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>")


def _parse(text: str, path: Path) -> ET.Element:
    # The XML declaration's encoding was already honoured when the bytes were decoded.
    # (A slice: re.sub() would build the new text more slowly.)
    declaration = _DECLARATION.match(text)
    if declaration:
        text = text[declaration.end() :]
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ReaderError.at(path, line, str(exc), "well-formed XML") from None


def _collapse(text: str) -> str:
    """``" ".join(text.split())``: whitespace runs made one space, ends stripped."""
    # The common case without splitting: every whitespace character but " " is
    # unprintable, so a printable text without "  " only needs its ends stripped.
    if text.isprintable() and "  " not in text:
        return text.strip(" ")
    return " ".join(text.split())


def _text(element: ET.Element) -> str:
    """The element's text with its markup's, whitespace collapsed (``itertext``)."""
    if len(element):
        return _collapse("".join(element.itertext()))
    text = element.text  # no children: itertext() would give this alone
    return _collapse(text) if text else ""


def _flatten(record: ET.Element) -> tuple[list[list[str]], _Values]:
    """The record's ``[path, text]`` and ``[path@name, value]`` pairs, in document order.

    An element's attributes come first, then either its text (an element with no children
    but inline markup: a value) or the pairs of its other children, whose path extends
    its own; markup in an element with other children is not read. Also returned: the
    text read for each value, which the fields reuse.
    """
    path = record.tag
    pairs = [[f"{path}@{name}", value] for name, value in record.items()]
    values = _Values()
    if len(record):
        _read_children(record, path, pairs, values)
    else:
        text = values[record] = _text(record)
        if text:
            pairs.append([path, text])
    return pairs, values


def _read_children(element: ET.Element, path: str, pairs: list[list[str]], values: _Values) -> None:
    """Append the pairs below ``element``, which has children; ``path`` is its path."""
    append = pairs.append
    markup_only = True
    # The loop over every element of every record, hence written out: a child without
    # children (most of them) is read here rather than by a call of its own, and its text
    # collapsed as _collapse() does, without the call.
    for child in element:
        tag = child.tag
        if tag in INLINE:
            continue
        markup_only = False
        child_path = f"{path}/{tag}"
        for name, value in child.items():  # (no attribute dict made for an element without)
            append([f"{child_path}@{name}", value])
        size = len(child)
        if size == 1 and child[0].tag in INLINE:  # a value in one markup element: <style>
            text = values[child] = _collapse("".join(child.itertext()))
            if text:
                append([child_path, text])
            continue
        if size:
            _read_children(child, child_path, pairs, values)
            continue
        text = child.text
        if text:
            if text.isprintable() and "  " not in text:
                text = text.strip(" ")
            else:
                text = " ".join(text.split())
            if text:
                append([child_path, text])
        values[child] = text or ""
    if markup_only:
        text = values[element] = _collapse("".join(element.itertext()))
        if text:
            append([path, text])


class _Values(dict[ET.Element, str]):
    """The text of each element a record's pairs read as a value (:func:`_flatten`).

    The fields are read from the same elements: their text is taken from here rather
    than collected again, and read with :func:`_text` for any other element.
    """

    def of(self, element: ET.Element) -> str:
        text = self.get(element)
        return _text(element) if text is None else text

    def first(self, elements: list[ET.Element] | None) -> str | None:
        """The text of the first of ``elements`` (what ``find`` gives), or None."""
        return (self.of(elements[0]) or None) if elements else None

    def find(self, element: ET.Element, tag: str) -> str | None:
        """The text of ``element.find(tag)``, None if there is none or it is empty."""
        # A plain tag: ElementTree finds it without ElementPath's machinery.
        found = element.find(tag)
        return None if found is None else (self.of(found) or None)


def _below(elements: Iterable[ET.Element], tag: str) -> list[ET.Element]:
    """The children named ``tag`` of each of ``elements``, in ElementPath's order.

    ``_below(_below(a, "B"), "C")`` is what ``.//A/B/C`` finds, given the ``A`` elements
    in document order; ``_below(element, "B")`` is what ``element.findall("*/B")`` finds.
    """
    return [child for element in elements for child in element.findall(tag)]


# The elements, anywhere in a citation, that the PubMed fields are read from.
_PUBMED_SOURCES = (
    "AuthorList",
    "ArticleTitle",
    "BookTitle",
    "JournalIssue",
    "Book",
    "ArticleDate",
    "Journal",
    "Pagination",
    "ELocationID",
    "PMID",
    "Abstract",
)


def _pubmed_fields(record: ET.Element, values: _Values) -> dict[str, object]:
    # Search the citation only: PubmedData's reference lists hold other articles' authors.
    article = record.find("MedlineCitation")
    if article is None:
        article = record.find("BookDocument")
    if article is None:
        article = record
    # One pass over the citation finds, in document order, what ".//AuthorList",
    # ".//ArticleTitle", ... would each search it for. (iter() starts with the citation
    # itself, which ".//" skips; its tag is none of these.)
    found: dict[str, list[ET.Element]] = {tag: [] for tag in _PUBMED_SOURCES}
    for element in article.iter():
        if element.tag in found:
            found[element.tag].append(element)
    authors = []
    for author in _below(found["AuthorList"], "Author"):
        last = values.find(author, "LastName")
        if last:
            given = values.find(author, "ForeName") or values.find(author, "Initials")
            authors.append(f"{last}, {given}" if given else last)
        else:
            collective = values.find(author, "CollectiveName")
            if collective:
                authors.append(collective)
    ids = _below(_below(record, "ArticleIdList"), "ArticleId")  # not the ReferenceList's
    doi = [values.of(e) for e in ids if e.get("IdType") == "doi"] + [
        values.of(e) for e in found["ELocationID"] if e.get("EIdType") == "doi"
    ]
    abstract = " ".join(
        (f"{e.get('Label')}: " if e.get("Label") else "") + values.of(e)
        for e in _below(found["Abstract"], "AbstractText")
    )
    issues = found["JournalIssue"]
    published = _below(issues, "PubDate")
    first = values.first
    year = (
        first(_below(published, "Year"))
        or first(_below(published, "MedlineDate"))
        or first(_below(_below(found["Book"], "PubDate"), "Year"))
        or first(_below(found["ArticleDate"], "Year"))
    )
    return {
        col.TITLE: first(found["ArticleTitle"]) or first(found["BookTitle"]),
        col.AUTHORS: authors,
        col.YEAR: year,
        col.JOURNAL: first(_below(found["Journal"], "Title")),
        col.VOLUME: first(_below(issues, "Volume")),
        col.ISSUE: first(_below(issues, "Issue")),
        col.PAGES: first(_below(found["Pagination"], "MedlinePgn")),
        col.DOI: doi,
        col.PMID: values.find(article, "PMID") or first(found["PMID"]),
        col.ACCESSION: values.find(article, "PMID") or first(found["PMID"]),
        col.ABSTRACT: abstract or None,
        col.DATABASE: "PubMed",
        AS_GIVEN: True,
    }


_PUBMED_RECORDS = frozenset({"PubmedArticle", "PubmedBookArticle"})


def parse_pubmed_xml(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse a PubMed XML file (``PubmedArticle`` and ``PubmedBookArticle`` records)."""
    root = _parse(text, path)
    if next(root.iter("PubmedBookArticle"), None) is None:
        # iter(tag) tests each element's tag in C, a test in Python would cost more.
        articles: Iterable[ET.Element] = root.iter("PubmedArticle")
    else:  # both kinds, in document order
        articles = [e for e in root.iter() if e.tag in _PUBMED_RECORDS]
    records = []
    for article in articles:
        pairs, values = _flatten(article)
        records.append(ParsedRecord(pairs=pairs, fields=_pubmed_fields(article, values)))
    return records


def _endnote_fields(record: ET.Element, values: _Values) -> dict[str, object]:
    find, first = values.find, values.first
    provider = find(record, "remote-database-provider")
    database = database_name(find(record, "remote-database-name"), provider=provider)
    accession = find(record, "accession-num")
    pmid = (
        accession
        if accession and accession.isdigit() and (database is None or database in MEDLINE_FAMILY)
        else None
    )
    titles = record.findall("titles")
    dates = record.findall("dates")
    authors = _below(_below(record.findall("contributors"), "authors"), "author")
    urls = _below(_below(record.findall("urls"), "related-urls"), "url")
    return {
        col.TITLE: first(_below(titles, "title")),
        col.AUTHORS: [values.of(a) for a in authors],
        col.YEAR: first(_below(dates, "year")) or first(_below(_below(dates, "pub-dates"), "date")),
        col.JOURNAL: first(_below(titles, "secondary-title"))
        or first(_below(record.findall("periodical"), "full-title")),
        col.VOLUME: find(record, "volume"),
        col.ISSUE: find(record, "number"),
        col.PAGES: find(record, "pages"),
        col.DOI: [find(record, "electronic-resource-num"), *(values.of(u) for u in urls)],
        col.PMID: pmid,
        col.ACCESSION: accession,
        col.ABSTRACT: find(record, "abstract"),
        col.DATABASE: database,
    }


def parse_endnote_xml(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse an EndNote XML export (``<xml><records><record>``)."""
    root = _parse(text, path)
    records = []
    for record in root.iter("record"):
        pairs, values = _flatten(record)
        records.append(ParsedRecord(pairs=pairs, fields=_endnote_fields(record, values)))
    return records
