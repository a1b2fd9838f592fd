"""The numbers the manuscript reports, computed and checked.

Each step records the numbers it establishes in a :class:`Registry`, saved as
``data/processed/numbers/<step>.json``. The last step gathers them into ``outputs/numbers.json``
and checks every key of ``data/raw/reported_numbers.yaml``: the value the manuscript reports,
the value the data gives, and whether they match. A number nothing computed is as much a failure
as a wrong one: the manuscript would be stating something the data does not support.

Every number says where it comes from: the step that computed it, the table it is counted
from (a file of the project) and the query, in words, that counts it. A library function
returns its numbers as :func:`sourced` values, which are plain ``int`` and ``float`` values
that carry their table and query; :meth:`Registry.record` keeps both.

Examples
--------
>>> registry = Registry("01_search_results")
>>> registry.record("records_identified_medline", 222)
222
>>> registry.numbers
{'records_identified_medline': 222}
>>> n = sourced(310, table="data/processed/records.csv", query="database = 'Ovid APA PsycInfo'")
>>> n == 310, n.table
(True, 'data/processed/records.csv')
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
SOURCES_KEY = "_sources"  # in numbers.json: where each number comes from

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


class SourcedInt(int):
    """A count that says what it counts: ``table`` (a file of the project) and ``query``."""

    table: str
    query: str


class SourcedFloat(float):
    """A statistic that says what it is computed from: ``table`` and ``query``."""

    table: str
    query: str


def sourced(value: object, *, table: str, query: str) -> SourcedInt | SourcedFloat:
    """``value`` (a count or a statistic) with the table and the query it comes from."""
    if hasattr(value, "item"):  # numpy and pandas scalars
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{query}: {value!r}: expected a number"
        raise InputError(msg)
    made = SourcedInt(value) if isinstance(value, int) else SourcedFloat(value)
    made.table, made.query = table, query
    return made


@dataclass(frozen=True)
class Source:
    """Where a number comes from: the table it is counted from and the query that counts it."""

    table: str | None = None
    query: str | None = None


class Registry:
    """The numbers one step establishes, each with its source."""

    def __init__(self, step: str) -> None:
        self.step = step
        self.numbers: dict[str, Value] = {}
        self.sources: dict[str, Source] = {}

    def record(
        self, key: str, value: object, *, table: str | None = None, query: str | None = None
    ) -> Value:
        """Record ``key = value``, from ``table`` by ``query`` (or the value's own, when it is
        :func:`sourced`); a key is recorded once."""
        _check_key(key, self.step)
        source = Source(
            table or getattr(value, "table", None), query or getattr(value, "query", None)
        )
        if hasattr(value, "item"):  # numpy and pandas scalars
            value = value.item()
        if isinstance(value, SourcedInt | SourcedFloat):
            value = int(value) if isinstance(value, int) else float(value)
        value = _check_value(key, value, self.step)
        if key in self.numbers:
            msg = f"{self.step}: {key} recorded twice ({self.numbers[key]!r}, then {value!r})"
            raise InputError(msg)
        self.numbers[key] = value
        self.sources[key] = source
        return value

    def record_all(self, numbers: dict[str, object]) -> Registry:
        """Record every ``key: value`` of ``numbers`` (each value :func:`sourced` or not)."""
        for key, value in numbers.items():
            self.record(key, value)
        return self

    def __str__(self) -> str:
        return "\n".join(f"{key}: {value}" for key, value in self.numbers.items())

    def save(self, folder: Path) -> Path:
        """Write ``<folder>/<step>.json``: each key's value, table and query (sorted keys)."""
        entries = {
            key: {
                "value": value,
                "table": self.sources[key].table,
                "query": self.sources[key].query,
            }
            for key, value in self.numbers.items()
        }
        text = json.dumps(entries, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return write_text(Path(folder) / f"{self.step}.json", text)


@dataclass(frozen=True)
class Computed:
    value: Value
    step: str
    table: str | None = None
    query: str | None = None


@dataclass(frozen=True)
class Reported:
    value: Value
    where: str


def load_computed(folder: Path) -> dict[str, Computed]:
    """Every step's numbers; a key recorded by two steps is an error."""
    computed: dict[str, Computed] = {}
    for path in sorted(Path(folder).glob("*.json")):
        step = path.stem
        for key, entry in json.loads(path.read_text(encoding="utf-8")).items():
            _check_key(key, str(path))
            if not isinstance(entry, dict) or "value" not in entry:
                msg = f"{path}: {key} = {entry!r}: expected {{value, table, query}}"
                raise InputError(msg)
            value = _check_value(key, entry["value"], str(path))
            if key in computed:
                msg = f"{path}: {key} also recorded by step {computed[key].step}"
                raise InputError(msg)
            computed[key] = Computed(value, step, entry.get("table"), entry.get("query"))
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
    """``outputs/numbers.json``: every computed number under its key, and where each comes from.

    ``numbers["candidate_components"]`` is the number itself, as every reader of the file
    expects; ``numbers["_sources"]["candidate_components"]`` says where it comes from: ``step``
    (the notebook that computed it), ``table`` (the file it is counted from) and ``query``
    (how, in words), ``table`` and ``query`` null for a number recorded without them. No
    number's key can be ``_sources``: keys start with a letter. Keys sorted.
    """
    entries: dict[str, object] = {key: number.value for key, number in sorted(computed.items())}
    entries[SOURCES_KEY] = {
        key: {"step": number.step, "table": number.table, "query": number.query}
        for key, number in sorted(computed.items())
    }
    return json.dumps(entries, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def trace(computed: dict[str, Computed], reported: dict[str, Reported], key: str) -> dict:
    """Where one computed number comes from, and what the manuscript reports, if it does."""
    from compendium.notebooks import one_of

    one_of("number_to_trace", key, computed)
    number = computed[key]
    traced = {
        "key": key,
        "computed by": f"notebooks/{number.step}.ipynb",
        "value": number.value,
        "counted in": number.table,
        "how": number.query,
    }
    if key in reported:
        traced["manuscript"] = reported[key].value
        traced["where"] = reported[key].where
    return traced
