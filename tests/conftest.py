"""Shared fixtures: copies of the project in temporary folders, and one full pipeline run.

Tests never write into the clone they run from: each works on a copy holding the notebooks and
``data/raw``, so the committed ``data/processed`` and ``outputs`` stay the reference a fresh run
must reproduce byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from compendium import pipeline
from compendium.paths import Project
from support import EXTERNAL, copy_project, files_under, make_read_only, make_writable

# The property tests draw the same examples on every run, so that a clean clone passes or
# fails `make test` the same way each time; HYPOTHESIS_PROFILE=explore draws new ones.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


class FullRun:
    """The whole pipeline, run once per session in a temporary copy, data/raw read-only."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.raw_before = files_under(project.root, "data/raw")
        self.raw_stat_before = {
            p.relative_to(project.root).as_posix(): p.stat().st_mtime_ns
            for p in project.raw.rglob("*")
        }
        self.lines: list[str] = []
        make_read_only(project.raw)
        try:
            self.result = pipeline.run(project, allow_mismatch=True, progress=self.lines.append)
        finally:
            make_writable(project.raw)


@pytest.fixture(scope="session")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> FullRun:
    return FullRun(copy_project(tmp_path_factory.mktemp("full-run") / "project"))


@pytest.fixture(scope="session")
def external() -> Path:
    if not EXTERNAL.is_dir():
        pytest.skip(
            f"public test data not found at {EXTERNAL} (present in CI, not in a user's clone)"
        )
    return EXTERNAL
