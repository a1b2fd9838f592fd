"""The runner: order, skipping, parameters, integrity, failures, determinism."""

from __future__ import annotations

import base64
import contextlib
import difflib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from xml.etree import ElementTree

import nbformat
import pytest

from compendium import dedup, integrity, notebooks, numbers, paths, pipeline, render, report, tables
from compendium.errors import (
    OutputError,
    ParameterError,
    RawDataChanged,
    StaleInputs,
    StepFailed,
)
from compendium.numbers import ReproductionFailed
from compendium.paths import ROOT, Project
from compendium.steps import STEPS, by_name
from support import files_under, study_protocol

GENERATED = ("data/processed", "outputs")

pytestmark = pytest.mark.slow


def add_cell(project, step_name, source):
    """Append a code cell to a step's notebook; return its index."""
    path = project.root / f"notebooks/{step_name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)
    return len(nb.cells) - 1


def first_difference(names, before, after) -> str:
    """The first differing file's lines, as a unified diff, to see what moved."""
    if not names:
        return ""
    name = names[0]
    try:
        old, new = before[name].decode().splitlines(), after[name].decode().splitlines()
    except UnicodeDecodeError:
        return f"{name}: binary files differ"
    return "\n".join(list(difflib.unified_diff(old, new, name, name, lineterm=""))[:60])


def test_executed_notebooks_hold_no_error_or_warning_output(full_run):
    for step in STEPS:
        nb = json.loads((full_run.project.executed_notebooks / f"{step.name}.ipynb").read_text())
        for cell in nb["cells"]:
            for output in cell.get("outputs", []):
                assert output.get("name") != "stderr", (step.name, output.get("text"))
                assert output["output_type"] != "error", step.name


# --- the full run (one for the session) ---------------------------------------------------


def test_full_run_runs_every_step_in_order_with_a_progress_line_each(full_run):
    assert full_run.result.ran == [step.name for step in STEPS]
    assert len(full_run.lines) == len(STEPS)
    assert all(" ran in " in line for line in full_run.lines)


def test_full_run_never_writes_under_data_raw(full_run):
    project = full_run.project
    assert files_under(project.root, "data/raw") == full_run.raw_before
    after = {
        p.relative_to(project.root).as_posix(): p.stat().st_mtime_ns for p in project.raw.rglob("*")
    }
    assert after == full_run.raw_stat_before


def test_executed_notebooks_are_normalised(full_run):
    for step in STEPS:
        text = (full_run.project.executed_notebooks / f"{step.name}.ipynb").read_text()
        nb = json.loads(text)
        assert "papermill" not in nb["metadata"]
        assert [cell["id"] for cell in nb["cells"]] == [
            f"cell-{i:02d}" for i in range(len(nb["cells"]))
        ]
        assert all("execution" not in cell["metadata"] for cell in nb["cells"])
        assert '"start_time"' not in text and '"duration"' not in text


def test_report_index_links_every_step_and_every_link_resolves(full_run):
    index = full_run.project.report / "index.html"
    text = index.read_text()
    for step in STEPS:
        assert f'href="{step.name}.html"' in text
        assert (full_run.project.report / f"{step.name}.html").exists()
    assert 'href="../numbers.json"' in text
    assert report.broken_links(index) == []


