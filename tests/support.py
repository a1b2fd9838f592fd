"""Helpers the tests share: copies of the project, file snapshots, read-only folders."""

from __future__ import annotations

import os
import shutil
import stat
from functools import cache
from pathlib import Path

from compendium import protocol
from compendium.demo.protocol import PROTOCOL as STUDY_PROTOCOL_TEXT
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


def write_protocol(folder: Path, text: str = STUDY_PROTOCOL_TEXT) -> protocol.Protocol:
    """A ``protocol.yaml`` in ``folder`` (the study's unless told), read back."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "protocol.yaml").write_text(text, encoding="utf-8")
    return protocol.read(folder / "protocol.yaml")


@cache
def study_protocol() -> protocol.Protocol:
    """The demonstration dataset's protocol: this study's, as the paper reports it."""
    return protocol.read(ROOT / "data" / "raw" / "protocol.yaml")


def one_database_protocol(
    database: str, key: str, folder: Path, *, files: tuple[str, ...] = (), sample: str = "recorded"
) -> protocol.Protocol:
    """A review that searched one database, includes studies and used no other source."""
    text = f"""\
databases:
  - name: {database}
    key: {key}
    files: [{", ".join(files)}]
publication_types:
  - type: study
    key: studies
    label: Studies
database_search:
  publication_type: study
other_sources: []
double_screening:
  sample: {sample}
"""
    return write_protocol(folder, text)
