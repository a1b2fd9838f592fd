"""The ordered runner: ``compendium run``.

Runs the notebooks of :data:`compendium.steps.STEPS` in order through papermill's Python API,
in this one process, each in a fresh kernel of this environment's Python, with the notebook's
own folder as working directory (as JupyterLab runs it). Before anything runs, the raw data is
checked against ``data/raw/SHA256SUMS`` and every ``-p NAME VALUE`` against the notebooks'
``parameters`` cells.

A step runs again only when its notebook, its declared inputs, its parameters or the
``compendium`` package changed since its last successful run, or an output it wrote was
changed or removed (content hashes kept in ``.compendium/state.json``). A failing step leaves
every file as it was before it started: earlier outputs intact, none of its own half-written.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_client.manager import KernelManager

from compendium import integrity, notebooks, numbers, report
from compendium.errors import OutputError, ParameterError, StepFailed
from compendium.io import sha256, write_text
from compendium.paths import Project
from compendium.steps import STEPS, Step, by_name

if TYPE_CHECKING:
    from nbformat import NotebookNode

PACKAGE = Path(__file__).resolve().parent
KERNEL = "python3"  # jupyter_client starts "python3" with this process's own interpreter
WARM_IMPORTS = '["import pandas, matplotlib"]'  # what every notebook imports first
STATE_VERSION = 1
RUNNER_WRITES = ("outputs/notebooks", "outputs/report")  # written by the runner, not notebooks
WATCHED = ("data/processed", "outputs")  # where steps may write, and only their declared outputs

Progress = Callable[[str], None]


@dataclass
class Outcome:
    step: Step
    ran: bool
    seconds: float


@dataclass
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)
    check_summary: str | None = None

    @property
    def ran(self) -> list[str]:
        return [outcome.step.name for outcome in self.outcomes if outcome.ran]


def select(only: Sequence[str] = (), start: str | None = None) -> list[Step]:
    """The steps to run: ``only`` these, or all ``start``-ing from one, or all."""
    if only and start:
        msg = "give --only or --from, not both"
        raise ParameterError(msg)
    if only:
        wanted = {by_name(name).name for name in only}
        return [step for step in STEPS if step.name in wanted]
    if start:
        first = STEPS.index(by_name(start))
        return list(STEPS[first:])
    return list(STEPS)


def parameters_for(
    project: Project, steps: Sequence[Step], overrides: dict[str, object]
) -> dict[str, dict[str, object]]:
    """Each step's overrides, after checking every name and type against the notebooks."""
    declared = {step.name: notebooks.parameters(project.root / step.notebook) for step in steps}
    unknown = [name for name in overrides if not any(name in d for d in declared.values())]
    if unknown:
        valid = "\n".join(
            f"  {step}: {', '.join(names) or '(none)'}" for step, names in declared.items()
        )
        msg = (
            f"unknown parameter {', '.join(unknown)}: no notebook in this run declares it. "
            f"Valid parameters:\n{valid}"
        )
        raise ParameterError(msg)
    return {
        step: {
            name: notebooks.check_type(step, name, defaults[name], value)
            for name, value in overrides.items()
            if name in defaults
        }
        for step, defaults in declared.items()
    }


# --- hashing ----------------------------------------------------------------------------------


def _files(root: Path, relative: str) -> list[Path]:
    path = root / relative
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [path] if path.exists() else []


def _digest(root: Path, paths: Iterable[str]) -> dict[str, str]:
    return {
        file.relative_to(root).as_posix(): sha256(file)
        for relative in paths
        for file in _files(root, relative)
    }


def step_key(project: Project, step: Step, parameters: dict[str, object]) -> str:
    """What a step's result depends on: notebook, inputs, parameters and the package code."""
    root = project.root
    recipe = {
        "state": STATE_VERSION,
        "notebook": sha256(root / step.notebook),
        "inputs": _digest(root, step.inputs),
        "parameters": parameters,
        "package": _digest(PACKAGE.parent, ["compendium"]),
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True, default=str).encode()).hexdigest()


