"""The data abstraction table: reading (CSV and XLSX), every check, the ledger, the demo part."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from compendium import abstraction as dat
from compendium import demo, render
from compendium.demo import extraction
from compendium.demo import protocol as study
from compendium.paths import ROOT
from support import study_protocol, write_protocol

REPORTED = ROOT / "data/raw/reported_numbers.yaml"
REVIEW = study_protocol()  # the demonstration's: this study's protocol


def included_rows() -> list[dict]:
    """The 42 included publications as the screening part hands them over (26/9/7)."""
    rows = []

    def add(publication_id: str, kind: str, source: str) -> None:
        n = len(rows) + 1
        rows.append(
            {
                dat.PUBLICATION_ID: publication_id,
                dat.PUBLICATION_TYPE: kind,
                dat.SOURCE: source,
                "title": f"Illustrative publication {n}",
                "authors": f"Author, A{n}; Writer, B",
                "year": 2000 + n % 23,
            }
        )

    searched = [("medline", 12), ("medline", 47), ("medline", 101)]
    searched += [("psycinfo", 8), ("psycinfo", 150), ("psycinfo", 233)]
    for database, number in searched:
        add(f"ovid_{database}_2022-08:{number:06d}", study.TRIAL_REPORT, "database search")
    for i in range(1, 20):
        add(f"PR{i:02d}", study.TRIAL_REPORT, "prior review")
    experts = [study.TRIAL_REPORT] + [study.TRAINING_MANUAL] * 3 + [study.CHANGE_MODEL] * 3
    for i, kind in enumerate(experts, start=1):
        add(f"EX{i:02d}", kind, "expert consultation")
    for i in range(1, 7):
        add(f"OM{i:02d}", study.TRAINING_MANUAL, "online search")
    for i in range(1, 5):
        add(f"CT{i:02d}", study.CHANGE_MODEL, "citation tracking")
    return sorted(rows, key=lambda row: row[dat.PUBLICATION_ID])


def demo_context(*part_names: str) -> demo.Context:
    """A generator context with the screening part's hand-over in place, parts run."""
    from compendium.demo import typology as typology_part

    context = demo.Context(reported={k: v.value for k, v in _reported().items()})
    context.shared["included_publications"] = included_rows()
    parts = {"extraction": extraction.generate, "typology": typology_part.generate}
    for name in part_names:
        parts[name](context)
    return context


def _reported():
    from compendium import numbers

    return numbers.load_reported(REPORTED)


def write_demo(context: demo.Context, folder, prefix: str) -> None:
    for name, text in context.files.items():
        if name.startswith(prefix):
            path = folder / name[len(prefix) :]
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")


def included_table() -> pd.DataFrame:
    return pd.DataFrame(included_rows()).astype(str)


@pytest.fixture(scope="module")
def demo_workbook(tmp_path_factory):
    """The demo DAT as the team keeps it: one workbook."""
    folder = tmp_path_factory.mktemp("extraction-xlsx")
    write_demo(demo_context("extraction"), folder, "extraction/")
    return folder


@pytest.fixture(scope="module")
def demo_folder(demo_workbook, tmp_path_factory):
    """The same DAT as the two CSV files a team may keep instead."""
    folder = tmp_path_factory.mktemp("extraction")
    (book,) = demo_workbook.glob("*.xlsx")
    for sheet in (dat.PUBLICATIONS_SHEET, dat.CANDIDATES_SHEET):
        table = pd.read_excel(book, sheet_name=sheet, dtype=str, keep_default_na=False)
        (folder / f"{sheet}.csv").write_text(dat.csv_text(table), encoding="utf-8")
    return folder


@pytest.fixture
def sheets(demo_folder):
    """The demo DAT's two sheets as text, to break one cell at a time."""
    return (
        pd.read_csv(demo_folder / "publications.csv", dtype=str, keep_default_na=False),
        pd.read_csv(demo_folder / "candidate_components.csv", dtype=str, keep_default_na=False),
    )


def write_sheets(folder, publications, candidates):
    folder.mkdir(parents=True, exist_ok=True)
    publications.to_csv(folder / "publications.csv", index=False)
    candidates.to_csv(folder / "candidate_components.csv", index=False)
    return folder


# --- the demonstration part -----------------------------------------------------------------


