"""Runs that cannot damage outputs: one run at a time; a failed, refused or killed run leaves
every earlier output as it was; a read-only folder or a full disk is a clear error."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from compendium import integrity, pipeline, safekeeping, tables
from compendium.errors import CompendiumError, RunInProgress
from compendium.paths import ROOT, Project
from support import files_under

pytestmark = pytest.mark.slow

WATCHED = ("data/processed", "outputs")


def finished_copy(full_run, destination: Path) -> Project:
    """A copy of the finished full run, with its runner state: every step up to date."""
    return Project(shutil.copytree(full_run.project.root, destination, symlinks=True))


def append_cell(project: Project, step: str, source: str) -> None:
    path = project.root / f"notebooks/{step}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)


def drop_last_record(project: Project) -> None:
    """Remove the MEDLINE export's last record, so that step 01's outputs change."""
    export = project.searches / "ovid_medline_2022-08.ris"
    text = export.read_text(encoding="utf-8")
    cut = text.rstrip().rfind("ER  -", 0, len(text.rstrip()) - 1)
    export.write_text(text[: text.index("\n", cut) + 1], encoding="utf-8")
    integrity.update(project.raw)


def test_a_second_run_is_refused_naming_the_first(project):
    with safekeeping.RunLock(project, "compendium run --from 03"):
        with pytest.raises(RunInProgress) as refused:
            pipeline.run(project)
        message = str(refused.value)
        assert f"process {os.getpid()}" in message
        assert "`compendium run --from 03`" in message
        # the command line says so too, and stops before touching anything
        done = subprocess.run(
            [sys.executable, "-m", "compendium", "--root", str(project.root), "run"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert done.returncode == 1
        assert "another run is using this project" in done.stderr
        assert f"process {os.getpid()}" in done.stderr
    assert not project.outputs.exists()
    with safekeeping.RunLock(project, "the next run"):  # the lock ended with its holder
        pass


def test_a_failed_step_puts_back_what_it_changed_and_removes_what_it_made(full_run, tmp_path):
    project = finished_copy(full_run, tmp_path / "project")
    before = files_under(project.root, *WATCHED)
    append_cell(
        project,
        "03_screening",
        "from compendium.io import write_text\n"
        "write_text(tables.LEDGER.path(project), 'damaged\\n')\n"
        "write_text(project.processed / 'numbers' / 'stray.json', '{}\\n')\n"
        "raise RuntimeError('stopped after damaging the ledger')",
    )
    with pytest.raises(CompendiumError, match="stopped after damaging the ledger"):
        pipeline.run(project, start="03")
    assert files_under(project.root, *WATCHED) == before
    assert not (project.state / "safekeeping").exists()


@contextlib.contextmanager
def read_only(folder: Path):
    """``folder`` made read-only for this process, root included (chattr +i), or skip."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a folder read-only")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_folder_is_a_clear_error_and_every_output_stays(full_run, tmp_path):
    project = finished_copy(full_run, tmp_path / "project")
    drop_last_record(project)  # step 01 now writes new records before it reaches the tables
    before = files_under(project.root, *WATCHED)
    with read_only(project.tables), pytest.raises(CompendiumError) as failed:
        pipeline.run(project, only=["01"], allow_mismatch=True)
    message = str(failed.value)
    assert "outputs/tables/records_per_database" in message
    assert "read-only" in message and "unchanged" in message
    assert files_under(project.root, *WATCHED) == before


@pytest.fixture
def small_disk(tmp_path):
    """A 48 MB file system of its own (tmpfs), or skip where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_a_clear_error_and_every_output_stays(full_run, small_disk):
    project = finished_copy(full_run, small_disk / "project")
    drop_last_record(project)
    before = files_under(project.root, *WATCHED)
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(b"\0" * max(free - 256 * 1024, 0))  # room for the journal, not for 01
    with pytest.raises(CompendiumError) as failed:
        pipeline.run(project, only=["01"], allow_mismatch=True)
    assert "No space left on device" in str(failed.value)
    assert files_under(project.root, *WATCHED) == before
    filler.unlink()
    result = pipeline.run(project, only=["01"], allow_mismatch=True)  # with room, it runs
    assert result.ran == ["01_search_results"]


def test_a_run_killed_outright_is_undone_by_the_next(full_run, tmp_path):
    project = finished_copy(full_run, tmp_path / "project")
    before = files_under(project.root, *WATCHED)
    notebook = project.root / "notebooks/03_screening.ipynb"
    original = notebook.read_bytes()
    append_cell(
        project,
        "03_screening",
        "import time\nfrom compendium.io import write_text\n"
        "write_text(tables.LEDGER.path(project), 'damaged\\n')\ntime.sleep(300)",
    )
    runner = subprocess.Popen(
        [sys.executable, "-m", "compendium", "--root", str(project.root), "run", "--from", "03"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while tables.LEDGER.path(project).read_bytes() != b"damaged\n":
            assert runner.poll() is None, "the run ended before it was killed"
            assert time.monotonic() < deadline, "step 03 never damaged the ledger"
            time.sleep(0.1)
        lock = (project.state / "run.lock").read_text()
        runner.send_signal(signal.SIGKILL)
        runner.wait()
    finally:
        if runner.poll() is None:
            runner.kill()
    assert (project.state / "safekeeping" / "journal.json").exists()
    notebook.write_bytes(original)
    lines = []
    result = pipeline.run(project, allow_mismatch=True, progress=lines.append)
    assert "the last run stopped during 03_screening" in lines[0]
    assert result.ran == []  # everything was put back, and so is up to date again
    assert files_under(project.root, *WATCHED) == before
    kernels = [int(pid) for pid in __import__("json").loads(lock)["kernels"]]
    assert kernels, "the run lock names the kernels it started"
    for pid in kernels:
        assert (
            not Path(f"/proc/{pid}").exists()
            or b"ipykernel" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ), f"kernel {pid} of the killed run still runs"
