"""What the database searches returned: records per database, the manuscript's first numbers.

The databases are the protocol's (``data/raw/protocol.yaml``, :mod:`compendium.protocol`). An
export names its database in its own words ("Ovid MEDLINE(R) ALL", "PubMed"); each record is
counted under the protocol's database it stands for, by that database's name, and its numbers
take the database's key (``records_identified_medline``). An export that does not name its
database is listed under one in the protocol; one whose database the protocol does not list
stops the step, saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from compendium import columns as col
from compendium import tables
from compendium.errors import InputError
from compendium.io import load_yaml

if TYPE_CHECKING:
    from compendium.paths import Project
    from compendium.protocol import Protocol
    from compendium.readers import Export


class SearchError(InputError):
    """An export's database is not one the protocol lists, or a listed export is missing."""


def read_searches(project: Project, protocol: Protocol) -> list[Export]:
    """Every export in ``data/raw/searches``, in name order, read as step 01 reads them.

    An export the protocol lists under a database (``files:``) is read as that database's.
    """
    from compendium.readers import read_export

    files = sorted(path for path in project.searches.iterdir() if path.is_file())
    names = {path.name for path in files}
    missing = [
        (database.name, name)
        for database in protocol.databases
        for name in database.files
        if name not in names
    ]
    if missing:
        listed = "\n".join(f"  {name} (listed under {db})" for db, name in missing)
        msg = (
            f"{protocol.path}: {len(missing)} export(s) listed under a database but not in "
            f"{project.searches}:\n{listed}\nExpected each listed file in data/raw/searches."
        )
        raise SearchError(msg)
    return [read_export(path, database=protocol.database_of_file(path.name)) for path in files]


def exports_table(exports: list[Export]) -> pd.DataFrame:
    """What each export is: its format, encoding, line endings and number of records."""
    return pd.DataFrame(
        [(e.path.name, e.format, e.encoding, e.line_endings, len(e.records)) for e in exports],
        columns=["file", "format", "encoding", "line endings", "records"],
    )


def all_records(exports: list[Export], protocol: Protocol) -> pd.DataFrame:
    """Every record of every export, in file order, one table, each with its own id.

    Each record's ``database`` is the protocol's name for the database its export names;
    records with no database, or one the protocol does not list, stop here with every
    export at fault named.
    """
    from compendium.records import unique_ids

    problems = []
    for export in exports:
        named = export.records[col.DATABASE].fillna("").astype(str)
        if (named == "").any():
            problems.append(
                f"  {export.path.name}: {int((named == '').sum())} records name no database: "
                "list the file under its database in the protocol (files: [...])"
            )
        for name in sorted(set(named) - {""}):
            if protocol.database(name) is None:
                listed = ", ".join(d.name for d in protocol.databases)
                problems.append(
                    f"  {export.path.name}: database {name!r}: not one the protocol lists "
                    f"({listed}); add it to databases, or list the file under the database "
                    "it comes from"
                )
    if problems:
        msg = f"{protocol.path}: {len(problems)} export(s) at fault:\n" + "\n".join(problems)
        raise SearchError(msg)
    records = unique_ids(pd.concat([export.records for export in exports], ignore_index=True))
    names = {n: protocol.database(n).name for n in set(records[col.DATABASE])}
    return records.assign(**{col.DATABASE: records[col.DATABASE].map(names)})


def records_per_database(records: pd.DataFrame, protocol: Protocol) -> pd.DataFrame:
    """One row per database, in the protocol's order, with its number of records, and a total.

    Every database the protocol lists has a row, one that returned nothing with 0.
    """
    counts = records.groupby(col.DATABASE).size()
    unknown = sorted(set(counts.index) - {d.name for d in protocol.databases})
    if unknown:
        msg = (
            f"records of database(s) {', '.join(map(repr, unknown))}: not among the protocol's "
            f"databases ({', '.join(d.name for d in protocol.databases)}); read the exports "
            "with searches.all_records"
        )
        raise SearchError(msg)
    names = [d.name for d in protocol.databases]
    table = pd.DataFrame(
        {"database": names, "records": [int(counts.get(name, 0)) for name in names]}
    )
    total = pd.DataFrame({"database": ["all databases"], "records": [len(records)]})
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


def identification_numbers(records: pd.DataFrame, protocol: Protocol) -> dict[str, int]:
    """``records_identified_<key>`` for each of the protocol's databases, and
    ``records_identified_databases``."""
    from compendium.numbers import sourced

    table = records_per_database(records, protocol)
    numbers = {
        f"records_identified_{database.key}": sourced(
            int(n), table=tables.RECORDS.relative, query=f"rows with database '{database.name}'"
        )
        for database, n in zip(protocol.databases, table["records"], strict=False)
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
