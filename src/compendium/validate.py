"""Checks on the sheets people keep, each returning every offending row as a message.

Validation collects problems rather than stopping at the first, so a person fixes a sheet in
one pass. A message reads ``row 7: type 'manual': expected one of 'trial report', ...``; the
caller prefixes the file (and sheet) and raises once.
"""

from __future__ import annotations

import pandas as pd


def row(index: int) -> str:
    """The row as a spreadsheet (or a CSV line count) shows it: the header is row 1."""
    return f"row {index + 2}"


def choice(table: pd.DataFrame, name: str, allowed: tuple[str, ...]) -> list[str]:
    """Rows whose ``name`` is not one of ``allowed``."""
    expected = ", ".join(map(repr, allowed))
    return [
        f"{row(i)}: {name} {value!r}: expected one of {expected}"
        for i, value in table[name].items()
        if value not in allowed
    ]


def filled(table: pd.DataFrame, name: str, what: str) -> list[str]:
    """Rows whose ``name`` is empty."""
    return [f"{row(i)}: {name} is empty: expected {what}" for i in table.index[table[name] == ""]]


def repeated(table: pd.DataFrame, names: list[str], what: str) -> list[str]:
    """Groups of rows with the same ``names``, each reported once with all its rows."""
    problems = []
    twice = table[table.duplicated(names, keep=False) & (table[names[0]] != "")]
    for _, group in twice.groupby(names, sort=True):
        rows = ", ".join(str(i + 2) for i in group.index)
        value = " / ".join(str(group.iloc[0][n]) for n in names)
        problems.append(f"rows {rows}: {what} {value!r} repeated: expected it once")
    return problems
