"""The compendium's records written for the tools, and read back through an imitation of
each tool: every record comes back with its record_id.

The imitations (``imitations.py``) follow each tool's source code or its real exports; none
is the real tool. Which is which is said in each imitation's docstring and in the package's
README ("Round trips").
"""

from __future__ import annotations

import pandas as pd
import pytest
from imitations import (
    abstrackr_export,
    asreview_lab1_export,
    asreview_lab2_export,
    asreview_project,
    covidence_list_export,
    csv_records,
    eppi_export,
    rayyan_ris_export,
)

from compendium import columns as col
from compendium.errors import InputError
from compendium.readers import read_records
from compendium.screening_tools import read_tool_export, write_records_for_tools
from compendium.screening_tools.common import compendium_ids

RECORDS = pd.DataFrame(
    {
        col.RECORD_ID: ["ovid_medline:000001", "ovid_psycinfo:000002", "scopus:000003"],
        col.TITLE: [
            "Peer support workers in acute care",
            "Recovery colleges, peer trainers; and hope",
            "Intentional peer support: a scoping review",
        ],
        col.AUTHORS: ["Okafor, A.; Lee, M.", "Perkins, Rachel", pd.NA],
        col.YEAR: pd.array([2018, 2020, pd.NA], dtype="Int64"),
        col.JOURNAL: ["Psychiatric Services", "BJPsych Open", pd.NA],
        col.VOLUME: ["69", pd.NA, pd.NA],
        col.ISSUE: ["6", pd.NA, pd.NA],
        col.PAGES: ["600-605", "e12", pd.NA],
        col.DOI: ["10.1176/appi.ps.201800001", pd.NA, "10.1002/jcop.22001"],
        col.PMID: ["29000001", pd.NA, pd.NA],
        col.ABSTRACT: ["Two lines\nof abstract.", pd.NA, "An abstract, with commas; and more."],
    }
)
IDS = list(RECORDS[col.RECORD_ID])


@pytest.fixture(scope="module")
def written() -> tuple[str, str]:
    return write_records_for_tools(RECORDS)


def _ids(export) -> list[str]:
    return list(export.records.compendium_id)


# --- the writer -----------------------------------------------------------------------------
def test_written_files_are_the_same_bytes_each_time(written):
    assert write_records_for_tools(RECORDS) == written
    ris, text = written
    assert "\r" not in ris + text


def test_ris_marks_n1_kw_and_an_and_reads_back_as_records(written, tmp_path):
    ris, _ = written
    for tag in ("N1", "KW", "AN"):
        assert f"{tag}  - compendium-record-id: ovid_medline:000001" in ris
    path = tmp_path / "records.ris"
    path.write_text(ris, encoding="utf-8")
    back = read_records(path)
    assert list(back[col.TITLE]) == list(RECORDS[col.TITLE])
    assert list(back[col.DOI].fillna("")) == list(RECORDS[col.DOI].fillna(""))
    assert list(back[col.AUTHORS].fillna("")) == list(RECORDS[col.AUTHORS].fillna(""))
    assert back[col.ABSTRACT].iloc[0] == "Two lines of abstract."


def test_csv_has_the_id_column_and_marks(written):
    _, text = written
    header, rows = csv_records(text)
    assert header[0] == "compendium_record_id"
    assert [row[0] for row in rows] == IDS
    assert rows[0][header.index("keywords")] == "compendium-record-id: ovid_medline:000001"


@pytest.mark.parametrize(
    "bad",
    ["a,b", "a;b", "a|b", "line\nbreak", " padded", "Černý:000001", ""],
)
def test_ids_the_tools_would_cut_are_refused(bad):
    records = RECORDS.copy()
    records.loc[1, col.RECORD_ID] = bad
    with pytest.raises(InputError, match="record 2"):
        write_records_for_tools(records)


def test_repeated_ids_are_refused():
    records = RECORDS.copy()
    records.loc[2, col.RECORD_ID] = IDS[0]
    with pytest.raises(InputError, match="given twice"):
        write_records_for_tools(records)


