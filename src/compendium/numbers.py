"""The numbers the manuscript reports, computed and checked.

Each step records the numbers it establishes in a :class:`Registry`, saved as
``data/processed/numbers/<step>.json``. The last step gathers them into ``outputs/numbers.json``
and checks every key of ``data/raw/reported_numbers.yaml``: the value the manuscript reports,
the value the data gives, and whether they match. A number nothing computed is as much a failure
as a wrong one: the manuscript would be stating something the data does not support.

Examples
--------
>>> registry = Registry("01_search_results")
>>> registry.record("records_identified_medline", 222)
>>> registry.numbers
{'records_identified_medline': 222}
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from compendium import columns as col
from compendium.errors import CompendiumError, InputError
from compendium.io import load_yaml, write_text

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MATCH, MISMATCH, NOT_COMPUTED = "match", "mismatch", "not computed"

Value = int | float


class ReproductionFailed(CompendiumError):
    """A reported number differs from the computed one, or nothing computed it."""


def _check_key(key: str, where: str) -> None:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        msg = f"{where}: key {key!r}: expected lower_snake_case letters, digits and underscores"
        raise InputError(msg)


def _check_value(key: str, value: object, where: str) -> Value:
    # bool is an int in Python, but "True" is never a manuscript count.
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{where}: {key} = {value!r}: expected a number"
        raise InputError(msg)
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"{where}: {key} = {value!r}: expected a finite number"
        raise InputError(msg)
    return value


class Registry:
    """The numbers one step establishes."""

    def __init__(self, step: str) -> None:
        self.step = step
        self.numbers: dict[str, Value] = {}

    def record(self, key: str, value: object) -> Value:
        """Record ``key = value``; a key is recorded once."""
        _check_key(key, self.step)
        if hasattr(value, "item"):  # numpy and pandas scalars
            value = value.item()
        value = _check_value(key, value, self.step)
        if key in self.numbers:
            msg = f"{self.step}: {key} recorded twice ({self.numbers[key]!r}, then {value!r})"
            raise InputError(msg)
        self.numbers[key] = value
        return value

    def save(self, folder: Path) -> Path:
        """Write ``<folder>/<step>.json`` (sorted keys)."""
        text = json.dumps(self.numbers, indent=2, sort_keys=True) + "\n"
        return write_text(Path(folder) / f"{self.step}.json", text)


@dataclass(frozen=True)
class Computed:
    value: Value
    step: str


@dataclass(frozen=True)
class Reported:
    value: Value
    where: str


def load_computed(folder: Path) -> dict[str, Computed]:
    """Every step's numbers; a key recorded by two steps is an error."""
    computed: dict[str, Computed] = {}
    for path in sorted(Path(folder).glob("*.json")):
        step = path.stem
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            _check_key(key, str(path))
            _check_value(key, value, str(path))
            if key in computed:
                msg = f"{path}: {key} also recorded by step {computed[key].step}"
                raise InputError(msg)
            computed[key] = Computed(value, step)
    return computed


def load_reported(path: Path) -> dict[str, Reported]:
    """``reported_numbers.yaml``: ``key: {value: N, where: "section: quote"}``, in file order."""
    path = Path(path)
    if not path.exists():
        msg = f"{path}: missing; expected the numbers the manuscript reports"
        raise InputError(msg)
    entries = load_yaml(path)
    if not isinstance(entries, dict) or not entries:
        found = "nothing" if not entries else f"a {type(entries).__name__}"
        msg = (
            f"{path}: found {found}; expected the numbers the manuscript reports, one "
            "'key: {value: N, where: \"section: quote\"}' entry each. A check against no "
            "reported number would pass whatever the data gave."
        )
        raise InputError(msg)
    reported: dict[str, Reported] = {}
    for key, entry in entries.items():
        _check_key(key, str(path))
        if not isinstance(entry, dict) or set(entry) != {"value", "where"}:
            msg = f"{path}: {key}: {entry!r}: expected a mapping with exactly 'value' and 'where'"
            raise InputError(msg)
        reported[key] = Reported(_check_value(key, entry["value"], str(path)), str(entry["where"]))
    return reported


def _decimals(value: Value) -> int:
    if isinstance(value, int):
        return 0
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


def _matches(reported: Value, computed: Value) -> bool:
    """Equal at the precision the manuscript reports (0.62 matches 0.6249)."""
    if isinstance(reported, int) and isinstance(computed, int):
        return reported == computed
    return round(float(computed), _decimals(reported)) == round(float(reported), 12)


def check(reported: dict[str, Reported], computed: dict[str, Computed]) -> pd.DataFrame:
    """One row per reported key, in the order the manuscript file lists them."""
    rows = []
    for key, entry in reported.items():
        found = computed.get(key)
        if found is None:
            status, value, step = NOT_COMPUTED, pd.NA, pd.NA
        else:
            status = MATCH if _matches(entry.value, found.value) else MISMATCH
            value, step = found.value, found.step
        rows.append(
            {
                col.KEY: key,
                col.REPORTED: entry.value,
                col.COMPUTED: value,
                col.STATUS: status,
                col.STEP: step,
                col.WHERE: entry.where,
            }
        )
    return pd.DataFrame(rows, columns=list(col.CHECK_COLUMNS))


def failures(result: pd.DataFrame) -> pd.DataFrame:
    return result[result[col.STATUS] != MATCH]


def describe_failures(result: pd.DataFrame) -> str:
    """Every failing key on its own line, mismatches first."""
    lines = []
    for _, row in failures(result).iterrows():
        if row[col.STATUS] == MISMATCH:
            lines.append(
                f"  {row[col.KEY]}: manuscript reports {row[col.REPORTED]}, "
                f"data gives {row[col.COMPUTED]} (step {row[col.STEP]})"
            )
    for _, row in failures(result).iterrows():
        if row[col.STATUS] == NOT_COMPUTED:
            lines.append(
                f"  {row[col.KEY]}: manuscript reports {row[col.REPORTED]}, nothing computed it"
            )
    return "\n".join(lines)


def verdict(result: pd.DataFrame, *, allow_mismatch: bool = False) -> str:
    """A one-line summary; raise :class:`ReproductionFailed` listing every failure."""
    counts = result[col.STATUS].value_counts()
    summary = (
        f"{counts.get(MATCH, 0)} of {len(result)} reported numbers match the data; "
        f"{counts.get(MISMATCH, 0)} differ; {counts.get(NOT_COMPUTED, 0)} not computed"
    )
    if len(failures(result)) and not allow_mismatch:
        msg = f"reproduction check failed: {summary}\n{describe_failures(result)}"
        raise ReproductionFailed(msg)
    return summary


def numbers_json(computed: dict[str, Computed]) -> str:
    """``outputs/numbers.json``: every computed number, keys sorted."""
    return json.dumps({key: computed[key].value for key in sorted(computed)}, indent=2) + "\n"