def test_demo_dat_has_the_papers_counts_and_agrees_with_the_ledger(demo_folder):
    table = dat.read_dat(demo_folder, REVIEW)
    assert len(table.publications) == 42
    assert len(table.candidate_components) == 242
    counts = table.publications[dat.PUBLICATION_TYPE].value_counts().to_dict()
    assert counts == {study.TRIAL_REPORT: 26, study.TRAINING_MANUAL: 9, study.CHANGE_MODEL: 7}
    assert set(table.candidate_components[dat.PUBLICATION_ID]) == set(
        table.publications[dat.PUBLICATION_ID]
    )
    assert set(table.publications[dat.PROVENANCE]) == {"illustrative"}
    dat.check_against_included(table, included_table(), where="demo")


def test_demo_part_is_deterministic():
    assert demo_context("extraction").files == demo_context("extraction").files


def test_demo_part_without_the_screening_hand_over_fails_clearly():
    context = demo.Context(reported={"candidate_components": 242})
    with pytest.raises(ValueError, match=r"needs context.shared\['included_publications'\]"):
        extraction.generate(context)


def test_candidate_counts_are_split_with_a_minimum_and_the_exact_total():
    import random

    counts = extraction.allot(
        [study.TRIAL_REPORT] * 5 + [study.CHANGE_MODEL] * 3, 37, random.Random(1)
    )
    assert sum(counts) == 37 and min(counts) >= extraction.MINIMUM


# --- reading: CSV and workbook -------------------------------------------------------------


def test_a_workbook_reads_the_same_as_the_csv_files(demo_workbook, demo_folder):
    from_csv = dat.read_dat(demo_folder, REVIEW)
    from_xlsx = dat.read_dat(demo_workbook, REVIEW)
    assert len(from_xlsx.publications) == 42
    pd.testing.assert_frame_equal(from_xlsx.publications, from_csv.publications)
    pd.testing.assert_frame_equal(from_xlsx.candidate_components, from_csv.candidate_components)


def test_workbooks_are_byte_identical_with_fixed_times():
    table = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    one = render.workbook({"sheet": table}, title="A table", note="Demonstration data")
    two = render.workbook({"sheet": table}, title="A table", note="Demonstration data")
    assert one == two
    archive = zipfile.ZipFile(io.BytesIO(one))
    assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert core.count("2023-08-14T00:00:00Z") == 2
    about = pd.read_excel(io.BytesIO(one), sheet_name="about", header=None)
    assert dict(about.values)["Data"] == "Demonstration data"


def test_a_folder_without_a_dat_is_refused(tmp_path):
    with pytest.raises(dat.DatError, match=r"no DAT found \(publications.csv, candidate"):
        dat.read_dat(tmp_path, REVIEW)


def test_two_workbooks_are_refused(tmp_path):
    for name in ("a.xlsx", "b.xlsx"):
        (tmp_path / name).write_bytes(render.workbook({"x": pd.DataFrame({"a": [1]})}))
    with pytest.raises(dat.DatError, match=r"2 workbooks \(a.xlsx, b.xlsx\)"):
        dat.read_dat(tmp_path, REVIEW)


def test_a_workbook_without_the_candidate_sheet_is_refused(tmp_path, sheets):
    (tmp_path / "dat.xlsx").write_bytes(render.workbook({dat.PUBLICATIONS_SHEET: sheets[0]}))
    with pytest.raises(dat.DatError, match=r"dat.xlsx: no sheet 'candidate_components'"):
        dat.read_dat(tmp_path, REVIEW)


def test_workbook_errors_name_the_sheet(tmp_path, sheets):
    publications, candidates = sheets
    candidates.loc[4, dat.CANDIDATE_COMPONENT] = ""
    (tmp_path / "dat.xlsx").write_bytes(
        render.workbook({dat.PUBLICATIONS_SHEET: publications, dat.CANDIDATES_SHEET: candidates})
    )
    with pytest.raises(dat.DatError) as error:
        dat.read_dat(tmp_path, REVIEW)
    assert "dat.xlsx, sheet 'candidate_components'" in str(error.value)
    assert "row 6, candidate_component: '': expected the candidate component's name" in str(
        error.value
    )


# --- every check, every row at once ---------------------------------------------------------


def test_publication_errors_are_listed_at_once(tmp_path, sheets):
    publications, candidates = sheets
    publications.loc[0, dat.PUBLICATION_TYPE] = "trial"
    publications.loc[1, dat.SOURCE] = "google"
    publications.loc[2, "year"] = "2019a"
    publications.loc[3, "title"] = ""
    publications.loc[5, dat.PUBLICATION_ID] = publications.loc[4, dat.PUBLICATION_ID]
    with pytest.raises(dat.DatError) as error:
        dat.read_dat(write_sheets(tmp_path / "x", publications, candidates), REVIEW)
    message = str(error.value)
    assert "publications.csv: 5 problem(s)" in message
    assert "row 2, publication_type: 'trial': expected one of 'trial report'" in message
    assert "row 3, source: 'google': expected one of 'database search'" in message
    assert "row 4, year: '2019a': expected a whole number" in message
    assert "row 5, title: '': expected the publication's title" in message
    assert "rows 6, 7, publication_id" in message and "repeated: expected it once" in message


