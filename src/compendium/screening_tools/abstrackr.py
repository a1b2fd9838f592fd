"""Abstrackr: the labels export (``labels_<project>.csv``).

The header is ``(internal) id,(source) id,pubmed id,keywords,abstract,title,journal,
authors,tags``, then ``consensus`` and one column per reviewer (their user name), each
followed by ``labeled_at`` (so that name appears several times), then four notes columns
per reviewer: ``general notes (<name>)``, ``population notes (...)``,
``intervention/comparator notes (...)``, ``outcome notes (...)``. A reviewer's cell is
``1`` (include), ``-1`` (exclude), ``0`` (maybe: Abstrackr's "borderline") or ``o`` (did not
label it). ``consensus`` is Abstrackr's own summary (``o`` one labeller or none, ``x``
disagreement, else the agreed label): no person's vote, kept in ``raw`` only.

After the labelled rows comes one row with the single cell ``citations that are not yet
labeled by anyone``, then the unlabelled citations, with only the first eight columns
(older Abstrackr wrote only their ids): records with no votes.

``(source) id`` is not the imported file's id: Abstrackr numbers a RIS file's records
1, 2, ... (an imported TSV's ``id`` must be an integer). The compendium id is read from
the keywords, which Abstrackr keeps (joined with ``,``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from compendium.io import read_input_text
from compendium.screening import EXCLUDE, INCLUDE, MAYBE
from compendium.screening_tools import recognise as r
from compendium.screening_tools import schema as s
from compendium.screening_tools.common import (
    Found,
    csv_rows,
    iso_time,
    one_compendium_id,
    records_frame,
)

__all__ = ["read"]

LABELS: dict[str, str] = {"1": INCLUDE, "-1": EXCLUDE, "0": MAYBE}
NOT_LABELLED = "o"
CONSENSUS_VALUES = frozenset({"o", "x", *LABELS})
UNLABELLED_MARK = "citations that are not yet labeled by anyone"
FIXED = (
    "(internal) id",
    "(source) id",
    "pubmed id",
    "keywords",
    "abstract",
    "title",
    "journal",
    "authors",
    "tags",
)
_NOTES = re.compile(r"^(general|population|intervention/comparator|outcome) notes \((.+)\)$")


def _layout(
    header: list[str],
) -> tuple[list[tuple[str, int, int | None]], list[tuple[str, str, int]], int | None] | None:
    """(reviewers as (name, column, time column)), (notes as (kind, reviewer, column)) and
    the consensus column; None when the header is not Abstrackr's."""
    if tuple(header[: len(FIXED)]) != FIXED:
        return None
    reviewers, notes, consensus = [], [], None
    i = len(FIXED)
    while i < len(header):
        name = header[i]
        match = _NOTES.match(name)
        if match:
            notes.append((match.group(1), match.group(2), i))
            i += 1
            continue
        if notes or name == "labeled_at":
            return None  # a labeller after the notes, or a time with no labeller
        timed = i + 1 < len(header) and header[i + 1] == "labeled_at"
        if name == "consensus":
            consensus = i
        else:
            reviewers.append((name, i, i + 1 if timed else None))
        i += 2 if timed else 1
    return reviewers, notes, consensus


def read(sources: Sequence[r.Source]) -> s.ToolExport:
    """Read one Abstrackr labels export."""
    if len(sources) != 1:
        names = [src.path.name for src in sources]
        raise s.DamagedExport(
            "Abstrackr export", [s.Problem(names[0], None, names, "one Abstrackr export at a time")]
        )
    path = sources[0].path
    problems = s.Problems()
    rows = csv_rows(read_input_text(path), path)
    header = [h.strip() for h in rows[0][1]] if rows else []
    layout = _layout(header)
    if layout is None:
        problems.add(
            path,
            "line 1",
            ",".join(header),
            "Abstrackr's header: " + ",".join(FIXED) + ",consensus,<reviewer>,labeled_at,...",
        )
        problems.raise_if_any(s.DamagedExport, f"{path}: not an Abstrackr labels export")
    reviewers, note_columns, consensus = layout
    found_all, votes, notes = [], [], []
    unlabelled = False
    seen: dict[str, str] = {}
    for start, cells in rows[1:]:
        where = s.line(start)
        if len(cells) == 1 and cells[0].strip() == UNLABELLED_MARK:
            if unlabelled:
                problems.add(path, where, cells[0], "the unlabelled section once")
            unlabelled = True
            continue
        if unlabelled:
            if len(cells) not in (1, len(FIXED) - 1, len(FIXED)):
                problems.add(
                    path,
                    where,
                    len(cells),
                    f"an unlabelled citation: 1, {len(FIXED) - 1} or {len(FIXED)} cells",
                )
                continue
        elif len(cells) != len(header):
            problems.add(path, where, len(cells), f"{len(header)} cells, as the header")
            continue
        cells = cells + [""] * (len(header) - len(cells))
        key = cells[0].strip()
        if not key.isdigit():
            problems.add(path, where, key, "(internal) id: Abstrackr's citation number")
            continue
        if key in seen:
            problems.add(path, where, key, f"each citation once (also at {seen[key]})")
            continue
        seen[key] = where
        authors = cells[7].replace("\n", " ")
        pmid = cells[2].strip()
        fields = {
            s.TITLE: cells[5],
            s.JOURNAL: cells[6],
            s.ABSTRACT: cells[4],
            s.AUTHORS: [a for a in re.split(r"\s+and\s+", authors) if a.strip()] or None,
            s.PMID: pmid if pmid not in ("0", "none") else None,
        }
        found = Found(
            tool_key=key,
            fields=fields,
            pairs=[[name, value] for name, value in zip(header, cells, strict=False)],
            source_file=path.name,
            line=start,
            labels=tuple(t for t in cells[8].split(",") if t.strip()),
        )
        found.compendium_id = one_compendium_id(cells[3].split(","), problems, path, where)
        if consensus is not None and not unlabelled:
            value = cells[consensus].strip()
            if value not in CONSENSUS_VALUES:
                problems.add(path, where, value, "consensus: o, x, 1, -1 or 0")
        found_all.append(found)
        if unlabelled:
            continue
        for name, column, time_column in reviewers:
            value = cells[column].strip()
            if value == NOT_LABELLED or value == "":
                continue
            if value not in LABELS:
                problems.add(path, where, value, f"{name}'s label: 1, -1, 0 or o (not labelled)")
                continue
            time = iso_time(cells[time_column]) if time_column is not None else None
            votes.append(
                {
                    s.TOOL_KEY: key,
                    s.REVIEWER: name,
                    s.DECISION: LABELS[value],
                    s.TIME: time,
                    s.FILE: path.name,
                    s.LINE: start,
                }
            )
        for kind, name, column in note_columns:
            if cells[column].strip():
                notes.append(
                    {
                        s.TOOL_KEY: key,
                        s.REVIEWER: name,
                        s.FIELD: f"{kind} notes",
                        s.TEXT: cells[column],
                        s.FILE: path.name,
                        s.LINE: start,
                    }
                )
    problems.raise_if_any(s.DamagedExport, f"{path}: an Abstrackr export that does not parse")
    warnings = []
    if not votes:
        warnings.append(
            f"{path.name}: no citation is labelled: every record is left with no decision"
        )
    return s.ToolExport(
        tool=s.ABSTRACKR,
        files=(path,),
        records=records_frame(found_all),
        votes=s.frame(votes, s.VOTE_COLUMNS),
        notes=s.frame(notes, s.NOTE_COLUMNS),
        warnings=tuple(warnings),
    )
