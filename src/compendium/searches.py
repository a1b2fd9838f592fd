"""What the database searches returned: records per database, the manuscript's first numbers.

A database's key in ``reported_numbers.yaml`` (``records_identified_medline``) comes from its
name as the export gives it, through :data:`DATABASE_KEYS`, so "Ovid MEDLINE(R) ALL" and
"PubMed" both count as MEDLINE. A database not in the table gets a key made from its name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from compendium import columns as col
from compendium.errors import InputError

#: Words in a database's name, in order of precedence, and the key each stands for.
DATABASE_KEYS: tuple[tuple[str, str], ...] = (
    ("medline", "medline"),
    ("pubmed", "medline"),
    ("psycinfo", "psycinfo"),
    ("embase", "embase"),
    ("cinahl", "cinahl"),
    ("web of science", "web_of_science"),
    ("scopus", "scopus"),
    ("cochrane", "cochrane"),
)


def database_key(name: str) -> str:
    """``Ovid APA PsycInfo`` -> ``psycinfo``; an unknown name -> its words joined by ``_``."""
    lowered = name.lower()
    for word, key in DATABASE_KEYS:
        if word in lowered:
            return key
    return re.sub(r"[^a-z0-9]+", "_", lowered).strip("_")


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


#: The records as step 01 writes them, relative to the project: what the counts are counted in.
RECORDS_FILE = "data/processed/records.csv"


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
        key: sourced(n, table=RECORDS_FILE, query=f"rows with database {' or '.join(names[key])}")
        for key, n in counts.items()
    }
    numbers["records_identified_databases"] = sourced(
        int(table["records"].iloc[-1]), table=RECORDS_FILE, query="rows: every record read"
    )
    return numbers


def read_strategy(path: Path) -> pd.DataFrame:
    """The search's concept blocks (``search_strategy.yaml``) as a table."""
    if not Path(path).exists():
        msg = f"{path}: missing; expected the search's concept blocks"
        raise InputError(msg)
    card = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    blocks = card.get("concepts")
    if not isinstance(blocks, list) or not blocks:
        msg = f"{path}: concepts: expected a list of {{concept, terms}}"
        raise InputError(msg)
    rows = [(block["concept"], "; ".join(block["terms"])) for block in blocks]
    return pd.DataFrame(rows, columns=["concept", "example terms"])
