"""The protocol as data: ``protocol.yaml`` read and checked, and the steps that follow it."""

from __future__ import annotations

import pandas as pd
import pytest

from compendium import columns as col
from compendium import flow, protocol, searches
from compendium import ledger as lg
from compendium import screening as s
from compendium.paths import Project
from support import one_database_protocol, study_protocol, write_protocol

PLAIN_RIS = "".join(
    f"TY  - JOUR\nTI  - {title}\nAU  - {author}\nPY  - {year}\nER  - \n\n"
    for title, author, year in (
        ("Peer support for people with psychosis", "Smith, J", 2020),
        ("Peer workers in crisis teams", "Jones, K", 2019),
    )
)


def test_the_demonstration_protocol_states_the_studys():
    review = study_protocol()
    assert [d.name for d in review.databases] == ["Ovid MEDLINE", "Ovid APA PsycInfo"]
    assert review.type_names == ("trial report", "training manual", "change model")
    assert review.database_search_type == "trial report"
    assert review.types_from("expert consultation") == review.type_names
    assert review.types_from("online search") == ("training manual",)
    assert review.double_screening.seeded and review.double_screening.fraction == 0.1
    assert "10% of the records, drawn with seed" in str(review)


def test_every_problem_in_a_protocol_is_listed_at_once(tmp_path):
    text = """\
databases:
  - name: PubMed
    key: PubMed
  - name: PubMed
publication_types:
  - type: study
database_search:
  publication_type: trial
other_sources:
  - source: hand search
    publication_type: study
    prisma: journals
double_screening:
  sample: seeded
  fraction: 10
extra: 1
"""
    with pytest.raises(protocol.ProtocolError) as refused:
        write_protocol(tmp_path, text)
    message = str(refused.value)
    assert "protocol.yaml: 7 problem(s)" in message
    for expected in (
        "'extra': expected only the sections",
        "databases entry 1, key: 'PubMed': expected lower-case letters",
        "databases, name: 'PubMed': used twice",
        "database_search, publication_type: 'trial': expected one of 'study'",
        "other_sources entry 1, prisma: 'journals': expected the line of PRISMA 2020's",
        "double_screening, fraction: 10: expected a number in (0, 1]",
        "double_screening, seed: None: expected a whole number",
    ):
        assert expected in message, expected


def test_a_missing_protocol_says_what_it_must_hold(tmp_path):
    with pytest.raises(protocol.ProtocolError, match="missing; expected the review's protocol"):
        protocol.read(tmp_path / "protocol.yaml")


def searched(tmp_path, files: dict[str, str]) -> Project:
    project = Project(tmp_path / "review")
    project.searches.mkdir(parents=True)
    for name, text in files.items():
        (project.searches / name).write_text(text)
    return project


def test_an_export_naming_no_database_is_read_as_the_one_the_protocol_lists_it_under(tmp_path):
    project = searched(tmp_path, {"hand_export.ris": PLAIN_RIS})
    unlisted = one_database_protocol("PubMed", "pubmed", tmp_path / "unlisted")
    with pytest.raises(searches.SearchError) as refused:
        searches.all_records(searches.read_searches(project, unlisted), unlisted)
    assert "hand_export.ris: 2 records name no database: list the file under its database" in str(
        refused.value
    )

    listed = write_protocol(
        tmp_path / "listed",
        "databases:\n  - name: PubMed\n    key: pubmed\n    files: [hand_export.ris]\n"
        "publication_types:\n  - type: study\ndatabase_search:\n  publication_type: study\n"
        "double_screening:\n  sample: recorded\n",
    )
    records = searches.all_records(searches.read_searches(project, listed), listed)
    assert list(records[col.DATABASE]) == ["PubMed", "PubMed"]
    per_database = searches.records_per_database(records, listed)
    assert per_database.to_dict("list") == {
        "database": ["PubMed", "all databases"],
        "records": [2, 2],
    }
    assert searches.identification_numbers(records, listed)["records_identified_pubmed"] == 2


def test_an_export_of_a_database_the_protocol_does_not_list_is_refused(tmp_path):
    project = searched(tmp_path, {"embase.ris": PLAIN_RIS.replace("ER  -", "DB  - Embase\nER  -")})
    review = one_database_protocol("PubMed", "pubmed", tmp_path)
    with pytest.raises(searches.SearchError) as refused:
        searches.all_records(searches.read_searches(project, review), review)
    assert "embase.ris: database 'Embase': not one the protocol lists (PubMed)" in str(
        refused.value
    )


def test_a_listed_export_that_is_missing_is_named(tmp_path):
    project = searched(tmp_path, {})
    review = write_protocol(
        tmp_path,
        "databases:\n  - name: PubMed\n    files: [gone.ris]\npublication_types:\n"
        "  - type: study\ndatabase_search:\n  publication_type: study\n"
        "double_screening:\n  sample: recorded\n",
    )
    with pytest.raises(searches.SearchError, match=r"gone\.ris \(listed under PubMed\)"):
        searches.read_searches(project, review)


