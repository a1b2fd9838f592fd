"""The screening ledger: validation of every sheet, and every record accounted for."""

from pathlib import Path

import pandas as pd
import pytest

from compendium import screening as s
from compendium.screening import ScreeningError


def sheet(tmp_path: Path, name: str, text: str, required) -> pd.DataFrame:
    path = tmp_path / name
    path.write_text(text)
    return s.read_sheet(path, required)


RECORDS = pd.DataFrame(
    {
        s.RECORD_ID: ["m:1", "m:2", "m:3", "p:1", "p:2"],
        s.DATABASE: ["Ovid MEDLINE"] * 3 + ["Ovid APA PsycInfo"] * 2,
        s.TITLE: ["Peer support RCT", "Survey", "Peer mentors trial", "Peer support RCT.", "Note"],
    }
)
DUPLICATES = pd.DataFrame(
    {
        s.RECORD_ID: ["m:1", "m:2", "m:3", "p:1", "p:2"],
        "kept": [True, True, True, False, True],
        s.DUPLICATE_OF: [pd.NA, pd.NA, pd.NA, "m:1", pd.NA],
    }
)
KEPT = RECORDS[DUPLICATES["kept"].to_numpy()]
REMOVED = {"p:1": "m:1"}
TA_COLUMNS = [s.RECORD_ID, s.DECISION]


def test_title_abstract_sheet_with_every_problem_lists_every_row(tmp_path):
    ta = sheet(
        tmp_path,
        "title_abstract_screening.csv",
        "record_id,decision\nm:1,include\nm:1,exclude\np:1,exclude\nx:9,include\nm:3,perhaps\n",
        TA_COLUMNS,
    )
    with pytest.raises(ScreeningError) as failed:
        s.title_abstract_outcomes(KEPT, ta, REMOVED)
    message = str(failed.value)
    assert "row 6, decision: 'perhaps': expected one of include, exclude, maybe" in message
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
        s.read_sheet(path, TA_COLUMNS)


def test_xlsx_sheets_are_read_like_csv(tmp_path):
    path = tmp_path / "title_abstract_screening.xlsx"
    pd.DataFrame({"Record ID": ["m:1"], "Decision": ["Include "]}).to_excel(path, index=False)
    read = s.read_sheet(path, TA_COLUMNS)
    assert read[s.RECORD_ID].tolist() == ["m:1"]
    assert read[s.DECISION].tolist() == ["Include"]
    assert read["row"].tolist() == [2]


def test_find_sheet_needs_exactly_one_of_csv_or_xlsx(tmp_path):
    with pytest.raises(ScreeningError, match=r"neither \.csv nor \.xlsx"):
        s.find_sheet(tmp_path, "full_text_screening")
    (tmp_path / "full_text_screening.csv").write_text("x\n")
    (tmp_path / "full_text_screening.xlsx").write_text("x\n")
    with pytest.raises(ScreeningError, match=r"both \.csv and \.xlsx"):
        s.find_sheet(tmp_path, "full_text_screening")


def test_the_double_screening_sample_is_reproducible_and_sorted():
    ids = [f"r:{i:03d}" for i in range(431)]
    one = s.double_screening_sample(ids, fraction=0.1, seed=7)
    two = s.double_screening_sample(list(reversed(ids)), fraction=0.1, seed=7)
    assert one == two == sorted(one)
    assert len(one) == 43
    assert s.double_screening_sample(ids, fraction=0.1, seed=8) != one


