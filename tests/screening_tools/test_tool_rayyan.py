"""Rayyan: one fixture of our own per quirk of its notes, its log and their combination."""

from __future__ import annotations

import shutil

import pytest

from compendium.screening_tools import (
    RECORD_COLUMNS,
    VOTE_COLUMNS,
    DamagedExport,
    ExportsDisagree,
    read_tool_export,
)
from compendium.screening_tools.rayyan import NotesError, parse_notes, parse_ruby_hash


def _votes(export):
    return sorted(
        zip(export.votes.tool_key, export.votes.reviewer, export.votes.decision, strict=True)
    )


# --- the notes ------------------------------------------------------------------------------
def test_ruby_hash_names_with_dots_spaces_and_a_trailing_space():
    text = '{"Dr. A. Okafor"=>"Included", "Fagner "=>"Excluded", "m.el-gohary"=>"Maybe"}'
    value, end = parse_ruby_hash(text)
    assert value == {"Dr. A. Okafor": "Included", "Fagner ": "Excluded", "m.el-gohary": "Maybe"}
    assert end == len(text)


def test_ruby_hash_arrays_and_escapes_read_as_ruby_writes_them():
    value, _ = parse_ruby_hash(r'{"A"=>["P 94\\nCS 7.8", "a \"b\" \u00e9 \u{1F600}", "x\ny"]}')
    assert value == {"A": ("P 94\\nCS 7.8", 'a "b" é \U0001f600', "x\ny")}


@pytest.mark.parametrize(
    "text",
    ['{"A"=>"Included"', '{"A"="Included"}', '{"A"=>Included}', '{"A"=>"x", "A"=>"y"}', '["A"]'],
)
def test_ruby_hash_that_does_not_parse_is_an_error(text):
    with pytest.raises(NotesError):
        parse_ruby_hash(text)


def test_notes_sections_in_order_with_the_imported_note_first():
    notes = parse_notes(
        'Export Date: 1 May 2022 | RAYYAN-INCLUSION: {"A"=>"Excluded"} | '
        "RAYYAN-LABELS: a label,b | RAYYAN-EXCLUSION-REASONS: wrong population,foreign language"
        ' | USER-NOTES: {"A"=>["note"]}'
    )
    assert notes.original == "Export Date: 1 May 2022"
    assert notes.inclusion == {"A": "Excluded"}
    assert notes.labels == ("a label", "b")
    assert notes.reasons == ("wrong population", "foreign language")
    assert notes.user_notes == {"A": ("note",)}


def test_notes_with_labels_only_and_a_trailing_space_before_the_end():
    notes = parse_notes("RAYYAN-LABELS: M.el-G please review,need to see full text ")
    assert notes.inclusion is None
    assert notes.labels == ("M.el-G please review", "need to see full text")


def test_notes_without_any_rayyan_section_are_the_imported_note():
    notes = parse_notes("pictorial; standards. Journal Subset: USA | more")
    assert notes.original == "pictorial; standards. Journal Subset: USA | more"
    assert notes.inclusion is None


# --- the articles file ----------------------------------------------------------------------
def test_csv_names_with_spaces_dots_and_trailing_space_each_vote(sample):
    export = read_tool_export(sample("rayyan_names_spaces_dots.csv"))
    assert export.tool == "rayyan"
    assert tuple(export.records.columns) == RECORD_COLUMNS
    assert tuple(export.votes.columns) == VOTE_COLUMNS
    assert list(export.records.tool_key) == ["rayyan-101", "rayyan-102", "rayyan-103"]
    assert list(export.records.line) == [2, 4, 5]  # the first record spans two lines
    assert _votes(export) == [
        ("rayyan-101", "Dr. A. Okafor", "include"),
        ("rayyan-101", "Fagner ", "exclude"),
        ("rayyan-101", "m.el-gohary", "maybe"),
        ("rayyan-103", "Dr. A. Okafor", "exclude"),
    ]
    excluded = export.votes[export.votes.decision == "exclude"]
    assert list(excluded.reasons) == [
        ("wrong population", "wrong setting"),
        ("wrong study design",),  # the space before the end of the field is not the reason's
    ]
    assert export.votes.stage.isna().all()
    # the notes' reasons are the record's: an include or maybe vote carries none of them
    assert set(export.votes[export.votes.decision != "exclude"].reasons) == {()}


def test_csv_user_notes_labels_and_compendium_id(sample):
    export = read_tool_export(sample("rayyan_names_spaces_dots.csv"))
    first = export.records.iloc[0]
    assert first.labels == ("peer work", "need full text")
    assert first.compendium_id == "ovid_medline:000001"
    assert first.authors == "Smith, Jane; Doe, John"
    assert first.pmid == "31234567"
    # a RIS tag leaked into the DOI field ("     LK  - https://...") is no part of the DOI
    assert first.doi == "10.1176/appi.ps.201900001"
    assert list(export.notes.text) == ["P 94\\nCS 7.8", 'says "peer" twice']
    assert set(export.notes.reviewer) == {"Fagner "}


def test_ris_n1_with_a_leading_space_and_labels_only_records(sample):
    export = read_tool_export(sample("rayyan_leading_space_n1.ris"))
    assert _votes(export) == [
        ("rayyan-201", "Ana María", "include"),
        ("rayyan-201", "Ben", "exclude"),
        ("rayyan-203", "Ben", "include"),
    ]
    assert list(export.records.labels) == [("to discuss",), ("to discuss",), ()]
    # the marker is found in a keyword, or in the imported note before Rayyan's sections
    assert list(export.records.compendium_id.fillna("")) == ["psycinfo:000007", "", "scopus:000003"]


