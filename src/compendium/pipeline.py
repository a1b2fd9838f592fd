"""The ordered runner: ``compendium run``.

Runs the notebooks of :data:`compendium.steps.STEPS` in order through papermill's Python API,
in this one process, each in a fresh kernel of this environment's Python, with the notebook's
own folder as working directory (as JupyterLab runs it). Before anything runs, the raw data is
checked against ``data/raw/SHA256SUMS`` and every ``-p NAME VALUE`` against the notebooks'
``parameters`` cells and the limits in :mod:`compendium.steps`.

A step runs again only when its notebook, its declared inputs, its parameters or the
``compendium`` package changed since its last successful run, or an output it wrote was
changed or removed (content hashes kept in ``.compendium/state.json``). A step run on its own
(``--only``, ``--from``) is refused while an earlier step it follows is out of date.

One run at a time holds the project (:class:`compendium.safekeeping.RunLock`). A failing step
leaves every file as it was before it started: earlier outputs intact, none of its own
half-written (:func:`compendium.safekeeping.kept`); a run killed outright is undone by the next.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_client.manager import KernelManager

from compendium import integrity, notebooks, numbers, report, safekeeping
from compendium.errors import CompendiumError, OutputError, ParameterError, StaleInputs, StepFailed
from compendium.io import sha256, write_text
from compendium.paths import Project
from compendium.steps import STEPS, Step, by_name

if TYPE_CHECKING:
    from nbformat import NotebookNode

PACKAGE = Path(__file__).resolve().parent
KERNEL = "python3"  # jupyter_client starts "python3" with this process's own interpreter
WARM_IMPORTS = '["import pandas, matplotlib"]'  # what every notebook imports first
STATE_VERSION = 2
RUNNER_WRITES = ("outputs/notebooks", "outputs/report")  # written by the runner, not notebooks
WATCHED = safekeeping.WATCHED  # where steps may write, and only their declared outputs

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
    """Each step's overrides, after checking every name, type and limit against the notebooks.

    The notebooks' own defaults are checked against the limits too, so a parameters cell
    edited to a value out of range is refused before anything runs.
    """
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
    chosen = {}
    for step in steps:
        defaults = declared[step.name]
        chosen[step.name] = {
            name: notebooks.check_type(step.name, name, defaults[name], value)
            for name, value in overrides.items()
            if name in defaults
        }
        for name, limit in step.limits.items():
            value = chosen[step.name].get(name, defaults.get(name))
            notebooks.check_limit(step.name, name, value, limit)
    return chosen


# --- hashing ----------------------------------------------------------------------------------


def _files(root: Path, relative: str) -> list[Path]:
    """The files a declared input stands for: a file, every file in a folder, or a pattern."""
    if "*" in relative:
        return sorted(p for p in root.glob(relative) if p.is_file())
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


def recipe(project: Project, step: Step, parameters: dict[str, object]) -> dict[str, object]:
    """What a step's result depends on: notebook, inputs, parameters and the package code."""
    root = project.root
    package = _digest(PACKAGE.parent, ["compendium"])
    return {
        "state": STATE_VERSION,
        "notebook": sha256(root / step.notebook),
        "inputs": _digest(root, step.inputs),
        "parameters": parameters,
        "package": hashlib.sha256(json.dumps(package, sort_keys=True).encode()).hexdigest(),
    }


def _key(recipe: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(recipe, sort_keys=True, default=str).encode()).hexdigest()


def step_key(project: Project, step: Step, parameters: dict[str, object]) -> str:
    return _key(recipe(project, step, parameters))


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
    """``.compendium/state.json``: what each step's last success ran on, and what it wrote."""

    def __init__(self, project: Project) -> None:
        self.path = project.state / "state.json"
        try:
            self.steps = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            self.steps = {}
        if not all(
            isinstance(last, dict) and last.get("recipe", {}).get("state") == STATE_VERSION
            for last in self.steps.values()
        ):
            self.steps = {}  # written by another version of the runner: start afresh

    def is_current(self, project: Project, step: Step, key: str) -> bool:
        last = self.steps.get(step.name)
        return bool(last) and last["key"] == key and last["outputs"] == _outputs_of(project, step)

    def why_stale(self, project: Project, step: Step) -> str | None:
        """Why ``step`` is out of date with the parameters it last ran with, or ``None``."""
        last = self.steps.get(step.name)
        if not last:
            return "it has not run in this folder yet"
        now = recipe(project, step, last["recipe"]["parameters"])
        if _key(now) == last["key"]:
            outputs = _outputs_of(project, step)
            if outputs == last["outputs"]:
                return None
            changed = sorted(set(outputs) ^ set(last["outputs"])) or [
                name for name in outputs if outputs[name] != last["outputs"].get(name)
            ]
            return f"{changed[0]}, which it wrote, was changed or removed since"
        then = last["recipe"]
        if now["notebook"] != then["notebook"]:
            return f"{step.notebook} changed since it ran"
        if now["package"] != then["package"]:
            return "the compendium package's code changed since it ran"
        inputs = sorted(
            name
            for name in set(now["inputs"]) | set(then["inputs"])
            if now["inputs"].get(name) != then["inputs"].get(name)
        )
        if inputs:
            return f"{inputs[0]}, which it reads, changed since it ran"
        return "what it depends on changed since it ran"

    def record(self, project: Project, step: Step, recipe: dict[str, object]) -> None:
        self.steps[step.name] = {
            "key": _key(recipe),
            "recipe": recipe,
            "outputs": _outputs_of(project, step),
        }
        write_text(self.path, json.dumps(self.steps, indent=1, sort_keys=True, default=str) + "\n")


