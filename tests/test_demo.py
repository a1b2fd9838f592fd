from compendium import demo, integrity
from compendium.paths import ROOT, Project


def test_demo_data_is_what_the_generator_writes_byte_for_byte(tmp_path):
    context = demo.build(ROOT / "data/raw/reported_numbers.yaml")
    assert context.files, "the generator wrote nothing"
    for name, content in context.files.items():
        expected = content if isinstance(content, bytes) else content.encode()
        assert (ROOT / "data/raw" / name).read_bytes() == expected, name
    for name, text in context.truth.items():
        assert (ROOT / "tests/demo_truth" / name).read_bytes() == text.encode(), name


def test_the_generator_is_deterministic():
    one = demo.build(ROOT / "data/raw/reported_numbers.yaml")
    two = demo.build(ROOT / "data/raw/reported_numbers.yaml")
    assert one.files == two.files and one.truth == two.truth


def test_generate_writes_into_a_project_and_checksums_then_verify(tmp_path):
    project = Project(tmp_path)
    project.raw.mkdir(parents=True)
    (project.raw / "reported_numbers.yaml").write_bytes(
        (ROOT / "data/raw/reported_numbers.yaml").read_bytes()
    )
    written = demo.generate(project)
    assert project.dataset_card in written
    integrity.update(project.raw)
    integrity.verify(project.raw)
    assert (project.raw / "SHA256SUMS").read_bytes() == (ROOT / "data/raw/SHA256SUMS").read_bytes()


def test_the_committed_dataset_is_labelled_demonstration():
    from compendium import dataset

    card = dataset.load(ROOT / "data/raw/DATASET.yaml")
    assert card.is_demonstration
    assert card.licence == "CC-BY-4.0"
    assert "Demonstration data" in card.note
