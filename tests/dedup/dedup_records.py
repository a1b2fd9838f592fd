"""Tiny record tables for the deduplication tests (a helper module, not a conftest, so that
its name cannot collide with another folder's conftest)."""

from __future__ import annotations

import pandas as pd

from compendium import columns

# One publication, complete; tests copy it and change what the case is about.
BASE = {
    columns.TITLE: "Peer support work in community mental health teams: a qualitative study",
    columns.AUTHORS: "Kotera, Yasuhiro; Newby, Chris; Charles, Ashleigh",
    columns.YEAR: 2023,
    columns.JOURNAL: "Journal of Mental Health",
    columns.VOLUME: "32",
    columns.ISSUE: "4",
    columns.PAGES: "745-759",
    columns.DOI: "10.1080/09638237.2023.0001",
    columns.PMID: pd.NA,
    columns.ABSTRACT: pd.NA,
}


def build(*rows: dict) -> pd.DataFrame:
    """Records with every column of the schema, ids ``r1, r2, ...`` unless given."""
    filled = []
    for k, row in enumerate(rows, start=1):
        record = {c: pd.NA for c in columns.RECORD_COLUMNS}
        record.update({columns.RECORD_ID: f"r{k}", columns.SOURCE_FILE: "test.ris"})
        record.update(row)
        filled.append(record)
    frame = pd.DataFrame(filled, columns=list(columns.RECORD_COLUMNS))
    frame[columns.YEAR] = frame[columns.YEAR].astype("Int64")
    return frame


def variant(**changes: object) -> dict:
    return {**BASE, **changes}