def test_report_link_check_finds_a_broken_link(full_run, tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<a href="figures/nothing.svg">x</a> <a href="https://example.org/">y</a>')
    assert report.broken_links(page) == ["figures/nothing.svg"]


def test_numbers_json_has_sorted_keys(full_run):
    text = tables.NUMBERS_JSON.path(full_run.project).read_text()
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_the_demonstration_data_reproduces_every_reported_number(full_run):
    result = pipeline.run(full_run.project)  # every step up to date: only the check runs
    reported = len(numbers.load_reported(full_run.project.reported_numbers))
    assert result.check_summary.startswith(f"{reported} of {reported} reported numbers match")
    computed = json.loads(tables.NUMBERS_JSON.path(full_run.project).read_text())
    for key, entry in numbers.load_reported(full_run.project.reported_numbers).items():
        assert computed[key] == entry.value, key


def test_numbers_json_says_where_every_number_comes_from(full_run):
    computed = json.loads(tables.NUMBERS_JSON.path(full_run.project).read_text())
    sources = computed.pop(numbers.SOURCES_KEY)
    assert sorted(sources) == sorted(computed)
    assert all(isinstance(value, int | float) for value in computed.values())
    steps = {step.name for step in STEPS}
    assert all(entry["step"] in steps for entry in sources.values())
    # every number has the table it is counted from and the query that counts it
    unsourced = sorted(key for key, entry in sources.items() if entry["table"] is None)
    assert unsourced == []
    for entry in sources.values():
        if entry["table"] is not None:
            assert (full_run.project.root / entry["table"]).is_file(), entry
    reasons = [k for k in computed if k.startswith("full_texts_excluded_reason_")]
    assert sum(computed[k] for k in reasons) == computed["full_texts_excluded"]
    assert len(reasons) == 6
    for name in ("kappa", "pabak", "ac1"):
        low, high = (computed[f"double_screening_{name}_ci_{e}"] for e in ("low", "high"))
        assert low <= computed[f"double_screening_{name}"] <= high
    included = [k for k in computed if k.startswith("publications_included_")]
    assert sum(computed[k] for k in included) == computed["publications_included"]
    assert (
        computed["included_medline"] + computed["included_psycinfo"]
        == computed["trial_reports_from_database_search"]
    )


def test_an_altered_input_fails_the_check_naming_the_affected_keys(full_run, tmp_path):
    # a copy of the finished run, one expert fewer: only the steps reading that file rerun
    project = Project(shutil.copytree(full_run.project.root, tmp_path / "project"))
    experts = project.typology / "experts.csv"
    rows = experts.read_text().splitlines(keepends=True)
    experts.write_text("".join(rows[:-1]))
    integrity.update(project.raw)
    lines = []
    with pytest.raises(ReproductionFailed) as failed:
        pipeline.run(project, progress=lines.append)
    message = str(failed.value)
    assert "experts_consulted: manuscript reports 21, data gives 20 (step 06_typology)" in message
    assert "match the data; 0 differ" not in message
    ran = [line.split()[1] for line in lines if " ran in " in line]
    assert ran == ["06_typology", "07_manuscript"]
    check = render.read_table(project.outputs / "reproduction_check.csv")
    assert check.set_index("key").loc["experts_consulted", "status"] == "mismatch"


def test_a_second_run_skips_every_step(full_run):
    lines = []
    result = pipeline.run(full_run.project, allow_mismatch=True, progress=lines.append)
    assert result.ran == []
    assert all(line.endswith("up to date, skipped") for line in lines)


@contextlib.contextmanager
def busy_cpu():
    """Every core kept busy by a spinning process: the conditions under which a kernel's
    output arrives in more pieces than usual."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def test_three_forced_reruns_with_the_cpu_busy_are_byte_identical(full_run):
    before = files_under(full_run.project.root, *GENERATED)
    with busy_cpu():
        for rerun in (1, 2, 3):
            result = pipeline.run(full_run.project, force=True, allow_mismatch=True)
            assert result.ran == [step.name for step in STEPS]
            after = files_under(full_run.project.root, *GENERATED)
            assert sorted(after) == sorted(before)
            changed = [name for name in before if before[name] != after[name]]
            assert changed == [], f"rerun {rerun}: " + first_difference(changed, before, after)


def test_no_executed_notebook_holds_a_stream_split_in_two(full_run):
    for step in STEPS:
        nb = json.loads((full_run.project.executed_notebooks / f"{step.name}.ipynb").read_text())
        for cell in nb["cells"]:
            outputs = cell.get("outputs", [])
            for first, second in itertools.pairwise(outputs):
                split = first["output_type"] == second["output_type"] == "stream" and (
                    first["name"] == second["name"]
                )
                assert not split, (step.name, cell["id"], first, second)


def test_normalising_joins_a_stream_split_by_a_flush():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('32 of 32')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="32 of 32"),
        nbformat.v4.new_output("stream", name="stdout", text="\n"),
        nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
        nbformat.v4.new_output("stream", name="stdout", text="done\n"),
    ]
    nb.cells.append(cell)
    outputs = notebooks.normalise(nb).cells[0].outputs
    assert [(o.name, o.text) for o in outputs] == [
        ("stdout", "32 of 32\n"),
        ("stderr", "warning\n"),
        ("stdout", "done\n"),
    ]


def test_every_figure_is_shown_in_its_notebook_from_the_file_written(full_run):
    shown = {}
    for step in STEPS:
        nb = json.loads((full_run.project.executed_notebooks / f"{step.name}.ipynb").read_text())
        for cell in nb["cells"]:
            saved = re.findall(r"render\.save\(project, tables\.(\w+)", "".join(cell["source"]))
            figures = [getattr(tables, name) for name in saved]
            # an output declared for the review (tables.esm2_output(review)): made from its protocol
            figures = [o(study_protocol()) if callable(o) else o for o in figures]
            figures = [output for output in figures if output.folder == paths.FIGURES]
            if cell["cell_type"] == "code" and figures:
                images = [o for o in cell["outputs"] if "image/png" in o.get("data", {})]
                assert len(figures) == len(images) == 1, (step.name, saved)
                shown[figures[0].stem] = images[0]
    figures = sorted(p.stem for p in full_run.project.figures.glob("*.png"))
    assert (
        sorted(shown)
        == figures
        == [
            "coverage_heatmap",
            "prisma_flow",
            "records_per_database",
            "typology_overview",
        ]
    )
    for stem, output in shown.items():
        png = (full_run.project.figures / f"{stem}.png").read_bytes()
        assert base64.b64decode(output["data"]["image/png"]) == png, stem
        width = output["metadata"]["image/png"]["width"]
        assert 200 < width < 1200, (stem, width)  # on screen, not at print resolution


def test_the_committed_outputs_are_what_a_fresh_run_makes(full_run):
    fresh = files_under(full_run.project.root, *GENERATED)
    committed = files_under(ROOT, *GENERATED)
    assert sorted(committed) == sorted(fresh), "outputs differ in name: run `make reproduce`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], "committed outputs are stale: run `make reproduce` and commit\n" + (
        first_difference(stale, committed, fresh)
    )


# --- before anything runs -------------------------------------------------------------------


def test_an_unknown_parameter_is_refused_listing_the_valid_ones(project):
    with pytest.raises(ParameterError) as refused:
        pipeline.run(project, overrides={"no_such_parameter": 1})
    message = str(refused.value)
    assert "unknown parameter no_such_parameter" in message
    for step in STEPS:
        assert f"{step.name}: project_root" in message
    assert not project.outputs.exists()


def test_a_parameter_of_the_wrong_type_is_refused(project):
    with pytest.raises(ParameterError, match=r"project_root = 3 \(int\): expected a str"):
        pipeline.run(project, overrides={"project_root": 3})
    with pytest.raises(ParameterError, match=r"records_to_show = 'many': expected a whole"):
        pipeline.run(project, overrides={"records_to_show": "many"})


def test_command_line_text_is_read_as_the_parameters_type(project):
    typology_step, search_step = by_name("06"), by_name("01")
    chosen = pipeline.parameters_for(project, [typology_step], {"item_to_trace": "3.6"})
    assert chosen == {"06_typology": {"item_to_trace": "3.6"}}  # text, not the number 3.6
    chosen = pipeline.parameters_for(project, [search_step], {"records_to_show": "10"})
    assert chosen == {"01_search_results": {"records_to_show": 10}}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("records_to_show", "-5", "at least 0"),
        ("merges_to_show", -1, "at least 0"),
        ("planning_fraction", "1.5", "more than 0 and at most 1"),
        ("planning_fraction", 0, "more than 0 and at most 1"),
    ],
)
def test_a_value_out_of_range_is_refused_before_anything_runs(project, name, value, expected):
    expected = f"parameter {name} = .*: expected a number {expected}"
    with pytest.raises(ParameterError, match=expected):
        pipeline.run(project, overrides={name: value})
    assert not project.outputs.exists()


def test_a_default_edited_out_of_range_is_refused_too(project):
    path = project.root / "notebooks/01_search_results.ipynb"
    path.write_text(path.read_text().replace("records_to_show = 3", "records_to_show = -2"))
    with pytest.raises(ParameterError, match=r"records_to_show = -2: expected a number at least"):
        pipeline.run(project)


def test_every_limit_names_a_number_parameter_of_its_notebook():
    for step in STEPS:
        declared = notebooks.parameters(ROOT / step.notebook)
        for name in step.limits:
            assert isinstance(declared.get(name), int | float), (step.name, name)


def test_the_planning_parameters_default_to_the_protocols_sample():
    from compendium import protocol

    declared = notebooks.parameters(ROOT / by_name("03").notebook)
    plan = protocol.read(ROOT / "data" / "raw" / "protocol.yaml").double_screening
    assert declared["planning_fraction"] == plan.fraction
    assert declared["planning_seed"] == plan.seed


def test_one_step_alone_is_refused_while_an_earlier_step_has_not_run(project):
    with pytest.raises(StaleInputs) as refused:
        pipeline.run(project, only=["03"])
    message = str(refused.value)
    assert "03_screening follows 01_search_results, which is out of date" in message
    assert "has not run in this folder yet" in message
    assert "`compendium run --from 01`" in message
    assert not project.outputs.exists()


def test_one_step_alone_is_refused_while_an_earlier_step_is_out_of_date(full_run, tmp_path):
    project = Project(shutil.copytree(full_run.project.root, tmp_path / "project"))
    notebook = project.root / "notebooks/02_deduplication.ipynb"
    original = notebook.read_bytes()
    add_cell(project, "02_deduplication", "merges_to_show")
    for option in ({"only": ["03"]}, {"start": "04"}):
        with pytest.raises(StaleInputs) as refused:
            pipeline.run(project, **option)
        message = str(refused.value)
        assert "follows 02_deduplication, which is out of date" in message
        assert "notebooks/02_deduplication.ipynb changed since it ran" in message
        assert "`compendium run --from 02`" in message
    notebook.write_bytes(original)
    decisions = dedup.decisions_sheet(project)
    decisions.write_text(decisions.read_text() + "\n")
    integrity.update(project.raw)
    changed = r"data/raw/dedup/decisions\.csv, which it reads, changed"
    with pytest.raises(StaleInputs, match=changed):
        pipeline.run(project, only=["05"])


def test_a_changed_raw_file_stops_the_run_naming_it(project):
    card = project.dataset_card
    card.write_text(card.read_text() + "# edited\n")
    with pytest.raises(RawDataChanged, match=r"data/raw/DATASET\.yaml: changed"):
        pipeline.run(project)
    assert not project.outputs.exists()


@pytest.mark.parametrize("option", [{"only": ["99"]}, {"start": "no_such_step"}])
def test_an_unknown_step_is_refused_listing_the_steps(project, option):
    with pytest.raises(ParameterError, match="the steps are: 01_search_results, 02_dedup"):
        pipeline.run(project, **option)


def test_only_and_from_select_steps():
    assert [s.name for s in pipeline.select(only=["3", "01_search_results"])] == [
        "01_search_results",
        "03_screening",
    ]
    assert [s.name for s in pipeline.select(start="06")] == ["06_typology", "07_manuscript"]


# --- failures leave everything as it was ---------------------------------------------------


def test_a_failing_notebook_is_named_with_its_cell_and_leaves_no_partial_output(project):
    index = add_cell(
        project, "03_screening", "raise ValueError('screening sheet has 2 decisions for r1')"
    )
    with pytest.raises(StepFailed) as failed:
        pipeline.run(project, only=["01", "02", "03"])
    message = str(failed.value)
    assert f"notebooks/03_screening.ipynb: cell {index} " in message
    assert "ValueError: screening sheet has 2 decisions for r1" in message
    # earlier steps' outputs are intact; the failing step wrote its numbers, then failed:
    # nothing of it is left
    assert (project.step_numbers / "01_search_results.json").exists()
    assert (project.executed_notebooks / "02_deduplication.ipynb").exists()
    assert not (project.step_numbers / "03_screening.json").exists()
    assert not (project.executed_notebooks / "03_screening.ipynb").exists()


def test_a_step_writing_an_undeclared_file_fails_and_the_file_is_removed(project):
    add_cell(
        project,
        "02_deduplication",
        "(project.processed / 'stray.csv').write_text('x\\n')",
    )
    with pytest.raises(OutputError, match=r"wrote data/processed/stray\.csv, which it does not"):
        pipeline.run(project, only=["01", "02"])
    assert not (project.processed / "stray.csv").exists()


def test_the_flow_diagram_shows_the_computed_numbers(full_run):
    root = ElementTree.parse(full_run.project.figures / "prisma_flow.svg").getroot()
    texts = ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]
    drawn = " ".join(" ".join(texts).replace("\u00a0", " ").split())
    computed = json.loads(tables.NUMBERS_JSON.path(full_run.project).read_text())
    for box, key in [
        ("Records identified from databases", "records_identified_databases"),
        ("Ovid MEDLINE", "records_identified_medline"),
        ("Duplicate records", "duplicates_removed"),
        ("Records screened", "records_screened_title_abstract"),
        ("Records excluded", "records_excluded_title_abstract"),
        ("Reports assessed for eligibility", "full_texts_assessed"),
        ("Publications included in the review", "publications_included"),
        ("Trial reports", "trial_reports_included"),
        ("Training manuals", "training_manuals_included"),
        ("Change model papers", "change_model_papers_included"),
    ]:
        assert f"{box} (n = {computed[key]})" in drawn, (box, computed[key])
