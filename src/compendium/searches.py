"""What the database searches returned: records per database, the manuscript's first numbers.

A database's key in ``reported_numbers.yaml`` (``records_identified_medline``) comes from its
name as the export gives it, through :data:`DATABASE_KEYS`, so "Ovid MEDLINE(R) ALL" and
"PubMed" both count as MEDLINE. A database not in the table gets a key made from its name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from compendium import columns as col
from compendium import tables
from compendium.errors import InputError
from compendium.io import load_yaml
from compendium.readers.databases import database_key

if TYPE_CHECKING:
    from compendium.paths import Project
    from compendium.readers import Export


def read_searches(project: Project) -> list[Export]:
    """Every export in ``data/raw/searches``, in name order, read as step 01 reads them."""
    from compendium.readers import read_export

    return [read_export(path) for path in sorted(project.searches.iterdir()) if path.is_file()]


def exports_table(exports: list[Export]) -> pd.DataFrame:
    """What each export is: its format, encoding, line endings and number of records."""
    return pd.DataFrame(
        [(e.path.name, e.format, e.encoding, e.line_endings, len(e.records)) for e in exports],
        columns=["file", "format", "encoding", "line endings", "records"],
    )


def all_records(exports: list[Export]) -> pd.DataFrame:
    """Every record of every export, in file order, one table, each with its own id."""
    from compendium.records import unique_ids

    return unique_ids(pd.concat([export.records for export in exports], ignore_index=True))


def records_per_database(records: pd.DataFrame) -> pd.DataFrame:
    """One row per database, in name order, with its number of records, and a total."""
    missing = records[records[col.DATABASE].isna() | (records[col.DATABASE] == "")]
    if len(missing):
        first = missing.iloc[0]
        msg = (
            f"{first[col.SOURCE_FILE]}: {len(missing)} records with no database, first "
            f"{first[col.RECORD_ID]}: expected the export to name its database, or pass "
            "database= to the reader"
        )
        raise InputError(msg)
    counts = records.groupby(col.DATABASE).size().sort_index()
    table = pd.DataFrame({"database": counts.index, "records": counts.to_numpy()})
    total = pd.DataFrame({"database": ["all databases"], "records": [int(counts.sum())]})
    return pd.concat([table, total], ignore_index=True)


def records_per_database_figure(per_database: pd.DataFrame) -> object:
    """A bar for each database's records (the table of :func:`records_per_database`)."""
    from compendium.render import figure

    bars = per_database[per_database["database"] != "all databases"]
    fig, axes = figure()
    axes.barh(bars["database"], bars["records"], color="#0072B2")
    axes.bar_label(axes.containers[0], padding=2)
    axes.set_xlabel("records retrieved")
    axes.invert_yaxis()
    return fig


def identification_numbers(records: pd.DataFrame) -> dict[str, int]:
    """``records_identified_<database>`` for each database and ``records_identified_databases``."""
    from compendium.numbers import sourced

    table = records_per_database(records)
    counts: dict[str, int] = {}
    names: dict[str, list[str]] = {}
    for name, n in zip(table["database"][:-1], table["records"][:-1], strict=True):
        key = f"records_identified_{database_key(name)}"
        counts[key] = counts.get(key, 0) + int(n)
        names.setdefault(key, []).append(f"'{name}'")
    numbers = {
        key: sourced(
            n, table=tables.RECORDS.relative, query=f"rows with database {' or '.join(names[key])}"
        )
        for key, n in counts.items()
    }
    numbers["records_identified_databases"] = sourced(
        int(table["records"].iloc[-1]),
        table=tables.RECORDS.relative,
        query="rows: every record read",
    )
    return numbers


def read_strategy(path: Path) -> pd.DataFrame:
    """The search's concept blocks (``search_strategy.yaml``) as a table.

    Each block needs a ``concept`` (its name) and ``terms`` (a list of search terms); every
    block at fault is listed at once.
    """
    card = load_yaml(path)
    blocks = card.get("concepts") if isinstance(card, dict) else None
    if not isinstance(blocks, list) or not blocks:
        msg = (
            f"{path}: concepts: {blocks!r}: expected a list of blocks, "
            "each '- concept: NAME' with 'terms: [TERM, ...]'"
        )
        raise InputError(msg)
    problems = []
    for number, block in enumerate(blocks, start=1):
        where = f"  concept block {number}"
        if not isinstance(block, dict):
            problems.append(f"{where}: {block!r}: expected 'concept' and 'terms'")
            continue
        unknown = sorted(set(block) - {"concept", "terms"})
        if unknown:
            problems.append(
                f"{where}: key {', '.join(map(repr, unknown))}: expected only 'concept' and 'terms'"
            )
        if not isinstance(block.get("concept"), str) or not block["concept"].strip():
            problems.append(f"{where}: concept {block.get('concept')!r}: expected its name")
        terms = block.get("terms")
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) for t in terms):
            problems.append(f"{where}: terms {terms!r}: expected a list of search terms")
    if problems:
        msg = f"{path}: {len(problems)} problem(s):\n" + "\n".join(problems)
        raise InputError(msg)
    rows = [(block["concept"], "; ".join(block["terms"])) for block in blocks]
    return pd.DataFrame(rows, columns=["concept", "example terms"])
