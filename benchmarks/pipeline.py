"""How long the pipeline takes: cold, warm, and against papermill's command line.

    python benchmarks/pipeline.py               # the three timings, side by side
    python benchmarks/pipeline.py --fresh-clone # also: fresh clone -> finished `make reproduce`

Everything runs in temporary copies of this project, in the same session, so the numbers are
comparable. Targets: warm run under 5 s; `compendium run --force` at most 0.6 times running
each notebook with the papermill command line one after another; fresh clone to finished
`make reproduce` under 3 minutes. This script reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

from compendium.steps import STEPS  # noqa: E402


def copy_project(destination: Path) -> Path:
    for relative in ("notebooks", "data/raw"):
        shutil.copytree(ROOT / relative, destination / relative)
    return destination


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def run(root: Path, *extra: str) -> float:
    return timed(
        [str(BIN / "compendium"), "--root", str(root), "run", "--allow-mismatch", *extra], root
    )


def papermill_cli(root: Path) -> float:
    """Each notebook with `papermill IN OUT --cwd notebooks`, one process after another."""
    out = root / "papermill-cli"
    out.mkdir()
    started = time.perf_counter()
    for step in STEPS:
        subprocess.run(
            [
                str(BIN / "papermill"),
                step.notebook,
                str(out / f"{step.name}.ipynb"),
                "--cwd",
                "notebooks",
                "--no-progress-bar",
                "-k",
                "python3",
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def fresh_clone_reproduce(scratch: Path) -> float:
    clone = scratch / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    started = time.perf_counter()
    # `make reproduce` exits 1 while the reproduction check fails; the run itself is timed.
    subprocess.run(["make", "reproduce"], cwd=clone, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh-clone", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compendium-bench-") as scratch:
        scratch = Path(scratch)
        project = copy_project(scratch / "project")
        cold = run(project)
        warm = run(project)
        forced = run(project, "--force")
        cli = papermill_cli(copy_project(scratch / "cli"))
        rows = [
            ("cold full run (compendium run)", cold, ""),
            ("warm run, nothing changed", warm, "target < 5 s"),
            ("compendium run --force", forced, ""),
            ("papermill CLI, notebook after notebook", cli, ""),
        ]
        if args.fresh_clone:
            rows.append(
                ("fresh clone -> make reproduce", fresh_clone_reproduce(scratch), "target < 180 s")
            )
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'seconds':>8}  note")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:8.2f}  {note}")
    print(f"ratio --force / papermill CLI: {forced / cli:.2f} (target 0.6 or less)")


if __name__ == "__main__":
    main()