def refuse_stale_inputs(project: Project, state: State, steps: Sequence[Step], upto: Step) -> None:
    """Refuse to run ``upto`` while an earlier step that this run leaves out is out of date."""
    for earlier in STEPS[: STEPS.index(upto)]:
        if earlier in steps:
            continue
        why = state.why_stale(project, earlier)
        if why:
            msg = (
                f"{upto.name} follows {earlier.name}, which is out of date: {why}. "
                f"Its outputs would not be what {upto.name} should read. Run "
                f"`compendium run --from {earlier.number}` to bring both up to date."
            )
            raise StaleInputs(msg)


# --- running one step -------------------------------------------------------------------------


def _snapshot(project: Project) -> dict[str, str]:
    return safekeeping.snapshot(project)


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

    def __init__(self, cwd: Path, started: Callable[[int | None], None] = lambda pid: None) -> None:
        self.cwd = cwd
        self.started = started  # told each kernel's process id (the run lock notes them)
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
        self.started(getattr(manager.provisioner, "pid", None))
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
    try:
        scratch.parent.mkdir(parents=True, exist_ok=True)
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
        raise StepFailed(_failure(project, step, error, scratch)) from None
    except OSError as error:  # writing the executed notebook: a full disk, say
        msg = (
            f"{step.notebook}: cannot write its executed notebook {project.relative(scratch)}: "
            f"{error.strerror or error}. Expected a writable project folder with space to spare."
        )
        raise OutputError(msg) from None
    return nbformat.read(scratch, as_version=4)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _project_errors() -> set[str]:
    """The names of every exception class the compendium raises on purpose."""
    import importlib
    import pkgutil

    import compendium

    for module in pkgutil.walk_packages(compendium.__path__, "compendium."):
        if not module.name.endswith("__main__") and ".demo" not in module.name:
            importlib.import_module(module.name)
    found, todo = set(), [CompendiumError]
    while todo:
        kind = todo.pop()
        found.add(kind.__name__)
        todo += kind.__subclasses__()
    return found


def _failure(project: Project, step: Step, error: object, scratch: Path) -> str:
    """What the terminal shows of a failed cell: the whole message, then where to look.

    An error the compendium raises on purpose says all there is to say (the file, the row,
    every problem found); any other error is shown with its traceback, ANSI colours removed.
    """
    where = f"{step.notebook}: cell {error.cell_index} (execution count {error.exec_count})"
    message = (error.evalue or "").rstrip()
    if error.ename in _project_errors():
        body = f"{where} raised {error.ename}:\n{message}"
    else:
        trace = _ANSI.sub("", "\n".join(error.traceback or [])).rstrip()
        body = f"{where} raised {error.ename}: {message}\n{trace}"
    return (
        f"{body}\n"
        f"The executed notebook, with every output up to the error, is "
        f"{project.relative(scratch)}"
    )


def run_step(
    project: Project,
    step: Step,
    parameters: dict[str, object],
    kernel: _Kernel,
    *,
    before: dict[str, str] | None = None,
) -> None:
    """Run one step all-or-nothing and save its normalised executed notebook and HTML page."""
    before = _snapshot(project) if before is None else before
    with safekeeping.kept(project, step.name, before):
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
    command: str = "compendium run",
    trust_earlier_outputs: bool = False,
) -> RunResult:
    """Run the pipeline (or part of it); raise on the first failure, naming where.

    ``trust_earlier_outputs`` lets ``only`` run a step on earlier steps' outputs that no run
    here made (a test that writes them by hand); the command line never sets it.
    """
    with safekeeping.RunLock(project, command) as lock:
        undone = safekeeping.recover(project)
        if undone:
            progress(
                f"the last run stopped during {undone} without finishing; every output was "
                "put back as it was before that step started"
            )
        return _run(
            project,
            lock,
            select(only, start),
            force,
            overrides or {},
            allow_mismatch,
            progress,
            trust_earlier_outputs,
        )


def _run(
    project: Project,
    lock: safekeeping.RunLock,
    steps: list[Step],
    force: bool,
    overrides: dict[str, object],
    allow_mismatch: bool,
    progress: Progress,
    trust_earlier_outputs: bool,
) -> RunResult:
    integrity.verify(project.raw)
    parameters = parameters_for(project, steps, overrides)
    state = State(project)
    check_earlier = not trust_earlier_outputs
    if check_earlier:
        refuse_stale_inputs(project, state, steps, steps[0])
    result = RunResult()
    _warm_caches()
    width = max(len(step.name) for step in steps)
    kernels = Kernels(cwd=project.notebooks, started=lock.add_kernel)
    try:
        for index, step in enumerate(steps, start=1):
            label = f"[{index}/{len(steps)}] {step.name:<{width}}"
            # A step's inputs may be an earlier step's outputs: hash them only now.
            if check_earlier:
                refuse_stale_inputs(project, state, steps, step)
            made_of = recipe(project, step, parameters[step.name])
            if not force and state.is_current(project, step, _key(made_of)):
                result.outcomes.append(Outcome(step, ran=False, seconds=0.0))
                progress(f"{label}  up to date, skipped")
                continue
            started = time.perf_counter()
            kernel = kernels.take(prepare_next=index < len(steps))
            try:
                run_step(project, step, parameters[step.name], kernel)
            except BaseException:
                progress(f"{label}  FAILED after {time.perf_counter() - started:.1f} s")
                raise
            seconds = time.perf_counter() - started
            state.record(project, step, made_of)
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
