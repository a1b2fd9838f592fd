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

from compendium import tables
from compendium.dedup import schema
from compendium.errors import InputError
from compendium.validate import ROW, Problem, raise_problems

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


def read_decisions(path: Path | str) -> pd.DataFrame:
    """Read and check a decisions file; rows with an empty decision are left out.

    Returns a table with :data:`~compendium.dedup.schema.DECISION_COLUMNS`, the ids of each
    pair ordered, indexed by the row a spreadsheet shows, so later errors can point at it.

    Raises
    ------
    InputError
        Listing every problem at once: a column missing; an id empty, or a pair naming one
        record twice; a decision neither "duplicate" nor "not duplicate"; a decided row
        without its reviewer; one pair decided on two rows (naming both).
    """
    path = Path(path)
    table = tables.check(
        tables.DEDUP_DECISIONS, tables.load(path), str(path), InputError, defer=True
    )
    problems = tables.problems_of(table)
    seen: dict[tuple[str, str], int] = {}
    for _, row in table.iterrows():
        first, second, line = row[schema.RECORD_ID_1], row[schema.RECORD_ID_2], row[ROW]
        if first and first == second:
            problems.append(
                Problem(line, schema.RECORD_ID_2, second, "expected an id other than record_id_1")
            )
        if not row[schema.DECISION]:
            continue
        if not row[schema.REVIEWER]:
            problems.append(
                Problem(line, schema.REVIEWER, "", "expected the reviewer who decided the pair")
            )
        pair = (min(first, second), max(first, second))
        if pair in seen:
            problems.append(
                Problem(
                    line,
                    schema.RECORD_ID_1,
                    f"{pair[0]} / {pair[1]}",
                    f"expected each pair decided once (also decided in row {seen[pair]})",
                )
            )
        seen[pair] = int(line)
    raise_problems(str(path), problems, InputError)
    table = table.set_index(ROW)[list(schema.DECISION_COLUMNS)]
    table.index = table.index.rename(LINE)  # the row as a spreadsheet numbers it
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