@pytest.mark.parametrize(
    "text",
    [
        "compendium-record-id: scopus:000003",
        "compendium-record-id:scopus:000003 ",
        "peer support,compendium-record-id: scopus:000003,psychosis",  # Abstrackr keywords
        "compendium-record-id: scopus:000003;peer support",  # Rayyan CSV keywords
        "compendium-record-id: scopus:000003 | PMID: 29000001",  # notes joined by " | "
        "Export Date: 2022\ncompendium-record-id: scopus:000003\nSource: Scopus",
    ],
)
def test_marker_ends_where_the_tools_join_values(text):
    assert compendium_ids([text]) == ["scopus:000003"]


def test_two_different_marks_on_one_record_are_both_found():
    assert compendium_ids(["compendium-record-id: a:1", "compendium-record-id: b:2"]) == [
        "a:1",
        "b:2",
    ]


# --- through each tool ----------------------------------------------------------------------
def test_asreview_lab1_round_trip(written, tmp_path):
    path = tmp_path / "asreview_dataset_all_review.csv"
    path.write_text(asreview_lab1_export(written[1], {2: 1, 0: 0}), encoding="utf-8", newline="")
    export = read_tool_export(path)
    assert export.tool == "asreview"
    assert sorted(_ids(export)) == sorted(IDS)
    decided = dict(zip(export.votes.tool_key, export.votes.decision, strict=True))
    by_key = dict(zip(export.records.tool_key, export.records.compendium_id, strict=True))
    assert {by_key[k]: d for k, d in decided.items()} == {IDS[2]: "include", IDS[0]: "exclude"}


def test_asreview_lab2_round_trip(written, tmp_path):
    path = tmp_path / "asreview_relevant+not_seen+irrelevant_review.csv"
    path.write_text(asreview_lab2_export(written[1], {1: 1, 2: 0}, "Ana"), encoding="utf-8")
    export = read_tool_export(path)
    assert sorted(_ids(export)) == sorted(IDS)
    assert set(export.votes.reviewer) == {"Ana"}


@pytest.mark.parametrize("kind", ["csv", "ris"])
def test_asreview_project_round_trip(written, tmp_path, kind):
    ris, text = written
    dataset = ("records.csv", text) if kind == "csv" else ("records.ris", ris)
    records = [
        {"record_id": i, "dataset_row": i, "title": t} for i, t in enumerate(RECORDS[col.TITLE])
    ]
    path = asreview_project(
        tmp_path / "review.asreview",
        dataset=dataset,
        records=records,
        results=[(1, 1, 1746100000.0, None, "[]", 4)],
    )
    export = read_tool_export(path)
    assert _ids(export) == IDS
    assert list(export.votes.tool_key) == ["1"]


def test_abstrackr_round_trip(written, tmp_path):
    path = tmp_path / "labels_77.csv"
    path.write_text(abstrackr_export(written[0], {1: 1, 3: -1}, "ann"), encoding="utf-8")
    export = read_tool_export(path)
    assert export.tool == "abstrackr"
    assert sorted(_ids(export)) == sorted(IDS)
    decided = dict(zip(export.votes.tool_key, export.votes.decision, strict=True))
    by_key = dict(zip(export.records.tool_key, export.records.compendium_id, strict=True))
    assert {by_key[k]: d for k, d in decided.items()} == {IDS[0]: "include", IDS[2]: "exclude"}


def test_rayyan_round_trip(written, tmp_path):
    path = tmp_path / "articles.ris"
    decisions = {1: {"Ann": "Included"}, 2: {"Ann": "Excluded", "Bo": "Maybe"}}
    path.write_text(rayyan_ris_export(written[0], decisions), encoding="utf-8")
    export = read_tool_export(path)
    assert export.tool == "rayyan"
    assert _ids(export) == IDS
    assert len(export.votes) == 3


def test_covidence_round_trip(written, tmp_path):
    path = tmp_path / "review_99_included_csv_20250101000000.csv"
    path.write_text(covidence_list_export(written[0], [1, 2, 3]), encoding="utf-8")
    export = read_tool_export(path)
    assert export.tool == "covidence"
    assert _ids(export) == IDS
    assert set(export.votes.decision) == {"include"}


def test_eppi_round_trip(written, tmp_path):
    sheet, ris = eppi_export(written[0], {1: "I", 2: "E", 3: "I"}, tmp_path)
    export = read_tool_export([sheet, ris])
    assert export.tool == "eppi-reviewer"
    assert _ids(export) == IDS
    assert list(export.votes.decision) == ["include", "exclude", "include"]
