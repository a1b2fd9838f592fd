"""Every real export listed in ../shared/external/MANIFEST.csv, read to its count.

The files are read in place (they are never copied into the project); the tests skip
when the folder is absent, as in a user's clone.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from compendium import columns as col
from compendium.readers import ReaderError, read_export, read_records

# The public test data live beside the repository (tests/readers -> repo -> ..), never in it.
EXTERNAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "external"

pytestmark = pytest.mark.external
_ABSENT = f"public test data not found at {EXTERNAL.resolve()} (../shared/external)"


def _counted_exports() -> list[tuple[str, int]]:
    manifest = EXTERNAL / "MANIFEST.csv"
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(r["path"], int(r["records"])) for r in rows if r["role"] == "export" and r["records"]]


_EXPORTS = _counted_exports()
_INVALID = {"jabref/OvidImporterTest2Invalid.txt"}  # count 0: must be rejected instead


@pytest.fixture(autouse=True)
def _external_present():
    if not (EXTERNAL / "MANIFEST.csv").exists():
        pytest.skip(_ABSENT)


@pytest.mark.parametrize(
    ("relative", "count"),
    [pytest.param(p, n, id=p) for p, n in _EXPORTS if p not in _INVALID]
    or [pytest.param("", 0, marks=pytest.mark.skip(reason=_ABSENT))],
)
def test_manifest_export_read_to_its_count(relative, count):
    export = read_export(EXTERNAL / relative)
    records = export.records
    assert len(records) == count
    assert tuple(records.columns) == col.RECORD_COLUMNS
    assert records[col.RECORD_ID].is_unique
    # nothing lost: every record keeps its original pairs
    assert all(json.loads(raw) for raw in records[col.RAW])


def test_manifest_lists_the_invalid_ovid_file():
    assert any(path in _INVALID for path, _ in _EXPORTS)


def test_invalid_ovid_file_is_rejected():
    with pytest.raises(ReaderError) as info:
        read_records(EXTERNAL / "jabref/OvidImporterTest2Invalid.txt")
    assert "OvidImporterTest2Invalid.txt" in str(info.value)
    assert "<1>" in str(info.value)


def test_medline_line_outside_any_record_is_refused():
    # JabRef's importer silently omits this line; here it is reported, with its line.
    with pytest.raises(ReaderError) as info:
        read_records(EXTERNAL / "jabref/MedlinePlainImporterTestMultipleEntries.txt")
    assert info.value.line == 53


def test_ovid_psycinfo_ris_fields():
    df = read_records(EXTERNAL / "asreview/ovid_psycinfo.ris")
    first = df.iloc[0]
    assert first[col.DATABASE] == "Ovid APA PsycInfo"
    assert first[col.DOI] == "10.1002/cpp.2398"
    assert first[col.YEAR] == 2019
    assert first[col.AUTHORS].startswith("Trindade, Ines A; Irons, Chris")


def test_embase_ris_first_db_tag_names_the_database():
    df = read_records(EXTERNAL / "asreview/embase.ris")
    assert set(df[col.DATABASE]) == {"Embase"}


def test_pubmed_nbib_first_record():
    df = read_records(EXTERNAL / "nbib/pmc_medlars.txt")
    assert df[col.PMID].iloc[0] == "30042925"
    assert len(df[col.AUTHORS].iloc[0].split("; ")) == 6


def test_ebscohost_psycinfo_database():
    path = EXTERNAL / "citesource/topic_data/20221207_gambling-harms_psycinfo_124.ris"
    assert set(read_records(path)[col.DATABASE]) == {"EBSCOhost APA PsycInfo"}


def test_lens_mixed_line_endings_reported():
    export = read_export(EXTERNAL / "asreview/_baseline.ris")
    assert export.bom is True
    assert export.line_endings.startswith("mixed")


def test_embase_csv_and_ris_give_the_same_records():
    csv_export = read_records(EXTERNAL / "asreview/embase.csv")
    ris_export = read_records(EXTERNAL / "asreview/embase.ris")
    for column in (col.AUTHORS, col.DOI):
        assert list(csv_export[column]) == list(ris_export[column]), column
    assert set(ris_export[col.DATABASE]) == {"Embase"}
