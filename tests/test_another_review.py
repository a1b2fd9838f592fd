"""Another review's files through steps 01-04, as the README's guide takes them.

Cohen et al. (2006), the ADHD drug class review of ASReview's labelled sets: 851 PubMed
records, 84 included on title and abstract, 20 included in the end (each set's README). The
review's folder is made with ``compendium new-review``; the decisions come back with
``compendium import-decisions`` from the stage exports a team keeps ("the records we kept"),
written here from the set's labels. The PRISMA counts must be the set's, and the same
records exported in another order must give the same ids, decisions and outputs.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from compendium import cli, new_review, pipeline
from compendium.errors import StepFailed
from compendium.paths import Project
from support import EXTERNAL, one_database_protocol

pytestmark = pytest.mark.external

ADHD = EXTERNAL / "asreview-sr-datasets" / "Cohen_2006_ADHD" / "ADHD.csv"


def compendium(project: Project, *arguments: str) -> None:
    assert cli.main(["--root", str(project.root), *arguments]) == 0, arguments


def set_up(folder, export: pd.DataFrame) -> Project:
    new_review.create(folder, title="Cohen et al. (2006) ADHD drug class review")
    project = Project(folder)
    one_database_protocol("PubMed", "pubmed", project.raw, files=("ADHD.csv",), sample="none")
    (project.screening / "exclusion_reasons.csv").write_text(
        "code,reason\na,not meeting the inclusion criteria at full text\n"
    )
    export.to_csv(project.searches / "ADHD.csv", index=False)
    compendium(project, "checksums", "--update")
    return project


def screen(project: Project, export: pd.DataFrame, kept) -> None:
    """Steps 01-04: the records, deduplication, the stage exports imported, the diagram."""
    with pytest.raises(
        StepFailed, match="uncertain duplicate pair"
    ):  # people decide, as they would
        pipeline.run(project, only=["01", "02"])
    compendium(project, "dedup-sheet")
    pairs = pd.read_csv(project.raw / "dedup" / "decisions.csv", dtype=str, keep_default_na=False)
    assert len(pairs) >= 1
    pairs["decision"], pairs["reviewer"] = "not duplicate", "AC"  # the set counts each record
    pairs.to_csv(project.raw / "dedup" / "decisions.csv", index=False)
    compendium(project, "checksums", "--update")
    pipeline.run(project, only=["01", "02"])

    for stage, label, extra in (
        ("title-abstract", "label_abstract_screening", []),
        ("full-text", "label_included", ["--reason", "a"]),
    ):
        path = kept / f"{stage}_kept.csv"
        export[export[label] == 1].to_csv(path, index=False)
        compendium(project, "import-decisions", stage, str(path), "--tool", "stage-export",
                   "--reviewer", "AC", *extra)  # fmt: skip
    compendium(project, "checksums", "--update")
    pipeline.run(project, only=["03", "04"])


@pytest.fixture(scope="module")
def adhd(tmp_path_factory):
    if not ADHD.is_file():
        pytest.skip(f"{ADHD}: not present (../shared/external)")
    export = pd.read_csv(ADHD, dtype={"pubmedID": str})
    folder = tmp_path_factory.mktemp("adhd")
    project = set_up(folder / "review", export)
    screen(project, export, folder)
    return project, export, folder


def template(project: Project) -> dict[str, str]:
    rows = pd.read_csv(project.tables / "prisma2020_template.csv", dtype=str)
    return dict(zip(rows["data"].fillna(""), rows["n"].fillna(""), strict=True))


def test_the_prisma_counts_are_the_sets(adhd):
    project, _, _ = adhd
    counts = template(project)
    assert counts["database_results"] == "851"
    assert counts["database_specific_results"] == "PubMed, 851"
    assert counts["duplicates"] == "0"
    assert counts["records_screened"] == "851"
    assert counts["records_excluded"] == "767"
    assert counts["dbr_assessed"] == "84"
    assert counts["dbr_excluded"] == "(a) not meeting the inclusion criteria at full text, 64"
    assert counts["new_studies"] == counts["total_studies"] == "20"
    assert counts["other_sought_reports"] == "0"  # no other sources: the databases arm alone
    step = json.loads((project.processed / "numbers" / "03_screening.json").read_text())
    assert step["studies_included"]["value"] == 20
    assert "double_screening_kappa" not in step  # each record screened once


def test_decisions_are_keyed_by_the_records_own_pmid(adhd):
    project, export, _ = adhd
    sheet = pd.read_csv(project.screening / "full_text_screening.csv", dtype=str)
    included = set(sheet.loc[sheet["decision"] == "include", "record_id"])
    expected = {f"medline:{pmid}" for pmid in export.loc[export["label_included"] == 1, "pubmedID"]}
    assert included == expected


def test_the_same_records_exported_in_another_order_give_the_same_outputs(adhd, tmp_path):
    project, export, _ = adhd
    shuffled = export.sample(frac=1, random_state=7).reset_index(drop=True)
    assert list(shuffled["pubmedID"]) != list(export["pubmedID"])
    again = set_up(tmp_path / "review", shuffled)
    screen(again, shuffled, tmp_path)
    for relative in (
        "data/raw/screening/title_abstract_screening.csv",
        "data/raw/screening/full_text_screening.csv",
        "outputs/tables/prisma2020_template.csv",
    ):
        first, second = project.root / relative, again.root / relative
        assert first.read_bytes() == second.read_bytes(), relative
    # the ledger lists records in the export's order; record by record it is the same
    first, second = (
        pd.read_csv(p.processed / "ledger.csv", dtype=str).sort_values("record_id")
        for p in (project, again)
    )
    pd.testing.assert_frame_equal(first.reset_index(drop=True), second.reset_index(drop=True))
    shutil.rmtree(again.root)
