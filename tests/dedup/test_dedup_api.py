"""find_duplicates, uncertain_pairs and merged_records: shape, rules and determinism."""

from __future__ import annotations

import pandas as pd
import pytest
from dedup_records import BASE, build, variant

from compendium import columns
from compendium.dedup import (
    find_duplicates,
    merged_records,
    schema,
    uncertain_pairs,
)
from compendium.errors import InputError

OTHER = {
    columns.TITLE: "Training peer support workers: a mixed-methods evaluation",
    columns.AUTHORS: "Smith, Jane; Brown, Alex",
    columns.YEAR: 2019,
    columns.JOURNAL: "Psychiatric Services",
    columns.VOLUME: "70",
    columns.PAGES: "12-19",
}


def records_with_one_duplicate() -> pd.DataFrame:
    sparse = variant(
        **{columns.DOI: pd.NA, columns.JOURNAL: "J Ment Health", columns.PAGES: "745-59"}
    )
    complete = variant(**{columns.ABSTRACT: "Peer support workers ..."})
    return build(sparse, OTHER, complete)


def test_one_row_per_record_in_input_order() -> None:
    records = records_with_one_duplicate()
    result = find_duplicates(records)
    assert list(result.columns) == list(schema.DUPLICATE_COLUMNS)
    assert result[columns.RECORD_ID].tolist() == records[columns.RECORD_ID].tolist()
    assert result.groupby(schema.CLUSTER_ID)[schema.KEPT].sum().eq(1).all()


def test_kept_record_is_the_first_read_even_if_sparser_and_names_the_cluster() -> None:
    # r1 lacks the DOI and abstract that r3 has: it is kept all the same, because screening
    # decisions are keyed by the kept id, which must not move when a fuller copy turns up
    result = find_duplicates(records_with_one_duplicate()).set_index(columns.RECORD_ID)
    assert result.loc["r1", schema.KEPT]
    assert not result.loc["r3", schema.KEPT]
    assert result.loc["r3", schema.CLUSTER_ID] == "r1"
    assert result.loc["r3", schema.DUPLICATE_OF] == "r1"
    assert result.loc["r3", schema.MATCHED_BY] == "title+authors+year+journal+pages"
    assert result.loc["r1", schema.MATCHED_BY] == ""
    assert result.loc["r2", schema.MATCHED_BY] == ""


def test_doi_match_is_named() -> None:
    records = build(dict(BASE), variant(**{columns.TITLE: BASE[columns.TITLE].upper()}))
    assert find_duplicates(records)[schema.MATCHED_BY].tolist() == ["", "doi"]


def test_ties_keep_the_first_record() -> None:
    records = build(dict(BASE), dict(BASE))
    assert find_duplicates(records)[schema.KEPT].tolist() == [True, False]


def test_merged_records_fill_missing_fields_from_duplicates() -> None:
    sparse = variant(**{columns.ABSTRACT: pd.NA, columns.PMID: pd.NA})
    rich = variant(
        **{
            columns.ABSTRACT: "An abstract",
            columns.PMID: "123",
            columns.DOI: pd.NA,
            columns.ISSUE: pd.NA,
        }
    )  # as complete as ``sparse`` (8 fields): the first in input order is kept
    records = build(sparse, OTHER, rich)
    duplicates = find_duplicates(records)
    merged = merged_records(records, duplicates)
    assert len(merged) == duplicates[schema.KEPT].sum() == 2
    kept = merged.set_index(columns.RECORD_ID).loc["r1"]
    assert kept[columns.ABSTRACT] == "An abstract"
    assert kept[columns.DOI] == BASE[columns.DOI]
    assert kept[columns.PMID] == "123"


def test_result_does_not_depend_on_input_order() -> None:
    records = records_with_one_duplicate()
    forward = find_duplicates(records).set_index(columns.RECORD_ID)
    backward = find_duplicates(records.iloc[::-1].reset_index(drop=True))
    backward = backward.set_index(columns.RECORD_ID)
    together = forward[schema.CLUSTER_ID].map(backward[schema.CLUSTER_ID])
    assert together.groupby(forward[schema.CLUSTER_ID]).nunique().eq(1).all()
    assert forward[schema.CLUSTER_ID].nunique() == backward[schema.CLUSTER_ID].nunique()


def test_uncertain_pair_is_listed_with_similarities_and_not_merged() -> None:
    # Same title and year, but one record has no journal, pages or volume and other authors.
    vague = {
        columns.TITLE: BASE[columns.TITLE] + " of services",
        columns.AUTHORS: "Kotera, Y",
        columns.YEAR: 2023,
    }
    records = build(dict(BASE), vague)
    pairs = uncertain_pairs(records)
    assert pairs[[schema.RECORD_ID_1, schema.RECORD_ID_2]].values.tolist() == [["r1", "r2"]]
    assert set(schema.UNCERTAIN_COLUMNS) <= set(pairs.columns)
    assert pairs.loc[0, schema.SIM_TITLE] >= 85
    assert find_duplicates(records)[schema.KEPT].all()


def test_repeated_record_id_is_an_input_error() -> None:
    records = build(dict(BASE), {columns.RECORD_ID: "r1", **OTHER})
    with pytest.raises(InputError, match="r1"):
        find_duplicates(records)


def test_blocking_stays_linear_on_a_common_first_author() -> None:
    from compendium.dedup.match import candidate_pairs, prepare

    common = {columns.AUTHORS: "Wang, L", columns.YEAR: 2020}
    many = [{columns.TITLE: f"Study number {k} of peer work", **common} for k in range(400)]
    pairs = candidate_pairs(prepare(build(*many)))
    assert len(pairs) < 400 * 30  # all pairs would be 79,800