def test_candidate_component_errors_are_listed_at_once(tmp_path, sheets):
    publications, candidates = sheets
    candidates.loc[0, dat.PUBLICATION_ID] = "PR99"
    candidates.loc[1, dat.CANDIDATE_COMPONENT] = ""
    candidates.loc[3, dat.CANDIDATE_ID] = candidates.loc[2, dat.CANDIDATE_ID]
    repeated = candidates.iloc[[10]].assign(**{dat.CANDIDATE_ID: "CC999"})
    candidates = pd.concat([candidates, repeated], ignore_index=True)
    with pytest.raises(dat.DatError) as error:
        dat.read_dat(write_sheets(tmp_path / "x", publications, candidates), REVIEW)
    message = str(error.value)
    assert "candidate_components.csv: 4 problem(s)" in message
    assert "row 2, publication_id: 'PR99': not in the publications sheet" in message
    assert "row 3, candidate_component: ''" in message
    assert "rows 4, 5, candidate_id" in message
    assert f"rows 12, {len(candidates) + 1}, candidate component" in message


def test_a_missing_column_is_named(tmp_path, sheets):
    publications, candidates = sheets
    with pytest.raises(dat.DatError, match=r"expected also country"):
        dat.read_dat(
            write_sheets(tmp_path / "x", publications.drop(columns="country"), candidates), REVIEW
        )


def test_an_unknown_provenance_is_refused(tmp_path, sheets):
    publications, candidates = sheets
    candidates.loc[0, dat.PROVENANCE] = "made up"
    with pytest.raises(dat.DatError, match=r"row 2, provenance: 'made up'"):
        dat.read_dat(write_sheets(tmp_path / "x", publications, candidates), REVIEW)


# --- agreement with the screening ledger ----------------------------------------------------


def test_every_disagreement_with_the_ledger_is_listed(demo_folder):
    table = dat.read_dat(demo_folder, REVIEW)
    included = included_table()
    included = included[included[dat.PUBLICATION_ID] != "PR01"]  # in the DAT, not included
    extra = included.iloc[[0]].assign(**{dat.PUBLICATION_ID: "PR77"})  # included, not in DAT
    included = pd.concat([included, extra], ignore_index=True)
    included.loc[included[dat.PUBLICATION_ID] == "CT01", dat.PUBLICATION_TYPE] = "trial report"
    no_candidates = table.candidate_components[table.candidate_components.publication_id != "OM02"]
    with pytest.raises(dat.DatError) as error:
        dat.check_against_included(
            dat.Dat(table.publications, no_candidates), included, where="DAT vs ledger"
        )
    message = str(error.value)
    assert "DAT vs ledger: 4 problem(s)" in message
    assert "'PR77': an included publication (change model, citation tracking) with no row in" in (
        message
    )
    assert "'PR01': a publication that is not among the included publications" in message
    assert "'OM02': an included publication with no candidate components" in message
    assert (
        "publication_type: 'change model': the screening ledger says 'trial report' for "
        "publication 'CT01'"
    ) in message


def test_the_included_publications_file_is_checked(tmp_path):
    with pytest.raises(dat.DatError, match=r"included_publications.csv: missing"):
        dat.read_included(tmp_path / "included_publications.csv", REVIEW)
    table = included_table()
    table.loc[0, dat.SOURCE] = "twitter"
    table.to_csv(tmp_path / "included_publications.csv", index=False)
    with pytest.raises(dat.DatError, match=r"row 2, source: 'twitter'"):
        dat.read_included(tmp_path / "included_publications.csv", REVIEW)


# --- what the DAT yields ----------------------------------------------------------------------


def test_esm2_numbers_publications_trial_reports_first(demo_folder):
    table = dat.read_dat(demo_folder, REVIEW)
    esm2 = dat.included_publications_table(table.publications, REVIEW)
    assert esm2["No."].tolist() == list(range(1, 43))
    kinds = esm2["Type of publication"].tolist()
    assert (
        kinds == [study.TRIAL_REPORT] * 26 + [study.TRAINING_MANUAL] * 9 + [study.CHANGE_MODEL] * 7
    )


