import pytest

from compendium import integrity
from compendium.errors import InputError, RawDataChanged


@pytest.fixture
def raw(tmp_path):
    (tmp_path / "searches").mkdir()
    (tmp_path / "searches" / "medline.ris").write_text("TY  - JOUR\nER  - \n")
    (tmp_path / "DATASET.yaml").write_text("kind: study\n")
    integrity.update(tmp_path)
    return tmp_path


def test_registry_lists_every_file_with_its_sha256_sorted(raw):
    lines = (raw / "SHA256SUMS").read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["DATASET.yaml", "searches/medline.ris"]
    assert all(len(line.split()[1]) == 64 for line in lines)
    integrity.verify(raw)  # matches


def test_a_changed_raw_file_is_named(raw):
    (raw / "searches" / "medline.ris").write_text("TY  - JOUR\nTI  - edited\nER  - \n")
    with pytest.raises(RawDataChanged, match=r"data/raw/searches/medline.ris: changed"):
        integrity.verify(raw)


def test_missing_and_unrecorded_files_are_named(raw):
    (raw / "DATASET.yaml").unlink()
    (raw / "searches" / "psycinfo.txt").write_text("<1>\n")
    with pytest.raises(RawDataChanged) as changed:
        integrity.verify(raw)
    assert "DATASET.yaml: missing" in str(changed.value)
    assert "searches/psycinfo.txt: not recorded" in str(changed.value)


def test_update_records_a_deliberate_change_and_reports_it(raw):
    (raw / "DATASET.yaml").write_text("kind: demonstration\n")
    changes = integrity.update(raw)
    assert [str(change) for change in changes] == ["DATASET.yaml: changed"]
    integrity.verify(raw)


def test_a_malformed_registry_line_is_named(raw):
    (raw / "SHA256SUMS").write_text("DATASET.yaml abc\n")
    with pytest.raises(InputError, match=r"line 1: 'DATASET.yaml abc': expected 'name sha256'"):
        integrity.verify(raw)