def test_bibtex_note_with_the_hash_closing_the_field_and_a_multiline_note(sample):
    export = read_tool_export(sample("rayyan_export.bib"))
    assert export.tool == "rayyan"
    assert _votes(export) == [
        ("rayyan-501", "Amy R.", "include"),
        ("rayyan-501", "Tom", "maybe"),
        ("rayyan-502", "Tom", "exclude"),
    ]
    assert export.votes.reasons.iloc[2] == ("wrong publication type",)
    assert export.records.compendium_id.iloc[0] == "embase:000010"


def test_labels_only_export_has_no_votes_and_says_so(sample):
    export = read_tool_export(sample("rayyan_labels_only_2021.csv"))  # 19-column layout
    assert len(export.records) == 3
    assert export.votes.empty
    assert tuple(export.votes.columns) == VOTE_COLUMNS
    assert any("no decisions at all" in w for w in export.warnings)


def test_damaged_notes_every_problem_listed(sample):
    with pytest.raises(DamagedExport) as raised:
        read_tool_export(sample("rayyan_damaged_notes.csv"))
    message = str(raised.value)
    assert "4 problem(s)" in message
    assert "line 2: '=}': expected Rayyan notes: '=>' after the name 'Bo'" in message
    assert "line 3: 'Undecided'" in message
    assert "line 4: 'rayyan-abc'" in message
    assert "line 5: ' trailing words'" in message


# --- the log --------------------------------------------------------------------------------
def test_log_rows_that_do_not_parse_every_problem_listed(sample):
    with pytest.raises(DamagedExport) as raised:
        read_tool_export(sample("rayyan_log_damaged.csv"))
    problems = raised.value.problems
    assert [p.where for p in problems] == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert [p.value for p in problems] == ["2024-01-01 10:00:01", "2", "excluded", "x", "maybe"]


def test_log_alone_votes_by_user_last_event_wins(sample, tmp_path):
    log = tmp_path / "customizations_log.csv"
    shutil.copy(sample("rayyan_stages_log.csv"), log)
    export = read_tool_export(log)
    assert export.records.title.isna().all()
    assert list(export.records.tool_key) == ["rayyan-401", "rayyan-402", "rayyan-403"]
    first_stage = export.votes[export.votes.stage.isna()]
    # bo excluded 402, then included it: the last event wins
    assert ("rayyan-402", "bo@example.org", "include") in _votes(export)
    assert len(first_stage) == 6
    assert len(export.events) == 16


def test_log_events_taken_in_time_order_not_file_order(sample, tmp_path):
    header, *rows = sample("rayyan_stages_log.csv").read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "customizations_log.csv"
    shuffled.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    in_order = read_tool_export([sample("rayyan_stages.ris"), sample("rayyan_stages_log.csv")])
    reversed_ = read_tool_export([sample("rayyan_stages.ris"), shuffled])
    assert _votes(reversed_) == _votes(in_order)
    assert ("rayyan-402", "Bo", "include") in _votes(reversed_)  # Bo's later vote wins


def test_log_values_one_zero_minus_one_are_include_maybe_exclude(tmp_path):
    log = tmp_path / "customizations_log.csv"
    log.write_text(
        "created_at,user_id,user_email,article_id,key,value\n"
        "2024-01-01T10:00:00.000Z,1,a@example.org,1,included,1\n"
        "2024-01-01T10:00:01.000Z,1,a@example.org,2,included,0\n"
        "2024-01-01T10:00:02.000Z,1,a@example.org,3,included,-1\n",
        encoding="utf-8",
    )
    assert list(read_tool_export(log).votes.decision) == ["include", "maybe", "exclude"]


def test_stages_votes_at_each_stage_names_from_the_notes(sample):
    export = read_tool_export([sample("rayyan_stages.ris"), sample("rayyan_stages_log.csv")])
    staged = export.votes[export.votes.stage == "__SYSTEM__STAGE__9001"]
    first = export.votes[export.votes.stage.isna()]
    assert sorted(zip(staged.tool_key, staged.reviewer, staged.decision, strict=True)) == [
        ("rayyan-401", "Ann", "exclude"),
        ("rayyan-401", "Bo", "exclude"),
        ("rayyan-402", "Ann", "include"),
        ("rayyan-402", "Bo", "exclude"),
    ]
    assert len(first) == 6 and set(first.reviewer) == {"Ann", "Bo"}
    ann_401 = staged[(staged.tool_key == "rayyan-401") & (staged.reviewer == "Ann")].iloc[0]
    assert ann_401.reasons == ("wrong population",)  # the reason of the stage it was given at
    assert ann_401.time == "2025-03-03T09:00:00.000Z"
    assert ann_401.line == 11
    assert export.warnings == ()


def test_notes_and_log_disagreeing_is_an_error_listing_each(sample):
    with pytest.raises(ExportsDisagree) as raised:
        read_tool_export(
            [sample("rayyan_disagree_articles.csv"), sample("rayyan_disagree_log.csv")]
        )
    problems = raised.value.problems
    assert [p.where for p in problems] == ["line 3", "line 4"]
    assert "rayyan-302: notes ['include'], log ['exclude']" in problems[0].value
    assert "rayyan-303: notes ['wrong design'], log ['wrong population']" in problems[1].value


def test_two_articles_files_are_refused(sample):
    with pytest.raises(DamagedExport, match="one Rayyan articles file"):
        read_tool_export([sample("rayyan_stages.ris"), sample("rayyan_leading_space_n1.ris")])
