"""Record ids that survive a re-export: from the record, never from its place in the file."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

from compendium import columns as col
from compendium import integrity, pipeline, tables
from compendium.errors import CompendiumError
from compendium.paths import Project
from compendium.readers import read_records
from compendium.readers.base import record_id
from compendium.records import unique_ids

RIS = "ovid_medline_2022-08.ris"
OVID = "ovid_psycinfo_2022-08.txt"


def test_an_id_is_the_database_and_its_accession_number_or_a_hash_of_the_record():
    assert record_id("Ovid MEDLINE", "36858434", title="", year=None, authors="", journal="") == (
        "medline:36858434"
    )
    assert record_id("Web of Science", "WOS:000444108200009", title="", year=None, authors="",
                     journal="") == "web_of_science:WOS:000444108200009"  # fmt: skip
    one = record_id(None, None, title="Peer support: a trial", year=2020, authors="Ng, F; Li, K",
                    journal="Psychol Med")  # fmt: skip
    two = record_id(None, None, title="PEER SUPPORT - A TRIAL.", year=2020, authors="Ng, Fiona",
                    journal="psychol. med.")  # fmt: skip
    assert one == two and re.fullmatch(r"record:t[0-9a-f]{12}", one)
    other = record_id(None, None, title="Peer support: a trial", year=2021, authors="Ng, F",
                      journal="Psychol Med")  # fmt: skip
    assert other != one


def test_records_alike_in_every_part_of_their_id_are_told_apart_whatever_their_order():
    records = pd.DataFrame(
        {
            col.RECORD_ID: ["medline:1", "medline:1", "medline:2"],
            col.SOURCE_FILE: ["b.ris", "a.ris", "a.ris"],
            col.RAW: ["[]", "[]", "[]"],
        }
    )
    first = unique_ids(records)
    second = unique_ids(records.iloc[::-1]).sort_index()
    assert list(first[col.RECORD_ID]) == ["medline:1~2", "medline:1", "medline:2"]
    assert list(second[col.RECORD_ID]) == list(first[col.RECORD_ID])


def reordered(text: str, header: str, number: str) -> str:
    """An export with its records in the reverse order, renumbered as a new export is."""
    pattern = re.compile(header, re.MULTILINE)
    starts = [m.start() for m in pattern.finditer(text)]
    preamble, blocks = (
        text[: starts[0]],
        [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)],
    )
    blocks = [pattern.sub("", block, count=1) for block in reversed(blocks)]
    return preamble + "".join(number.format(n) + block for n, block in enumerate(blocks, 1))


def reexport_in_reverse(project: Project) -> None:
    ris, ovid = project.searches / RIS, project.searches / OVID
    ris.write_text(reordered(ris.read_text(), r"^\d+\.\n", "{}.\n"))
    ovid.write_text(reordered(ovid.read_text(), r"^<\d+>\n", "<{}>\n"))
    integrity.update(project.raw)


def test_reading_an_export_in_another_order_gives_every_record_its_id(project):
    before = {name: read_records(project.searches / name) for name in (RIS, OVID)}
    reexport_in_reverse(project)
    for name, records in before.items():
        again = read_records(project.searches / name)
        assert list(again[col.RECORD_ID]) == list(records[col.RECORD_ID])[::-1]
        pd.testing.assert_frame_equal(
            again.drop(columns=[col.RAW]).iloc[::-1].reset_index(drop=True),
            records.drop(columns=[col.RAW]),
        )


@pytest.mark.slow
def test_a_reexport_in_another_order_changes_no_id_and_no_decision(full_run, tmp_path):
    project = Project(tmp_path / "project")
    shutil.copytree(full_run.project.root / "notebooks", project.notebooks)
    shutil.copytree(full_run.project.raw, project.raw)
    reexport_in_reverse(project)
    pipeline.run(project, allow_mismatch=True)  # the decisions find their records: no error

    def by_id(root_project: Project, table: tables.Table) -> pd.DataFrame:
        found = tables.read(root_project, table)
        return found.sort_values(col.RECORD_ID, ignore_index=True)

    for table in (tables.DUPLICATES, tables.LEDGER):  # every record kept, merged, decided alike
        pd.testing.assert_frame_equal(by_id(project, table), by_id(full_run.project, table))
    included = tables.read(project, tables.INCLUDED_PUBLICATIONS)
    assert included.equals(tables.read(full_run.project, tables.INCLUDED_PUBLICATIONS))
    numbers = json.loads(tables.NUMBERS_JSON.path(project).read_text())
    assert numbers == json.loads(tables.NUMBERS_JSON.path(full_run.project).read_text())


@pytest.mark.slow
def test_a_record_deleted_from_an_export_is_named_where_a_decision_needs_it(project):
    ris = project.searches / RIS
    text = ris.read_text()
    starts = [m.start() for m in re.finditer(r"^\d+\.\n", text, re.MULTILINE)]
    kept = read_records(ris)[col.RECORD_ID].iloc[0]  # the export's first record
    # the first record dropped, the others renumbered from 1 as a new export would be
    rest = re.sub(r"^\d+\.\n", "", text[starts[1] :], flags=re.MULTILINE)
    blocks = re.split(r"(?m)^(?=TY  - )", rest)
    ris.write_text("".join(f"{n}.\n{b}" for n, b in enumerate((b for b in blocks if b), 1)))
    integrity.update(project.raw)
    with pytest.raises(CompendiumError) as failed:
        pipeline.run(project, only=["01", "02", "03"])
    message = str(failed.value)
    assert "title_abstract_screening.csv row" in message
    assert f"record_id: '{kept}': expected the id of a record left after deduplication" in message
    assert "decisions.csv" not in message  # nothing else moved, so nothing else is blamed