def _outputs_of(project: Project, step: Step) -> dict[str, str]:
    """Hashes of the files a step owns: its declared outputs and its executed notebook."""
    root = project.root
    owned = [
        p.relative_to(root).as_posix()
        for pattern in step.outputs
        for p in root.glob(pattern)
        if p.is_file()
    ]
    owned += [
        f"outputs/notebooks/{step.name}.ipynb",
        f"outputs/report/{step.name}.html",
    ]
    return {name: sha256(root / name) for name in sorted(set(owned)) if (root / name).exists()}


class State:
    """``.compendium/state.json``: the key and output hashes of each step's last success."""

    def __init__(self, project: Project) -> None:
        self.path = project.state / "state.json"
        try:
            self.steps = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            self.steps = {}

    def is_current(self, project: Project, step: Step, key: str) -> bool:
        last = self.steps.get(step.name)
        return bool(last) and last["key"] == key and last["outputs"] == _outputs_of(project, step)

    def record(self, project: Project, step: Step, key: str) -> None:
        self.steps[step.name] = {"key": key, "outputs": _outputs_of(project, step)}
        write_text(self.path, json.dumps(self.steps, indent=1, sort_keys=True) + "\n")


# --- running one step -------------------------------------------------------------------------


def _snapshot(project: Project) -> dict[str, str]:
    return _digest(project.root, WATCHED)


@contextlib.contextmanager
def _all_or_nothing(project: Project, step: Step) -> Iterator[None]:
    """Restore data/processed and outputs as they were if the step fails in any way."""
    backup = project.state / "backup"
    shutil.rmtree(backup, ignore_errors=True)
    for relative in WATCHED:
        source = project.root / relative
        if source.exists():
            shutil.copytree(source, backup / relative)
    try:
        yield
    except BaseException:
        for relative in WATCHED:
            shutil.rmtree(project.root / relative, ignore_errors=True)
            if (backup / relative).exists():
                shutil.copytree(backup / relative, project.root / relative)
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)


def _check_outputs(project: Project, step: Step, before: dict[str, str]) -> None:
    after = _snapshot(project)
    written = sorted(name for name, digest in after.items() if before.get(name) != digest)
    removed = sorted(set(before) - set(after))
    allowed = [*step.outputs, *(f"{folder}/*" for folder in RUNNER_WRITES)]
    undeclared = [
        name for name in written + removed if not any(fnmatch.fnmatch(name, p) for p in allowed)
    ]
    missing = [p for p in step.outputs if not list(project.root.glob(p))]
    if undeclared or missing:
        problems = [f"  wrote {name}, which it does not declare" for name in undeclared]
        problems += [f"  did not write {pattern}, which it declares" for pattern in missing]
        msg = (
            f"{step.notebook}:\n" + "\n".join(problems) + "\n"
            "Declare every output in compendium/steps.py (the pipeline's DAG)."
        )
        raise OutputError(msg)


class _Kernel(KernelManager):
    """A kernel manager that remembers the clients it made, so they can be closed.

    nbclient leaves the clients of a kernel manager it was handed open; closing them here
    keeps sockets from leaking between steps.
    """

    def client(self, **kwargs: object) -> object:
        made = super().client(**kwargs)
        self.__dict__.setdefault("_clients", []).append(made)
        return made

    def close(self) -> None:
        for made in self.__dict__.pop("_clients", []):
            made.stop_channels()
        if self.has_kernel:
            self.shutdown_kernel(now=True)
        self.cleanup_resources()


class Kernels:
    """Fresh kernels of this environment's Python, each started one step ahead.

    Every notebook gets a kernel of its own (no state leaks from one step to the next), but the
    next one is already starting, and importing pandas and matplotlib, while the current
    notebook runs, so the pipeline does not wait for a kernel at every step. Kernels talk over
    local IPC sockets in a private folder.
    """

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.sockets = Path(tempfile.mkdtemp(prefix="compendium-kernels-"))
        self.count = 0
        self.next: _Kernel | None = None

    def _start(self) -> _Kernel:
        self.count += 1
        manager = _Kernel(
            kernel_name=KERNEL, transport="ipc", ip=str(self.sockets / f"k{self.count}")
        )
        # The kernel imports what every notebook imports while it starts, silently (IPython's
        # exec_lines: no output, no execution count, no history).
        manager.start_kernel(
            cwd=str(self.cwd), extra_arguments=[f"--IPKernelApp.exec_lines={WARM_IMPORTS}"]
        )
        return manager

    def take(self, *, prepare_next: bool) -> _Kernel:
        manager = self.next or self._start()
        self.next = self._start() if prepare_next else None
        return manager

    def close(self) -> None:
        if self.next is not None:
            self.next.close()
            self.next = None
        shutil.rmtree(self.sockets, ignore_errors=True)


