"""Every notebook, run top to bottom under nbval from its own folder, as JupyterLab runs it.

nbval runs the executed notebooks the pipeline committed (``outputs/notebooks``) in a copy of
the project, in order (each reads what the one before wrote), in lax mode: every cell must run
without error, and cells marked ``# NBVAL_CHECK_OUTPUT`` (those showing key counts) must print
exactly what they printed in the committed run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest

from compendium.notebooks import PARAMETERS_TAG
from compendium.paths import ROOT
from compendium.steps import STEPS

pytestmark = pytest.mark.slow


def test_every_notebook_runs_under_nbval(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "data" / "raw", copy / "data" / "raw")
    shutil.copytree(ROOT / "outputs" / "notebooks", copy / "notebooks")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(copy),
            "-o",
            "addopts=",
            "-o",
            "filterwarnings=",
            "notebooks",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{sum(len(nb_code_cells(step.name)) for step in STEPS)} passed" in result.stdout


def nb_code_cells(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return [cell for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.name)
def test_each_notebook_opens_with_its_place_in_the_method_then_one_parameters_cell(step):
    nb = nbformat.read(ROOT / step.notebook, as_version=4)
    opening = nb.cells[0]
    assert opening.cell_type == "markdown"
    for heading in ("Place in the method", "What goes in", "What comes out", "Why a reviewer"):
        assert heading in opening.source, f"{step.name}: opening lacks {heading!r}"
    tagged = [
        i for i, cell in enumerate(nb.cells) if PARAMETERS_TAG in cell.metadata.get("tags", [])
    ]
    assert len(tagged) == 1
    first_code = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    assert tagged == [first_code], "the parameters cell comes before any other code"
    closing = nb.cells[-1]
    assert closing.cell_type == "markdown" and "Try it yourself" in closing.source
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), (
        "source notebooks are kept without outputs; executed copies live in outputs/notebooks"
    )


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.name)
def test_each_notebook_has_a_parameter_to_change_and_says_how(step):
    from compendium.notebooks import parameters

    names = [name for name in parameters(ROOT / step.notebook) if name != "project_root"]
    assert names, f"{step.name}: no parameter a student can change"
    closing = nbformat.read(ROOT / step.notebook, as_version=4).cells[-1].source
    assert any(f"`{name}`" in closing for name in names), "Try it yourself names no parameter"


def test_a_choice_that_is_not_there_is_refused_with_the_choices():
    from compendium.errors import ParameterError
    from compendium.notebooks import one_of

    assert one_of("characteristic", "setting", ["country", "setting"]) == "setting"
    with pytest.raises(ParameterError, match="expected one of: country, setting"):
        one_of("characteristic", "colour", ["setting", "country", "setting"])


def test_one_print_sent_as_two_stream_messages_is_normalised_to_one():
    from compendium.notebooks import normalise

    cell = nbformat.v4.new_code_cell("print('43 records')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="43 records"),
        nbformat.v4.new_output("stream", name="stdout", text="\n"),
        nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    outputs = normalise(nb).cells[0].outputs
    assert [(o["name"], o["text"]) for o in outputs] == [
        ("stdout", "43 records\n"),
        ("stderr", "a warning\n"),
    ]
