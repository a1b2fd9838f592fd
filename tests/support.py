"""Helpers the tests share: copies of the project, file snapshots, read-only folders."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from compendium.paths import ROOT, Project

EXTERNAL = ROOT.parent / "shared" / "external"


def copy_project(destination: Path) -> Project:
    """A runnable copy of this project: notebooks and data/raw, nothing generated."""
    for relative in ("notebooks", "data/raw"):
        shutil.copytree(
            ROOT / relative, destination / relative, ignore=shutil.ignore_patterns(".ipynb_*")
        )
    return Project(destination)


def files_under(root: Path, *folders: str) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for folder in folders
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def make_read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        os.chmod(path, mode)


def make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, path.stat().st_mode | stat.S_IWUSR)
