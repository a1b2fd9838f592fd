"""The labelled benchmark sets of ../shared/external as record tables, and pair counting.

Shared by the external tests and ``benchmarks/dedup.py``; the files are read in place,
never copied. Each adapter builds the columns of :data:`compendium.columns.RECORD_COLUMNS`
from the set's own CSV, as a reader would from an export.
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import pandas as pd

from compendium import columns
from compendium.records import normalise_authors, normalise_doi, normalise_year

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT.parent / "shared" / "external"
BIB_DEDUPE_SETS = ("cytology_screening", "respiratory", "special_cases")
# bib-dedupe's own automatic merges on these sets (sensitivity counted on pairs, 0 false).
BIB_DEDUPE_SENSITIVITY = {"cytology_screening": 0.985, "respiratory": 0.925}
ASYSD_UNIQUE = 584

# ASySD's EndNote export runs authors together: "Adeli K.Lewis G. F." is two authors.
_ASYSD_AUTHOR_BREAK = re.compile(r"(?<=\.)(?=[A-Z][a-z])")


def _frame(values: dict[str, object], n: int) -> pd.DataFrame:
    frame = pd.DataFrame({c: values.get(c, pd.Series([pd.NA] * n)) for c in columns.RECORD_COLUMNS})
    frame[columns.YEAR] = frame[columns.YEAR].astype("Int64")
    for column in columns.RECORD_COLUMNS:
        if column != columns.YEAR:
            frame[column] = frame[column].astype("string")
    return frame


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().replace({"": pd.NA, "NA": pd.NA})


def bib_dedupe_records(name: str, root: Path = EXTERNAL) -> pd.DataFrame:
    """A bib-dedupe set (``records_pre_merged.csv``) as records."""
    raw = pd.read_csv(root / "bib-dedupe" / name / "records_pre_merged.csv", dtype=str)
    raw = raw.fillna("")
    n = len(raw)
    authors = [normalise_authors(a.split(" and ")) if a else pd.NA for a in raw["author"]]
    return _frame(
        {
            columns.RECORD_ID: raw["ID"],
            columns.SOURCE_FILE: pd.Series([f"{name}/records_pre_merged.csv"] * n),
            columns.DATABASE: pd.Series(["bib-dedupe benchmark"] * n),
            columns.TITLE: _text(raw["title"]),
            columns.AUTHORS: pd.Series(authors, dtype="string"),
            columns.YEAR: pd.Series([normalise_year(y) for y in raw["year"]], dtype="Int64"),
            columns.JOURNAL: _text(raw.get("journal", raw.get("booktitle"))).fillna(
                _text(raw["booktitle"]) if "booktitle" in raw else pd.NA
            ),
            columns.VOLUME: _text(raw["volume"]),
            # respiratory's "number" holds EndNote record numbers, not issues: left out.
            columns.PAGES: _text(raw["pages"]),
            columns.DOI: pd.Series([normalise_doi(d) for d in raw.get("doi", [""] * n)]),
            columns.ABSTRACT: _text(raw["abstract"]) if "abstract" in raw else None,
            columns.RAW: pd.Series([json.dumps(r, sort_keys=True) for r in raw.to_dict("records")]),
        },
        n,
    )


def bib_dedupe_truth(name: str, root: Path = EXTERNAL) -> list[list[str]]:
    """The labelled duplicate clusters of a bib-dedupe set (ids not listed are unique)."""
    table = pd.read_csv(root / "bib-dedupe" / name / "merged_record_ids.csv", dtype=str)
    return [ids.split(";") for ids in table["merged_ids"]]


def asysd_records(root: Path = EXTERNAL) -> pd.DataFrame:
    """ASySD's labelled test set (cp1252) as records."""
    raw = pd.read_csv(
        root / "asysd" / "labelled_test_set.csv", encoding="cp1252", dtype=str
    ).fillna("")
    n = len(raw)
    authors = [
        normalise_authors(_ASYSD_AUTHOR_BREAK.split(a)) if a and a != "NA" else pd.NA
        for a in raw["author"]
    ]
    return _frame(
        {
            columns.RECORD_ID: "asysd:" + raw["record_id"],
            columns.SOURCE_FILE: pd.Series(["asysd/labelled_test_set.csv"] * n),
            columns.DATABASE: pd.Series(["ASySD test set"] * n),
            columns.TITLE: _text(raw["title"]),
            columns.AUTHORS: pd.Series(authors, dtype="string"),
            columns.YEAR: pd.Series([normalise_year(y) for y in raw["year"]], dtype="Int64"),
            columns.JOURNAL: _text(raw["journal"]),
            columns.VOLUME: _text(raw["volume"]),
            columns.ISSUE: _text(raw["number"]),
            columns.PAGES: _text(raw["pages"]),
            columns.DOI: pd.Series([normalise_doi(d) for d in raw["doi"]]),
            columns.ABSTRACT: _text(raw["abstract"]),
            columns.RAW: pd.Series([json.dumps(r, sort_keys=True) for r in raw.to_dict("records")]),
        },
        n,
    )


def asreview_datatools_records(root: Path = EXTERNAL) -> pd.DataFrame:
    """ASReview datatools' two RIS files, read with the project's reader, one after the other."""
    from compendium.readers import read_records
    from compendium.records import unique_ids

    folder = root / "asreview-datatools"
    frames = [read_records(folder / f"dataset_{k}.ris") for k in (1, 2)]
    return unique_ids(pd.concat(frames, ignore_index=True))  # as step 01 puts exports together


def pairs_of(clusters: list[list[str]]) -> set[tuple[str, str]]:
    """Every unordered pair of records put together by a clustering, ids ordered."""
    return {tuple(sorted(p)) for ids in clusters for p in combinations(ids, 2)}  # type: ignore[misc]


def clusters_of(duplicates: pd.DataFrame) -> list[list[str]]:
    """The clusters of a ``find_duplicates`` result, as lists of record ids."""
    grouped = duplicates.groupby("cluster_id", sort=True)[columns.RECORD_ID]
    return [sorted(ids) for _, ids in grouped if len(ids) > 1]


def score(found: list[list[str]], truth: list[list[str]]) -> dict[str, float | int]:
    """Sensitivity and false merges, both counted on pairs of records."""
    found_pairs, true_pairs = pairs_of(found), pairs_of(truth)
    hits = len(found_pairs & true_pairs)
    return {
        "true_pairs": len(true_pairs),
        "found_pairs": len(found_pairs),
        "sensitivity": hits / len(true_pairs) if true_pairs else 1.0,
        "false_merges": len(found_pairs - true_pairs),
    }
