"""Recognising the tool from content, and refusing what is no tool's export."""

from __future__ import annotations

import shutil

import pytest

from compendium.errors import InputError
from compendium.screening_tools import NotAToolExport, read_tool_export, recognise_tool

OURS = {
    "rayyan_names_spaces_dots.csv": "rayyan",
    "rayyan_labels_only_2021.csv": "rayyan",
    "rayyan_leading_space_n1.ris": "rayyan",
    "rayyan_export.bib": "rayyan",
    "rayyan_stages_log.csv": "rayyan",
    "review_4242_excluded_csv_20240601120000.csv": "covidence",
    "covidence_zotero_variant.ris": "covidence",
    "asreview_lab1_dataset.csv": "asreview",
    "asreview_lab2_dataset.csv": "asreview",
    "eppi_items.ris": "eppi-reviewer",
    "abstrackr_two_reviewers.csv": "abstrackr",
    "not_a_tool_export.csv": None,
    "covidence_header_damaged.csv": None,
}


@pytest.mark.parametrize(("name", "tool"), OURS.items())
def test_each_fixture_recognised_from_content(sample, tmp_path, name, tool):
    # the name decides nothing: the same content under another name is the same tool
    renamed = tmp_path / "download (3).txt"
    shutil.copy(sample(name), renamed)
    assert recognise_tool(sample(name)) == tool
    assert recognise_tool(renamed) == tool


def test_no_tool_export_is_refused_saying_what_was_looked_for(sample):
    with pytest.raises(NotAToolExport) as raised:
        read_tool_export(sample("not_a_tool_export.csv"))
    problem = raised.value.problems[0]
    assert (problem.file, problem.where, problem.value) == (
        "not_a_tool_export.csv",
        "line 1",
        "title,authors,year",
    )
    assert "Covidence CSV (its 16-column header)" in problem.expected
    assert isinstance(raised.value, InputError)


def test_files_of_two_tools_are_refused(sample):
    with pytest.raises(NotAToolExport, match=r"rayyan_export.bib \(rayyan\)"):
        read_tool_export([sample("rayyan_export.bib"), sample("abstrackr_two_reviewers.csv")])


def test_a_tool_named_against_the_content_is_refused(sample):
    with pytest.raises(NotAToolExport, match="its content is rayyan's"):
        read_tool_export(sample("rayyan_export.bib"), tool="covidence")


def test_an_unknown_tool_name_is_refused(sample):
    with pytest.raises(NotAToolExport, match="one of rayyan, covidence"):
        read_tool_export(sample("rayyan_export.bib"), tool="distillersr")


def test_a_format_the_named_tool_does_not_export_is_refused(tmp_path):
    ris = tmp_path / "records.ris"
    ris.write_text("TY  - JOUR\nTI  - A title\nER  - \n", encoding="utf-8")
    assert recognise_tool(ris) is None
    with pytest.raises(NotAToolExport, match="a file abstrackr exports"):
        read_tool_export(ris, tool="abstrackr")
    assert read_tool_export(ris, tool="covidence").records.title.tolist() == ["A title"]


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="missing"):
        read_tool_export(tmp_path / "nowhere.csv")