def test_esm2_is_a_reference_list_with_a_doi_or_url_for_every_publication(demo_folder):
    table = dat.read_dat(demo_folder, REVIEW)
    esm2 = dat.included_publications_table(table.publications, REVIEW)
    assert list(esm2.columns) == [
        "No.",
        "Authors",
        "Year",
        "Title",
        "Journal or publisher",
        "DOI or URL",
        "Type of publication",
        "Found through",
    ]
    assert esm2["Journal or publisher"].str.len().gt(0).all()
    assert esm2["DOI or URL"].str.match(r"https://(doi\.org/10\.|example\.org/)").all()
    manuals = esm2[esm2["Type of publication"] == study.TRAINING_MANUAL]
    assert manuals["DOI or URL"].str.startswith("https://example.org/").all()


def test_a_dat_without_reference_columns_reads_them_as_blank(sheets, tmp_path):
    publications, candidates = sheets
    publications = publications.drop(columns=list(dat.REFERENCE_COLUMNS))
    table = dat.read_dat(write_sheets(tmp_path / "dat", publications, candidates), REVIEW)
    assert (table.publications[list(dat.REFERENCE_COLUMNS)] == "").all().all()
    assert (dat.included_publications_table(table.publications, REVIEW)["DOI or URL"] == "").all()


def test_a_doi_that_is_not_bare_is_refused_naming_the_row(sheets, tmp_path):
    publications, candidates = sheets
    publications.loc[2, dat.DOI] = "doi:10.5555/x"
    with pytest.raises(dat.DatError, match=r"row 4, doi: 'doi:10.5555/x': expected a bare DOI"):
        dat.read_dat(write_sheets(tmp_path / "dat", publications, candidates), REVIEW)


def test_esm3_refers_to_publications_by_their_esm2_number_with_pages_as_numbers(demo_folder):
    table = dat.read_dat(demo_folder, REVIEW)
    esm3 = dat.esm3_table(dat.candidate_components_table(table), table.publications, REVIEW)
    assert len(esm3) == 242
    assert esm3["Publication (ESM 2 No.)"].between(1, 42).all()
    assert esm3["Publication (ESM 2 No.)"].is_monotonic_increasing
    assert pd.api.types.is_integer_dtype(esm3["Page"])


def test_long_list_and_counts_by_type_add_up(demo_folder):
    table = dat.read_dat(demo_folder, REVIEW)
    long_list = dat.candidate_components_table(table)
    assert len(long_list) == 242 and long_list[dat.PUBLICATION_TYPE].notna().all()
    counts = dat.by_type(table.publications, long_list, REVIEW).set_index(dat.PUBLICATION_TYPE)
    assert counts.loc["all"].tolist() == [42, 242]
    assert counts.drop(index="all").sum().tolist() == [42, 242]


# --- another review: the protocol's publication types and sources -----------------------------

#: A review that includes reviews and studies, listed reviews first, from a database search
#: and a hand search.
ANOTHER_PROTOCOL = """\
databases:
  - name: PubMed
    key: pubmed
publication_types:
  - type: review
    key: reviews
    label: Systematic reviews
  - type: study
    key: studies
    label: Primary studies
database_search:
  publication_type: study
other_sources:
  - source: hand search
    key: hand_search
    sheet: hand_search
    publication_type: review
    label: Hand search of journals
    prisma: citation searching
double_screening:
  sample: none
"""


def another_dat(folder, kinds: dict[str, tuple[str, str]]):
    """A DAT of publications ``{id: (type, source)}``, each with two candidate components."""
    publications = pd.DataFrame(
        [
            {
                dat.PUBLICATION_ID: publication_id,
                "authors": "Author, A",
                "year": "2020",
                "title": f"Publication {publication_id}",
                dat.PUBLICATION_TYPE: kind,
                dat.COUNTRY: "Germany",
                dat.SETTING: "community",
                dat.POPULATION: "adults",
                dat.SOURCE: source,
            }
            for publication_id, (kind, source) in kinds.items()
        ]
    )
    candidates = pd.DataFrame(
        [
            {
                dat.CANDIDATE_ID: f"CC{n}{i}",
                dat.PUBLICATION_ID: publication_id,
                dat.CANDIDATE_COMPONENT: f"component {i}",
                dat.DESCRIPTION: "",
                dat.QUOTE: "",
                dat.PAGE: "",
            }
            for n, publication_id in enumerate(kinds)
            for i in (1, 2)
        ]
    )
    return write_sheets(folder, publications, candidates)


ANOTHER_KINDS = {
    "pubmed:1": ("study", "database search"),
    "pubmed:2": ("study", "database search"),
    "pubmed:3": ("study", "database search"),
    "HS01": ("review", "hand search"),
}


