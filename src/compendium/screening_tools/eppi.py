"""EPPI-Reviewer: the coding report as XLSX, joined with the items' RIS export.

The workbook has one row per item: ``Included`` (``I`` include, ``E`` exclude, empty for
an item not screened), ``ID`` (the ItemId) and ``ShortTitle``, ``Title``, ``Year``. The RIS
export of the same items carries the ItemId in ``U1`` and the bibliographic fields. Joined
on the ItemId, each record has the workbook's vote and the RIS's fields; the workbook
alone still gives the votes with titles and years. The workbook names no reviewer and no
stage.

Records are in the workbook's order, then any item only in the RIS, in the RIS's order
(with a warning). A record found in the RIS has the RIS's ``source_file`` and ``line``
(where its bibliographic fields are); its vote names the workbook and its row. The two
files must agree on each item's title (whitespace aside); an item whose titles differ is an
:class:`ExportsDisagree`, every such item listed.
"""

from __future__ import annotations

from collections.abc import Sequence

from compendium.io import read_input_text, read_sheet_table
from compendium.readers.ris import parse_ris
from compendium.records import normalise_title
from compendium.screening import EXCLUDE, INCLUDE
from compendium.screening_tools import recognise as r
from compendium.screening_tools import schema as s
from compendium.screening_tools.common import (
    Found,
    one_compendium_id,
    pairs_of,
    records_frame,
    values_of,
)

__all__ = ["read"]

DECISIONS: dict[str, str] = {"I": INCLUDE, "E": EXCLUDE}
REQUIRED_COLUMNS = ("Included", "ID")


def _ris(path, problems: s.Problems) -> dict[str, Found]:
    items: dict[str, Found] = {}
    for record in parse_ris(read_input_text(path), path=path):
        pairs = pairs_of(record)
        where = s.line(record.line)
        ids = [v for v in values_of(pairs, "U1") if v.strip()]
        if not ids or not ids[0].strip().isdigit():
            problems.add(
                path, where, ids[0] if ids else "", "U1: the EPPI-Reviewer ItemId (digits)"
            )
            continue
        key = ids[0].strip()
        if key in items:
            problems.add(path, where, key, f"each ItemId once (also at line {items[key].line})")
            continue
        found = Found(
            tool_key=key,
            fields=dict(record.fields),
            pairs=[],
            raw=record.raw,
            source_file=path.name,
            line=record.line,
        )
        keywords = [v for v in values_of(pairs, "KW", "N1")]
        found.compendium_id = one_compendium_id(keywords, problems, path, where)
        items[key] = found
    return items


def read(sources: Sequence[r.Source]) -> s.ToolExport:
    """Read an EPPI-Reviewer export: at most one XLSX and at most one RIS."""
    problems = s.Problems()
    sheets = [src for src in sources if src.kind == r.XLSX]
    ris = [src for src in sources if src.kind == r.RIS]
    for files, what in ((sheets, "XLSX"), (ris, "RIS")):
        if len(files) > 1:
            names = [src.path.name for src in files]
            problems.add(names[1], None, names, f"one EPPI-Reviewer {what} per export")
    problems.raise_if_any(s.DamagedExport, "EPPI-Reviewer export")
    items = _ris(ris[0].path, problems) if ris else {}
    warnings: list[str] = []
    found_all: list[Found] = []
    votes: list[dict] = []
    disagree = s.Problems()
    if sheets:
        path = sheets[0].path
        table = read_sheet_table(path)
        missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
        if missing:
            problems.add(
                path,
                "row 1",
                list(table.columns),
                f"EPPI-Reviewer's columns {', '.join(REQUIRED_COLUMNS)}",
            )
            problems.raise_if_any(s.DamagedExport, f"{path}: not an EPPI-Reviewer coding report")
        seen: dict[str, int] = {}
        for number, cells in table.iterrows():
            where = s.row(number)
            key = cells["ID"].strip()
            if not key.isdigit():
                problems.add(path, where, key, "ID: the EPPI-Reviewer ItemId (digits)")
                continue
            if key in seen:
                problems.add(path, where, key, f"each ItemId once (also in row {seen[key]})")
                continue
            seen[key] = number
            value = cells["Included"].strip()
            if value and value not in DECISIONS:
                problems.add(path, where, value, "Included: I (include), E (exclude) or empty")
                continue
            sheet_title = cells.get("Title", "")
            joined = items.pop(key, None)
            if joined is not None:
                ris_title = joined.fields.get(s.TITLE)
                if sheet_title and normalise_title(sheet_title) != normalise_title(ris_title):
                    disagree.add(
                        path,
                        where,
                        f"{key}: {sheet_title!r} / {ris_title!r}",
                        f"the title the RIS gives item {key}",
                    )
                found = joined
            else:
                found = Found(
                    tool_key=key,
                    fields={s.TITLE: sheet_title, s.YEAR: cells.get("Year", "")},
                    pairs=[[name, value] for name, value in cells.items()],
                    source_file=path.name,
                    line=number,
                )
            found_all.append(found)
            if value:
                votes.append(
                    {
                        s.TOOL_KEY: key,
                        s.REVIEWER: None,
                        s.DECISION: DECISIONS[value],
                        s.FILE: path.name,
                        s.LINE: number,
                    }
                )
        if items and ris:
            warnings.append(
                f"{ris[0].path.name}: {len(items)} item(s) not in {path.name}: kept as records "
                "with no decision"
            )
    found_all.extend(items.values())
    problems.raise_if_any(s.DamagedExport, "an EPPI-Reviewer export that does not parse")
    disagree.raise_if_any(s.ExportsDisagree, "the EPPI-Reviewer XLSX and RIS disagree")
    if not votes:
        name = sources[0].path.name
        warnings.append(f"{name}: no decisions (the RIS holds none; the XLSX gives them)")
    return s.ToolExport(
        tool=s.EPPI,
        files=tuple(src.path for src in sources),
        records=records_frame(found_all),
        votes=s.frame(votes, s.VOTE_COLUMNS),
        notes=s.frame([], s.NOTE_COLUMNS),
        warnings=tuple(warnings),
    )
