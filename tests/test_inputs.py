"""Files people write: whatever is wrong with one is the project's own error, naming the file
and, where known, the line and column, the value and what was expected; and the terminal shows
the whole of it."""

from __future__ import annotations

import pandas as pd
import pytest

from compendium import cli, dataset, dedup, integrity, io, numbers, screening, searches, tables
from compendium.dedup import schema
from compendium.errors import InputError


def test_a_yaml_syntax_error_names_the_line_and_column_and_shows_the_line(project):
    path = project.raw / "search_strategy.yaml"
    path.write_text("concepts:\n  - concept: RCTs\n    terms: [trial.ti, random*.ti\n  - x: : y\n")
    with pytest.raises(InputError) as failed:
        searches.read_strategy(path)
    message = str(failed.value)
    assert f"{path}, line 4, column 6:" in message
    assert "  - x: : y" in message and "^" in message
    assert "Expected valid YAML" in message


def test_a_misspelt_key_in_the_search_strategy_names_the_block_and_the_key(project):
    path = project.raw / "search_strategy.yaml"
    path.write_text(
        "concepts:\n  - concept: RCTs\n    terms: [trial.ti]\n  - concpet: peer support\n"
        "    terms: [peer*.ti]\n"
    )
    with pytest.raises(InputError) as failed:
        searches.read_strategy(path)
    message = str(failed.value)
    assert "2 problem(s)" in message
    assert "concept block 2: key 'concpet': expected only 'concept' and 'terms'" in message
    assert "concept block 2: concept None: expected its name" in message


def test_a_sheet_saved_as_windows_1252_names_each_byte_by_line_and_column(project):
    sheet = project.screening / "title_abstract_screening.csv"
    text = "record_id,title,decision\nr1,Peer support,include\n"
    text += "r2,Décio's trial \u2013 one,exclude\n"
    sheet.write_bytes(text.encode("cp1252"))
    with pytest.raises(InputError) as failed:
        screening.read(tables.TITLE_ABSTRACT_SCREENING, project)
    message = str(failed.value)
    assert f"{sheet}: not UTF-8 (2 byte(s) that UTF-8 does not allow)" in message
    assert "line 3, column 5: byte 0xe9 ('é' in Windows-1252)" in message
    assert "line 3, column 18: byte 0x96 ('\u2013' in Windows-1252)" in message
    assert "CSV UTF-8" in message


def test_a_row_with_more_cells_than_the_header_is_named(project):
    sheet = project.screening / "exclusion_reasons.csv"
    lines = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].rstrip("\n") + ",stray\n"
    sheet.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3: \d+ cells: expected at most \d+"):
        screening.read_reasons(sheet)


def test_a_folder_where_a_sheet_should_be_is_named(tmp_path):
    folder = tmp_path / "title_abstract_screening.csv"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder; expected a file"):
        io.read_sheet_table(folder)


def test_a_damaged_workbook_is_named(tmp_path):
    book = tmp_path / "full_text_screening.xlsx"
    book.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match=r"not a readable \.xlsx workbook"):
        io.read_sheet_table(book)


def test_a_utf16_sheet_with_its_byte_order_mark_is_read(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("record_id,decision\nr1,include\n", encoding="utf-16")
    assert io.read_sheet_table(sheet).to_dict("records") == [
        {"record_id": "r1", "decision": "include"}
    ]


@pytest.mark.parametrize("text", ["", "# nothing reported yet\n", "[]\n"])
def test_an_empty_or_keyless_reported_numbers_file_fails_the_check(tmp_path, text):
    path = tmp_path / "reported_numbers.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match="expected the numbers the manuscript reports"):
        numbers.load_reported(path)


def test_a_dataset_card_that_is_not_yaml_names_its_line(project):
    project.dataset_card.write_text("kind: demonstration\ntitle: [unclosed\n")
    with pytest.raises(InputError, match=r"DATASET\.yaml, line \d+, column \d+"):
        dataset.load(project.dataset_card)


def test_a_checksum_registry_that_is_not_utf8_is_named(project):
    project.checksums.write_bytes(b"DATASET.yaml \xff\n")
    with pytest.raises(InputError, match="SHA256SUMS: not UTF-8"):
        integrity.verify(project.raw)


def test_undecided_duplicate_pairs_are_listed_ten_and_counted():
    pairs = pd.DataFrame(
        {
            schema.RECORD_ID_1: [f"a{i:02d}" for i in range(12)],
            schema.RECORD_ID_2: [f"b{i:02d}" for i in range(12)],
            schema.REASON: "same title",
        }
    )
    message = str(dedup.PendingDecisions(pairs))
    assert message.startswith("12 uncertain duplicate pair(s) have no decision")
    assert "the first 10" in message
    assert "a09  b09" in message and "a10" not in message
    assert "... and 2 more" in message
    assert "compendium dedup-sheet" in message


@pytest.mark.slow
def test_the_terminal_shows_every_problem_of_a_broken_sheet(project, capsys):
    sheet = project.screening / "title_abstract_screening.csv"
    table = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    table.loc[[2, 4, 6], "decision"] = "inclde"
    table.loc[8, "record_id"] = "no-such-record"
    sheet.write_text(table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    integrity.update(project.raw)
    status = cli.main(["--root", str(project.root), "run"])
    err = capsys.readouterr().err
    assert status == 1
    assert "notebooks/03_screening.ipynb: cell" in err and "raised ScreeningError" in err
    assert "title/abstract screening: 5 problem(s):" in err
    for row in (4, 6, 8):
        assert f"title_abstract_screening.csv row {row}, decision: 'inclde'" in err
    assert "row 10, record_id: 'no-such-record'" in err
    assert "no decision on this record" in err  # the record whose id was overwritten
    assert "The executed notebook, with every output up to the error, is .compendium/" in err
