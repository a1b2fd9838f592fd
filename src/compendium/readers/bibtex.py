"""BibTeX (``.bib``), as Scopus, Web of Science, EBSCOhost, ACM, IEEE Xplore, Google
Scholar and reference managers export it.

Read with bibtexparser (v2), which splits a file into entries, ``@string`` macros,
preambles and comments, and reports every block it cannot read, with its line, instead of
skipping it. Its values come as written (``{...}``, ``"..."``, ``jmh # { (Abingdon)}``);
:func:`_evaluate` reads them, by hand because bibtexparser's own middlewares neither join
``#`` concatenations nor reach the entries it reports as duplicates. Around it:

- a block bibtexparser cannot read (an unclosed brace, a field without ``=``, an entry
  cut off by the end of the file) is an error naming its line and bibtexparser's reason;
- two entries with one key (Scopus keys such as ``Smith2020`` repeat) are two records,
  and a field given twice in one entry keeps both values (the first fills the column);
- text outside the entries is a comment to BibTeX (Scopus starts its files with
  ``Scopus`` and ``EXPORT DATE: ...``), except text holding fields (``title = {...}``):
  an entry whose ``@type{key,`` line is damaged, an error rather than a record dropped;
- LaTeX in titles, authors, journals and abstracts is read as text with pylatexenc
  (``{\\"u}`` is ü, ``\\&`` is &, braces only protect case); ``raw`` keeps it as written;
- authors (``Family, Given and Given Family and {Organisation}``) are split by
  bibtexparser's name rules and written ``Family, Given``; ``and others`` is no author;
- an entry with ``crossref`` takes the year, journal or book title and volume it lacks
  from the entry it names (a paper from its ``@proceedings``);
- the PMID comes from ``pmid``, ``pubmed`` or ``pubmed_id`` (older Scopus), a PubMed
  ``eprint``, or a key such as Europe PMC's ``PMID:36879665``.

The ``database`` column comes from Scopus's ``source = {Scopus}``, a Web of Science
``Unique-ID`` (``WOS:...``), or a Scopus, Web of Science or EBSCOhost link; other files name
no database.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from compendium import columns as col
from compendium.readers.base import AS_GIVEN, ParsedRecord, ReaderError, first, pages_from
from compendium.readers.databases import (
    accession_database,
    database_name,
    ebsco_link_database,
    identifier_database,
)

__all__ = ["parse_bibtex"]

ENTRY_TYPE, KEY = "ENTRYTYPE", "ID"  # the raw pairs' names for "@article{Smith2020,"

# Field names are compared in lower case (Web of Science writes "Author", "DOI").
BIBTEX_FIELDS: dict[str, tuple[str, ...]] = {
    col.TITLE: ("title",),
    col.YEAR: ("year", "date"),
    col.JOURNAL: ("journal", "journaltitle", "booktitle"),
    col.VOLUME: ("volume",),
    col.ISSUE: ("number", "issue"),
    col.ABSTRACT: ("abstract",),
}
_TEXT_COLUMNS = (*BIBTEX_FIELDS, col.PAGES)  # read as LaTeX
# Article numbers stand in for pages, as in the Web of Science and RIS readers.
_ARTICLE_NUMBERS = ("article-number", "art_number", "articleno", "eid")
# What an entry takes from the proceedings or book its crossref names, when it has none:
# where it appeared, never the parent's own title, authors or identifiers.
_INHERITED = ("year", "date", "booktitle", "journal", "journaltitle", "volume", "number", "issue")
_PMID_FIELDS = ("pmid", "pubmed", "pubmed_id")  # older Scopus: "pubmed_id"
_PUBMED_EPRINT = frozenset({"pubmed", "pmid"})
_PMID_KEY = re.compile(r"^PMID:?(\d+)$", re.IGNORECASE)  # Europe PMC's keys: "PMID:36879665"
_FIELD_OUTSIDE = re.compile(r"(?m)^\s*[A-Za-z][\w-]*\s*=\s*[{\"]")  # "title = {" outside
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")


def _latex_reader() -> LatexNodes2Text:
    """pylatexenc's reader, with two text macros it lacks, keeping unknown macros.

    A macro pylatexenc does not know would otherwise be dropped with its text (NASA ADS
    writes journals as ``\\apj``); it is kept as written instead.
    """
    context = get_default_latex_context_db().filter_context()  # a copy
    symbols = [MacroTextSpec("textless", "<"), MacroTextSpec("textgreater", ">")]
    context.add_context_category("exports", prepend=True, macros=symbols)
    context.set_unknown_macro_spec(
        MacroTextSpec("", simplify_repl=lambda node, *_: "\\" + node.macroname)
    )
    return LatexNodes2Text(latex_context=context)


_LATEX = _latex_reader()


def _parts(value: str) -> list[str]:
    """A value's ``#``-joined parts, split outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts


