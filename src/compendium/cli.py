"""The ``compendium`` command (also ``python -m compendium``).

compendium run [-p NAME VALUE]... [--only STEP ... | --from STEP] [--force] [--allow-mismatch]
compendium steps
compendium read FILE... [--database NAME]
compendium checksums [--update]
compendium demo-data
compendium dedup-sheet
compendium export-records FILE
compendium import-decisions STAGE FILE... [--tool NAME] [--reviewer NAME] [--replace]
                                          [--reason CODE] [--reason-mapping FILE]
                                          [--tool-stage NAME] [--covidence-list LIST]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from compendium import demo, integrity, notebooks, safekeeping
from compendium.errors import CompendiumError
from compendium.paths import Project
from compendium.screening_tools import TOOLS
from compendium.steps import STEPS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compendium",
        description="Reproduce the analysis of Kotera et al. (2023) from data/raw.",
    )
    parser.add_argument(
        "--root",
        default=None,
        help="project folder (default: the one holding the current folder, as git finds it)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the pipeline's notebooks in order")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="override a notebook parameter (every step that declares NAME gets it)",
    )
    part = run.add_mutually_exclusive_group()
    part.add_argument("--only", nargs="+", metavar="STEP", help="run only these steps")
    part.add_argument("--from", dest="start", metavar="STEP", help="run this step and the rest")
    run.add_argument("--force", action="store_true", help="rerun steps even if up to date")
    run.add_argument(
        "--allow-mismatch",
        action="store_true",
        help="finish even when a reported number differs from the data or was not computed",
    )

    commands.add_parser("steps", help="list the steps, their inputs, outputs and parameters")

    read = commands.add_parser(
        "read", help="read database exports: the format, encoding and records of each file"
    )
    read.add_argument("files", nargs="+", metavar="FILE", help="an export, in any format read")
    read.add_argument(
        "--database",
        default=None,
        help="the database the records come from, if the files do not say",
    )

    new = commands.add_parser(
        "new-review",
        help="make a folder for another review's files: the notebooks, and a data/raw to fill "
        "in (protocol.yaml, DATASET.yaml, searches/, screening/)",
    )
    new.add_argument("folder", metavar="FOLDER", help="a new or empty folder")
    new.add_argument("--title", default="A systematic review's own files", help="its title")

    sums = commands.add_parser("checksums", help="verify data/raw against data/raw/SHA256SUMS")
    sums.add_argument("--update", action="store_true", help="record a deliberate change")

    commands.add_parser(
        "demo-data", help="regenerate the demonstration dataset in data/raw (byte-identical)"
    )
    commands.add_parser(
        "dedup-sheet",
        help="add the uncertain duplicate pairs nobody has decided yet to "
        "data/raw/dedup/decisions.csv, for people to fill in",
    )
    export = commands.add_parser(
        "export-records",
        help="write the deduplicated records for a screening tool (.ris or .csv), each "
        "marked with its record_id so that the tool's decisions come back matched exactly",
    )
    export.add_argument("file", metavar="FILE", help="where to write: a .ris or .csv file")

    imports = commands.add_parser(
        "import-decisions",
        help="write a stage's screening sheet in data/raw/screening from a screening tool's "
        "export, or from a stage export (the records the stage kept)",
    )
    imports.add_argument("stage", choices=["title-abstract", "full-text"], metavar="STAGE",
                         help="title-abstract or full-text")  # fmt: skip
    imports.add_argument("files", nargs="+", metavar="FILE", help="the export's files")
    imports.add_argument(
        "--tool",
        choices=[*TOOLS, "stage-export"],
        default=None,
        help="the tool, when the files' content does not say (stage-export: the records a "
        "stage kept, in any format `compendium read` reads)",
    )
    imports.add_argument(
        "--reviewer", default=None, help="who decided, for files that name no reviewer"
    )
    imports.add_argument(
        "--replace",
        action="store_true",
        help="write over a sheet a person made, keeping it beside the new one as "
        "<sheet>.replaced-<date>",
    )
    imports.add_argument(
        "--reason",
        default=None,
        metavar="CODE",
        help="full text: the reason code of exclusions whose file gives no reason",
    )
    imports.add_argument(
        "--reason-mapping",
        default=None,
        metavar="FILE",
        help="the tool's reason texts and their codes (default "
        "data/raw/screening/reason_mapping.csv)",
    )
    imports.add_argument(
        "--tool-stage",
        default=None,
        metavar="NAME",
        help="the tool's stage to take, when the export has votes at several (Rayyan)",
    )
    imports.add_argument(
        "--covidence-list",
        choices=["included", "irrelevant", "excluded"],
        default=None,
        help="the Covidence list the files are, when not named as Covidence names them",
    )
    return parser


def _run(project: Project, args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    from compendium import pipeline  # papermill is slow to import; only `run` needs it

    # each value as text: the run reads it as its parameter's type (a text parameter keeps 3.6)
    overrides = dict(args.parameter)
    started = time.perf_counter()
    print(f"project: {project.root}")
    result = pipeline.run(
        project,
        only=args.only or (),
        start=args.start,
        force=args.force,
        overrides=overrides,
        allow_mismatch=args.allow_mismatch,
        progress=lambda line: print(line, flush=True),
        command=" ".join(["compendium", *(argv or [])]),
    )
    report = project.relative(project.report / "index.html")
    print(f"done in {time.perf_counter() - started:.1f} s; report: {report}")
    if result.check_summary:
        print(f"reproduction check: {result.check_summary}")
    return 0


def _steps(project: Project) -> int:
    for step in STEPS:
        params = notebooks.parameters(project.root / step.notebook)
        print(f"{step.name}  ({step.method})")
        print(f"  reads:      {', '.join(step.inputs)}")
        print(f"  writes:     {', '.join(step.outputs)}")
        shown = [
            f"{name}={value!r}" + (f" ({step.limits[name]})" if name in step.limits else "")
            for name, value in params.items()
        ]
        print(f"  parameters: {', '.join(shown) or '(none)'}")
    return 0


def _read(files: Sequence[str], database: str | None) -> int:
    """Read each export as step 01 would, and say what was found or why it cannot be read."""
    from compendium import columns as col
    from compendium.readers import read_export

    failed = 0
    for name in files:
        print(name)
        try:
            export = read_export(name, database=database)
        except (CompendiumError, OSError) as error:
            print(f"  error: {error}", file=sys.stderr)
            failed += 1
            continue
        bom = "with" if export.bom else "no"
        print(
            f"  format: {export.format}; encoding: {export.encoding} ({bom} byte-order mark); "
            f"line endings: {export.line_endings}"
        )
        counts = export.records[col.DATABASE].fillna("(not named)").value_counts()
        named = ", ".join(f"{db} {n}" for db, n in sorted(counts.items()))
        print(f"  records: {len(export.records)}" + (f" ({named})" if named else ""))
    return 1 if failed else 0


def _checksums(project: Project, update: bool) -> int:
    if update:
        changes = integrity.update(project.raw)
        for change in changes:
            print(f"data/raw/{change}")
        print(f"recorded {len(integrity.raw_files(project.raw))} files in data/raw/SHA256SUMS")
        return 0
    integrity.verify(project.raw)
    print(f"data/raw matches SHA256SUMS ({len(integrity.raw_files(project.raw))} files)")
    return 0


def _demo_data(project: Project) -> int:
    written = demo.generate(project)
    integrity.update(project.raw)
    print(f"wrote {len(written)} files of demonstration data; data/raw/SHA256SUMS updated")
    return 0


def _dedup_sheet(project: Project) -> int:
    import pandas as pd

    from compendium import dedup, tables

    if not tables.RECORDS.path(project).exists():
        msg = f"{tables.RECORDS.relative} not found: run `compendium run --only 01`"
        raise CompendiumError(msg)
    read = tables.read(project, tables.RECORDS)
    path = dedup.decisions_sheet(project)
    decisions = dedup.project_decisions(project)
    try:
        dedup.find_duplicates(read, decisions=decisions)
    except dedup.PendingDecisions as pending:
        before = len(pd.read_csv(path, dtype=str)) if path.exists() else 0
        dedup.add_pending_to_sheet(pending.pairs, path)
        added = len(pd.read_csv(path, dtype=str)) - before
        print(
            f"added {added} undecided pair(s) to {project.relative(path)}; "
            f"{len(pending.pairs)} in all wait for a decision: fill in each row's decision "
            "(duplicate / not duplicate) and reviewer, then run "
            "`compendium checksums --update` and `compendium run`"
        )
        return 0
    print("every uncertain duplicate pair has a decision")
    return 0


def _export_records(project: Project, file: str) -> int:
    from compendium import decisions

    path, count = decisions.export_records(project, file)
    print(
        f"wrote {count} records to {path}, each marked with its record_id; import it into "
        "the screening tool, and bring the decisions back with `compendium import-decisions`"
    )
    return 0


def _import_decisions(project: Project, args: argparse.Namespace) -> int:
    from compendium import decisions

    imported, kept_aside = decisions.import_into_project(
        project,
        args.files,
        stage=args.stage,
        tool=decisions.STAGE_EXPORT if args.tool == "stage-export" else args.tool,
        reviewer=args.reviewer,
        replace=args.replace,
        reason=args.reason,
        reason_mapping=args.reason_mapping,
        tool_stage=args.tool_stage,
        covidence_list=args.covidence_list,
    )
    print(decisions.on_screen(imported), end="")
    for line in kept_aside:
        print(f"replaced: {line}")
    report = decisions.report_path(project.screening, decisions.STAGES[args.stage])
    print(f"report: {project.relative(report)}")
    return 0


def _new_review(folder: str, title: str) -> int:
    from compendium import new_review

    made = new_review.create(folder, title=title)
    print(
        f"made {folder}: the {sum(p.suffix == '.ipynb' for p in made)} notebooks, and in data/raw:"
    )
    for path in made:
        if path.suffix != ".ipynb":
            print(f"  {path.relative_to(folder)}")
    print(
        "Next: put the database exports in data/raw/searches/, describe the review in "
        "data/raw/protocol.yaml, then, in that folder, `compendium checksums --update` and "
        "`compendium run --only 01 02` (the README: 'Bringing your own review's files')."
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args(argv)
    try:
        if args.command == "read":
            return _read(args.files, args.database)
        if args.command == "new-review":
            return _new_review(args.folder, args.title)
        project = Project(args.root) if args.root else Project.find()
        if args.command == "run":
            return _run(project, args, argv)
        if args.command == "steps":
            return _steps(project)
        if args.command == "checksums" and not args.update:
            return _checksums(project, update=False)
        # the commands that write data/raw: one at a time, and never during a run
        with safekeeping.RunLock(project, " ".join(["compendium", *argv])):
            if args.command == "checksums":
                return _checksums(project, update=True)
            if args.command == "dedup-sheet":
                return _dedup_sheet(project)
            if args.command == "export-records":
                return _export_records(project, args.file)
            if args.command == "import-decisions":
                return _import_decisions(project, args)
            return _demo_data(project)
    except CompendiumError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "stopped: interrupted; the step that was running left every output as it was",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
