"""The pipeline, written down: each step's notebook, what it reads and what it writes.

This table is the DAG. The runner hashes a step's inputs to decide whether it must run again,
and refuses a step that writes a file it does not declare here, so the table cannot drift from
what the notebooks do. Paths are relative to the project root; an input folder stands for every
file in it (an absent folder is a valid, empty input); outputs are glob patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compendium.errors import ParameterError


@dataclass(frozen=True)
class Step:
    name: str  # the notebook's file name without .ipynb; numbers give the order
    method: str  # the step of Arksey and O'Malley's framework it serves
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.name}.ipynb"

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]


CARD = "data/raw/DATASET.yaml"  # every step reads it: outputs say whether data is demonstration


def _numbers(name: str) -> str:
    return f"data/processed/numbers/{name}.json"


STEPS: tuple[Step, ...] = (
    Step(
        "01_search_results",
        "2. Identify relevant studies",
        inputs=(CARD, "data/raw/searches"),
        outputs=(_numbers("01_search_results"),),
    ),
    Step(
        "02_deduplication",
        "2. Identify relevant studies",
        inputs=(CARD, "data/raw/dedup", "data/processed/numbers/01_search_results.json"),
        outputs=(_numbers("02_deduplication"),),
    ),
    Step(
        "03_screening",
        "3. Study selection",
        inputs=(CARD, "data/raw/screening", "data/raw/other_sources"),
        outputs=(_numbers("03_screening"),),
    ),
    Step(
        "04_flow_diagram",
        "3. Study selection",
        inputs=(CARD, "data/processed/numbers/03_screening.json"),
        outputs=(_numbers("04_flow_diagram"),),
    ),
    Step(
        "05_data_abstraction",
        "4. Chart the data",
        inputs=(CARD, "data/raw/extraction"),
        outputs=(_numbers("05_data_abstraction"),),
    ),
    Step(
        "06_typology",
        "5. Collate, summarise and report; 6. Expert consultation",
        inputs=(CARD, "data/raw/typology"),
        outputs=(_numbers("06_typology"),),
    ),
    Step(
        "07_manuscript",
        "5. Collate, summarise and report the results",
        inputs=(CARD, "data/raw/reported_numbers.yaml", "data/processed/numbers"),
        outputs=(
            "outputs/numbers.json",
            "outputs/reproduction_check.csv",
            "outputs/reproduction_check.md",
        ),
    ),
)


def by_name(name: str) -> Step:
    """A step by its full name (``03_screening``) or number (``03`` or ``3``)."""
    for step in STEPS:
        if name in (step.name, step.number) or (name.isdigit() and int(name) == int(step.number)):
            return step
    valid = ", ".join(step.name for step in STEPS)
    msg = f"no step {name!r}; the steps are: {valid}"
    raise ParameterError(msg)


def inputs_present(root: Path, step: Step) -> list[tuple[str, int]]:
    """Each declared input with how many files it holds now (0: not there yet)."""
    present = []
    for relative in step.inputs:
        path = root / relative
        if path.is_dir():
            present.append((relative, sum(1 for p in path.rglob("*") if p.is_file())))
        else:
            present.append((relative, int(path.is_file())))
    return present
