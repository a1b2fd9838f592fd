"""The pipeline, written down: each step's notebook, what it reads and what it writes.

This table is the DAG. The runner hashes a step's inputs to decide whether it must run again,
and refuses a step that writes a file it does not declare here, so the table cannot drift from
what the notebooks do. Paths are relative to the project root; an input folder stands for every
file in it (an absent folder is a valid, empty input); outputs are glob patterns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from compendium.errors import ParameterError
from compendium.io import sha256


@dataclass(frozen=True)
class Limit:
    """The values a number parameter may take; a run refuses any other before it starts."""

    minimum: float | None = None
    maximum: float | None = None
    above_minimum: bool = False  # the minimum itself is excluded

    def allows(self, value: float) -> bool:
        low = self.minimum is None or (
            value > self.minimum if self.above_minimum else value >= self.minimum
        )
        return low and (self.maximum is None or value <= self.maximum)

    def __str__(self) -> str:
        parts = []
        if self.minimum is not None:
            parts.append(f"{'more than' if self.above_minimum else 'at least'} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"at most {self.maximum:g}")
        return " and ".join(parts) or "any number"


COUNT = Limit(minimum=0)  # how many rows to show: none or more
SHARE = Limit(minimum=0, maximum=1, above_minimum=True)  # a fraction of the records


@dataclass(frozen=True)
class Step:
    name: str  # the notebook's file name without .ipynb; numbers give the order
    method: str  # the step of Arksey and O'Malley's framework it serves
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    # the values each number parameter may take (text parameters are checked in the notebook)
    limits: dict[str, Limit] = field(default_factory=dict, hash=False)

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.name}.ipynb"

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]


CARD = "data/raw/DATASET.yaml"  # every step reads it: outputs say whether data is demonstration
MANIFEST = "outputs/MANIFEST.csv"  # every output, the notebook that made it, its SHA-256


def _numbers(name: str) -> str:
    return f"data/processed/numbers/{name}.json"


STEPS: tuple[Step, ...] = (
    Step(
        "01_search_results",
        "2. Identify relevant studies",
        inputs=(CARD, "data/raw/searches", "data/raw/search_strategy.yaml"),
        outputs=(
            "data/processed/records.csv",
            "outputs/tables/records_per_database.*",
            "outputs/figures/records_per_database.*",
            _numbers("01_search_results"),
        ),
        limits={"records_to_show": COUNT},
    ),
    Step(
        "02_deduplication",
        "2. Identify relevant studies",
        inputs=(CARD, "data/raw/dedup", "data/processed/records.csv"),
        outputs=(
            "data/processed/duplicates.csv",
            "data/processed/records_deduplicated.csv",
            "outputs/tables/duplicates_by_database.*",
            "outputs/tables/duplicates_removed.*",
            "outputs/tables/linked_items.*",
            "outputs/tables/uncertain_pairs.*",
            _numbers("02_deduplication"),
        ),
        limits={"merges_to_show": COUNT},
    ),
    Step(
        "03_screening",
        "3. Study selection",
        inputs=(
            CARD,
            "data/raw/screening",
            "data/raw/other_sources",
            "data/processed/records.csv",
            "data/processed/duplicates.csv",
        ),
        outputs=(
            "data/processed/ledger.csv",
            "data/processed/included_publications.csv",
            "outputs/tables/screening_agreement.*",
            "outputs/tables/screening_conflicts.*",
            "outputs/tables/full_text_exclusions.*",
            _numbers("03_screening"),
        ),
        limits={"planning_fraction": SHARE},
    ),
    Step(
        "04_flow_diagram",
        "3. Study selection",
        inputs=(CARD, "data/raw/screening/exclusion_reasons.csv", "data/processed/ledger.csv"),
        outputs=(
            "outputs/figures/prisma_flow.*",
            "outputs/tables/prisma2020_template.csv",
            _numbers("04_flow_diagram"),
        ),
    ),
    Step(
        "05_data_abstraction",
        "4. Chart the data",
        inputs=(CARD, "data/raw/extraction", "data/processed/included_publications.csv"),
        outputs=(
            _numbers("05_data_abstraction"),
            "data/processed/dat_publications.csv",
            "data/processed/candidate_components.csv",
            "outputs/tables/esm2_included_publications.*",
            "outputs/tables/esm3_candidate_components.*",
        ),
    ),
    Step(
        "06_typology",
        "5. Collate, summarise and report; 6. Expert consultation",
        inputs=(
            CARD,
            "data/raw/typology",
            "data/processed/dat_publications.csv",
            "data/processed/candidate_components.csv",
        ),
        outputs=(
            _numbers("06_typology"),
            "data/processed/typology_final.csv",
            "data/processed/coding.csv",
            "outputs/tables/table1_typology.*",
            "outputs/tables/typology_before_after.*",
            "outputs/tables/typology_coverage.*",
            "outputs/tables/recoded_candidate_components.*",
            "outputs/tables/cnma_components.*",
            "outputs/tables/cnma_components_columns.*",
            "outputs/figures/coverage_heatmap.*",
            "outputs/figures/typology_overview.*",
        ),
    ),
    Step(
        "07_manuscript",
        "5. Collate, summarise and report the results",
        inputs=(
            CARD,
            "data/raw/reported_numbers.yaml",
            "data/processed",
            "outputs/figures",
            "outputs/tables",
        ),
        outputs=(
            "outputs/numbers.json",
            "outputs/reproduction_check.csv",
            "outputs/reproduction_check.md",
            MANIFEST,
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


def output_manifest(root: Path) -> pd.DataFrame:
    """Every file the steps declare and wrote, the notebook that made it, and its SHA-256."""
    rows = [
        (relative, step.notebook, sha256(root / relative))
        for step in STEPS
        for pattern in step.outputs
        for relative in sorted(p.relative_to(root).as_posix() for p in root.glob(pattern))
        if relative != MANIFEST
    ]
    return pd.DataFrame(rows, columns=["file", "made by", "sha256"])