def _execute(
    project: Project, step: Step, parameters: dict[str, object], kernel: _Kernel
) -> NotebookNode:
    # imported here: a run with every step up to date should not pay for them
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = project.root / step.notebook
    scratch = project.state / "executed" / f"{step.name}.ipynb"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(source),
            str(scratch),
            parameters=parameters,
            kernel_name=KERNEL,
            cwd=str(source.parent),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            km=kernel,
        )
    except PapermillExecutionError as error:
        last_line = error.evalue.strip().splitlines()[-1] if error.evalue.strip() else ""
        msg = (
            f"{step.notebook}: cell {error.cell_index} (execution count {error.exec_count}) "
            f"raised {error.ename}: {last_line}\n"
            f"The executed notebook, with the traceback, is {project.relative(scratch)}"
        )
        raise StepFailed(msg) from None
    return nbformat.read(scratch, as_version=4)


def run_step(project: Project, step: Step, parameters: dict[str, object], kernel: _Kernel) -> None:
    """Run one step all-or-nothing and save its normalised executed notebook and HTML page."""
    with _all_or_nothing(project, step):
        before = _snapshot(project)
        try:
            executed = _execute(project, step, parameters, kernel)
        finally:
            kernel.close()
        executed = notebooks.normalise(executed)
        _check_outputs(project, step, before)
        write_text(project.executed_notebooks / f"{step.name}.ipynb", notebooks.dumps(executed))
        report.write_notebook_page(project, step, executed)


def _warm_caches() -> None:
    """Build matplotlib's font cache here, once, if it is missing.

    On a machine where matplotlib never ran, the first kernel to import it builds the cache
    and prints a note about it into that notebook's output: the executed notebook would then
    differ from every later run's.
    """
    import matplotlib.font_manager  # noqa: F401  (importing it builds the cache)


def run(
    project: Project,
    *,
    only: Sequence[str] = (),
    start: str | None = None,
    force: bool = False,
    overrides: dict[str, object] | None = None,
    allow_mismatch: bool = False,
    progress: Progress = lambda line: None,
) -> RunResult:
    """Run the pipeline (or part of it); raise on the first failure, naming where."""
    integrity.verify(project.raw)
    steps = select(only, start)
    parameters = parameters_for(project, steps, overrides or {})
    state = State(project)
    result = RunResult()
    _warm_caches()
    width = max(len(step.name) for step in steps)
    kernels = Kernels(cwd=project.notebooks)
    try:
        for index, step in enumerate(steps, start=1):
            label = f"[{index}/{len(steps)}] {step.name:<{width}}"
            # A step's inputs may be an earlier step's outputs: hash them only now.
            key = step_key(project, step, parameters[step.name])
            if not force and state.is_current(project, step, key):
                result.outcomes.append(Outcome(step, ran=False, seconds=0.0))
                progress(f"{label}  up to date, skipped")
                continue
            started = time.perf_counter()
            kernel = kernels.take(prepare_next=index < len(steps))
            try:
                run_step(project, step, parameters[step.name], kernel)
            except Exception:
                progress(f"{label}  FAILED after {time.perf_counter() - started:.1f} s")
                raise
            seconds = time.perf_counter() - started
            state.record(project, step, key)
            result.outcomes.append(Outcome(step, ran=True, seconds=seconds))
            progress(f"{label}  ran in {seconds:.1f} s")
    finally:
        kernels.close()
    report.write_index(project)
    if steps[-1] is STEPS[-1]:
        check = numbers.check(
            numbers.load_reported(project.reported_numbers),
            numbers.load_computed(project.step_numbers),
        )
        result.check_summary = numbers.verdict(check, allow_mismatch=allow_mismatch)
    return result
