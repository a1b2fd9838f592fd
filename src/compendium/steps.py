"""The pipeline, written down: each step's notebook, what it reads and what it writes.

This table is the DAG. The runner hashes a step's inputs to decide whether it must run again,
and refuses a step that writes a file it does not declare here, so the table cannot drift from
what the notebooks do. Paths are relative to the project root; an input folder stands for every
file in it (an absent folder is a valid, empty input); outputs are glob patterns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from compendium import paths, tables
from compendium.errors import ParameterError
from compendium.io import sha256, write_text

if TYPE_CHECKING:
    from compendium.paths import Project


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


def _relative(*declared: object) -> tuple[str, ...]:
    """Each declaration's path pattern: a folder, a file, or ``name.*`` for every format."""
    return tuple(item if isinstance(item, str) else item.relative for item in declared)


def _numbers(name: str) -> str:
    return tables.step_numbers(name).relative


CARD = paths.DATASET_CARD  # every step reads it: outputs say whether data is demonstration
MANIFEST = tables.MANIFEST.relative  # every output, the notebook that made it, its SHA-256

STEPS: tuple[Step, ...] = (
    Step(
        "01_search_results",
        "2. Identify relevant studies",
        inputs=(CARD, paths.PROTOCOL, paths.SEARCHES, paths.SEARCH_STRATEGY),
        outputs=(
            *_relative(
                tables.RECORDS, tables.RECORDS_PER_DATABASE, tables.RECORDS_PER_DATABASE_FIGURE
            ),
            _numbers("01_search_results"),
        ),
        limits={"records_to_show": COUNT},
    ),
    Step(
        "02_deduplication",
        "2. Identify relevant studies",
        inputs=(CARD, paths.DEDUP, tables.RECORDS.relative),
        outputs=(
            *_relative(
                tables.DUPLICATES,
                tables.RECORDS_DEDUPLICATED,
                tables.DUPLICATES_BY_DATABASE,
                tables.DUPLICATES_REMOVED,
                tables.LINKED_ITEMS,
                tables.UNCERTAIN_PAIRS,
            ),
            _numbers("02_deduplication"),
        ),
        limits={"merges_to_show": COUNT},
    ),
    Step(
        "03_screening",
        "3. Study selection",
        inputs=(
            CARD,
            paths.PROTOCOL,
            paths.SCREENING,
            paths.OTHER_SOURCES,
            *_relative(tables.RECORDS, tables.RECORDS_DEDUPLICATED, tables.DUPLICATES),
        ),
        outputs=(
            *_relative(
                tables.LEDGER,
                tables.INCLUDED_PUBLICATIONS,
                tables.SCREENING_AGREEMENT,
                tables.SCREENING_CONFLICTS,
                tables.FULL_TEXT_EXCLUSIONS,
            ),
            _numbers("03_screening"),
        ),
        limits={"planning_fraction": SHARE},
    ),
    Step(
        "04_flow_diagram",
        "3. Study selection",
        inputs=(CARD, paths.PROTOCOL, *_relative(tables.EXCLUSION_REASONS, tables.LEDGER)),
        outputs=(
            *_relative(tables.PRISMA_FLOW, tables.PRISMA2020_TEMPLATE),
            _numbers("04_flow_diagram"),
        ),
    ),
    Step(
        "05_data_abstraction",
        "4. Chart the data",
        inputs=(CARD, paths.PROTOCOL, paths.EXTRACTION, tables.INCLUDED_PUBLICATIONS.relative),
        outputs=(
            _numbers("05_data_abstraction"),
            *_relative(
                tables.DAT_PUBLICATIONS_CHECKED,
                tables.CANDIDATE_COMPONENTS,
                tables.ESM2,
                tables.ESM3,
            ),
        ),
    ),
    Step(
        "06_typology",
        "5. Collate, summarise and report; 6. Expert consultation",
        inputs=(
            CARD,
            paths.PROTOCOL,
            paths.TYPOLOGY,
            *_relative(tables.DAT_PUBLICATIONS_CHECKED, tables.CANDIDATE_COMPONENTS),
        ),
        outputs=(
            _numbers("06_typology"),
            *_relative(
                tables.TYPOLOGY_FINAL,
                tables.CODING_FINAL,
                tables.TABLE_1,
                tables.TYPOLOGY_BEFORE_AFTER,
                tables.TYPOLOGY_COVERAGE,
                tables.RECODED_CANDIDATE_COMPONENTS,
                tables.CNMA_COMPONENTS,
                tables.CNMA_COMPONENTS_COLUMNS,
                tables.COVERAGE_HEATMAP,
                tables.TYPOLOGY_OVERVIEW,
            ),
        ),
    ),
    Step(
        "07_manuscript",
        "5. Collate, summarise and report the results",
        inputs=(CARD, paths.REPORTED_NUMBERS, paths.PROCESSED, paths.FIGURES, paths.TABLES),
        outputs=(
            *_relative(tables.NUMBERS_JSON, tables.REPRODUCTION_CHECK),
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


def write_manifest(project: Project) -> pd.DataFrame:
    """Write ``outputs/MANIFEST.csv`` (see :func:`output_manifest`) and return it."""
    manifest = output_manifest(project.root)
    write_text(tables.MANIFEST.path(project), manifest.to_csv(index=False, lineterminator="\n"))
    return manifest
