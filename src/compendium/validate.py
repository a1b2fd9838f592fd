"""Problems found in the sheets people keep, all reported at once, in one form.

Validation collects problems rather than stopping at the first, so a person fixes a sheet in
one pass. Every problem names the sheet, the row a spreadsheet shows (the header is row 1),
the column and the value, and says what was expected::

    title_abstract_screening.csv row 7, decision: 'perhaps': expected one of 'include', ...

and a sheet's problems are raised as one error, headed by the file and how many there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from compendium.errors import InputError

#: The column a read sheet keeps its rows' numbers in (see :func:`compendium.tables.load`).
ROW = "row"


@dataclass(frozen=True)
class Problem:
    """One problem: where it is (sheet, row or rows, column), the value, and what is wrong."""

    row: int | tuple[int, ...] | None
    column: str | None
    value: object
    message: str
    sheet: str = ""  # the file's name; given by raise_problems when the problem has none

    def located(self, sheet: str) -> str:
        parts = [self.sheet or sheet]
        if isinstance(self.row, tuple):
            parts.append(f"rows {', '.join(str(r) for r in self.row)}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        where = " ".join(part for part in parts if part)
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.value!r}: {self.message}" if where else (
            f"{self.value!r}: {self.message}"
        )  # fmt: skip


def row(index: int) -> str:
    """Row ``index`` of a table read from a sheet (0, 1, ...) as a spreadsheet shows it."""
    return f"row {index + 2}"


def raise_problems(
    where: str, problems: Sequence[Problem | str], error: type[InputError] = InputError
) -> None:
    """Raise one ``error`` listing every problem (none: nothing happens).

    A problem is a :class:`Problem`, or a sentence of a check across rows that says where
    itself ("row 4 (CL2, rename 'match'): ...").
    """
    if problems:
        sheet = Path(where.split(",")[0]).name
        listed = "\n".join(
            f"  {p.located(sheet) if isinstance(p, Problem) else p}" for p in problems
        )
        msg = f"{where}: {len(problems)} problem(s):\n{listed}"
        raise error(msg)


def repeated(table: pd.DataFrame, names: list[str], what: str) -> list[Problem]:
    """Rows that repeat ``names`` (a non-blank key), each group reported once with its rows."""
    problems = []
    twice = table[table.duplicated(names, keep=False) & (table[names[0]] != "")]
    for _, group in twice.groupby(names, sort=True):
        value = " / ".join(str(group.iloc[0][n]) for n in names)
        problems.append(Problem(tuple(group[ROW]), what, value, "repeated: expected it once"))
    return problems


def unknown(table: pd.DataFrame, name: str, known: Iterable[str], message: str) -> list[Problem]:
    """Rows whose ``name`` is not blank and not one of ``known``."""
    allowed = set(known)
    return [
        Problem(row, name, value, message)
        for row, value in zip(table[ROW], table[name], strict=True)
        if value and value not in allowed
    ]