def test_double_screening_disagreement_needs_a_resolution_matching_the_final_sheet(tmp_path):
    final = pd.DataFrame(
        {s.RECORD_ID: ["m:1", "m:2", "m:3"], s.DECISION: ["include", "exclude", "exclude"]}
    )
    double = sheet(
        tmp_path,
        "double_screening.csv",
        "record_id,title,reviewer_1,decision_1,reviewer_2,decision_2,agreed_decision,resolution\n"
        "m:1,a,YK,include,AC,exclude,,\n"
        "m:2,b,YK,exclude,AC,include,include,discussion\n"
        "m:3,c,YK,exclude,AC,exclude,,\n"
        "m:9,d,YK,exclude,AC,exclude,,\n",
        [s.RECORD_ID, s.DECISION_1, s.DECISION_2, s.AGREED, s.RESOLUTION],
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
        "record_id,decision,reason\nm:1,exclude,z\nm:2,include,a\np:1,include,\nm:1,include,\n",
        [s.RECORD_ID, s.DECISION, s.REASON],
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
    assert "row 4, code: 'b': expected a code and its wording" in str(failed.value)


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
    found = s.read_other_sources(tmp_path / "other")
    assert dict(zip(found[s.PUBLICATION_ID], found[s.SOURCE], strict=True)) == {
        "PR01": s.PRIOR_REVIEW,
        "OM01": s.ONLINE_SEARCH,
        "OM02": s.ONLINE_SEARCH,
        "CT01": s.CITATION_TRACKING,
        "EX01": s.EXPERTS,
    }
    assert found.set_index(s.PUBLICATION_ID).loc["PR01", s.PUBLICATION_TYPE] == s.TRIAL_REPORT


def test_an_other_source_exclusion_without_reason_is_an_error(tmp_path):
    write_other_sources(tmp_path / "other", online_reason="")
    with pytest.raises(ScreeningError, match=r"online_search\.csv row 3, reason: '': an exclusion"):
        s.read_other_sources(tmp_path / "other")


def test_the_ledger_accounts_for_every_record_once(tmp_path):
    ta = pd.DataFrame(
        {
            s.RECORD_ID: ["m:1", "m:2", "m:3", "p:2"],
            s.DECISION: ["include", "exclude", "maybe", "exclude"],
        }
    )
    ft = pd.DataFrame(
        {s.RECORD_ID: ["m:1", "m:3"], s.DECISION: ["include", "exclude"], s.REASON: ["", "a"]}
    )
    write_other_sources(tmp_path / "other")
    other = s.read_other_sources(tmp_path / "other")
    ledger = s.build_ledger(RECORDS, DUPLICATES, ta, ft, other)
    outcomes = dict(zip(ledger[s.RECORD_ID], ledger[s.OUTCOME], strict=True))
    assert outcomes == {
        "m:1": s.INCLUDED,
        "m:2": s.EXCLUDED_TITLE_ABSTRACT,
        "m:3": s.EXCLUDED_FULL_TEXT,
        "p:1": s.DUPLICATE,
        "p:2": s.EXCLUDED_TITLE_ABSTRACT,
        "PR01": s.INCLUDED,
        "OM01": s.INCLUDED,
        "OM02": s.REMOVED,
        "CT01": s.INCLUDED,
        "EX01": s.INCLUDED,
    }
    included = s.included_publications(ledger)
    assert included[s.PUBLICATION_ID].tolist() == ["CT01", "EX01", "OM01", "PR01", "m:1"]


def test_after_deduplication_keeps_the_kept_and_maps_each_removed_duplicate(tmp_path):
    path = tmp_path / "duplicates.csv"
    path.write_text(
        "record_id,cluster_id,kept,matched_by,duplicate_of\n"
        "m:1,m:1,True,,\nm:2,m:2,True,,\nm:3,m:3,True,,\np:1,m:1,False,doi,m:1\np:2,p:2,True,,\n"
    )
    kept, removed = s.after_deduplication(RECORDS, s.read_duplicates(path))
    assert kept[s.RECORD_ID].tolist() == ["m:1", "m:2", "m:3", "p:2"]
    assert removed == REMOVED


def test_a_duplicates_table_with_an_unreadable_kept_flag_is_refused(tmp_path):
    path = tmp_path / "duplicates.csv"
    path.write_text("record_id,cluster_id,kept,matched_by,duplicate_of\nm:1,m:1,yes,,\n")
    with pytest.raises(ScreeningError, match=r"kept 'yes': expected True or False"):
        s.read_duplicates(path)
