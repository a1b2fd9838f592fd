"""Real labelled screening sets (../shared/external) through the screening ledger and flow.

Each set's labels become the decision sheets a team would have kept; the ledger and the PRISMA
counts must then give the totals the set's source reports.
"""

from __future__ import annotations

import pandas as pd
import pytest

from compendium import columns as col
from compendium import flow
from compendium import ledger as lg
from compendium import screening as s
from support import one_database_protocol

pytestmark = pytest.mark.external


def decisions(ids: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """A decision sheet as a team keeps it: one row per record, 1 = include, 0 = exclude."""
    return pd.DataFrame(
        {
            "row": range(2, len(ids) + 2),
            col.RECORD_ID: ids.astype(str).to_numpy(),
            col.DECISION: [s.INCLUDE if int(label) == 1 else s.EXCLUDE for label in labels],
            col.REASON: "",
        }
    )


def no_other_sources() -> pd.DataFrame:
    columns = [
        col.PUBLICATION_ID,
        col.TITLE,
        col.DECISION,
        col.REASON,
        col.PUBLICATION_TYPE,
        col.SOURCE,
    ]
    return pd.DataFrame(columns=columns)


def select(
    records: pd.DataFrame, duplicates: pd.DataFrame, ta: pd.DataFrame, ft: pd.DataFrame, tmp_path
):
    """Checked title/abstract and full-text sheets, the ledger and its flow counts."""
    removed = dict(
        zip(
            duplicates.loc[~duplicates["kept"], col.RECORD_ID],
            duplicates.loc[~duplicates["kept"], col.DUPLICATE_OF],
            strict=True,
        )
    )
    kept = records[records[col.RECORD_ID].isin(duplicates.loc[duplicates["kept"], col.RECORD_ID])]
    ta = s.title_abstract_outcomes(kept, ta, removed)
    sent = list(ta.loc[ta[col.DECISION].map(s.progresses), col.RECORD_ID])
    ft = s.full_text_outcomes(
        ft, sent, {"x": "excluded at full text"}, removed, set(kept[col.RECORD_ID])
    )
    review = one_database_protocol(records[col.DATABASE].iloc[0], "searched", tmp_path)
    ledger = lg.build(records, kept, duplicates, ta, ft, no_other_sources(), "study")
    return ledger, flow.counts(ledger, ["x"], review)


def unique(records: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({col.RECORD_ID: records[col.RECORD_ID], "kept": True, col.DUPLICATE_OF: ""})


def test_cohen_2006_adhd_851_records_84_abstract_inclusions_20_included(external, tmp_path):
    table = pd.read_csv(external / "asreview-sr-datasets/Cohen_2006_ADHD/ADHD.csv")
    records = pd.DataFrame(
        {
            col.RECORD_ID: table["record_id"].astype(str),
            col.DATABASE: "PubMed",
            col.TITLE: table["title"],
        }
    )
    ta = decisions(table["record_id"], table["label_abstract_screening"])
    passed = table[table["label_abstract_screening"] == 1]
    ft = decisions(passed["record_id"], passed["label_included"])
    ft[col.REASON] = ["" if d == s.INCLUDE else "x" for d in ft[col.DECISION]]
    ledger, counts = select(records, unique(records), ta, ft, tmp_path)
    assert len(ledger) == len(records) == 851
    assert counts.records_screened == 851
    assert counts.reports_assessed == 84
    assert counts.studies_included_from_databases == 20
    assert counts.reports_excluded == 64
    assert flow.arithmetic(counts) == []


def test_bannach_brown_2019_1993_records_280_included(external, tmp_path):
    table = pd.read_csv(external / "asreview-sr-datasets/Bannach-Brown_2019/Bannach-Brown_2019.csv")
    records = pd.DataFrame(
        {
            col.RECORD_ID: table["record_id"].astype(str),
            col.DATABASE: "PubMed",
            col.TITLE: table["title"],
        }
    )
    # one screening stage: an included record is included at title/abstract and in full
    ta = decisions(table["record_id"], table["label_included"])
    included = table[table["label_included"] == 1]
    ft = decisions(included["record_id"], included["label_included"])
    ledger, counts = select(records, unique(records), ta, ft, tmp_path)
    assert len(ledger) == 1993
    assert counts.records_screened == 1993
    assert counts.studies_included_from_databases == 280
    assert flow.arithmetic(counts) == []


@pytest.mark.parametrize(
    "name,records_n,included_n",
    [
        ("Sep_2021", 271, 40),
        ("Oud_2018", 952, 20),
        ("van_der_Valk_2021", 725, 89),
        ("van_de_Schoot_2018", 4544, 38),
    ],
)
def test_synergy_id_lists_give_their_readme_totals(external, name, records_n, included_n, tmp_path):
    # rows are records; rows sharing an OpenAlex id are duplicates of the first one; rows with
    # no OpenAlex id cannot be identified and are not records of the set (as its README counts)
    table = pd.read_csv(external / f"synergy/{name}_ids.csv", dtype=str, keep_default_na=False)
    table = table[table["openalex_id"] != ""].reset_index(drop=True)
    table["record_id"] = [f"{name}:{i:05d}" for i in range(len(table))]
    first = table.groupby("openalex_id")["record_id"].transform("first")
    records = pd.DataFrame(
        {
            col.RECORD_ID: table["record_id"],
            col.DATABASE: "OpenAlex",
            col.TITLE: table["openalex_id"],
        }
    )
    duplicates = pd.DataFrame(
        {
            col.RECORD_ID: table["record_id"],
            "kept": table["record_id"] == first,
            col.DUPLICATE_OF: first.where(table["record_id"] != first, ""),
        }
    )
    # a publication is included when any of its rows says so
    label = table.groupby("openalex_id")["label_included"].transform(
        lambda labels: int((labels.astype(int) == 1).any())
    )
    kept = duplicates["kept"].to_numpy()
    ta = decisions(table.loc[kept, "record_id"], label[kept])
    included = table.loc[kept & (label == 1).to_numpy(), "record_id"]
    ft = decisions(included, pd.Series([1] * len(included)))
    ledger, counts = select(records, duplicates, ta, ft, tmp_path)
    assert (ledger[col.OUTCOME] == lg.DUPLICATE).sum() == len(table) - records_n
    assert counts.records_screened == records_n
    assert counts.studies_included_from_databases == included_n
    assert counts.identified - counts.duplicates_removed == records_n
    assert flow.arithmetic(counts) == []
