"""Deduplication on the demonstration exports: certain merges, the pairs left to people, and
their decisions, compared with what the generator planted.

The exports are read with the project's readers, as notebook 02 reads them. Most planted
duplicates merge automatically; those of the hard ones
(:data:`~compendium.demo.searches.HARD_VARIATIONS`) that the rules cannot be sure of, the
look-alike traps (:data:`~compendium.demo.searches.LOOK_ALIKES`) and a conference abstract
under its article's title and authors are uncertain pairs, decided in ``dedup/decisions.csv``
by the demonstration reviewers. With those decisions the result is exact: the planted
duplicates are removed, the first-read copy of each publication is kept, and no trap is
merged.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from compendium import dedup, demo, readers
from compendium.dedup import schema
from compendium.demo import searches
from compendium.paths import ROOT

REPORTED = ROOT / "data/raw/reported_numbers.yaml"


@dataclass
class Demo:
    records: pd.DataFrame
    decisions: pd.DataFrame
    truth: dict[str, dict[str, str]]  # record_id -> row of tests/demo_truth/searches.csv


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Demo:
    context = demo.build(REPORTED)
    folder = tmp_path_factory.mktemp("demo-dedup")
    frames = []
    for name in sorted(n for n in context.files if n.startswith("searches/")):
        path = folder / Path(name).name
        path.write_bytes(context.files[name].encode("utf-8"))
        frames.append(readers.read_records(path))
    decisions_file = folder / "decisions.csv"
    decisions_file.write_bytes(context.files["dedup/decisions.csv"].encode("utf-8"))
    rows = csv.DictReader(io.StringIO(context.truth[searches.TRUTH_FILE]))
    return Demo(
        records=pd.concat(frames, ignore_index=True),
        decisions=dedup.read_decisions(decisions_file),
        truth={row["record_id"]: row for row in rows},
    )


@pytest.fixture(scope="module")
def pairs(data) -> pd.DataFrame:
    return dedup.uncertain_pairs(data.records)


def _hard(row: dict[str, str]) -> bool:
    return bool(set(row["variations"].split(";")) & set(searches.HARD_VARIATIONS))


def _same(data: Demo, first: str, second: str) -> bool:
    return data.truth[first]["publication"] == data.truth[second]["publication"]


def _pair_ids(table: pd.DataFrame) -> set[tuple[str, str]]:
    ids = zip(table[schema.RECORD_ID_1], table[schema.RECORD_ID_2], strict=True)
    return {tuple(sorted(pair)) for pair in ids}


def test_the_readers_read_every_planted_record(data):
    assert len(data.records) == 532 == len(data.truth)
    assert set(data.records["record_id"]) == set(data.truth)


def test_a_few_pairs_are_left_to_people_and_each_is_decided(data, pairs):
    assert 4 <= len(pairs) <= 8
    # the reviewers decided every pair the generator planted for people (hard duplicates and
    # look-alikes); every pair the rules ask about must be among them
    assert _pair_ids(pairs) <= _pair_ids(data.decisions)
    assert set(data.decisions[schema.DECISION]) <= {schema.DUPLICATE, schema.NOT_DUPLICATE}


def test_the_decisions_come_from_what_was_planted_not_from_the_matcher(data, monkeypatch):
    from compendium import demo

    monkeypatch.setattr("compendium.dedup.uncertain_pairs", None)  # the generator cannot ask
    context = demo.build(REPORTED)
    written = context.files["dedup/decisions.csv"]
    assert written == (ROOT / "data/raw/dedup/decisions.csv").read_text()
    for row in csv.DictReader(io.StringIO(written)):
        same = _same(data, row["record_id_1"], row["record_id_2"])
        assert row["decision"] == (schema.DUPLICATE if same else schema.NOT_DUPLICATE), row


def test_the_uncertain_pairs_are_hard_duplicates_and_traps(data, pairs):
    hard = {rid for rid, row in data.truth.items() if row["role"] == "duplicate" and _hard(row)}
    look_alikes = {rid for rid, row in data.truth.items() if row["trap"] in searches.LOOK_ALIKES}
    assert 3 <= len(hard) <= 5 and 2 <= len(look_alikes) <= 3
    found_hard, found_traps = set(), set()
    for first, second in _pair_ids(pairs):
        rows = data.truth[first], data.truth[second]
        if _same(data, first, second):
            duplicate = next(r for r in rows if r["role"] == "duplicate")
            assert _hard(duplicate), rows
            found_hard.add(duplicate["record_id"])
        else:
            trap = next(r for r in rows if r["trap"])
            other = rows[1] if trap is rows[0] else rows[0]
            assert trap["trap_of"] == other["publication"], rows
            found_traps.add(trap["record_id"])
    assert found_hard <= hard and len(found_hard) >= 2
    assert look_alikes <= found_traps  # every look-alike is put to people
    assert {data.truth[r]["trap"] for r in found_traps - look_alikes} <= {"conference abstract"}


def test_the_decisions_are_the_truth(data):
    said = dict(
        zip(
            zip(
                data.decisions[schema.RECORD_ID_1], data.decisions[schema.RECORD_ID_2], strict=True
            ),
            data.decisions[schema.DECISION],
            strict=True,
        )
    )
    for (first, second), decision in said.items():
        expected = schema.DUPLICATE if _same(data, first, second) else schema.NOT_DUPLICATE
        assert decision == expected, (first, second)
    decided = list(said.values())
    assert decided.count(schema.DUPLICATE) >= 2 and decided.count(schema.NOT_DUPLICATE) >= 2


def _false_merges(data: Demo, found: pd.DataFrame) -> list[str]:
    return [
        rid
        for rid, cluster in zip(found["record_id"], found["cluster_id"], strict=True)
        if not _same(data, rid, cluster)
    ]


def test_automatic_merges_alone_are_all_true_and_miss_only_the_hard_duplicates(data):
    found = dedup.find_duplicates(data.records)
    assert _false_merges(data, found) == []
    missed = {
        rid
        for rid, kept in zip(found["record_id"], found["kept"], strict=True)
        if kept and data.truth[rid]["role"] == "duplicate"
    }
    hard = {rid for rid, row in data.truth.items() if row["role"] == "duplicate" and _hard(row)}
    assert missed <= hard and missed
    assert int((~found["kept"]).sum()) == 101 - len(missed)


def test_with_the_decisions_exactly_the_planted_duplicates_are_removed(data):
    found = dedup.find_duplicates(data.records, decisions=data.decisions)
    assert int((~found["kept"]).sum()) == 101 and int(found["kept"].sum()) == 431
    assert _false_merges(data, found) == []
    for rid, kept in zip(found["record_id"], found["kept"], strict=True):
        assert kept == (data.truth[rid]["role"] == "first"), rid
    by_decision = found[found["matched_by"].str.startswith("decision:")]
    assert {data.truth[r]["role"] for r in by_decision["record_id"]} == {"duplicate"}
    assert all(_hard(data.truth[r]) for r in by_decision["record_id"])


def test_no_trap_is_merged_with_what_it_resembles(data):
    found = dedup.find_duplicates(data.records, decisions=data.decisions)
    cluster = dict(zip(found["record_id"], found["cluster_id"], strict=True))
    publication_of_cluster = {rid: data.truth[c]["publication"] for rid, c in cluster.items()}
    traps = [row for row in data.truth.values() if row["trap"]]
    assert {row["trap"] for row in traps} == set(searches.TRAPS) | set(searches.LOOK_ALIKES)
    for row in traps:
        assert publication_of_cluster[row["record_id"]] == row["publication"], row
