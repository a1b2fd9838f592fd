"""Decisions made in a screening tool, brought into the screening sheets: matched to the
records by each key in turn, what cannot be placed listed, people's sheets never lost."""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from compendium import cli, tables
from compendium import columns as col
from compendium import decisions as d
from compendium import screening as s
from compendium.paths import Project
from compendium.screening_tools import read_tool_export
from support import EXTERNAL, STUDY_PROTOCOL_TEXT

TOOLS = EXTERNAL / "screening-tools"
TODAY = date(2024, 6, 1)

# --- a small project: six records left after deduplication, one removed duplicate ----------

KEPT = [
    # record_id, title, authors, year, doi, pmid, accession
    ("medline:1001", "Peer support workers in acute psychiatric wards: a randomised trial",
     "Okafor, A; Lee, M", 2018, "10.1000/a1", "1001", "1001"),
    ("psycinfo:2019-0002", "Intentional peer support for people leaving hospital",
     "Lee, M", 2019, "10.1000/b2", None, "2019-0002"),
    ("medline:1003", "Recovery colleges and peer trainers", "Perkins, R", 2020, None, "1003",
     "1003"),
    ("record:t000000000004", "Peer mentoring for young adults with psychosis: a cohort study",
     "Ng, F", 2021, None, None, None),
    ("record:t000000000005", "Peer support: a review", "Smith, J", 2022, None, None, None),
    ("record:t000000000006", "Peer support - a review.", "Smith, K", 2022, None, None, None),
]  # fmt: skip
REMOVED = ("psycinfo:2018-0007", KEPT[0][1], "Okafor, A.", 2018, "10.1000/a1", None, "2018-0007")
IDS = sorted(r[0] for r in KEPT)


def _records(rows) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                col.RECORD_ID: r[0],
                col.SOURCE_FILE: "search.ris",
                col.DATABASE: "Ovid MEDLINE",
                col.TITLE: r[1],
                col.AUTHORS: r[2],
                col.YEAR: r[3],
                col.JOURNAL: "Psychiatric Services",
                col.DOI: r[4],
                col.PMID: r[5],
                col.ACCESSION: r[6],
                col.RAW: "[]",
            }
            for r in rows
        ],
        columns=list(col.RECORD_COLUMNS),
    )
    frame = frame.astype("string")
    frame[col.YEAR] = pd.to_numeric(frame[col.YEAR]).astype("Int64")
    return frame


def make_to_screen(kept_rows=KEPT, removed_rows=(REMOVED,)) -> s.ToScreen:
    kept, removed = _records(kept_rows), _records(removed_rows)
    everything = pd.concat([kept, removed], ignore_index=True)
    duplicates = pd.DataFrame(
        {
            col.RECORD_ID: everything[col.RECORD_ID],
            col.CLUSTER_ID: [*kept[col.RECORD_ID], *([KEPT[0][0]] * len(removed))],
            col.KEPT: [True] * len(kept) + [False] * len(removed),
            col.MATCHED_BY: [""] * len(kept) + ["doi"] * len(removed),
            col.DUPLICATE_OF: [""] * len(kept) + [KEPT[0][0]] * len(removed),
            col.LINKED_TO: "",
        }
    )
    return s.ToScreen(everything, kept, duplicates)


@pytest.fixture
def small(tmp_path: Path) -> Project:
    """A project holding the records above as steps 01 and 02 write them."""
    project = Project(tmp_path / "project")
    to_screen = make_to_screen()
    tables.write(project, tables.RECORDS, to_screen.records)
    tables.write(project, tables.RECORDS_DEDUPLICATED, to_screen.deduplicated)
    tables.write(project, tables.DUPLICATES, to_screen.duplicates)
    project.screening.mkdir(parents=True)
    (project.screening / "exclusion_reasons.csv").write_text(
        "code,reason\na,not an RCT\nb,not PS\nc,not one to one\n", encoding="utf-8"
    )
    return project


