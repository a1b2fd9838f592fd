import subprocess
import sys

import pandas as pd

from compendium import cli
from compendium.paths import ROOT


def test_run_with_an_unknown_parameter_fails_listing_the_valid_ones(project, capsys):
    status = cli.main(["--root", str(project.root), "run", "-p", "no_such_parameter", "1"])
    err = capsys.readouterr().err
    assert status == 1
    assert "unknown parameter no_such_parameter" in err
    assert "01_search_results: project_root" in err


def test_a_changed_raw_file_stops_the_run_naming_it(project, capsys):
    (project.raw / "reported_numbers.yaml").write_text("# emptied\n")
    status = cli.main(["--root", str(project.root), "run"])
    assert status == 1
    assert "data/raw/reported_numbers.yaml: changed" in capsys.readouterr().err


def test_checksums_verify_and_update(project, capsys):
    assert cli.main(["--root", str(project.root), "checksums"]) == 0
    assert "data/raw matches SHA256SUMS" in capsys.readouterr().out
    (project.raw / "DATASET.yaml").write_text((project.raw / "DATASET.yaml").read_text() + "#\n")
    assert cli.main(["--root", str(project.root), "checksums"]) == 1
    assert cli.main(["--root", str(project.root), "checksums", "--update"]) == 0
    assert "data/raw/DATASET.yaml: changed" in capsys.readouterr().out
    assert cli.main(["--root", str(project.root), "checksums"]) == 0


def test_steps_lists_inputs_outputs_and_parameters(capsys):
    assert cli.main(["steps"]) == 0
    out = capsys.readouterr().out
    assert "07_manuscript" in out and "reads:" in out and "project_root='..'" in out


def test_python_dash_m_compendium_works():
    result = subprocess.run(
        [sys.executable, "-m", "compendium", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0 and "demo-data" in result.stdout


def test_parameter_text_is_read_as_the_type_of_its_default():
    from compendium.notebooks import check_type

    assert check_type("s", "n", 3, "1") == 1
    assert check_type("s", "f", 0.1, "0.2") == 0.2
    assert check_type("s", "f", 0.1, "1") == 1.0
    assert check_type("s", "b", False, "true") is True
    assert check_type("s", "p", "..", "../data") == "../data"
    assert check_type("s", "item", "3.2", "3.6") == "3.6"  # text stays text
    assert check_type("s", "item", "3.2", "007") == "007"


def test_dedup_sheet_adds_the_undecided_pairs_once(project, capsys):
    from compendium import dedup, readers, tables

    records = pd.concat([readers.read_records(p) for p in sorted(project.searches.iterdir())])
    tables.write(project, tables.RECORDS, records.reset_index(drop=True))
    asked = dedup.uncertain_pairs(records.reset_index(drop=True))
    assert len(asked) > 0
    dedup.decisions_sheet(project).write_text("record_id_1,record_id_2,decision,reviewer,note\n")
    assert cli.main(["--root", str(project.root), "dedup-sheet"]) == 0
    assert f"added {len(asked)} undecided pair(s)" in capsys.readouterr().out
    sheet = pd.read_csv(dedup.decisions_sheet(project), dtype=str, keep_default_na=False)
    assert len(sheet) == len(asked) and (sheet["decision"] == "").all()
    assert {"sim_title", "title_1", "title_2"} <= set(sheet.columns)  # why each was asked
    assert cli.main(["--root", str(project.root), "dedup-sheet"]) == 0
    assert "added 0 undecided pair(s)" in capsys.readouterr().out  # listed already
    assert len(pd.read_csv(dedup.decisions_sheet(project))) == len(asked)


def test_read_says_what_each_export_holds_and_why_one_cannot_be_read(tmp_path, capsys):
    searches = ROOT / "data" / "raw" / "searches"
    bad = tmp_path / "notes.txt"
    bad.write_text("not an export\n", encoding="utf-8")
    files = [str(searches / "ovid_medline_2022-08.ris"), str(bad)]
    files.append(str(searches / "ovid_psycinfo_2022-08.txt"))
    status = cli.main(["read", *files])
    out, err = capsys.readouterr()
    assert status == 1  # one file could not be read
    assert "format: RIS; encoding: utf-8 (no byte-order mark); line endings: LF" in out
    assert "records: 222 (Ovid MEDLINE 222)" in out
    assert "records: 310 (Ovid APA PsycInfo 310)" in out  # the file after the bad one too
    assert f"{bad}: not a recognised database export" in err


def test_read_takes_the_database_from_the_caller(tmp_path, capsys):
    path = tmp_path / "pubmed.csv"
    path.write_text("PMID,Title,Authors,DOI\n1,A title,Smith J,10.1/a\n", encoding="utf-8")
    assert cli.main(["read", str(path), "--database", "PubMed"]) == 0
    assert "records: 1 (PubMed 1)" in capsys.readouterr().out


def test_the_command_acts_on_the_project_it_is_run_in(project, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(project.raw / "screening")  # anywhere inside a copy of the project
    assert cli.main(["checksums"]) == 0
    assert "data/raw matches SHA256SUMS" in capsys.readouterr().out
    card = project.dataset_card
    card.write_text(card.read_text() + "# edited in the copy\n")
    assert cli.main(["checksums"]) == 1
    assert "data/raw/DATASET.yaml: changed" in capsys.readouterr().err
    assert cli.main(["--root", str(ROOT), "checksums"]) == 0  # --root: the original, untouched
    capsys.readouterr()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert cli.main(["checksums"]) == 1
    assert "not inside a compendium project" in capsys.readouterr().err
