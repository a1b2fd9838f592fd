"""People's decisions: reading and checking them, applying them, and pending pairs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from dedup_records import BASE, build

from compendium import columns
from compendium.dedup import (
    PendingDecisions,
    empty_decisions,
    find_duplicates,
    read_decisions,
    schema,
    stale_decisions,
    uncertain_pairs,
    write_decision_sheet,
)
from compendium.errors import InputError

HEADER = "record_id_1,record_id_2,decision,reviewer,note\n"
VAGUE = {
    columns.TITLE: BASE[columns.TITLE] + " of services",
    columns.AUTHORS: "Kotera, Y",
    columns.YEAR: 2023,
}


@pytest.fixture
def records() -> pd.DataFrame:
    return build(dict(BASE), VAGUE)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_read_decisions_orders_pairs_and_skips_undecided_rows(tmp_path: Path) -> None:
    table = read_decisions(write(tmp_path, "r2,r1,duplicate,AK,\nr3,r4,,,\n"))
    assert table[[schema.RECORD_ID_1, schema.RECORD_ID_2]].values.tolist() == [["r1", "r2"]]
    assert table.index.tolist() == [2]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("r1,r2,maybe,AK,\n", r"row 2, decision: 'maybe': expected one of"),
        ("r1,r2,duplicate,,\n", r"row 2, reviewer: '': expected the reviewer"),
        ("r1,,duplicate,AK,\n", r"row 2, record_id_2: '': expected a record id"),
        ("r1,r1,duplicate,AK,\n", r"row 2, record_id_2: 'r1': expected an id other"),
        ("r1,r2,duplicate,AK,\nr2,r1,not duplicate,YK,\n", r"row 3.*also decided in row 2"),
    ],
)
def test_invalid_decisions_name_file_line_and_value(
    tmp_path: Path, body: str, message: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(InputError, match=message) as error:
        read_decisions(path)
    assert str(path) in str(error.value)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text("record_id_1,record_id_2,decision\nr1,r2,duplicate\n", encoding="utf-8")
    with pytest.raises(InputError, match="reviewer, note"):
        read_decisions(path)


def test_pending_pairs_stop_the_run_and_are_listed(records: pd.DataFrame) -> None:
    with pytest.raises(PendingDecisions, match="r1  r2") as error:
        find_duplicates(records, decisions=empty_decisions())
    assert error.value.pairs[[schema.RECORD_ID_1, schema.RECORD_ID_2]].values.tolist() == [
        ["r1", "r2"]
    ]
    assert "compendium dedup-sheet" in str(error.value)


def test_without_decisions_uncertain_pairs_stay_apart(records: pd.DataFrame) -> None:
    assert find_duplicates(records)[schema.KEPT].all()


def test_sheet_round_trip_applies_a_duplicate_decision(
    tmp_path: Path, records: pd.DataFrame
) -> None:
    path = write_decision_sheet(uncertain_pairs(records), tmp_path / "sheet.csv")
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert sheet[schema.DECISION].tolist() == [""]
    sheet[schema.DECISION], sheet[schema.REVIEWER] = "duplicate", "AK"
    sheet.to_csv(path, index=False)
    result = find_duplicates(records, decisions=read_decisions(path))
    assert result[schema.CLUSTER_ID].nunique() == 1
    assert result[schema.MATCHED_BY].tolist() == ["", "decision:AK"]


def test_not_duplicate_decision_keeps_records_apart(tmp_path: Path, records) -> None:
    decisions = read_decisions(write(tmp_path, "r1,r2,not duplicate,AK,checked\n"))
    assert find_duplicates(records, decisions=decisions)[schema.KEPT].all()


def test_decision_on_unknown_record_is_an_error(tmp_path: Path, records) -> None:
    decisions = read_decisions(write(tmp_path, "r1,r2,not duplicate,AK,\nr1,r9,duplicate,AK,\n"))
    with pytest.raises(InputError, match=r"line 3, column 'record_id_2': found 'r9'"):
        find_duplicates(records, decisions=decisions)


def test_duplicate_decision_on_an_erratum_and_its_article_is_an_error(tmp_path: Path) -> None:
    records = build(dict(BASE), {**BASE, columns.TITLE: "Erratum: " + BASE[columns.TITLE]})
    decisions = read_decisions(write(tmp_path, "r1,r2,duplicate,AK,\n"))
    with pytest.raises(InputError, match=r"line 2: .*erratum, comment or reply"):
        find_duplicates(records, decisions=decisions)


def test_people_may_join_records_that_conflict_on_doi(tmp_path: Path) -> None:
    # Same title and authors, two DOIs: put to people, who may say they are one work
    conflicting = build(dict(BASE), {**BASE, columns.DOI: "10.1080/0963.other"})
    pairs = uncertain_pairs(conflicting)
    assert pairs[schema.REASON].tolist() == ["same title and authors, DOIs differ"]
    with pytest.raises(PendingDecisions):
        find_duplicates(conflicting, decisions=empty_decisions())
    decisions = read_decisions(write(tmp_path, "r1,r2,duplicate,AK,\n"))
    result = find_duplicates(conflicting, decisions=decisions)
    assert result[schema.MATCHED_BY].tolist() == ["", "decision:AK"]


def test_stale_decisions_are_reported(tmp_path: Path, records) -> None:
    decisions = read_decisions(write(tmp_path, "r1,r2,duplicate,AK,\nr1,r3,duplicate,AK,\n"))
    stale = stale_decisions(records, decisions)
    assert stale[[schema.RECORD_ID_1, schema.RECORD_ID_2]].values.tolist() == [["r1", "r3"]]