def covidence_included(folder: Path, rows: list[dict]) -> Path:
    """A Covidence 'included' list, as Covidence names and lays it out."""
    header = ["Title", "Authors", "Abstract", "Published Year", "Published Month", "Journal",
              "Volume", "Issue", "Pages", "Accession Number", "DOI", "Ref", "Covidence #",
              "Study", "Notes", "Tags"]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([row.get(h, "") for h in header[:12]] + [f"#{n}", "", "", ""])
    path = folder / "review_1_included_csv_20240601120000.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def rayyan_ris(path: Path, records: list[dict]) -> Path:
    """A Rayyan RIS export: its own AN, the imported keywords kept, the votes in N1
    (``records``: title, year, authors, keywords, votes {name: Included|Excluded|Maybe},
    reasons, and Rayyan's own number, ``key``)."""
    lines = []
    for n, r in enumerate(records, start=1):
        key = r.get("key", 900 + n)
        lines += ["TY  - JOUR", f"AN  - rayyan-{key}", f"TI  - {r['title']}"]
        lines += [f"AU  - {a}" for a in r.get("authors", [])]
        if r.get("year"):
            lines.append(f"Y1  - {r['year']}")
        lines += [f"KW  - {k}" for k in r.get("keywords", [])]
        notes = []
        if r.get("votes"):
            notes.append(
                "RAYYAN-INCLUSION: {"
                + ", ".join(f'"{k}"=>"{v}"' for k, v in r["votes"].items())
                + "}"
            )
        if r.get("reasons"):
            notes.append("RAYYAN-EXCLUSION-REASONS: " + ",".join(r["reasons"]))
        if notes:
            lines.append("N1  - " + " | ".join(notes))
        lines += ["ER  - ", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def by_key(imported: d.Imported) -> dict[str, tuple[str, str]]:
    m = imported.matched
    return {
        k: (rid, by)
        for k, rid, by in zip(m["tool_key"], m[col.RECORD_ID], m[col.MATCHED_BY], strict=True)
    }


# --- matching ---------------------------------------------------------------------------------


def test_each_key_matches_in_its_order_and_a_duplicate_stands_for_its_kept_record(tmp_path):
    path = covidence_included(
        tmp_path,
        [
            {"Title": "A title Covidence changed", "Accession Number": "2019-0002"},
            {"Title": "Another changed title", "DOI": "https://doi.org/10.1000/A1"},
            {"Title": "Changed again", "Accession Number": "MEDLINE:1003"},
            {"Title": "PEER MENTORING for young adults with psychosis - a cohort study.",
             "Authors": "Ng, Fiona", "Published Year": "2021"},
            {"Title": "Peer support: a review", "Authors": "Smith, J", "Published Year": "2022"},
            {"Title": "A history of the asylum", "Published Year": "1999"},
            {"Title": "The removed copy", "Accession Number": "2018-0007"},
            {"Title": "x", "Accession Number": "compendium-record-id: record:t000000000006"},
        ],
    )  # fmt: skip
    found = d.read_decision_files([path])
    imported = d.import_decisions(make_to_screen(), found, stage="title-abstract", reviewer="YK")
    assert by_key(imported) == {
        "#1": ("psycinfo:2019-0002", "accession"),
        "#2": ("medline:1001", "DOI"),
        "#3": ("medline:1003", "PMID"),
        "#4": ("record:t000000000004", "title+year+first author"),
        "#5": ("", "ambiguous"),
        "#6": ("", ""),
        "#7": ("medline:1001", "accession"),
        "#8": ("record:t000000000006", "compendium id"),
    }
    assert (
        len(imported.ambiguous) == 1
        and "record:t000000000005, record:t000000000006" in (imported.ambiguous[0])
    )
    assert len(imported.unmatched) == 1 and "A history of the asylum" in imported.unmatched[0]
    sheet = imported.sheet
    assert list(sheet[col.RECORD_ID]) == sorted(sheet[col.RECORD_ID])
    assert set(sheet[col.DECISION]) == {"include"} and set(sheet[col.REVIEWER]) == {"YK"}
    assert sheet.set_index(col.RECORD_ID).loc["medline:1001", col.TOOL_KEY] == "#2; #7"
    assert imported.undecided == [f"record:t000000000005: {KEPT[4][1]!r}"]
    report = imported.report()
    for heading in ("matching no compendium record", "several compendium records", "no decision"):
        assert heading in report


def test_one_reviewer_deciding_a_record_two_ways_gives_it_no_decision(tmp_path):
    path = rayyan_ris(
        tmp_path / "articles.ris",
        [
            _marked(KEPT[1], votes={"Ann": "Included"}, keywords=[]),
            _marked(KEPT[1], votes={"Ann": "Excluded"}, keywords=[]),
            _marked(KEPT[2], votes={"Ann": "Excluded"}, keywords=[]),
        ],
    )
    imported = d.import_decisions(
        make_to_screen(), d.read_decision_files([path]), stage="title-abstract"
    )
    assert list(imported.sheet[col.RECORD_ID]) == ["medline:1003"]
    assert len(imported.conflicting) == 1
    assert imported.conflicting[0].startswith("psycinfo:2019-0002 (rayyan-901; rayyan-902)")


# --- export-records, and back -----------------------------------------------------------------


def tool_from_export(ris: str, votes: dict[str, str], order: list[int]) -> list[dict]:
    """What a tool makes of export-records' RIS: titles and authors rewritten, keywords
    kept (the record_id marker among them), each record keeping its own number in the tool,
    the records in ``order``."""
    blocks = [b for b in ris.split("\n\n") if b.strip()]
    out = []
    for n in order:
        tags = [line.split("  - ", 1) for line in blocks[n].splitlines() if "  - " in line]
        keywords = [v for t, v in tags if t == "KW"]
        rid = keywords[0].split(": ", 1)[1]
        out.append(
            {"title": f"[{rid}] renamed by the tool", "keywords": keywords, "votes": votes[rid],
             "key": 7000 + n}
        )  # fmt: skip
    return out


def test_exported_records_come_back_matched_by_id_and_order_does_not_change_the_sheet(
    small, tmp_path, capsys
):
    exported = tmp_path / "for_rayyan.ris"
    assert cli.main(["--root", str(small.root), "export-records", str(exported)]) == 0
    assert "wrote 6 records" in capsys.readouterr().out
    ris = exported.read_text(encoding="utf-8")
    choices = ["Included", "Excluded", "Maybe"]
    votes = {rid: {"YK": choices[n % 3]} for n, rid in enumerate(IDS)}
    forward = rayyan_ris(tmp_path / "forward.ris", tool_from_export(ris, votes, list(range(6))))
    order = list(range(6))
    random.Random(3).shuffle(order)
    shuffled = rayyan_ris(tmp_path / "shuffled.ris", tool_from_export(ris, votes, order))

    written = []
    for path in (forward, shuffled):
        args = ["--root", str(small.root), "import-decisions", "title-abstract", str(path)]
        assert cli.main(args) == 0
        out = capsys.readouterr().out
        assert "matched 6 (compendium id 6," in out
        written.append((small.screening / "title_abstract_screening.csv").read_bytes())
    assert written[0] == written[1]
    sheet = pd.read_csv(io.BytesIO(written[0]), dtype=str)
    assert list(sheet[col.RECORD_ID]) == IDS
    words = {"Included": "include", "Excluded": "exclude", "Maybe": "maybe"}
    assert list(sheet[col.DECISION]) == [words[votes[rid]["YK"]] for rid in IDS]


def test_export_records_takes_ris_or_csv_only(small, tmp_path, capsys):
    assert cli.main(["--root", str(small.root), "export-records", str(tmp_path / "a.txt")]) == 1
    assert ".ris" in capsys.readouterr().err
    assert cli.main(["--root", str(small.root), "export-records", str(tmp_path / "a.csv")]) == 0
    table = pd.read_csv(tmp_path / "a.csv", dtype=str)
    assert list(table["compendium_record_id"]) == IDS


# --- people's sheets are never lost -------------------------------------------------------


def _marked(record: tuple, **fields) -> dict:
    """A record as a tool exports it after export-records: its record_id in a keyword."""
    return {"title": record[1], "year": record[3], "authors": [record[2].split("; ")[0]],
            "keywords": [f"compendium-record-id: {record[0]}"], **fields}  # fmt: skip


def _decided(tmp_path: Path, name: str = "articles.ris", decision: str = "Included") -> Path:
    return rayyan_ris(tmp_path / name, [_marked(r, votes={"YK": decision}) for r in KEPT])


def test_a_sheet_a_person_made_is_replaced_only_when_asked_and_kept_beside_it(small, tmp_path):
    sheet = small.screening / "title_abstract_screening.csv"
    by_hand = "record_id,title,reviewer,decision\nmedline:1001,x,YK,exclude\n"
    sheet.write_text(by_hand, encoding="utf-8")
    path = _decided(tmp_path)
    with pytest.raises(
        d.DecisionsNotImported, match=r"title_abstract_screening\.csv: a sheet a person made"
    ):
        d.import_into_project(small, [path], stage="title-abstract", today=TODAY)
    assert sheet.read_text(encoding="utf-8") == by_hand
    assert not d.report_path(small.screening, tables.TITLE_ABSTRACT_SCREENING).exists()

    _, kept = d.import_into_project(
        small, [path], stage="title-abstract", replace=True, today=TODAY
    )
    copy = small.screening / "title_abstract_screening.replaced-2024-06-01.csv"
    assert kept == [f"title_abstract_screening.csv kept as {copy.name}"]
    assert copy.read_text(encoding="utf-8") == by_hand
    assert "include" in sheet.read_text(encoding="utf-8")

    # its own sheet it writes over; once a person changes it, it is theirs again
    d.import_into_project(small, [_decided(tmp_path, "b.ris", "Excluded")], stage="title-abstract")
    assert "include" not in sheet.read_text(encoding="utf-8")
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(d.DecisionsNotImported, match="--replace"):
        d.import_into_project(small, [path], stage="title-abstract")
    d.import_into_project(small, [path], stage="title-abstract", replace=True, today=TODAY)
    assert (small.screening / "title_abstract_screening.replaced-2024-06-01-2.csv").exists()


def test_a_person_made_workbook_is_moved_aside_so_that_one_sheet_remains(small, tmp_path):
    workbook = small.screening / "title_abstract_screening.xlsx"
    pd.DataFrame({"record_id": ["medline:1001"], "title": ["x"], "decision": ["include"]}).to_excel(
        workbook, index=False
    )
    d.import_into_project(
        small, [_decided(tmp_path)], stage="title-abstract", replace=True, today=TODAY
    )
    assert not workbook.exists()
    assert (small.screening / "title_abstract_screening.replaced-2024-06-01.xlsx").exists()
    tables.TITLE_ABSTRACT_SCREENING.find(small.screening)  # exactly one sheet


# --- reasons --------------------------------------------------------------------------------


def _title_abstract_all_included(project: Project, tmp_path: Path) -> None:
    d.import_into_project(project, [_decided(tmp_path, "ta.ris")], stage="title-abstract")


def test_unmapped_reasons_are_listed_every_one_and_added_to_the_mapping(small, tmp_path):
    _title_abstract_all_included(small, tmp_path)
    reasons = [["wrong design"], ["no peers", "wrong design"], ["Wrong  Design"]]
    excluded = [
        _marked(r, votes={"YK": "Excluded"}, reasons=texts)
        for r, texts in zip(KEPT[:3], reasons, strict=True)
    ]
    path = rayyan_ris(tmp_path / "full_text.ris", excluded)
    with pytest.raises(d.UnmappedReasons) as raised:
        d.import_into_project(small, [path], stage="full-text")
    assert raised.value.texts == ("no peers", "wrong design")
    assert "'no peers'" in str(raised.value) and "'wrong design'" in str(raised.value)
    mapping = small.screening / "reason_mapping.csv"
    assert mapping.read_text(encoding="utf-8") == "tool_reason,code\nno peers,\nwrong design,\n"
    assert not (small.screening / "full_text_screening.csv").exists()

    mapping.write_text("tool_reason,code\nno peers,b\nwrong design,a\n", encoding="utf-8")
    imported, _ = d.import_into_project(small, [path], stage="full-text")
    reasons = dict(zip(imported.sheet[col.RECORD_ID], imported.sheet[col.REASON], strict=True))
    # two reasons: the first in exclusion_reasons.csv's order is the one counted
    assert reasons == {"medline:1001": "a", "psycinfo:2019-0002": "a", "medline:1003": "a"}

    mapping.write_text("tool_reason,code\nno peers,z\n", encoding="utf-8")
    with pytest.raises(d.DecisionsNotImported, match="row 2, code: 'z': expected one of a, b, c"):
        d.import_into_project(small, [path], stage="full-text")


def test_a_full_text_exclusion_needs_a_code_and_only_includes_are_screened_in_full(small, tmp_path):
    d.import_into_project(
        small, [_decided(tmp_path, "ta.ris", "Excluded")], stage="title-abstract", replace=True
    )
    path = _decided(tmp_path, "ft.ris", "Excluded")
    imported, _ = d.import_into_project(small, [path], stage="full-text", reason="c")
    assert imported.at_stage == 0 and imported.sheet.empty
    assert len(imported.not_at_stage) == 6

    _title_abstract_all_included(small, tmp_path)
    with pytest.raises(d.DecisionsNotImported, match="6 problem"):
        d.import_into_project(small, [path], stage="full-text")
    imported, _ = d.import_into_project(small, [path], stage="full-text", reason="c")
    assert set(imported.sheet[col.REASON]) == {"c"}
    with pytest.raises(d.DecisionsNotImported, match="--reason 'q'"):
        d.import_into_project(small, [path], stage="full-text", reason="q")


# --- two reviewers ---------------------------------------------------------------------------


def test_two_reviewers_go_to_double_screening_and_their_disagreements_are_listed(small, tmp_path):
    records = [
        _marked(r, votes=votes)
        for r, votes in zip(
            KEPT,
            [{"Ann": "Included", "Bo": "Excluded"}, {"Ann": "Excluded", "Bo": "Excluded"},
             {"Ann": "Included"}, {"Bo": "Maybe"}, {"Ann": "Included", "Bo": "Included"},
             {"Ann": "Excluded"}],
            strict=True,
        )
    ]  # fmt: skip
    path = rayyan_ris(tmp_path / "blind.ris", records)
    small.protocol.write_text(
        STUDY_PROTOCOL_TEXT.replace("fraction: 0.1", "fraction: 0.5").replace(
            "seed: 20220801", "seed: 7"
        ),
        encoding="utf-8",
    )
    imported, _ = d.import_into_project(small, [path], stage="title-abstract")
    drawn = set(s.double_screening_sample(IDS, fraction=0.5, seed=7))
    twice = {"medline:1001", "psycinfo:2019-0002", "record:t000000000005"}
    assert len(imported.off_sample) == len(drawn ^ twice) > 0
    double = pd.read_csv(small.screening / "double_screening.csv", dtype=str, keep_default_na=False)
    assert list(double[col.RECORD_ID]) == [
        "medline:1001",
        "psycinfo:2019-0002",
        "record:t000000000005",
    ]
    assert list(double[col.REVIEWER_1]) == ["Ann"] * 3
    assert list(double[col.DECISION_1] + "/" + double[col.DECISION_2]) == [
        "include/exclude", "exclude/exclude", "include/include"
    ]  # fmt: skip
    assert list(double[col.AGREED]) == ["", "", ""]
    assert len(imported.disagreements) == 1 and imported.disagreements[0].startswith("medline:1001")
    assert "medline:1001" not in set(imported.sheet[col.RECORD_ID])
    assert "medline:1001" in imported.report()

    # the team resolves it on the double-screening sheet; a re-import keeps their word
    double.loc[0, [col.AGREED, col.RESOLUTION]] = ["include", "discussion"]
    double.to_csv(small.screening / "double_screening.csv", index=False)
    with pytest.raises(d.DecisionsNotImported, match=r"double_screening\.csv"):
        d.import_into_project(small, [path], stage="title-abstract")
    imported, _ = d.import_into_project(
        small, [path], stage="title-abstract", replace=True, today=TODAY
    )
    assert imported.disagreements == []
    final = imported.sheet.set_index(col.RECORD_ID)
    assert final.loc["medline:1001", col.DECISION] == "include"
    assert final.loc["medline:1001", col.REVIEWER] == "Ann; Bo"
    again = pd.read_csv(small.screening / "double_screening.csv", dtype=str, keep_default_na=False)
    assert list(again.loc[0, [col.AGREED, col.RESOLUTION]]) == ["include", "discussion"]

    # both sheets as the screening step reads and checks them
    to_screen = make_to_screen()
    checked = s.title_abstract_outcomes(
        to_screen.deduplicated, s.read(tables.TITLE_ABSTRACT_SCREENING, small), to_screen.removed
    )
    s.check_double_screening(
        s.read(tables.DOUBLE_SCREENING, small), checked, records=to_screen.deduplicated
    )


# --- a stage export --------------------------------------------------------------------------


def test_a_stage_export_includes_what_it_holds_and_excludes_the_rest(small, tmp_path):
    kept = make_to_screen().deduplicated.iloc[[0, 3]]
    from compendium.readers import write_ris

    path = tmp_path / "kept_at_title_abstract.ris"
    write_ris(kept, path)
    with pytest.raises(d.DecisionsNotImported, match="give --reviewer NAME"):
        d.import_into_project(small, [path], stage="title-abstract")
    imported, _ = d.import_into_project(small, [path], stage="title-abstract", reviewer="YK")
    assert imported.tool == d.STAGE_EXPORT

    # a file of other records would exclude everything: refused
    stranger = tmp_path / "another_review.ris"
    write_ris(
        _records([("x:1", "A history of the asylum", "Scull, A", 1979, *[None] * 3)]), stranger
    )
    with pytest.raises(d.DecisionsNotImported, match="none of its 1 records"):
        d.import_into_project(small, [stranger], stage="title-abstract", reviewer="YK")
    decided = dict(zip(imported.sheet[col.RECORD_ID], imported.sheet[col.DECISION], strict=True))
    assert decided == {
        rid: ("include" if rid in set(kept[col.RECORD_ID]) else "exclude") for rid in IDS
    }

    # at full text: the stage's records are those included at title/abstract
    path2 = tmp_path / "kept_at_full_text.ris"
    write_ris(kept.iloc[[1]], path2)
    with pytest.raises(d.DecisionsNotImported, match="--reason"):
        d.import_into_project(small, [path2], stage="full-text", reviewer="YK")
    imported, _ = d.import_into_project(
        small, [path2], stage="full-text", reviewer="YK", reason="b"
    )
    rows = imported.sheet.set_index(col.RECORD_ID)
    assert list(rows.index) == ["medline:1001", "record:t000000000004"]
    assert list(rows[col.DECISION]) == ["exclude", "include"]
    assert list(rows[col.REASON]) == ["b", ""]
    to_screen = make_to_screen()
    ta = s.title_abstract_outcomes(
        to_screen.deduplicated, s.read(tables.TITLE_ABSTRACT_SCREENING, small), to_screen.removed
    )
    s.full_text_outcomes(
        s.read(tables.FULL_TEXT_SCREENING, small),
        s.sent_to_full_text(ta),
        s.read_reasons(small),
        to_screen.removed,
        set(to_screen.ids),
        records=to_screen.deduplicated,
    )


# --- real exports -------------------------------------------------------------------------------


def _as_search_results(export) -> s.ToScreen:
    """The records of a real tool export as if they were the review's search results."""
    records = export.records.copy()
    records.insert(0, col.RECORD_ID, [f"search:{n:04d}" for n in range(1, len(records) + 1)])
    records[col.DATABASE] = pd.NA
    records = records[list(col.RECORD_COLUMNS)]
    duplicates = pd.DataFrame(
        {
            col.RECORD_ID: records[col.RECORD_ID],
            col.CLUSTER_ID: records[col.RECORD_ID],
            col.KEPT: True,
            col.MATCHED_BY: "",
            col.DUPLICATE_OF: "",
            col.LINKED_TO: "",
        }
    )
    return s.ToScreen(records, records, duplicates)


@pytest.fixture
def tool_file():
    if not (TOOLS / "SOURCE.md").exists():
        pytest.skip(f"real screening-tool exports not found at {TOOLS}")
    return lambda name: TOOLS / name


@pytest.mark.external
def test_rayyan_blind_mode_votes_of_a_real_export(tool_file):
    path = tool_file("rayyan/rayyanR_tinea_update.ris")
    to_screen = _as_search_results(read_tool_export([path]))
    imported = d.import_decisions(to_screen, d.read_decision_files([path]), stage="title-abstract")
    assert imported.matched_by()["title+year+first author"] == 14
    # SOURCE.md: 4 records voted by both reviewers, 8 by one, 2 with labels only
    assert len(imported.double) == 4
    assert len(imported.disagreements) == 1  # rayyan-14431: Zbys exclude, m.el-gohary include
    assert "Zbys exclude" in imported.disagreements[0]
    assert len(imported.sheet) == 11 and len(imported.undecided) == 3


@pytest.mark.external
def test_votes_at_two_rayyan_stages_need_the_stage_named(tool_file):
    files = [
        tool_file("rayyan/rayyanR_MLJ_includes_articles.ris"),
        tool_file("rayyan/rayyanR_MLJ_includes_customizations_log.csv"),
    ]
    to_screen = _as_search_results(read_tool_export(files[:1]))
    found = d.read_decision_files(files)
    with pytest.raises(d.DecisionsNotImported, match="__SYSTEM__STAGE__113306 \\(10 votes\\)"):
        d.import_decisions(to_screen, found, stage="title-abstract")
    first = d.import_decisions(to_screen, found, stage="title-abstract", tool_stage="first")
    later = d.import_decisions(
        to_screen, found, stage="title-abstract", tool_stage="__SYSTEM__STAGE__113306"
    )
    assert list(first.sheet[col.DECISION]).count("exclude") == 0
    assert list(later.sheet[col.DECISION]).count("exclude") == 1  # article 229697638


@pytest.mark.external
def test_asreview_names_no_reviewer_and_covidence_reasons_need_codes(tool_file):
    path = tool_file("asreview/meta_energy_asreview_dataset_mp-energy-1-random-sample_update.csv")
    export = read_tool_export([path])
    found = d.read_decision_files([path])
    to_screen = _as_search_results(export)
    with pytest.raises(d.DecisionsNotImported, match="220 decision\\(s\\) name no reviewer"):
        d.import_decisions(to_screen, found, stage="title-abstract")
    imported = d.import_decisions(to_screen, found, stage="title-abstract", reviewer="MP")
    assert len(imported.sheet) == 220 and imported.undecided == []
    assert (imported.sheet[col.DECISION] == "include").sum() == 17  # SOURCE.md: 17 relevant
    assert imported.matched_by()["DOI"] == 39  # the others have no DOI: title, year, author
    assert set(imported.sheet[col.REVIEWER]) == {"MP"}

    nipah = tool_file("covidence/priority_pathogens_Nipah_excluded_studies.csv")
    found = d.read_decision_files([nipah], lists={nipah.name: "excluded"})
    to_screen = _as_search_results(read_tool_export([nipah], lists={nipah.name: "excluded"}))
    everyone = pd.DataFrame({col.RECORD_ID: to_screen.ids, col.DECISION: "include"})
    with pytest.raises(d.UnmappedReasons) as raised:
        d.import_decisions(
            to_screen, found, stage="full-text", reviewer="team", title_abstract=everyone,
            reason_codes=["a", "b"],
        )  # fmt: skip
    assert len(raised.value.texts) == 8  # SOURCE.md: 8 reasons
    assert "Not in English" in raised.value.texts