def _evaluate(value: str, macros: dict[str, str]) -> str:
    """A value as written, read: ``{...}`` and ``"..."`` opened, macros replaced, joined.

    A name no ``@string`` defines (``month = jan``) is kept as the name.
    """
    parts = _parts(value) if "#" in value else [value]
    out = []
    for part in parts:
        part = part.strip()
        if part[:1] + part[-1:] in ("{}", '""') and len(part) > 1:
            out.append(part[1:-1])
        else:
            out.append(macros.get(part.lower(), part))
    return "".join(out)


def _latex_to_text(value: str) -> str:
    """A value's LaTeX as plain text: ``{\\"u}ber`` is ``über``, ``{COVID}`` is ``COVID``."""
    if "\\" not in value:
        # No command: braces only protect case, "--" and "---" are dashes, and "~" is kept
        # (Scopus writes "~50").
        if "{" in value:
            value = value.replace("{", "").replace("}", "")
        if "--" in value:
            value = value.replace("---", "\u2014").replace("--", "\u2013")
        return value
    # An unescaped "%" starts a LaTeX comment, but in an export it is a per cent sign.
    return _LATEX.latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", value))


def _author(name: str) -> str | None:
    """One BibTeX name as ``Family, Given`` (``von`` part with the family, ``Jr`` after)."""
    parts = parse_single_name_into_parts(name, strict=False)
    family = _latex_to_text(" ".join(parts.von + parts.last)).strip()
    given = _latex_to_text(" ".join(parts.first + parts.jr)).strip()
    if family.lower() == "others" and not given:
        return None  # "and others": et al., no author
    if family and given:
        return f"{family}, {given}"
    return family or given or None


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _parser_messages() -> Iterator[list[str]]:
    """bibtexparser's warnings during a read, collected for our error instead of logged."""
    logger = logging.getLogger("bibtexparser")
    handler, propagate = _Collected(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _reason(messages: list[str], line: int) -> str:
    """bibtexparser's reason for the block starting on (0-based) ``line``, if it gave one."""
    for message in messages:
        if f"block (line {line})" in message:
            return message.partition("bibtex:")[2].strip() or message
    return ""


def _entries(text: str, path: Path) -> tuple[list[model.Entry], dict[str, str]]:
    """Every entry in file order and the macros, after an error for anything lost."""
    with _parser_messages() as messages:
        library = bibtexparser.parse_string(text, parse_stack=[])
    entries, macros = [], {}
    for block in library.blocks:
        if isinstance(block, model.DuplicateBlockKeyBlock | model.DuplicateFieldKeyBlock):
            duplicate = block.ignore_error_block
            if not isinstance(duplicate, model.Entry):  # a macro defined twice
                raise ReaderError.at(
                    path, block.start_line + 1, block.raw[:80], "each @string defined once"
                )
            entries.append(duplicate)  # two entries with one key, or a field twice
        elif isinstance(block, model.Entry):
            entries.append(block)
        elif isinstance(block, model.String):
            macros[block.key.lower()] = _evaluate(block.value, macros)
        elif isinstance(block, model.ParsingFailedBlock | model.MiddlewareErrorBlock):
            reason = _reason(messages, block.start_line)
            expected = "a complete entry '@type{key, field = {value}, ...}'"
            if reason:
                expected += f" ({reason})"
            raise ReaderError.at(path, block.start_line + 1, block.raw[:80], expected)
        elif isinstance(block, model.ImplicitComment):
            found = _FIELD_OUTSIDE.search(block.comment)
            if found is not None:
                line = block.start_line + block.comment.count("\n", 0, found.start()) + 1
                raise ReaderError.at(
                    path,
                    line,
                    found.group().strip(),
                    "fields only inside an entry starting '@type{key,'",
                )
    return entries, macros


def _values(entry: model.Entry, macros: dict[str, str]) -> dict[str, list[str]]:
    """An entry's values, read, by lower-case field name."""
    values: dict[str, list[str]] = {}
    for item in entry.fields:
        values.setdefault(item.key.lower(), []).append(_evaluate(str(item.value), macros))
    return values


def _fields(entry: model.Entry, values: dict[str, list[str]]) -> dict[str, object]:
    fields: dict[str, object] = {c: first(values, t) for c, t in BIBTEX_FIELDS.items()}
    pages = first(values, ("pages",))
    if pages and "-" in pages:  # "123--130", LaTeX's range, is "123-130"
        start, _, end = pages.partition("-")
        pages = pages_from(start, end.lstrip("-"))
    fields[col.PAGES] = pages or first(values, _ARTICLE_NUMBERS)
    for column in _TEXT_COLUMNS:
        if fields[column]:
            fields[column] = _latex_to_text(fields[column])
    names = [n for v in values.get("author", []) for n in split_multiple_persons_names(v)]
    fields[col.AUTHORS] = [a for a in map(_author, names) if a] or None
    fields[AS_GIVEN] = True
    links = values.get("url", []) + values.get("link", [])
    doi_links = [link for link in links if "doi.org/" in link]
    fields[col.DOI] = [_latex_to_text(d) for d in values.get("doi", [])] + doi_links
    eprint = (first(values, ("eprinttype", "archiveprefix")) or "").strip().lower()
    from_key = _PMID_KEY.match(entry.key.strip())
    fields[col.PMID] = (
        first(values, _PMID_FIELDS)
        or (first(values, ("eprint",)) if eprint in _PUBMED_EPRINT else None)
        or (from_key.group(1) if from_key else None)
    )
    # Scopus writes its EID, Web of Science its UT ("unique-id"), PubMed tools the PMID
    fields[col.ACCESSION] = first(values, ("eid", "unique-id", *_PMID_FIELDS))
    source = first(values, ("source",))
    fields[col.DATABASE] = (
        (database_name(source, keep_unknown=False) if source else None)
        or accession_database(first(values, ("unique-id",)))
        or identifier_database(links)
        or ebsco_link_database(links)
    )
    return fields


def parse_bibtex(text: str, *, path: Path) -> list[ParsedRecord]:
    """Parse a BibTeX file into records, one per entry."""
    entries, macros = _entries(text, path)
    values = [_values(entry, macros) for entry in entries]
    by_key = {entry.key.lower(): v for entry, v in zip(entries, values, strict=True)}
    records = []
    for entry, own in zip(entries, values, strict=True):
        parent = by_key.get((first(own, ("crossref",)) or "").strip().lower())
        if parent is not None:  # crossref: where it appeared, from the entry named
            own = {**{f: parent[f] for f in _INHERITED if f in parent}, **own}
        # raw: every field as written, braces, quotes and macro names included
        pairs = [[ENTRY_TYPE, entry.entry_type], [KEY, entry.key]]
        pairs += [[item.key, str(item.value)] for item in entry.fields]
        fields = _fields(entry, own)
        records.append(ParsedRecord(pairs=pairs, fields=fields, line=entry.start_line + 1))
    return records
