"""The screening sheets: validation of every sheet, every record accounted for in the ledger."""

from pathlib import Path

import pandas as pd
import pytest

from compendium import columns as col
from compendium import ledger as lg
from compendium import screening as s
from compendium import tables
from compendium.demo import protocol as study
from compendium.errors import InputError
from compendium.screening import ScreeningError
from support import study_protocol


def sheet(tmp_path: Path, name: str, text: str, declared: tables.Sheet) -> pd.DataFrame:
    path = tmp_path / name
    path.write_text(text)
    return s.read(declared, path)


RECORDS = pd.DataFrame(
    {
        col.RECORD_ID: ["m:1", "m:2", "m:3", "p:1", "p:2"],
        col.DATABASE: ["Ovid MEDLINE"] * 3 + ["Ovid APA PsycInfo"] * 2,
        col.TITLE: [
            "Peer support RCT",
            "Survey",
            "Peer mentors trial",
            "Peer support RCT.",
            "Note",
        ],
        col.AUTHORS: ["Ng, F"] * 5,
        col.YEAR: [2020] * 5,
    }
)
DUPLICATES = pd.DataFrame(
    {
        col.RECORD_ID: ["m:1", "m:2", "m:3", "p:1", "p:2"],
        col.KEPT: [True, True, True, False, True],
        col.DUPLICATE_OF: ["", "", "", "m:1", ""],
    }
)
KEPT = RECORDS[DUPLICATES[col.KEPT].to_numpy()]
REMOVED = {"p:1": "m:1"}
TA = tables.TITLE_ABSTRACT_SCREENING


def test_title_abstract_sheet_with_every_problem_lists_every_row(tmp_path):
    ta = sheet(
        tmp_path,
        "title_abstract_screening.csv",
        "record_id,title,decision\nm:1,Peer support RCT,include\nm:1,Peer support RCT,exclude\n"
        "p:1,Peer support RCT.,exclude\nx:9,Unknown,include\nm:3,peer mentors trial,perhaps\n",
        TA,
    )
    with pytest.raises(ScreeningError) as failed:
        s.title_abstract_outcomes(KEPT, ta, REMOVED)
    message = str(failed.value)
    assert "row 6, decision: 'perhaps': expected one of 'include', 'exclude', 'maybe'" in message
    assert "row 3, record_id: 'm:1': already decided in row 2" in message
    assert "row 4, record_id: 'p:1': a removed duplicate of m:1" in message
    assert "row 5, record_id: 'x:9': expected the id of a record left after dedup" in message
    assert "'m:2': no decision on this record" in message
    assert "'p:2': no decision on this record" in message
    assert "6 problem(s)" in message


