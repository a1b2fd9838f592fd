"""Covidence: lists as votes, notes split where the next note begins, RIS variants."""

from __future__ import annotations

import shutil

import pytest

from compendium.screening_tools import DamagedExport, read_tool_export
from compendium.screening_tools.covidence import NotesError, parse_notes

LISTS = (
    "review_4242_excluded_csv_20240601120000.csv",
    "review_4242_irrelevant_csv_20240601120000.csv",
    "review_4242_included_csv_20240601120000.csv",
)


def test_notes_split_on_the_note_pattern_not_on_semicolons():
    reason, notes = parse_notes(
        "Exclusion reason: Wrong design; Joseph Hicks (2025-03-14 02:43:58)(Included): Review; "
        "outbreak numbers cited; Sangeeta Bhatia (2019-08-28 21:49:35)(Select): cfr\n; "
    )
    assert reason == "Wrong design"
    assert [(n["reviewer"], n["stage"], n["text"]) for n in notes] == [
        ("Joseph Hicks", "Included", "Review; outbreak numbers cited"),
        ("Sangeeta Bhatia", "Select", "cfr\n"),
    ]


def test_notes_that_start_with_other_text_are_an_error():
    with pytest.raises(NotesError):
        parse_notes("Something else; ")


def test_three_lists_of_one_review_give_one_vote_per_record(sample):
    export = read_tool_export([sample(name) for name in LISTS])
    assert export.tool == "covidence"
    assert export.lists == {
        LISTS[0]: "excluded",
        LISTS[1]: "irrelevant",
        LISTS[2]: "included",
    }
    votes = export.votes
    assert list(zip(votes.tool_key, votes.decision, votes.stage, strict=True)) == [
        ("#12", "exclude", "Select"),
        ("#15", "exclude", "Select"),
        ("#3", "exclude", "Screen"),
        ("#4", "exclude", "Screen"),
        ("#20", "include", "Select"),
    ]
    assert votes.reviewer.isna().all()
    assert list(votes.reasons) == [("Wrong study design",), ("Wrong population",), (), (), ()]


def test_multiline_notes_with_semicolons_and_accented_names(sample):
    export = read_tool_export(sample(LISTS[0]))
    notes = export.notes
    assert list(zip(notes.reviewer, notes.stage, notes.text, strict=True)) == [
        ("Ana María López", "Select", "not an RCT; see protocol"),
        ("Ben Smith", "Screen", "looks relevant\nbut check design"),
    ]
    assert list(notes.time) == ["2024-03-01T10:15:00", "2024-02-10T09:00:00"]
    assert list(export.records.line) == [2, 4]  # the first record's notes span two lines


def test_accession_prefix_kept_medline_gives_pmid_tags_split(sample):
    export = read_tool_export([sample(name) for name in LISTS])
    records = export.records.set_index("tool_key")
    assert records.loc["#12", "accession"] == "WOS:000123456700001"
    assert records.loc["#12", "labels"] == ("Full text", "Useful")
    assert records.loc["#15", "accession"] == "MEDLINE:31234567"
    assert records.loc["#15", "pmid"] == "31234567"
    assert records.loc["#20", "compendium_id"] == "ovid_medline:000042"
    assert records.loc["#12", "authors"] == "Okafor, A.; Lee, M."
    assert records.loc["#12", "year"] == 2018


def test_list_given_for_a_file_not_named_by_covidence(sample, tmp_path):
    renamed = tmp_path / "excluded at full text.csv"
    shutil.copy(sample(LISTS[0]), renamed)
    unknown = read_tool_export(renamed)
    assert unknown.votes.empty
    assert any("cannot be told" in w for w in unknown.warnings)
    given = read_tool_export(renamed, lists={renamed.name: "excluded"})
    assert list(given.votes.decision) == ["exclude", "exclude"]


def test_unknown_list_name_is_refused(sample):
    with pytest.raises(DamagedExport, match="a Covidence list"):
        read_tool_export(sample(LISTS[0]), lists={LISTS[0]: "extraction"})


def test_a_record_in_two_lists_is_refused(sample, tmp_path):
    copy = tmp_path / "review_4242_irrelevant_csv_20240601130000.csv"
    shutil.copy(sample(LISTS[2]), copy)
    with pytest.raises(DamagedExport, match="in one list only"):
        read_tool_export([sample(LISTS[2]), copy])


def test_damaged_header_named_when_the_tool_is_given(sample):
    with pytest.raises(DamagedExport, match="Covidence's header"):
        read_tool_export(sample("covidence_header_damaged.csv"), tool="covidence")


def test_ris_variant_keyed_by_position_accession_gives_compendium_id(sample):
    name = "covidence_zotero_variant.ris"
    export = read_tool_export(sample(name), lists={name: "included"})
    assert export.tool == "covidence"
    assert list(export.records.tool_key) == [
        "covidence_zotero_variant:1",
        "covidence_zotero_variant:2",
    ]
    assert export.records.compendium_id.iloc[0] == "ovid_medline:000005"
    assert list(export.votes.decision) == ["include", "include"]
