"""Where everything lives: every folder, and the files people write that are not tables.

The paths below are relative to a project's root, with forward slashes; a :class:`Project`
turns them into paths of one copy of the compendium. The tables inside these folders (each
sheet, each processed table, each output) are declared in :mod:`compendium.tables`, with
their paths; nothing else in the project builds a path.

Examples
--------
>>> from compendium.paths import Project
>>> project = Project("..")          # from inside notebooks/, as JupyterLab runs them
>>> project.raw.name
'raw'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The folder holding ``pyproject.toml`` when the package is installed from a clone
#: (``pip install -e .``), which is how the Makefile installs it. The tests use it; the
#: ``compendium`` command finds its project from the current folder (:meth:`Project.find`).
ROOT = Path(__file__).resolve().parents[2]

# --- people write these; the code only reads them -------------------------------------------
RAW = "data/raw"
SEARCHES = f"{RAW}/searches"  # the database exports, as downloaded
DEDUP = f"{RAW}/dedup"  # people's decisions on uncertain duplicate pairs
SCREENING = f"{RAW}/screening"  # the screening sheets
OTHER_SOURCES = f"{RAW}/other_sources"  # publications found another way
EXTRACTION = f"{RAW}/extraction"  # the data abstraction table, as the team keeps it
TYPOLOGY = f"{RAW}/typology"  # the initial typology, the change log, the coding, the experts
DATASET_CARD = f"{RAW}/DATASET.yaml"  # what the data is: demonstration or study
REPORTED_NUMBERS = f"{RAW}/reported_numbers.yaml"  # the numbers the manuscript reports
SEARCH_STRATEGY = f"{RAW}/search_strategy.yaml"  # the search's concept blocks
PROTOCOL = f"{RAW}/protocol.yaml"  # the review's protocol: databases, sources, sample
#: What `compendium import-decisions` says beside each sheet it writes: ``<sheet>.import.md``
#: (what was matched, what was not, and the SHA-256 of the sheets it wrote, by which a
#: re-import tells its own sheet from one a person made). A sheet it replaces is kept
#: beside it as ``<sheet>.replaced-<date>[-<n>].<ext>``.
IMPORT_REPORT_SUFFIX = ".import.md"
REPLACED_INFIX = ".replaced-"
CHECKSUMS = f"{RAW}/SHA256SUMS"
NOTEBOOKS = "notebooks"

# --- the pipeline writes these; people never edit them --------------------------------------
PROCESSED = "data/processed"
STEP_NUMBERS = f"{PROCESSED}/numbers"  # one JSON file per step: the numbers it established
OUTPUTS = "outputs"
TABLES = f"{OUTPUTS}/tables"
FIGURES = f"{OUTPUTS}/figures"
EXECUTED_NOTEBOOKS = f"{OUTPUTS}/notebooks"
REPORT = f"{OUTPUTS}/report"

# --- only the tests read this; the runner's own bookkeeping ---------------------------------
DEMO_TRUTH = "tests/demo_truth"  # what the demonstration generator planted
STATE = ".compendium"  # local to a machine, never committed

#: What makes a folder a compendium project: its dataset card, or its notebooks.
MARKERS = (DATASET_CARD, f"{NOTEBOOKS}/01_search_results.ipynb")


@dataclass(frozen=True)
class Project:
    """The folders and files of one copy of the compendium."""

    root: Path

    def __init__(self, root: str | Path = ROOT) -> None:
        object.__setattr__(self, "root", Path(root).resolve())

    @classmethod
    def find(cls, start: str | Path | None = None) -> Project:
        """The project holding ``start`` (default: the current folder), as git finds its repository.

        The nearest folder, from ``start`` upward, that holds one of :data:`MARKERS`; so a
        copy of the project works on itself wherever the ``compendium`` command came from.
        """
        from compendium.errors import CompendiumError

        here = Path.cwd() if start is None else Path(start)
        here = here.resolve()
        for folder in (here, *here.parents):
            if any((folder / marker).is_file() for marker in MARKERS):
                return cls(folder)
        msg = (
            f"{here}: not inside a compendium project (no {' or '.join(MARKERS)} here or in "
            "any folder above); change to the project's folder or give --root"
        )
        raise CompendiumError(msg)

    def path(self, relative: str) -> Path:
        """One of this module's paths, in this project."""
        return self.root / relative

    # --- people write these; the code only reads them ----------------------------------
    @property
    def raw(self) -> Path:
        return self.path(RAW)

    @property
    def dataset_card(self) -> Path:
        return self.path(DATASET_CARD)

    @property
    def reported_numbers(self) -> Path:
        return self.path(REPORTED_NUMBERS)

    @property
    def search_strategy(self) -> Path:
        return self.path(SEARCH_STRATEGY)

    @property
    def checksums(self) -> Path:
        return self.path(CHECKSUMS)

    @property
    def searches(self) -> Path:
        return self.path(SEARCHES)

    @property
    def dedup(self) -> Path:
        return self.path(DEDUP)

    @property
    def screening(self) -> Path:
        return self.path(SCREENING)

    @property
    def protocol(self) -> Path:
        return self.path(PROTOCOL)

    @property
    def other_sources(self) -> Path:
        return self.path(OTHER_SOURCES)

    @property
    def extraction(self) -> Path:
        """The data abstraction table, as the team keeps it."""
        return self.path(EXTRACTION)

    @property
    def typology(self) -> Path:
        """The initial typology, the experts' change log, the coding, the experts."""
        return self.path(TYPOLOGY)

    @property
    def notebooks(self) -> Path:
        return self.path(NOTEBOOKS)

    # --- the pipeline writes these; people never edit them ------------------------------
    @property
    def processed(self) -> Path:
        return self.path(PROCESSED)

    @property
    def step_numbers(self) -> Path:
        """One JSON file per step with the numbers that step established."""
        return self.path(STEP_NUMBERS)

    @property
    def outputs(self) -> Path:
        return self.path(OUTPUTS)

    @property
    def figures(self) -> Path:
        return self.path(FIGURES)

    @property
    def tables(self) -> Path:
        return self.path(TABLES)

    @property
    def executed_notebooks(self) -> Path:
        return self.path(EXECUTED_NOTEBOOKS)

    @property
    def report(self) -> Path:
        return self.path(REPORT)

    @property
    def demo_truth(self) -> Path:
        """What the demonstration generator planted; only tests read it."""
        return self.path(DEMO_TRUTH)

    # --- the runner's own bookkeeping, local to a machine (not committed) ---------------
    @property
    def state(self) -> Path:
        return self.path(STATE)

    def relative(self, path: Path) -> str:
        """``path`` relative to the root, with forward slashes (for messages and manifests)."""
        return Path(path).resolve().relative_to(self.root).as_posix()
