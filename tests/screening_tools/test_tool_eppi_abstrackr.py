"""EPPI-Reviewer (XLSX joined with its RIS) and Abstrackr (a column per reviewer)."""

from __future__ import annotations

import openpyxl
import pytest

from compendium.screening_tools import DamagedExport, ExportsDisagree, read_tool_export


def _sheet(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Included", "ID", "ShortTitle", "Title", "Year"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


SHEET = [
    ["I", 900001, "Okafor (2018)", "Peer support workers in acute care", "2018"],
    ["E", 900002, "Perkins (2020)", "Recovery colleges and peer trainers", "2020"],
]


def test_eppi_sheet_joined_with_its_ris_on_the_item_id(sample, tmp_path):
    sheet = _sheet(tmp_path / "codes.xlsx", SHEET)
    export = read_tool_export([sheet, sample("eppi_items.ris")])
    assert export.tool == "eppi-reviewer"
    assert list(export.records.tool_key) == ["900001", "900002", "900003"]
    assert list(zip(export.votes.tool_key, export.votes.decision, strict=True)) == [
        ("900001", "include"),
        ("900002", "exclude"),
    ]
    assert export.votes.reviewer.isna().all() and export.votes.stage.isna().all()
    first = export.records.iloc[0]
    assert (first.authors, first.doi, first.compendium_id) == (
        "Okafor, A",
        "10.1176/appi.ps.201800001",
        "ovid_medline:000001",
    )
    assert export.warnings == (
        "eppi_items.ris: 1 item(s) not in codes.xlsx: kept as records with no decision",
    )


def test_eppi_sheet_alone_still_gives_votes_with_titles(tmp_path):
    export = read_tool_export(_sheet(tmp_path / "codes.xlsx", SHEET))
    assert list(export.votes.decision) == ["include", "exclude"]
    assert list(export.records.title) == [row[3] for row in SHEET]
    assert list(export.records.line) == [2, 3]  # sheet rows, the header being row 1
    assert export.records.compendium_id.isna().all()


def test_eppi_unknown_included_value_and_id_every_row_listed(tmp_path):
    sheet = _sheet(
        tmp_path / "codes.xlsx", [["X", 1, "A (2000)", "A", "2000"], ["I", "abc", "B", "B", ""]]
    )
    with pytest.raises(DamagedExport) as raised:
        read_tool_export(sheet)
    assert [(p.where, p.value) for p in raised.value.problems] == [("row 2", "X"), ("row 3", "abc")]


def test_eppi_sheet_and_ris_with_different_titles_disagree(sample, tmp_path):
    sheet = _sheet(
        tmp_path / "codes.xlsx", [["I", 900001, "Okafor (2018)", "Another title", "2018"]]
    )
    with pytest.raises(ExportsDisagree, match="900001"):
        read_tool_export([sheet, sample("eppi_items.ris")])


def test_abstrackr_reviewers_times_trailing_section_and_notes(sample):
    export = read_tool_export(sample("abstrackr_two_reviewers.csv"))
    assert export.tool == "abstrackr"
    assert list(export.records.tool_key) == ["501", "502", "503", "504", "505"]
    votes = export.votes
    assert list(zip(votes.tool_key, votes.reviewer, votes.decision, votes.time, strict=True)) == [
        ("501", "ann", "include", "2024-08-15T08:42:23"),
        ("501", "ben", "include", "2024-08-15T09:00:00"),
        ("502", "ann", "include", "2024-08-15T08:43:00"),
        ("502", "ben", "exclude", "2024-08-15T09:01:00"),
        ("503", "ann", "maybe", "2024-08-15T08:44:00"),
    ]  # 'o' is no label; consensus is no one's vote; 504 and 505 are unlabelled
    assert list(zip(export.notes.reviewer, export.notes.field, export.notes.text, strict=True)) == [
        ("ann", "general notes", "looks good"),
        ("ben", "population notes", "adults only"),
    ]
    records = export.records.set_index("tool_key")
    assert records.loc["501", "authors"] == "Okafor, A.; Lee, M."
    assert records.loc["501", "labels"] == ("peer", "rct")
    assert records.loc["501", "compendium_id"] == "ovid_medline:000001"
    assert records.loc["504", "compendium_id"] == "ovid_medline:000004"
    assert records.loc[["501", "502"], "pmid"].isna().all()  # Abstrackr's 0 and "none"


def test_abstrackr_unknown_label_and_consensus_every_row_listed(sample):
    with pytest.raises(DamagedExport) as raised:
        read_tool_export(sample("abstrackr_bad_labels.csv"))
    assert [(p.where, p.value) for p in raised.value.problems] == [
        ("line 2", "5"),
        ("line 3", "q"),
        ("line 5", 7),
    ]
