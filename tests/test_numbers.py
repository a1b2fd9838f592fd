import json
from pathlib import Path

import pytest

from compendium import columns as col
from compendium import numbers
from compendium.errors import InputError
from compendium.paths import ROOT

STUDY_KEYS = [
    "records_identified_medline",
    "records_identified_psycinfo",
    "records_identified_databases",
    "duplicates_removed",
    "records_screened_title_abstract",
    "records_excluded_title_abstract",
    "full_texts_assessed",
    "full_texts_excluded",
    "trial_reports_from_database_search",
    "trial_reports_from_prior_review",
    "trial_reports_from_experts",
    "trial_reports_included",
    "manuals_identified_online",
    "manuals_removed_not_manuals",
    "manuals_from_experts",
    "training_manuals_included",
    "change_models_from_citation_tracking",
    "change_models_from_experts",
    "change_model_papers_included",
    "publications_included",
    "candidate_components",
    "typology_initial_themes",
    "typology_initial_components",
    "typology_initial_subcomponents",
    "subcomponents_removed_by_experts",
    "components_moved_by_experts",
    "components_renamed_by_experts",
    "typology_final_themes",
    "typology_final_components",
    "typology_final_subcomponents",
    "experts_consulted",
    "expert_countries",
]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reported_numbers_hold_every_key_of_the_study_with_where_the_paper_says_it():
    reported = numbers.load_reported(ROOT / "data/raw/reported_numbers.yaml")
    assert list(reported) == STUDY_KEYS
    assert reported["records_identified_databases"].value == 532
    assert reported["candidate_components"].value == 242
    assert all(
        entry.where.split(":")[0]
        in {
            "Results, Trial Reports",
            "Results",
            "Results, PS Training Manuals",
            "Results, Published Change Models",
            "Results, Typology",
            "Methods, Procedures",
        }
        for entry in reported.values()
    )


def test_registry_records_once_and_saves_sorted_json(tmp_path):
    registry = numbers.Registry("01_search_results")
    registry.record("zeta", 2)
    registry.record("alpha", 1)
    with pytest.raises(InputError, match="alpha recorded twice"):
        registry.record("alpha", 1)
    path = registry.save(tmp_path)
    assert list(json.loads(path.read_text())) == ["alpha", "zeta"]
    assert json.loads(path.read_text())["zeta"] == {"query": None, "table": None, "value": 2}


def test_a_sourced_number_is_saved_with_its_table_and_query(tmp_path):
    registry = numbers.Registry("03_screening")
    n = numbers.sourced(41, table="data/processed/ledger.csv", query="outcome 'excluded'")
    assert n == 41 and isinstance(n, int)
    registry.record("full_texts_excluded", n)
    registry.record("kappa", 0.69, table="data/raw/screening/double_screening.csv", query="k")
    computed = numbers.load_computed(registry.save(tmp_path).parent)
    assert computed["full_texts_excluded"] == numbers.Computed(
        41, "03_screening", "data/processed/ledger.csv", "outcome 'excluded'"
    )
    assert type(computed["full_texts_excluded"].value) is int
    written = json.loads(numbers.numbers_json(computed))
    assert written["kappa"] == 0.69 and written["full_texts_excluded"] == 41
    assert written[numbers.SOURCES_KEY]["kappa"] == {
        "query": "k",
        "step": "03_screening",
        "table": "data/raw/screening/double_screening.csv",
    }


@pytest.mark.parametrize("value", [True, "12", None, float("nan")])
def test_registry_refuses_what_is_not_a_number(value):
    with pytest.raises(InputError, match="expected a"):
        numbers.Registry("s").record("n", value)


def test_registry_refuses_keys_that_are_not_snake_case():
    with pytest.raises(InputError, match="lower_snake_case"):
        numbers.Registry("s").record("Records Screened", 1)


def test_a_key_computed_by_two_steps_is_an_error(tmp_path):
    write(tmp_path / "01_a.json", '{"n": {"value": 1}}')
    write(tmp_path / "02_b.json", '{"n": {"value": 1}}')
    with pytest.raises(InputError, match="n also recorded by step 01_a"):
        numbers.load_computed(tmp_path)


def test_reported_entry_without_where_is_refused_naming_the_key(tmp_path):
    path = write(tmp_path / "r.yaml", "duplicates_removed:\n  value: 101\n")
    with pytest.raises(InputError, match=r"duplicates_removed.*'value' and 'where'"):
        numbers.load_reported(path)


def test_check_reports_match_mismatch_and_not_computed_in_manuscript_order():
    reported = {
        "b": numbers.Reported(2, "here"),
        "a": numbers.Reported(1, "there"),
        "c": numbers.Reported(3, "nowhere"),
    }
    computed = {"a": numbers.Computed(1, "01_x"), "b": numbers.Computed(5, "02_y")}
    result = numbers.check(reported, computed)
    assert list(result[col.KEY]) == ["b", "a", "c"]
    assert list(result[col.STATUS]) == [numbers.MISMATCH, numbers.MATCH, numbers.NOT_COMPUTED]
    with pytest.raises(numbers.ReproductionFailed) as failed:
        numbers.verdict(result)
    message = str(failed.value)
    assert "b: manuscript reports 2, data gives 5 (step 02_y)" in message
    assert "c: manuscript reports 3, nothing computed it" in message
    assert "a:" not in message
    assert numbers.verdict(result, allow_mismatch=True).startswith("1 of 3 reported numbers match")


def test_a_rounded_reported_value_matches_at_its_own_precision():
    reported = {"kappa": numbers.Reported(0.62, "Results")}
    close = numbers.check(reported, {"kappa": numbers.Computed(0.6249, "03")})
    far = numbers.check(reported, {"kappa": numbers.Computed(0.6251, "03")})
    assert close[col.STATUS].item() == numbers.MATCH
    assert far[col.STATUS].item() == numbers.MISMATCH


def test_numbers_json_has_sorted_keys():
    text = numbers.numbers_json({"b": numbers.Computed(2, "x"), "a": numbers.Computed(1, "y")})
    assert list(json.loads(text)) == ["_sources", "a", "b"]
    assert json.loads(text)["a"] == 1
    assert json.loads(text)["_sources"]["a"] == {"query": None, "step": "y", "table": None}
