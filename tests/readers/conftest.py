"""Shared paths for the reader tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixture():
    """Return the path of one of our own fixture files."""

    def _path(name: str) -> Path:
        return FIXTURES / name

    return _path
