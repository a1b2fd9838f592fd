"""Covidence: a review's reference lists, each exported as CSV (or RIS) on its own.

Covidence writes no decision column: the decision is the list a file was exported from,
named in Covidence's file name ``review_<id>_<list>_csv_<yyyymmddhhmmss>.csv`` (or given
by the caller). Each record of a list has one vote, with no reviewer (a list holds the
review's decision, not a person's):

==============  ==========  ========  ===============================================
list            decision    stage     reasons
==============  ==========  ========  ===============================================
``irrelevant``  exclude     Screen    none (excluded at title/abstract)
``excluded``    exclude     Select    ``Exclusion reason: <reason>; `` from Notes
``included``    include     Select    none (passed full-text review, so also screening)
==============  ==========  ========  ===============================================

``Screen`` and ``Select`` are the stage names Covidence writes in its notes; judging from
the data they are title/abstract screening and full-text review. A file whose list is not
known is read with its records and no votes, and a warning says so.

Notes hold the full-text exclusion reason, then reviewers' notes written
``<Full Name> (<YYYY-MM-DD HH:MM:SS>)(<Stage>): <text>; ``. A note may hold ``;`` and line
breaks, so notes are split where the next ``Name (time)(Stage): `` begins, never on ``;``.

The RIS variants (for EndNote, Mendeley, RefWorks, Zotero) hold no Covidence number: their
records are keyed ``<file stem>:<n>``, n counting from 1 in file order.

``accession`` is the Accession Number as written, prefix included (``WOS:000...``,
``MEDLINE:12345``): the prefix is part of the identifier Web of Science gives. A
``MEDLINE:<n>`` accession gives the PMID when the record has none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from compendium.io import read_input_text
from compendium.readers.databases import accession_pmid
from compendium.readers.ris import parse_ris
from compendium.screening import EXCLUDE, INCLUDE
from compendium.screening_tools import recognise as r
from compendium.screening_tools import schema as s
from compendium.screening_tools.common import (
    Found,
    csv_rows,
    iso_time,
    one_compendium_id,
    pairs_of,
    records_frame,
    values_of,
)

__all__ = ["LISTS", "parse_notes", "read"]

INCLUDED, IRRELEVANT, EXCLUDED = "included", "irrelevant", "excluded"
SCREEN, SELECT = "Screen", "Select"
#: list -> (decision, stage)
LISTS: dict[str, tuple[str, str]] = {
    IRRELEVANT: (EXCLUDE, SCREEN),
    EXCLUDED: (EXCLUDE, SELECT),
    INCLUDED: (INCLUDE, SELECT),
}
_FILE_NAME = re.compile(r"^review_\d+_(?P<list>[a-z_]+?)_(?:csv|ris)_\d+\b")
_KEY = re.compile(r"^#\d+$")

COVIDENCE_CSV_FIELDS: dict[str, str] = {
    s.TITLE: "Title",
    s.YEAR: "Published Year",
    s.JOURNAL: "Journal",
    s.VOLUME: "Volume",
    s.ISSUE: "Issue",
    s.PAGES: "Pages",
    s.DOI: "DOI",
    s.ABSTRACT: "Abstract",
}

REASON_PREFIX = "Exclusion reason: "
# A reviewer's note starts "<Name> (<time>)(<Stage>): " at the start of Notes or after "; ".
_NOTE_START = re.compile(
    r"(?:^|(?<=; ))(?P<name>[^;()\n]+?) \((?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\)"
    r"\((?P<stage>[^()\n]+)\): "
)


class NotesError(ValueError):
    pass


def parse_notes(text: str) -> tuple[str | None, list[dict[str, str]]]:
    """The exclusion reason and the reviewers' notes of a record's Notes.

    Each note is ``{"reviewer", "time", "stage", "text"}``, the text exactly as written
    (without the ``; `` that ends it).
    """
    starts = list(_NOTE_START.finditer(text))
    head = text[: starts[0].start()] if starts else text
    reason = None
    if head.startswith(REASON_PREFIX):
        reason = head[len(REASON_PREFIX) :].removesuffix(" ").removesuffix(";")
        reason = reason or None
    elif head.strip():
        raise NotesError(head[:60])
    notes = []
    for i, start in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[start.end() : end]
        body = body[:-2] if body.endswith("; ") else body
        notes.append(
            {
                "reviewer": start.group("name"),
                "time": start.group("time"),
                "stage": start.group("stage"),
                "text": body,
            }
        )
    return reason, notes


def _list_of(path: Path, lists: Mapping[str | Path, str]) -> str | None:
    for key in (path, str(path), path.name):
        if key in lists:
            return lists[key]
    match = _FILE_NAME.match(path.name)
    return match.group("list") if match else None


def _csv_records(path: Path, problems: s.Problems) -> list[tuple[Found, str]]:
    rows = csv_rows(read_input_text(path), path)
    header = tuple(rows[0][1]) if rows else ()
    if header != r.COVIDENCE_HEADER:
        problems.add(
            path, "line 1", ",".join(header), "Covidence's header " + ",".join(r.COVIDENCE_HEADER)
        )
        return []
    index = {name: i for i, name in enumerate(header)}
    out = []
    for start, cells in rows[1:]:
        where = s.line(start)
        if len(cells) != len(header):
            problems.add(path, where, len(cells), f"{len(header)} cells, as the header")
            continue
        key = cells[index["Covidence #"]].strip()
        if not _KEY.match(key):
            problems.add(path, where, key, "a Covidence number such as '#123'")
            continue
        fields: dict[str, object] = {c: cells[index[n]] for c, n in COVIDENCE_CSV_FIELDS.items()}
        authors = cells[index["Authors"]]
        fields[s.AUTHORS] = [a for a in authors.split(";") if a.strip()] if authors else None
        accession = cells[index["Accession Number"]].strip() or None
        fields[s.PMID] = accession_pmid(accession)
        tags = cells[index["Tags"]]
        found = Found(
            tool_key=key,
            fields=fields,
            pairs=list(zip(header, cells, strict=True)),
            source_file=path.name,
            line=start,
            accession=accession,
            labels=tuple(t.strip() for t in tags.split("; ") if t.strip()) if tags else (),
        )
        found.compendium_id = one_compendium_id([accession], problems, path, where)
        out.append((found, cells[index["Notes"]]))
    return out


def _ris_records(path: Path, problems: s.Problems) -> list[tuple[Found, str]]:
    out = []
    for n, record in enumerate(parse_ris(read_input_text(path), path=path), start=1):
        pairs = pairs_of(record)
        accession = next((v for v in values_of(pairs, "AN", "ID") if v.strip()), None)
        fields = dict(record.fields)
        if not fields.get(s.PMID) and accession_pmid(accession):
            fields[s.PMID] = accession_pmid(accession)
        found = Found(
            tool_key=f"{path.stem}:{n}",
            fields=fields,
            pairs=[],
            raw=record.raw,
            source_file=path.name,
            line=record.line,
            accession=accession,
        )
        where = s.line(record.line)
        found.compendium_id = one_compendium_id([accession], problems, path, where)
        out.append((found, "\n".join(v for v in values_of(pairs, "N1") if v)))
    return out


def read(sources: Sequence[r.Source], lists: Mapping[str | Path, str]) -> s.ToolExport:
    """Read the lists of one Covidence review (any number of CSV or RIS files)."""
    problems = s.Problems()
    warnings: list[str] = []
    found_all: list[Found] = []
    votes: list[dict] = []
    notes: list[dict] = []
    file_lists: dict[str, str] = {}
    seen: dict[str, str] = {}
    for source in sources:
        path = source.path
        name = _list_of(path, lists)
        if name is not None and name not in LISTS:
            problems.add(path, None, name, "a Covidence list: " + ", ".join(LISTS))
            continue
        read_records = _csv_records if source.kind == r.CSV else _ris_records
        records = read_records(path, problems)
        if name is None:
            warnings.append(
                f"{path.name}: which Covidence list this is cannot be told (the file is not "
                "named review_<id>_<list>_csv_<stamp>.csv): its records have no votes; give "
                "lists={file: 'included' | 'irrelevant' | 'excluded'}"
            )
        else:
            file_lists[path.name] = name
        for found, text in records:
            where = s.line(found.line)
            if found.tool_key in seen:
                problems.add(
                    path,
                    where,
                    found.tool_key,
                    f"a record in one list only (also in {seen[found.tool_key]})",
                )
                continue
            seen[found.tool_key] = f"{path.name}, {where}"
            try:
                reason, record_notes = parse_notes(text)
            except NotesError as error:
                problems.add(
                    path,
                    where,
                    str(error),
                    f"Notes starting '{REASON_PREFIX}<reason>; ' or "
                    "'<Name> (<YYYY-MM-DD HH:MM:SS>)(<Stage>): <text>; '",
                )
                continue
            found_all.append(found)
            for note in record_notes:
                notes.append(
                    {
                        s.TOOL_KEY: found.tool_key,
                        s.REVIEWER: note["reviewer"],
                        s.FIELD: "Notes",
                        s.TEXT: note["text"],
                        s.STAGE: note["stage"],
                        s.TIME: iso_time(note["time"]),
                        s.FILE: path.name,
                        s.LINE: found.line,
                    }
                )
            if name is None:
                continue
            decision, stage = LISTS[name]
            if reason is not None and name != EXCLUDED:
                warnings.append(
                    f"{path.name}, {where}: an exclusion reason ({reason!r}) on a record of "
                    f"the {name} list: kept in its notes, not as a reason of its vote"
                )
            votes.append(
                {
                    s.TOOL_KEY: found.tool_key,
                    s.REVIEWER: None,
                    s.DECISION: decision,
                    s.REASONS: (reason,) if reason is not None and name == EXCLUDED else (),
                    s.STAGE: stage,
                    s.TIME: None,
                    s.FILE: path.name,
                    s.LINE: found.line,
                }
            )
    problems.raise_if_any(s.DamagedExport, "a Covidence export that does not parse")
    return s.ToolExport(
        tool=s.COVIDENCE,
        files=tuple(src.path for src in sources),
        records=records_frame(found_all),
        votes=s.frame(votes, s.VOTE_COLUMNS),
        notes=s.frame(notes, s.NOTE_COLUMNS),
        lists=file_lists,
        warnings=tuple(warnings),
    )
