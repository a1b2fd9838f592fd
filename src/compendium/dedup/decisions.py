"""People's decisions on uncertain pairs: the sheet they fill in, and reading it back.

``data/raw/dedup/decisions.csv`` holds one row per pair: ``record_id_1, record_id_2,
decision, reviewer, note``. A row whose decision is still empty is a pair not yet decided
(a sheet may be filled in over several sittings); every other cell is checked, and an
error names the file, the line, the value and what was expected.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from compendium.dedup import schema
from compendium.errors import InputError
from compendium.io import read_sheet_table

__all__ = ["PendingDecisions", "read_decisions", "write_decision_sheet"]

LINE = "line"  # index name of a decisions table: the line of the file the row came from


#: How many undecided pairs the error lists; ``compendium dedup-sheet`` writes them all.
PAIRS_LISTED = 10


class PendingDecisions(InputError):
    """Uncertain pairs without a decision: the run cannot say how many records are unique."""

    def __init__(self, pairs: pd.DataFrame, *, source: str = "the decisions") -> None:
        self.pairs = pairs
        listed = "\n".join(
            f"  {row[schema.RECORD_ID_1]}  {row[schema.RECORD_ID_2]}  ({row[schema.REASON]})"
            for _, row in pairs.head(PAIRS_LISTED).iterrows()
        )
        if len(pairs) > PAIRS_LISTED:
            listed += f"\n  ... and {len(pairs) - PAIRS_LISTED} more"
        shown = f", the first {PAIRS_LISTED}" if len(pairs) > PAIRS_LISTED else ""
        msg = (
            f"{len(pairs)} uncertain duplicate pair(s) have no decision in {source}{shown}:\n"
            f"{listed}\n"
            "Run `compendium dedup-sheet` to add them to data/raw/dedup/decisions.csv, fill "
            "in each row's decision (duplicate / not duplicate) and reviewer, record the "
            "change with `compendium checksums --update`, and run again."
        )
        super().__init__(msg)


def _fail(path: Path | str, line: int | None, column: str, value: object, expected: str) -> None:
    where = f"{path}, line {line}" if line is not None else f"{path}"
    msg = f"{where}, column {column!r}: found {value!r}, expected {expected}"
    raise InputError(msg)


def read_decisions(path: Path | str) -> pd.DataFrame:
    """Read and check a decisions file; rows with an empty decision are left out.

    Returns a table with :data:`~compendium.dedup.schema.DECISION_COLUMNS`, the ids of each
    pair ordered, indexed by the file's line number so later errors can point at the row.

    Raises
    ------
    InputError
        A column is missing; an id is empty or a pair names one record twice; a decision
        is neither "duplicate" nor "not duplicate"; a decided row has no reviewer; or one
        pair is decided on two rows (naming both lines).
    """
    path = Path(path)
    table = read_sheet_table(path)
    missing = [c for c in schema.DECISION_COLUMNS if c not in table.columns]
    if missing:
        _fail(path, 1, ", ".join(missing), list(table.columns), "a header with those columns")
    table = table[list(schema.DECISION_COLUMNS)].apply(lambda s: s.str.strip())
    table.index = table.index.rename(LINE)  # the row as a spreadsheet numbers it
    seen: dict[tuple[str, str], int] = {}
    for line, row in table.iterrows():
        first, second = row[schema.RECORD_ID_1], row[schema.RECORD_ID_2]
        for column, value in ((schema.RECORD_ID_1, first), (schema.RECORD_ID_2, second)):
            if not value:
                _fail(path, line, column, value, "a record id")
        if first == second:
            _fail(path, line, schema.RECORD_ID_2, second, "an id other than record_id_1")
        decision = row[schema.DECISION]
        if not decision:
            continue
        if decision not in schema.DECISION_VALUES:
            _fail(path, line, schema.DECISION, decision, "'duplicate' or 'not duplicate'")
        if not row[schema.REVIEWER]:
            _fail(path, line, schema.REVIEWER, "", "the reviewer who decided the pair")
        pair = (min(first, second), max(first, second))
        if pair in seen:
            _fail(path, line, schema.RECORD_ID_1, f"{pair[0]} / {pair[1]}",
                  f"each pair decided once (also decided on line {seen[pair]})")  # fmt: skip
        seen[pair] = int(line)
    decided = table[table[schema.DECISION] != ""].copy()
    first, second = decided[schema.RECORD_ID_1], decided[schema.RECORD_ID_2]
    swap = first > second
    decided.loc[swap, [schema.RECORD_ID_1, schema.RECORD_ID_2]] = decided.loc[
        swap, [schema.RECORD_ID_2, schema.RECORD_ID_1]
    ].to_numpy()
    decided.attrs["source"] = str(path)
    return decided


def empty_decisions() -> pd.DataFrame:
    """A decisions table with no row: every uncertain pair is then pending."""
    table = pd.DataFrame({c: pd.Series(dtype=str) for c in schema.DECISION_COLUMNS})
    table.index.name = LINE
    return table


def write_decision_sheet(pairs: pd.DataFrame, path: Path | str) -> Path:
    """Write uncertain pairs as a sheet to fill in: the decision, reviewer and note empty.

    The similarities and titles come along so that people see why each pair was asked
    about. The file is written whole, then renamed, so a half-written sheet never exists.
    """
    path = Path(path)
    sheet = pairs.copy()
    for column in (schema.DECISION, schema.REVIEWER, schema.NOTE):
        sheet[column] = ""
    first = [schema.RECORD_ID_1, schema.RECORD_ID_2, schema.DECISION, schema.REVIEWER]
    rest = [c for c in sheet.columns if c not in (*first, schema.NOTE)]
    sheet = sheet[[*first, schema.NOTE, *rest]]
    sheet = sheet.sort_values([schema.RECORD_ID_1, schema.RECORD_ID_2], kind="stable")
    partial = path.with_name(path.name + ".partial")
    sheet.to_csv(partial, index=False, lineterminator="\n", float_format="%.1f")
    os.replace(partial, path)
    return path
