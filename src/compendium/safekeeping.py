"""Runs that cannot damage outputs: one run at a time, and a failed step undone whole.

Two guards, both kept under ``.compendium/`` (local to a machine, never committed):

- :class:`RunLock`: one run per project. The lock is an operating-system lock on
  ``.compendium/run.lock`` (``flock``), so it ends with the process that holds it, however
  that process ends, even killed with SIGKILL: a lock is never left behind. The file says
  which process holds it, so a second run is refused naming the first.
- :func:`kept`: before a step runs, every file under ``data/processed`` and ``outputs`` is
  kept aside as a hard link, and a journal lists each with its SHA-256. Every file the
  pipeline writes is written whole to a temporary file and renamed over the old one
  (:func:`compendium.io.write_bytes`), so the old content stays intact under its link. If
  the step fails, each file it changed is put back by a rename, each file it created is
  removed, and nothing is deleted that cannot be restored. If the run is killed instead,
  the journal is still there, and the next run puts everything back before it starts.
  Hard links take no space, so a full disk does not stop the outputs being restored.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path

from compendium.errors import OutputError, RunInProgress
from compendium.io import TEMPORARY_PREFIX, TEMPORARY_SUFFIX, sha256, write_text
from compendium.paths import Project

try:  # POSIX; the Makefile and the tests run on Linux and macOS
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Where steps write: only these folders are kept aside and restored.
WATCHED = ("data/processed", "outputs")


def _state_folder(project: Project) -> Path:
    try:
        project.state.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        msg = (
            f"{project.state}: cannot create the runner's folder: {error.strerror}. "
            "Expected a project folder this user can write to."
        )
        raise OutputError(msg) from None
    return project.state


# --- one run at a time ------------------------------------------------------------------------


class RunLock:
    """Hold ``.compendium/run.lock`` for the duration of a run (``with RunLock(...)``)."""

    def __init__(self, project: Project, command: str) -> None:
        self.path = project.state / "run.lock"
        self.project = project
        self.holder = {
            "pid": os.getpid(),
            "command": command,
            "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "kernels": [],
        }
        self.handle = None

    def __enter__(self) -> RunLock:
        _state_folder(self.project)
        handle = open(self.path, "a+", encoding="utf-8")  # held until __exit__
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(handle)
                handle.close()
                msg = (
                    f"another run is using this project ({self.project.root}): process "
                    f"{holder.get('pid', '(unknown)')}, `{holder.get('command', 'compendium')}`, "
                    f"started {holder.get('started', '(unknown)')}. Wait for it to finish, or "
                    f"stop it (kill {holder.get('pid', 'PID')}); two runs at once would mix "
                    "their outputs."
                )
                raise RunInProgress(msg) from None
        _stop_kernels(_read_holder(handle).get("kernels", []))
        self.handle = handle
        self._write()
        return self

    def add_kernel(self, pid: int | None) -> None:
        """Note a kernel this run started, so a run after a crash can stop it if it lingers."""
        if pid is not None:
            self.holder["kernels"].append(pid)
            self._write()

    def _write(self) -> None:
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(json.dumps(self.holder) + "\n")
        self.handle.flush()

    def __exit__(self, *exc: object) -> None:
        self.holder["kernels"] = []
        self._write()
        self.handle.close()  # releases the lock


def _read_holder(handle: object) -> dict:
    handle.seek(0)
    try:
        holder = json.loads(handle.read() or "{}")
    except json.JSONDecodeError:
        return {}
    return holder if isinstance(holder, dict) else {}


def _stop_kernels(pids: Iterable[int]) -> None:
    """Stop kernels a killed run left behind (each exits on its own within a second or so).

    Only a process that is still a Jupyter kernel is stopped, so a reused process id is safe.
    """
    for pid in pids:
        try:
            command = Path(f"/proc/{int(pid)}/cmdline").read_bytes()
        except (OSError, ValueError):
            continue  # gone, or no /proc to tell what it is
        if b"ipykernel" in command:
            with contextlib.suppress(OSError):
                os.kill(int(pid), signal.SIGKILL)


# --- a failed step undone ---------------------------------------------------------------------


def _folder(project: Project) -> Path:
    return project.state / "safekeeping"


def files(project: Project) -> list[str]:
    """Every file under the watched folders, as sorted paths relative to the root.

    Temporary files of :func:`compendium.io.write_bytes` are not outputs and are left out.
    """
    found = []
    for relative in WATCHED:
        folder = project.root / relative
        if folder.is_dir():
            found += [
                path.relative_to(project.root).as_posix()
                for path in folder.rglob("*")
                if path.is_file() and not _temporary(path)
            ]
    return sorted(found)


def _temporary(path: Path) -> bool:
    return path.name.startswith(TEMPORARY_PREFIX) and path.name.endswith(TEMPORARY_SUFFIX)


def snapshot(project: Project) -> dict[str, str]:
    """The SHA-256 of every watched file."""
    return {name: sha256(project.root / name) for name in files(project)}


def _link(source: Path, target: Path) -> None:
    """``target`` as a new name for ``source`` (a copy where links are not possible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _folders(project: Project) -> list[str]:
    return sorted(
        path.relative_to(project.root).as_posix()
        for relative in WATCHED
        if (project.root / relative).is_dir()
        for path in [project.root / relative, *(project.root / relative).rglob("*")]
        if path.is_dir()
    )


@contextlib.contextmanager
def kept(project: Project, step: str, before: dict[str, str]) -> Iterator[None]:
    """Run the body with the watched files kept aside; undo everything it did if it fails.

    ``before`` is the :func:`snapshot` taken just now.
    """
    folder = _folder(project)
    _remove(folder)
    try:
        for name in before:
            _link(project.root / name, folder / "files" / name)
        journal = {"step": step, "files": before, "folders": _folders(project)}
        write_text(folder / "journal.json", json.dumps(journal, indent=1, sort_keys=True) + "\n")
    except OSError as error:
        _remove(folder)
        msg = (
            f"{folder}: cannot keep the outputs aside before {step} runs: {error.strerror}. "
            "Nothing was changed; expected a writable .compendium folder."
        )
        raise OutputError(msg) from None
    except OutputError:
        _remove(folder)
        raise
    try:
        yield
    except BaseException as error:
        try:
            restore(project)
        except OutputError as failure:
            msg = f"{error}\n{failure}" if str(error) else str(failure)
            raise OutputError(msg) from error
        raise
    _remove(folder)  # the journal goes first: from here on the new outputs stand


def _remove(folder: Path) -> None:
    (folder / "journal.json").unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


def interrupted(project: Project) -> str | None:
    """The step a killed run was in the middle of, if it left its journal."""
    journal = _folder(project) / "journal.json"
    if not journal.exists():
        return None
    try:
        return str(json.loads(journal.read_text(encoding="utf-8"))["step"])
    except (OSError, ValueError, KeyError, TypeError):
        return "(a step)"


def recover(project: Project) -> str | None:
    """Before a run: undo a step a killed run left half done, and clear what it left.

    Returns the name of the step undone, or ``None`` when the last run ended cleanly.
    """
    step = interrupted(project)
    if step is not None:
        restore(project)
    else:
        _remove(_folder(project))  # kept aside, but the step never started: nothing changed
    for relative in WATCHED:
        folder = project.root / relative
        if folder.is_dir():
            for path in folder.rglob(f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}"):
                path.unlink(missing_ok=True)
    return step


def restore(project: Project) -> None:
    """Put every watched file back as the journal lists it; raise naming any that cannot be.

    A file the step created is removed; a file it changed or removed is put back from its
    kept copy by a rename. A kept copy whose content is no longer what the journal says is
    not used, and the journal stays, so that nothing is lost.
    """
    folder = _folder(project)
    journal = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
    before: dict[str, str] = journal["files"]
    failed = []
    for name in files(project):
        if name not in before:
            try:
                (project.root / name).unlink()
            except OSError as error:
                failed.append(f"  {name}: written by the failed step; cannot remove it: {error}")
    for name, digest in before.items():
        target = project.root / name
        if target.is_file() and sha256(target) == digest:
            continue
        kept_copy = folder / "files" / name
        if not kept_copy.is_file() or sha256(kept_copy) != digest:
            failed.append(f"  {name}: its kept copy is missing or changed; restore it by hand")
            continue
        temporary = target.with_name(f"{TEMPORARY_PREFIX}{target.name}.restore{TEMPORARY_SUFFIX}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.unlink(missing_ok=True)
            _link(kept_copy, temporary)
            os.replace(temporary, target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            failed.append(f"  {name}: cannot put it back: {error.strerror or error}")
    for name in sorted(set(_folders(project)) - set(journal["folders"]), reverse=True):
        with contextlib.suppress(OSError):
            (project.root / name).rmdir()  # a folder the step created, now empty
    if failed:
        msg = (
            f"could not restore every output as it was before {journal['step']}:\n"
            + "\n".join(failed)
            + f"\nThe kept copies are in {project.relative(folder / 'files')}; the next run "
            "tries again."
        )
        raise OutputError(msg)
    _remove(folder)
