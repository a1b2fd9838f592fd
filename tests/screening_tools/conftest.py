"""Paths for the screening-tool tests: our own small fixtures, and the real exports in
../shared/external/screening-tools (read in place, never copied; absent in a user's clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXTERNAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "external"
SCREENING_TOOLS = EXTERNAL / "screening-tools"


@pytest.fixture
def sample():
    """The path of one of our own fixture files."""

    def _path(name: str) -> Path:
        return FIXTURES / name

    return _path


@pytest.fixture
def real():
    """The path of a real export in ../shared/external/screening-tools; skips when absent."""
    if not (SCREENING_TOOLS / "SOURCE.md").exists():
        pytest.skip(
            f"real screening-tool exports not found at {SCREENING_TOOLS.resolve()} "
            "(../shared/external, present in CI, not in a user's clone)"
        )

    def _path(name: str) -> Path:
        return SCREENING_TOOLS / name

    return _path