def test_another_reviews_dat_is_read_and_summarised_by_its_protocols_types(tmp_path):
    review = write_protocol(tmp_path / "raw", ANOTHER_PROTOCOL)
    table = dat.read_dat(another_dat(tmp_path / "extraction", ANOTHER_KINDS), review)
    long_list = dat.candidate_components_table(table)
    counts = dat.by_type(table.publications, long_list, review)
    assert counts.values.tolist() == [["review", 1, 2], ["study", 3, 6], ["all", 4, 8]]
    found = dat.numbers(table.publications, long_list, review)
    assert {key: int(value) for key, value in found.items()} == {
        "candidate_components": 8,
        "candidate_components_reviews": 2,
        "publications_charted_reviews": 1,
        "candidate_components_studies": 6,
        "publications_charted_studies": 3,
    }
    esm2 = dat.included_publications_table(table.publications, review)  # the protocol's order
    assert esm2["Type of publication"].tolist() == ["review", "study", "study", "study"]
    assert esm2["No."].tolist() == [1, 2, 3, 4]
    esm3 = dat.esm3_table(long_list, table.publications, review)
    assert esm3["Publication (ESM 2 No.)"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4]


def test_a_type_or_source_not_in_the_protocol_is_refused_naming_the_protocols(tmp_path):
    review = write_protocol(tmp_path / "raw", ANOTHER_PROTOCOL)
    kinds = {**ANOTHER_KINDS, "PR01": ("trial report", "prior review")}
    with pytest.raises(dat.DatError) as error:
        dat.read_dat(another_dat(tmp_path / "extraction", kinds), review)
    message = str(error.value)
    assert "publications.csv: 2 problem(s)" in message
    assert (
        "row 6, publication_type: 'trial report': expected one of 'review', 'study' "
        "(the publication types in protocol.yaml)"
    ) in message
    assert (
        "row 6, source: 'prior review': expected one of 'database search', 'hand search' "
        "(the database search and the other sources in protocol.yaml)"
    ) in message


def test_the_included_publications_are_checked_against_the_protocol(tmp_path):
    review = write_protocol(tmp_path / "raw", ANOTHER_PROTOCOL)
    included = pd.DataFrame(
        {
            dat.PUBLICATION_ID: ["pubmed:1", "pubmed:2", "HS01"],
            dat.PUBLICATION_TYPE: ["study", "trial report", "review"],
            dat.SOURCE: ["database search", "database search", "hand search"],
            "title": ["A", "B", "C"],
            "authors": "",
            "year": "2020",
        }
    )
    path = tmp_path / "included_publications.csv"
    included.to_csv(path, index=False)
    with pytest.raises(dat.DatError) as error:
        dat.read_included(path, review)
    assert (
        "row 3, publication_type: 'trial report': expected one of 'review', 'study' "
        "(the publication types in protocol.yaml)"
    ) in str(error.value)
    included.loc[1, dat.PUBLICATION_TYPE] = "study"
    included.to_csv(path, index=False)
    assert dat.read_included(path, review)[dat.PUBLICATION_TYPE].tolist() == [
        "study",
        "study",
        "review",
    ]
    with pytest.raises(dat.DatError, match=r"row 2, publication_type: 'study': expected one of "):
        dat.read_included(path, REVIEW)  # this study's protocol knows no 'study'


def test_the_studys_numbers_keep_their_names():
    long_list = pd.DataFrame({dat.PUBLICATION_TYPE: [study.TRIAL_REPORT] * 3})
    publications = pd.DataFrame({dat.PUBLICATION_TYPE: list(study.PUBLICATION_TYPES)})
    assert list(dat.numbers(publications, long_list, REVIEW)) == [
        "candidate_components",
        "candidate_components_trial_reports",
        "publications_charted_trial_reports",
        "candidate_components_training_manuals",
        "publications_charted_training_manuals",
        "candidate_components_change_models",
        "publications_charted_change_models",
    ]


def test_the_demonstrations_vocabulary_is_its_protocols():
    assert REVIEW.type_names == study.PUBLICATION_TYPES
    assert REVIEW.source_names == study.SOURCES


def test_the_captions_name_the_protocols_types(tmp_path):
    from compendium import tables

    assert tables.esm2_output(REVIEW).caption == (
        "Included publications, numbered by type: trial reports, training manuals, change model "
        "papers."
    )
    assert tables.cnma_output(REVIEW).caption == (
        "Final components of each included trial report (1 present, 0 absent)."
    )
    review = write_protocol(tmp_path, ANOTHER_PROTOCOL)
    assert tables.esm2_output(review).caption.endswith(
        "by type: systematic reviews, primary studies."
    )
    assert tables.cnma_output(review).caption.startswith("Final components of each included study ")
    assert tables.esm2_output(review).stem == tables.ESM2.stem
