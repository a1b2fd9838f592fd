"""Accuracy on the labelled sets of ../shared/external, counted on pairs of records."""

from __future__ import annotations

from pathlib import Path

import dedup_sets as sets
import pytest

from compendium.dedup import find_duplicates, schema, uncertain_pairs

pytestmark = pytest.mark.external


@pytest.mark.parametrize("name", sorted(sets.BIB_DEDUPE_SENSITIVITY))
def test_bib_dedupe_sets_no_false_merge_and_sensitivity(external: Path, name: str) -> None:
    records = sets.bib_dedupe_records(name, external)
    score = sets.score(
        sets.clusters_of(find_duplicates(records)), sets.bib_dedupe_truth(name, external)
    )
    assert score["false_merges"] == 0
    assert score["sensitivity"] >= sets.BIB_DEDUPE_SENSITIVITY[name]


def test_special_cases_no_false_merge_and_true_pairs_asked(external: Path) -> None:
    records = sets.bib_dedupe_records("special_cases", external)
    truth = sets.bib_dedupe_truth("special_cases", external)
    score = sets.score(sets.clusters_of(find_duplicates(records)), truth)
    assert score["false_merges"] == 0
    # Conference paper and proceedings entry: uncertain, so each must be put to a person.
    pairs = uncertain_pairs(records)
    asked = set(zip(pairs[schema.RECORD_ID_1], pairs[schema.RECORD_ID_2], strict=True))
    assert sets.pairs_of(truth) <= asked


def test_asreview_datatools_two_files_hold_eleven_publications(external: Path) -> None:
    pytest.importorskip("compendium.readers")
    records = sets.asreview_datatools_records(external)
    result = find_duplicates(records)
    assert len(records) == 14
    assert result[schema.KEPT].sum() == 11


def test_asysd_unique_records_within_one_percent(external: Path) -> None:
    records = sets.asysd_records(external)
    unique = int(find_duplicates(records)[schema.KEPT].sum())
    assert abs(unique - sets.ASYSD_UNIQUE) <= 0.01 * sets.ASYSD_UNIQUE