def test_a_sheet_missing_a_column_is_named(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,decision\n")
    with pytest.raises(ScreeningError, match=r"t\.csv: row 1: .* expected also record_id"):
        s.read(TA, path)


def test_xlsx_sheets_are_read_like_csv(tmp_path):
    path = tmp_path / "title_abstract_screening.xlsx"
    pd.DataFrame(
        {"Record ID": ["m:1"], "Title": ["Peer support RCT"], "Decision": ["Include "]}
    ).to_excel(path, index=False)
    read = s.read(TA, path)
    assert read[col.RECORD_ID].tolist() == ["m:1"]
    assert read[col.DECISION].tolist() == ["include"]  # a choice is read in lower case
    assert read["row"].tolist() == [2]


def test_find_sheet_needs_exactly_one_of_csv_or_xlsx(tmp_path):
    with pytest.raises(InputError, match=r"neither \.csv nor \.xlsx"):
        tables.FULL_TEXT_SCREENING.find(tmp_path)
    (tmp_path / "full_text_screening.csv").write_text("x\n")
    (tmp_path / "full_text_screening.xlsx").write_text("x\n")
    with pytest.raises(InputError, match=r"both \.csv and \.xlsx"):
        tables.FULL_TEXT_SCREENING.find(tmp_path)


def test_the_double_screening_sample_is_reproducible_and_sorted():
    ids = [f"r:{i:03d}" for i in range(431)]
    one = s.double_screening_sample(ids, fraction=0.1, seed=7)
    two = s.double_screening_sample(list(reversed(ids)), fraction=0.1, seed=7)
    assert one == two == sorted(one)
    assert len(one) == 43
    assert s.double_screening_sample(ids, fraction=0.1, seed=8) != one


def test_double_screening_disagreement_needs_a_resolution_matching_the_final_sheet(tmp_path):
    final = pd.DataFrame(
        {col.RECORD_ID: ["m:1", "m:2", "m:3"], col.DECISION: ["include", "exclude", "exclude"]}
    )
    double = sheet(
        tmp_path,
        "double_screening.csv",
        "record_id,title,reviewer_1,decision_1,reviewer_2,decision_2,agreed_decision,resolution\n"
        "m:1,a,YK,include,AC,exclude,,\n"
        "m:2,b,YK,exclude,AC,include,include,discussion\n"
        "m:3,c,YK,exclude,AC,exclude,,\n"
        "m:9,d,YK,exclude,AC,exclude,,\n",
        tables.DOUBLE_SCREENING,
    )
    with pytest.raises(ScreeningError) as failed:
        s.check_double_screening(double, final, expected_sample=["m:1", "m:2", "m:4"])
    message = str(failed.value)
    assert "row 2, agreed_decision: '': the reviewers disagree" in message
    assert (
        "row 3, agreed_decision: 'include': the final title/abstract sheet says 'exclude'"
        in message
    )
    assert "row 5, record_id: 'm:9': not a screened record" in message
    assert "'m:4': drawn for the sample but not screened twice" in message
    assert "'m:3': screened twice but not in the drawn sample" in message


def test_full_text_sheet_errors_are_all_listed(tmp_path):
    reasons = {"a": "not an RCT", "b": "not PS"}
    ft = sheet(
        tmp_path,
        "full_text_screening.csv",
        "record_id,title,decision,reason\nm:1,Peer support RCT,exclude,z\nm:2,Survey,include,a\n"
        "p:1,Peer support RCT.,include,\nm:1,Peer support RCT,include,\n",
        tables.FULL_TEXT_SCREENING,
    )
    with pytest.raises(ScreeningError) as failed:
        s.full_text_outcomes(
            ft,
            sent=["m:1", "m:3"],
            reasons=reasons,
            duplicates=REMOVED,
            screened={"m:1", "m:2", "m:3"},
        )
    message = str(failed.value)
    assert "row 2, reason: 'z': an exclusion needs a reason code: one of a, b" in message
    assert "row 3, record_id: 'm:2': excluded at title/abstract" in message
    assert "row 3, reason: 'a': a reason on a 'include' decision" in message
    assert "row 4, record_id: 'p:1': a removed duplicate of m:1" in message
    assert "row 5, record_id: 'm:1': already decided in row 2" in message
    assert "'m:3': sent to full text but no full-text decision" in message


def test_reasons_must_be_unique_and_worded(tmp_path):
    path = tmp_path / "exclusion_reasons.csv"
    path.write_text("code,reason\na,not an RCT\na,again\nb,\n")
    with pytest.raises(ScreeningError) as failed:
        s.read_reasons(path)
    assert "row 3, code: 'a': code listed twice" in str(failed.value)
    assert "row 4, reason: '': expected a code and its wording" in str(failed.value)


def write_other_sources(folder: Path, *, online_reason: str = "not a training manual") -> None:
    folder.mkdir(exist_ok=True)
    (folder / "prior_review.csv").write_text(
        "publication_id,title,decision,reason\nPR01,Trial A,include,\n"
    )
    (folder / "online_search.csv").write_text(
        "publication_id,title,decision,reason\nOM01,Manual,include,\n"
        f"OM02,Leaflet,exclude,{online_reason}\n"
    )
    (folder / "citation_tracking.csv").write_text(
        "publication_id,title,decision,reason\nCT01,Model,include,\n"
    )
    (folder / "expert_suggestions.csv").write_text(
        "publication_id,publication_type,title,decision,reason\n"
        "EX01,change model,Model B,include,\n"
    )


def test_other_sources_are_read_with_their_source_and_type(tmp_path):
    write_other_sources(tmp_path / "other")
    found = s.read_other_sources(tmp_path / "other", study_protocol())
    assert dict(zip(found[col.PUBLICATION_ID], found[col.SOURCE], strict=True)) == {
        "PR01": study.PRIOR_REVIEW,
        "OM01": study.ONLINE_SEARCH,
        "OM02": study.ONLINE_SEARCH,
        "CT01": study.CITATION_TRACKING,
        "EX01": study.EXPERTS,
    }
    assert (
        found.set_index(col.PUBLICATION_ID).loc["PR01", col.PUBLICATION_TYPE] == study.TRIAL_REPORT
    )


def test_an_other_source_exclusion_without_reason_is_an_error(tmp_path):
    write_other_sources(tmp_path / "other", online_reason="")
    with pytest.raises(ScreeningError, match=r"online_search\.csv row 3, reason: '': an exclusion"):
        s.read_other_sources(tmp_path / "other", study_protocol())


def test_the_ledger_accounts_for_every_record_once(tmp_path):
    ta = pd.DataFrame(
        {
            col.RECORD_ID: ["m:1", "m:2", "m:3", "p:2"],
            col.DECISION: ["include", "exclude", "maybe", "exclude"],
        }
    )
    ft = pd.DataFrame(
        {col.RECORD_ID: ["m:1", "m:3"], col.DECISION: ["include", "exclude"], col.REASON: ["", "a"]}
    )
    write_other_sources(tmp_path / "other")
    other = s.read_other_sources(tmp_path / "other", study_protocol())
    ledger = lg.build(RECORDS, KEPT, DUPLICATES, ta, ft, other, study.TRIAL_REPORT)
    outcomes = dict(zip(ledger[col.RECORD_ID], ledger[col.OUTCOME], strict=True))
    assert outcomes == {
        "m:1": lg.INCLUDED,
        "m:2": lg.EXCLUDED_TITLE_ABSTRACT,
        "m:3": lg.EXCLUDED_FULL_TEXT,
        "p:1": lg.DUPLICATE,
        "p:2": lg.EXCLUDED_TITLE_ABSTRACT,
        "PR01": lg.INCLUDED,
        "OM01": lg.INCLUDED,
        "OM02": lg.REMOVED,
        "CT01": lg.INCLUDED,
        "EX01": lg.INCLUDED,
    }
    included = lg.included_publications(ledger)
    assert included[col.PUBLICATION_ID].tolist() == ["CT01", "EX01", "OM01", "PR01", "m:1"]


def test_the_records_to_screen_are_the_kept_and_each_removed_duplicate_names_its_record():
    to_screen = s.ToScreen(RECORDS, KEPT, DUPLICATES)
    assert to_screen.ids == ["m:1", "m:2", "m:3", "p:2"]
    assert to_screen.removed == REMOVED
    assert repr(to_screen) == "5 records read, 1 removed as duplicates, 4 to screen"


def test_a_duplicates_table_with_an_unreadable_kept_flag_is_refused(project):
    path = tables.DUPLICATES.path(project)
    path.parent.mkdir(parents=True)
    path.write_text("record_id,cluster_id,kept,matched_by,duplicate_of,linked_to\nm:1,m:1,yes,,,\n")
    with pytest.raises(InputError, match=r"kept 'yes': expected True or False"):
        tables.read(project, tables.DUPLICATES)


def test_a_decision_whose_title_is_not_its_records_is_refused_naming_both_titles(tmp_path):
    ta = sheet(
        tmp_path,
        "title_abstract_screening.csv",
        "record_id,title,decision\nm:1,PEER SUPPORT -- RCT,include\n"
        "m:2,Peer mentors trial,exclude\nm:3,Peer mentors trial,include\np:2,Note,exclude\n",
        TA,
    )
    with pytest.raises(ScreeningError) as failed:
        s.title_abstract_outcomes(KEPT, ta, REMOVED)
    message = str(failed.value)
    assert "1 problem(s)" in message  # case, punctuation and spacing are no difference
    assert (
        "title_abstract_screening.csv row 3, title: 'Peer mentors trial': the record m:2 is "
        "titled 'Survey'"
    ) in message
