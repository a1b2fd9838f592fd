"""ASReview: LAB 1.x and LAB 2 dataset exports, and project files built as LAB 2 builds them."""

from __future__ import annotations

import json

import openpyxl
import pytest
from imitations import asreview_project

from compendium.screening_tools import DamagedExport, read_tool_export

DEMO_CSV = (
    "title,abstract,compendium_record_id\n"
    "Peer support workers in acute care,An abstract.,ovid_medline:000001\n"
    "Recovery colleges,,ovid_medline:000002\n"
    "Lithium dosing,,ovid_medline:000003\n"
)
RECORDS = [
    {"record_id": 0, "dataset_row": 0, "title": "Peer support workers in acute care"},
    {"record_id": 1, "dataset_row": 1, "title": "Recovery colleges"},
    {"record_id": 2, "dataset_row": 2, "title": "Lithium dosing"},
]
TAGS = json.dumps(
    [
        {
            "label": "Design",
            "values": [{"label": "RCT", "checked": True}, {"label": "Q", "checked": False}],
        }
    ]
)


def test_lab1_label_column_of_another_name_crlf_and_compendium_column(sample):
    export = read_tool_export(sample("asreview_lab1_dataset.csv"))
    assert export.tool == "asreview"
    assert list(export.records.tool_key) == ["3", "1", "2"]  # file order: labelled first
    assert list(export.records.line) == [2, 4, 5]  # the first abstract spans two lines
    assert list(zip(export.votes.tool_key, export.votes.decision, strict=True)) == [
        ("3", "include"),
        ("1", "exclude"),
    ]  # record 2 was not seen: no vote
    assert export.votes.reviewer.isna().all()
    assert list(export.records.compendium_id.fillna("")) == [
        "ovid_medline:000003",
        "ovid_medline:000001",
        "",
    ]


def test_lab1_unknown_label_values_every_row_listed(sample):
    with pytest.raises(DamagedExport) as raised:
        read_tool_export(sample("asreview_lab1_bad_labels.csv"))
    assert [(p.where, p.value) for p in raised.value.problems] == [
        ("line 3", "2"),
        ("line 4", "yes"),
    ]


def test_lab2_csv_from_its_documentation(sample):
    """asreview_lab2_dataset.csv is ours, made from ASReview's source (no real LAB 2 CSV was
    found): an unnamed index column, labels as pandas writes a float column (1.0, 0.0, empty),
    time, note, a column per tag, user name and e-mail."""
    export = read_tool_export(sample("asreview_lab2_dataset.csv"))
    assert export.tool == "asreview"
    votes = export.votes
    assert list(zip(votes.tool_key, votes.reviewer, votes.decision, votes.time, strict=True)) == [
        ("0", "Ana López", "include", "2025-04-23T18:24:19Z"),
        ("2", "ben@example.org", "exclude", "2025-04-23T18:25:00Z"),
    ]
    assert list(export.notes.text) == ["relevant: peer workers, acute wards"]
    assert export.records.labels.iloc[0] == ("design_rct",)
    assert list(export.records.compendium_id) == [
        "ovid_medline:000001",
        "ovid_medline:000002",
        "ovid_medline:000003",
    ]


def test_project_read_in_memory_null_label_is_no_vote(tmp_path):
    project = asreview_project(
        tmp_path / "review.asreview",
        dataset=("data.csv", DEMO_CSV),
        records=RECORDS,
        results=[
            (2, 1, 1745432659.839991, "a note", TAGS, 3),
            (0, 0, 1745432662.0, None, "[]", None),
            (1, None, None, None, None, None),  # shown to the screener, not yet labelled
        ],
    )
    export = read_tool_export(project)
    assert export.tool == "asreview"
    assert list(export.records.tool_key) == ["0", "1", "2"]
    assert list(export.records.compendium_id) == [
        "ovid_medline:000001",
        "ovid_medline:000002",
        "ovid_medline:000003",
    ]
    votes = export.votes
    reviewers = votes.reviewer.fillna("(none)")
    assert list(zip(votes.tool_key, votes.decision, reviewers, votes.line, strict=True)) == [
        ("2", "include", "user 3", 1),
        ("0", "exclude", "(none)", 2),
    ]
    assert votes.time.iloc[0] == "2025-04-23T18:24:19.839991Z"
    assert votes.file.iloc[0].startswith("review.asreview/reviews/")
    assert export.records.labels.iloc[2] == ("Design: RCT",)
    assert list(export.notes.text) == ["a note"]
    assert not list(tmp_path.glob("*.db"))  # nothing extracted beside the project


def test_project_label_outside_0_and_1_is_an_error(tmp_path):
    project = asreview_project(
        tmp_path / "bad.asreview",
        dataset=("data.csv", DEMO_CSV),
        records=RECORDS,
        results=[
            (0, 2, 1.0, None, "[]", None),
            (1, 1, 2.0, None, "[]", None),
            (7, 1, 3.0, None, "[]", None),
        ],
    )
    with pytest.raises(DamagedExport) as raised:
        read_tool_export(project)
    assert [(p.where, p.value) for p in raised.value.problems] == [("row 1", 2), ("row 3", 7)]


def test_lab1_project_is_refused_with_what_to_do(tmp_path):
    project = asreview_project(
        tmp_path / "old.asreview",
        dataset=("data.csv", DEMO_CSV),
        records=RECORDS,
        results=[],
        version="1.5",
    )
    with pytest.raises(DamagedExport, match="LAB 2 opens and upgrades"):
        read_tool_export(project)


def test_lab2_excel_export_read_as_its_csv(tmp_path):
    """ASReview also exports the dataset as XLSX (its ExcelWriter: the same columns)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([None, "title", "compendium_record_id", "asreview_label", "asreview_time"])
    sheet.append([0, "Peer support", "ovid_medline:000001", 1, "2025-04-23 18:24:19"])
    sheet.append([1, "Recovery colleges", "ovid_medline:000002", None, None])
    sheet.append([2, "Lithium dosing", "ovid_medline:000003", 0.0, "2025-04-23 18:25:00"])
    path = tmp_path / "asreview_relevant+irrelevant_review.xlsx"
    workbook.save(path)
    export = read_tool_export(path)
    assert export.tool == "asreview"
    assert list(zip(export.votes.tool_key, export.votes.decision, strict=True)) == [
        ("0", "include"),
        ("2", "exclude"),
    ]
    assert list(export.records.line) == [2, 3, 4]  # sheet rows
    assert export.records.compendium_id.iloc[1] == "ovid_medline:000002"
