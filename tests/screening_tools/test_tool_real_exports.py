"""Every real screening-tool export in ../shared/external/screening-tools, counted as its
SOURCE.md states; and no ordinary database export there taken for a tool's.

The files are read in place, never copied into the project; the tests skip, saying why,
when the folder is absent (a user's clone has none).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from compendium.records import normalise_title
from compendium.screening_tools import read_tool_export, recognise_tool

# The public test data live beside the repository (tests/screening_tools -> repo -> ..).
EXTERNAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "external"
SCREENING_TOOLS = EXTERNAL / "screening-tools"

pytestmark = pytest.mark.external

NIPAH = "covidence/priority_pathogens_Nipah_excluded_studies.csv"
EBOLA = "covidence/priority_pathogens_ebola_included_covidence.csv"
LISTS = {
    "priority_pathogens_Nipah_excluded_studies.csv": "excluded",
    "priority_pathogens_ebola_included_covidence.csv": "included",
}


def _counts(votes) -> dict[tuple[str, str], int]:
    return dict(Counter(zip(votes.reviewer.fillna("-"), votes.decision, strict=True)))


# --- recognition ----------------------------------------------------------------------------
def _manifest() -> list[dict[str, str]]:
    path = EXTERNAL / "MANIFEST.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


_ABSENT = f"public test data not found at {EXTERNAL.resolve()} (../shared/external)"
_TOOL_FILES = [r["path"] for r in _manifest() if r["path"].startswith("screening-tools/")]
_OTHER_FILES = [r for r in _manifest() if not r["path"].startswith("screening-tools/")]
_FOLDER_TOOL = {
    "rayyan": "rayyan",
    "covidence": "covidence",
    "asreview": "asreview",
    "eppi_reviewer": "eppi-reviewer",
    "abstrackr": "abstrackr",
}


@pytest.mark.parametrize(
    "relative",
    [pytest.param(p, id=p) for p in _TOOL_FILES]
    or [pytest.param("", marks=pytest.mark.skip(reason=_ABSENT))],
)
def test_each_real_tool_export_recognised_as_its_tool(relative):
    assert recognise_tool(EXTERNAL / relative) == _FOLDER_TOOL[relative.split("/")[1]]


@pytest.mark.parametrize(
    "row",
    [pytest.param(r, id=r["path"]) for r in _OTHER_FILES]
    or [pytest.param({}, marks=pytest.mark.skip(reason=_ABSENT))],
)
def test_no_database_export_taken_for_a_tool_export(row):
    # One export in the manifest is a Rayyan export (ASReview's issue #992 fixture): the
    # manifest's format says so, and it must be recognised as Rayyan's, and only that one.
    expected = "rayyan" if "rayyan" in row["format"].lower() else None
    assert recognise_tool(EXTERNAL / row["path"]) == expected


def test_the_manifest_lists_the_real_tool_exports():
    if not _manifest():
        pytest.skip(_ABSENT)
    assert len(_TOOL_FILES) == 20
    assert sum(1 for r in _OTHER_FILES if r["role"] == "export") == 76


# --- Rayyan ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["rayyan/cff_baseline_rayyan.csv", "rayyan/cff_baseline_rayyan.ris"]
)
def test_rayyan_baseline_emily_2_included_2_maybe_2_excluded(real, name):
    export = read_tool_export(real(name))
    assert len(export.records) == 10
    assert _counts(export.votes) == {
        ("Emily", "include"): 2,
        ("Emily", "maybe"): 2,
        ("Emily", "exclude"): 2,
    }
    assert export.votes.tool_key.nunique() == 6  # 4 records undecided
    assert export.records.doi.notna().all()  # the leaked "LK  - ..." cut off every DOI


def test_rayyan_tinea_ris_counts(real):
    export = read_tool_export(real("rayyan/rayyanR_tinea_update.ris"))
    votes = export.votes
    assert len(export.records) == 14
    assert _counts(votes) == {
        ("Zbys", "exclude"): 8,
        ("Zbys", "include"): 4,
        ("m.el-gohary", "include"): 3,
        ("m.el-gohary", "exclude"): 1,
    }
    per_record = Counter(votes.tool_key)
    assert Counter(per_record.values()) == {2: 4, 1: 8}
    assert 14 - len(per_record) == 2  # labels only, no INCLUSION
    # the notes give a record's reasons, not whose: counted once per record
    given = {(key, r) for key, rs in zip(votes.tool_key, votes.reasons, strict=True) for r in rs}
    reasons = Counter(r for _, r in given)
    assert reasons == {
        "wrong population": 4,
        "totally irrelevant to the review": 3,
        "wrong drug": 1,
        "wrong intervention": 1,
        "background article": 1,
        "wrong study design": 1,
        "wrong publication type": 1,
    }
    assert len({k for k, rs in zip(votes.tool_key, votes.reasons, strict=True) if rs}) == 7
    labels = Counter(label for labels in export.records.labels for label in labels)
    assert labels == {"M.el-G please review": 13, "need to see full text": 3}


def test_rayyan_tinea_log_agrees_with_its_ris_and_names_its_users(real):
    ris, log = (
        real("rayyan/rayyanR_tinea_update.ris"),
        real("rayyan/rayyanR_tinea_update_customizations_log.csv"),
    )
    alone = read_tool_export(log)
    assert len(alone.events) == 47 and len(alone.records) == 14
    assert set(alone.events.user_id) == {"5", "16"}
    included = alone.events[alone.events.kind == "vote"]
    assert Counter(included.value) == {"-1": 11, "1": 8}
    both = read_tool_export([ris, log])
    assert _counts(both.votes) == _counts(
        read_tool_export(ris).votes
    )  # user 5 is Zbys, 16 m.el-gohary
    assert both.warnings == ()
    assert both.votes.time.notna().all()


def test_rayyan_mlj_stages(real):
    ris, log = (
        real("rayyan/rayyanR_MLJ_includes_articles.ris"),
        real("rayyan/rayyanR_MLJ_includes_customizations_log.csv"),
    )
    notes = read_tool_export(ris)
    assert len(notes.records) == 5
    assert _counts(notes.votes) == {
        ("Matt", "include"): 4,
        ("Laura", "include"): 4,
        ("Matt", "exclude"): 1,
        ("Laura", "exclude"): 1,
    }
    assert Counter(label for labels in notes.records.labels for label in labels) == {
        "lol": 1,
        "rofl": 1,
    }
    assert all(not rs for rs in notes.votes.reasons)
    both = read_tool_export([ris, log])
    assert len(both.events) == 35
    assert set(both.events.user_id) == {"935616", "61185", "0"}
    staged = both.votes[both.votes.stage == "__SYSTEM__STAGE__113306"]
    first = both.votes[both.votes.stage.isna()]
    assert (len(staged), len(first)) == (10, 10)
    # article 229697638: included by both at the first stage, excluded by both at the stage
    assert set(first[first.tool_key == "rayyan-229697638"].decision) == {"include"}
    assert list(staged[staged.tool_key == "rayyan-229697638"].decision) == ["exclude", "exclude"]
    # both reviewers decided alike at the stage: which name is which user cannot be told
    assert len(both.warnings) == 2 and all("cannot be told" in w for w in both.warnings)


def test_rayyan_fagnersutel_log_alone(real):
    export = read_tool_export(real("rayyan/fagnersutel_hotspots_customizations_log.csv"))
    events = export.events
    assert len(events) == 5423
    assert events.article_id.nunique() == len(export.records) == 1224
    assert events.user_id.nunique() == 3
    included = events[events.kind == "vote"]
    assert len(included) == 2825
    assert Counter(included.value) == {"-1": 2587, "1": 204, "0": 34}
    assert len(export.votes) == included[["article_id", "user_id"]].drop_duplicates().shape[0]
    # the last of each person's events on an article (counted by hand from the log)
    assert Counter(export.votes.decision) == {"exclude": 2397, "include": 109, "maybe": 4}
    reasons = {r for rs in export.votes.reasons for r in rs}
    assert "Saúde Pública" in reasons


def test_rayyan_labels_only_export(real):
    export = read_tool_export(real("rayyan/asadi_ithealth_articles_labels_only.csv"))
    assert len(export.records) == 433
    assert export.votes.empty
    assert sum(1 for labels in export.records.labels if labels) == 323
    assert {label for labels in export.records.labels for label in labels} == {
        "High Focus",
        "Some Focus",
        "Less Focus",
    }
    assert any("no decisions at all" in w for w in export.warnings)


def test_rayyan_keeps_the_imported_note_first(real):
    """Evidence for the compendium id in N1: a Rayyan RIS keeps the imported CINAHL note."""
    export = read_tool_export(EXTERNAL / "asreview/ris_issue_992.txt")
    assert len(export.records) == 19 and export.votes.empty
    notes = [v for raw in export.records.raw for t, v in json.loads(raw) if t == "N1"]
    assert any("Journal Subset:" in n for n in notes)


# --- Covidence ------------------------------------------------------------------------------
def test_covidence_nipah_excluded_list(real):
    export = read_tool_export(real(NIPAH), lists=LISTS)
    votes = export.votes
    assert len(export.records) == len(votes) == 288
    assert set(votes.decision) == {"exclude"} and set(votes.stage) == {"Select"}
    assert all(len(rs) == 1 for rs in votes.reasons)
    assert Counter(rs[0] for rs in votes.reasons) == {
        "Reports metrics from other papers (not original estimates or primary data)": 148,
        "No report of parameters (including seroprevalance and other measures of interest) or "
        "transmission or historical outbreaks": 76,
        "Not peer-reviewed paper": 35,
        "Wrong pathogen or pathogen epidemiology or transmission not main focus": 9,
        "Not in English": 7,
        "No full-text found": 5,
        "Case report or case study": 5,
        "Duplicate": 3,
    }
    assert len(export.notes) == 109
    assert export.notes.reviewer.nunique() == 7
    assert Counter(export.notes.stage) == {"Select": 60, "Screen": 47, "Included": 2}
    assert sum(1 for labels in export.records.labels if labels) == 197
    multiline = [raw for raw in export.records.raw if any("\n" in v for _, v in json.loads(raw))]
    assert len(multiline) == 9


def test_covidence_ebola_included_list(real):
    export = read_tool_export(real(EBOLA), lists=LISTS)
    assert len(export.records) == len(export.votes) == 522
    assert set(export.votes.decision) == {"include"}
    assert all(not rs for rs in export.votes.reasons)
    assert export.notes.tool_key.nunique() == 174
    # SOURCE.md says 10 reviewers; the notes name 15 people (9 of them more than once):
    # counted again by hand with a plain regex on the Notes column, 15 too.
    assert export.notes.reviewer.nunique() == 15
    assert Counter(export.notes.stage) == {
        "Select": 198,
        "Screen": 6,
        "Included": 3,
        "Excluded": 2,
        "Irrelevant": 1,
    }
    assert sum(1 for labels in export.records.labels if labels) == 60


def test_covidence_baseline_csv_and_ris_variants(real):
    export = read_tool_export(real("covidence/cff_baseline_covidence.csv"))
    assert len(export.records) == 10 and export.votes.empty
    assert export.records.tool_key.iloc[0] == "#1" and export.records.tool_key.iloc[-1] == "#20"
    for variant in ("endnote", "mendeley", "refworks", "zotero"):
        ris = read_tool_export(real(f"covidence/cff_baseline_covidence_{variant}.ris"))
        assert ris.tool == "covidence" and len(ris.records) == 10
        assert ris.records.title.tolist() == export.records.title.tolist()
        assert ris.records.abstract.notna().sum() == export.records.abstract.notna().sum()


# --- ASReview, EPPI-Reviewer, Abstrackr -----------------------------------------------------
def test_asreview_meta_energy_lab1_export(real):
    export = read_tool_export(
        real("asreview/meta_energy_asreview_dataset_mp-energy-1-random-sample_update.csv")
    )
    assert len(export.records) == len(export.votes) == 220
    assert Counter(export.votes.decision) == {"include": 17, "exclude": 203}
    assert export.votes.reviewer.isna().all()  # one screener, not named


def test_asreview_demo_project(real):
    export = read_tool_export(real("asreview/asreview_tests_asreview-demo-project-v2.asreview"))
    assert len(export.records) == 100
    assert Counter(export.votes.decision) == {"include": 9, "exclude": 14}  # and 1 NULL: no vote
    assert export.votes.time.notna().all()


def test_eppi_baseline_sheet_and_ris(real):
    both = read_tool_export(
        [
            real("eppi_reviewer/cff_baseline_eppireviewer.xlsx"),
            real("eppi_reviewer/cff_baseline_eppireviewer.ris"),
        ]
    )
    assert len(both.records) == 10
    assert Counter(both.votes.decision) == {"include": 8, "exclude": 2}
    assert both.records.authors.notna().all() and both.records.doi.notna().all()
    assert both.records.tool_key.iloc[0] == "102199191"
    alone = read_tool_export(real("eppi_reviewer/cff_baseline_eppireviewer.xlsx"))
    assert Counter(alone.votes.decision) == {"include": 8, "exclude": 2}
    assert alone.records.title.notna().all()


def test_abstrackr_baseline(real):
    export = read_tool_export(real("abstrackr/cff_baseline_abstrackr.csv"))
    assert len(export.records) == 10
    assert export.votes.tool_key.nunique() == 6  # and 4 unlabelled
    assert _counts(export.votes) == {
        ("Anonymous", "include"): 2,
        ("Anonymous", "exclude"): 2,
        ("Anonymous", "maybe"): 2,
    }


# --- which field survives: the same 10 papers in every tool ---------------------------------
def _keywords(export, field, split=None, drop=()):
    out = {}
    for title, raw in zip(export.records.title, export.records.raw, strict=True):
        values = [v for t, v in json.loads(raw) if t == field]
        if split is not None:
            values = [k for v in values for k in v.split(split) if k]
        out[normalise_title(title).lower().replace("'", '"')] = [v for v in values if v not in drop]
    return out


def test_keywords_survive_unchanged_in_rayyan_eppi_and_abstrackr(real):
    """The evidence for carrying the compendium id in a keyword."""
    rayyan_ris = _keywords(read_tool_export(real("rayyan/cff_baseline_rayyan.ris")), "KW")
    rayyan_csv = _keywords(
        read_tool_export(real("rayyan/cff_baseline_rayyan.csv")), "keywords", ";"
    )
    eppi = _keywords(
        read_tool_export(real("eppi_reviewer/cff_baseline_eppireviewer.ris")),
        "KW",
        drop={"eppi-reviewer"},
    )
    abstrackr = _keywords(
        read_tool_export(real("abstrackr/cff_baseline_abstrackr.csv")), "keywords", ","
    )
    assert len(rayyan_ris) == 10
    assert rayyan_ris == rayyan_csv == eppi == abstrackr
    assert sum(len(k) for k in rayyan_ris.values()) == 109


def test_covidence_keeps_no_keyword_but_the_accession_number(real):
    export = read_tool_export(real(NIPAH), lists=LISTS)
    prefixes = Counter(a.split(":")[0] for a in export.records.accession.dropna() if ":" in a)
    assert {"WOS", "CABI", "BCI", "MEDLINE"} <= set(prefixes)
    assert not any(
        name.lower().startswith("keyword") for name, _ in json.loads(export.records.raw.iloc[0])
    )
    with (SCREENING_TOOLS / "covidence/cff_baseline_covidence_endnote.ris").open(
        encoding="utf-8"
    ) as handle:
        assert not any(line.startswith("KW  -") for line in handle)
