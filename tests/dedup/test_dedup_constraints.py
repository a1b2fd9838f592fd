"""Hard constraints: records that conflict are never one cluster, even through a third.

Each case has a control: without the conflict the same records do merge, so every
"not merged" assertion can fail.
"""

from __future__ import annotations

import pandas as pd
import pytest
from dedup_records import BASE, build, variant

from compendium import columns
from compendium.dedup import find_duplicates, schema, uncertain_pairs


def clusters(records: pd.DataFrame) -> int:
    return find_duplicates(records)[schema.CLUSTER_ID].nunique()


def test_control_the_same_publication_twice_merges() -> None:
    records = build(dict(BASE), variant(**{columns.DOI: pd.NA, columns.PAGES: "745-59"}))
    assert clusters(records) == 1


@pytest.mark.parametrize(
    "conflict",
    [
        {columns.DOI: "10.1080/09638237.2023.9999"},
        {columns.YEAR: 2021},
        {columns.VOLUME: "33"},
        {columns.PAGES: "845-859"},
        {columns.TITLE: "Erratum: " + BASE[columns.TITLE]},
        {columns.TITLE: "Comment on: " + BASE[columns.TITLE]},
        {columns.TITLE: "Reply to: " + BASE[columns.TITLE]},
    ],
    ids=["doi", "year", "volume", "pages", "erratum", "comment", "reply"],
)
def test_conflicting_records_are_never_merged(conflict: dict) -> None:
    records = build(dict(BASE), variant(**conflict))
    assert clusters(records) == 2
    assert find_duplicates(records)[schema.KEPT].all()


def test_two_pmids_are_not_a_conflict_a_database_can_index_an_article_twice() -> None:
    records = build(
        variant(**{columns.PMID: "11111111"}),
        variant(**{columns.PMID: "12345678", columns.TITLE: BASE[columns.TITLE] + "."}),
    )
    assert clusters(records) == 1


def test_year_one_apart_is_not_a_conflict() -> None:
    records = build(dict(BASE), variant(**{columns.YEAR: 2022}))
    assert clusters(records) == 1


def test_conflict_holds_through_a_third_record() -> None:
    # A and C differ on DOI; B, without DOI, matches both by title, authors and journal.
    a = variant(**{columns.DOI: "10.1080/0963.a", columns.VOLUME: pd.NA, columns.PAGES: pd.NA})
    b = variant(**{columns.DOI: pd.NA, columns.VOLUME: pd.NA, columns.PAGES: pd.NA})
    c = variant(**{columns.DOI: "10.1080/0963.c", columns.VOLUME: pd.NA, columns.PAGES: pd.NA})
    records = build(a, b, c)
    result = find_duplicates(records).set_index(columns.RECORD_ID)[schema.CLUSTER_ID]
    assert result["r1"] != result["r3"]
    assert result["r2"] in (result["r1"], result["r3"])  # B joins one of them, not both


def test_pairwise_control_for_the_transitive_case() -> None:
    a = variant(**{columns.DOI: "10.1080/0963.a", columns.VOLUME: pd.NA, columns.PAGES: pd.NA})
    b = variant(**{columns.DOI: pd.NA, columns.VOLUME: pd.NA, columns.PAGES: pd.NA})
    assert clusters(build(a, b)) == 1


@pytest.mark.parametrize(
    "first,second",
    [
        (
            "12-month outcomes of a randomised controlled trial",
            "24-month outcomes of a randomised controlled trial",
        ),
        ("part 1: rationale and design", "part 2: rationale and design"),
    ],
)
def test_titles_alike_but_for_a_number_are_not_merged_without_pages(first, second) -> None:
    # two papers of one trial in one volume, no pages or DOI: only a person can tell
    base = "Peer support for adults with psychosis (PEERWAY): "
    common = {columns.DOI: pd.NA, columns.PAGES: pd.NA, columns.PMID: pd.NA}
    records = build(
        variant(**common, **{columns.TITLE: base + first}),
        variant(**common, **{columns.TITLE: base + second}),
    )
    assert clusters(records) == 2
    pairs = uncertain_pairs(records)
    assert len(pairs) == 1, "the pair should be put to people"
