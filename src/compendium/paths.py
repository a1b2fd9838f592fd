"""Where everything lives. Nothing else in the project builds a path.

A :class:`Project` is a root folder laid out as the README's folder map says. The pipeline,
the notebooks and the tests all reach files through one, so a test can point a whole run at
a temporary copy of the project by giving another root.

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

#: What makes a folder a compendium project: its dataset card, or its notebooks.
MARKERS = ("data/raw/DATASET.yaml", "notebooks/01_search_results.ipynb")


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

    # --- people write these; the code only reads them ----------------------------------
    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def dataset_card(self) -> Path:
        return self.raw / "DATASET.yaml"

    @property
    def reported_numbers(self) -> Path:
        return self.raw / "reported_numbers.yaml"

    @property
    def checksums(self) -> Path:
        return self.raw / "SHA256SUMS"

    @property
    def searches(self) -> Path:
        return self.raw / "searches"

    @property
    def dedup_decisions(self) -> Path:
        return self.raw / "dedup" / "decisions.csv"

    @property
    def screening(self) -> Path:
        return self.raw / "screening"

    @property
    def other_sources(self) -> Path:
        return self.raw / "other_sources"

    @property
    def extraction(self) -> Path:
        """The data abstraction table, as the team keeps it."""
        return self.raw / "extraction"

    @property
    def typology(self) -> Path:
        """The initial typology, the experts' change log, the coding, the experts."""
        return self.raw / "typology"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    # --- the pipeline writes these; people never edit them ------------------------------
    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def records_table(self) -> Path:
        """Every record read from the search exports (notebook 01)."""
        return self.processed / "records.csv"

    @property
    def duplicates_table(self) -> Path:
        """Each record's duplicate cluster, whether it is kept, and why (notebook 02)."""
        return self.processed / "duplicates.csv"

    @property
    def deduplicated_records_table(self) -> Path:
        """The records left to screen, missing fields filled from their duplicates (02)."""
        return self.processed / "records_deduplicated.csv"

    @property
    def ledger_table(self) -> Path:
        """Every record's and publication's outcome at every stage (notebook 03)."""
        return self.processed / "ledger.csv"

    @property
    def included_publications_table(self) -> Path:
        """The publications included in the review (notebook 03)."""
        return self.processed / "included_publications.csv"

    @property
    def step_numbers(self) -> Path:
        """One JSON file per step with the numbers that step established."""
        return self.processed / "numbers"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def figures(self) -> Path:
        return self.outputs / "figures"

    @property
    def tables(self) -> Path:
        return self.outputs / "tables"

    @property
    def numbers_json(self) -> Path:
        return self.outputs / "numbers.json"

    @property
    def reproduction_check(self) -> Path:
        """Stem of ``reproduction_check.md`` and ``reproduction_check.csv``."""
        return self.outputs / "reproduction_check"

    @property
    def executed_notebooks(self) -> Path:
        return self.outputs / "notebooks"

    @property
    def report(self) -> Path:
        return self.outputs / "report"

    @property
    def demo_truth(self) -> Path:
        """What the demonstration generator planted; only tests read it."""
        return self.root / "tests" / "demo_truth"

    # --- the runner's own bookkeeping, local to a machine (not committed) ---------------
    @property
    def state(self) -> Path:
        return self.root / ".compendium"

    def relative(self, path: Path) -> str:
        """``path`` relative to the root, with forward slashes (for messages and manifests)."""
        return Path(path).resolve().relative_to(self.root).as_posix()