def test_a_sheet_in_other_sources_the_protocol_does_not_name_is_refused(tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "hand_search.csv").write_text("publication_id,title,decision,reason\nH1,A,include,\n")
    review = one_database_protocol("PubMed", "pubmed", tmp_path)
    with pytest.raises(
        s.ScreeningError, match=r"'hand_search\.csv': not a source the protocol names"
    ):
        s.read_other_sources(folder, review)


def test_a_source_of_fixed_type_refuses_a_row_of_another(tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "online_search.csv").write_text(
        "publication_id,publication_type,title,decision,reason\nOM1,change model,A,include,\n"
    )
    for name in ("prior_review", "citation_tracking"):
        (folder / f"{name}.csv").write_text("publication_id,title,decision,reason\n")
    (folder / "expert_suggestions.csv").write_text(
        "publication_id,publication_type,title,decision,reason\n"
    )
    with pytest.raises(s.ScreeningError) as refused:
        s.read_other_sources(folder, study_protocol())
    assert "'change model': the protocol says online search gives 'training manual's" in str(
        refused.value
    )


def test_a_review_with_no_other_sources_draws_the_databases_arm_only(tmp_path):
    review = one_database_protocol("PubMed", "pubmed", tmp_path)
    records = pd.DataFrame({col.RECORD_ID: ["a", "b", "c"], col.DATABASE: "PubMed"})
    duplicates = pd.DataFrame(
        {col.RECORD_ID: ["a", "b", "c"], col.KEPT: True, col.DUPLICATE_OF: ""}
    )
    ta = pd.DataFrame(
        {col.RECORD_ID: ["a", "b", "c"], col.DECISION: ["include", "include", "exclude"]}
    )
    ft = pd.DataFrame(
        {col.RECORD_ID: ["a", "b"], col.DECISION: ["include", "exclude"], col.REASON: ["", "x"]}
    )
    none = s.read_other_sources(tmp_path / "no_such_folder", review)
    ledger = lg.build(records, records, duplicates, ta, ft, none, "study")
    counts = flow.check(flow.counts(ledger, ["x"], review))
    assert not counts.has_other_methods
    assert counts.included_by_type == {"study": 1}
    boxes = flow.boxes(counts, {"x": "not a trial"})
    names = [box.name for box in boxes]
    assert not any(name.startswith("other") for name in names), names
    texts = flow.box_texts(counts, {"x": "not a trial"})
    assert any("PubMed (n\u00a0=\u00a03)" in text for text in texts.values()), texts
    figure = flow.diagram(counts, {"x": "not a trial"})
    assert figure.get_size_inches()[0] < flow.WIDTH_INCHES * 0.6  # the one arm's width


def test_the_manuscripts_own_names_must_name_computed_numbers(tmp_path):
    review = write_protocol(
        tmp_path,
        "databases:\n  - name: PubMed\npublication_types:\n  - type: study\n"
        "database_search:\n  publication_type: study\ndouble_screening:\n  sample: recorded\n"
        "number_names:\n  studies_in_paper: studies_includd\n",
    )
    with pytest.raises(lg.LedgerError, match=r"studies_includd.*expected one of studies_included"):
        lg.named_as_reported({"studies_included": 3}, review)


def test_a_review_that_screened_each_record_once_has_no_agreement_to_report(tmp_path):
    from compendium import screening

    project = Project(tmp_path / "review")
    project.screening.mkdir(parents=True)
    review = write_protocol(
        tmp_path,
        "databases:\n  - name: PubMed\npublication_types:\n  - type: study\n"
        "database_search:\n  publication_type: study\ndouble_screening:\n  sample: none\n",
    )
    assert str(review.double_screening) == "none (one reviewer screened each record)"
    (project.screening / "double_screening.csv").write_text("record_id,title\n")
    with pytest.raises(s.ScreeningError, match="says 'double_screening: sample: none'"):
        screening.double_screening(project, _ToScreen(["a", "b"]), pd.DataFrame(), review)
    (project.screening / "double_screening.csv").unlink()
    double = screening.double_screening(project, _ToScreen(["a", "b"]), pd.DataFrame(), review)
    assert double.agreement is None and double.sample == []
    assert double.numbers() == {"double_screening_records": 0}
    assert double.agreement_table().iloc[0, 1] == "0 (no double screening)"
    assert "no record was screened by two reviewers" in repr(double)


class _ToScreen:
    def __init__(self, ids):
        self.ids = ids


def test_a_type_is_matched_in_any_case_and_kept_as_the_protocol_spells_it(tmp_path):
    review = write_protocol(
        tmp_path,
        "databases:\n  - name: PubMed\npublication_types:\n  - type: RCT report\n"
        "    key: rct_reports\n  - type: protocol paper\n    key: protocols\n"
        "database_search:\n  publication_type: RCT report\nother_sources:\n"
        "  - source: experts\n    publication_type: per row\n    prisma: organisations\n"
        "double_screening:\n  sample: none\n",
    )
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "experts.csv").write_text(
        "publication_id,publication_type,title,decision,reason\n"
        "E1,rct REPORT,A,include,\nE2,Protocol Paper,B,include,\n"
    )
    found = s.read_other_sources(folder, review)
    assert list(found[col.PUBLICATION_TYPE]) == ["RCT report", "protocol paper"]
