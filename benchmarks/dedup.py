"""Benchmark of deduplication against bib-dedupe, and a 100,000-record run.

Run: ``python benchmarks/dedup.py [--bib-dedupe-python PATH]``. For each labelled set of
``../shared/external`` it runs ``compendium.dedup.find_duplicates`` (automatic merges only)
and bib-dedupe (its automatic ``duplicate`` label only), each on the same records (and
bib-dedupe also on the set's own file as published, the figure the targets cite), and
prints records, true duplicate pairs, sensitivity and false merges (counted on pairs of
records), seconds, and bib-dedupe's time over ours. bib-dedupe is not a project dependency:
it runs in a subprocess with the interpreter of a separate virtualenv, given by
``--bib-dedupe-python`` or ``$BIB_DEDUPE_PYTHON`` (default ``/tmp/bench-venv/bin/python``);
without it that column says so. Then it builds 100,000 records by replicating the real
records with realistic perturbations and reports time and peak memory of one run.

Timings exclude imports and file reading for both tools. The script asserts nothing:
timings depend on the machine; the accuracy targets are asserted by ``tests/dedup``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "dedup"))

import dedup_sets as sets  # noqa: E402  (the adapters shared with the external tests)

from compendium import columns  # noqa: E402

DEFAULT_BIB_DEDUPE_PYTHON = "/tmp/bench-venv/bin/python"
SYNTHETIC_RECORDS = 100_000

_BIB_DEDUPE_CHILD = """
import json, sys, time
import pandas as pd
from bib_dedupe.bib_dedupe import block, cluster, match, prep
records = pd.read_csv(sys.argv[1], dtype=str).fillna("")
start = time.perf_counter()
matched = match(block(prep(records, verbosity_level=0), verbosity_level=0), verbosity_level=0)
clusters = cluster(matched, verbosity_level=0)
seconds = time.perf_counter() - start
print(json.dumps({"clusters": clusters, "seconds": seconds}))
"""

_OURS_CHILD = """
import json, resource, sys, time
import pandas as pd
from compendium.dedup import find_duplicates
records = pd.read_pickle(sys.argv[1])
start = time.perf_counter()
duplicates = find_duplicates(records)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
clusters = duplicates.groupby("cluster_id")["record_id"].apply(list)
print(json.dumps({"seconds": seconds, "peak": peak,
                  "clusters": [sorted(c) for c in clusters if len(c) > 1]}))
"""


def bib_dedupe_frame(records: pd.DataFrame) -> pd.DataFrame:
    """Records in bib-dedupe's input columns (authors joined with " and ")."""
    text = records.astype(object).where(records.notna(), "")
    return pd.DataFrame(
        {
            "ID": text[columns.RECORD_ID],
            "ENTRYTYPE": "article",
            "title": text[columns.TITLE],
            "author": text[columns.AUTHORS].str.replace("; ", " and "),
            "year": text[columns.YEAR].astype(str),
            "journal": text[columns.JOURNAL],
            "volume": text[columns.VOLUME],
            "number": text[columns.ISSUE],
            "pages": text[columns.PAGES],
            "doi": text[columns.DOI],
        }
    )


def bib_dedupe_version(python: str) -> str:
    found = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('bib-dedupe'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() if found.returncode == 0 else ""


def run_bib_dedupe(python: str, records: pd.DataFrame, folder: Path) -> dict:
    """bib-dedupe on exactly the records ours gets, in its input columns."""
    path = folder / "bib_dedupe_input.csv"
    bib_dedupe_frame(records).to_csv(path, index=False)
    return run_bib_dedupe_file(python, path)


def run_bib_dedupe_file(python: str, path: Path) -> dict:
    """bib-dedupe on a CSV file in its own input format, untouched."""
    done = subprocess.run(
        [python, "-c", _BIB_DEDUPE_CHILD, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_ours(records: pd.DataFrame) -> dict:
    from compendium.dedup import find_duplicates

    start = time.perf_counter()
    duplicates = find_duplicates(records)
    seconds = time.perf_counter() - start
    return {"clusters": sets.clusters_of(duplicates), "seconds": seconds}


def labelled_sets() -> list[tuple[str, pd.DataFrame, list[list[str]] | None]]:
    found: list[tuple[str, pd.DataFrame, list[list[str]] | None]] = [
        (name, sets.bib_dedupe_records(name), sets.bib_dedupe_truth(name))
        for name in sets.BIB_DEDUPE_SETS
    ]
    found.append(("asysd (unique only)", sets.asysd_records(), None))
    return found


def unique_count(records: pd.DataFrame, clusters: list[list[str]]) -> int:
    return len(records) - sum(len(c) - 1 for c in clusters)


# --- the synthetic run -----------------------------------------------------------------------
_STUDY_KINDS = (
    "a cohort study",
    "a randomised controlled trial",
    "a qualitative study",
    "a cross-sectional survey",
    "a systematic review",
    "results of a pilot study",
    "a mixed-methods evaluation",
    "a case-control study",
)
_LANGUAGES = ("German", "French", "Spanish", "Chinese", "Japanese")


def _abbreviate_journal(name: str) -> str:
    words = [w for w in re.split(r"[\s&,.:]+", name) if w.lower() not in {"of", "the", "and"}]
    return " ".join(w[:4] if len(w) > 5 else w for w in words if w)


def _abbreviate_pages(pages: str) -> str:
    found = re.fullmatch(r"(\d+)-(\d+)", pages)
    if not found or len(found[1]) != len(found[2]):
        return pages
    start, end = found[1], found[2]
    keep = 0
    while keep < len(end) - 1 and start[keep] == end[keep]:
        keep += 1
    return f"{start}-{end[keep:]}"


def _initials(authors: str) -> str:
    out = []
    for author in authors.split("; "):
        family, _, given = author.partition(", ")
        initials = "".join(g[0] for g in given.split() if g)
        out.append(f"{family}, {initials}" if initials else family)
    return "; ".join(out)


def _perturb(record: dict, rng: random.Random) -> dict:
    """A second export of the same publication: what differs between databases."""
    copy = dict(record)
    title = str(copy[columns.TITLE]) if copy[columns.TITLE] is not pd.NA else ""
    change = rng.random()
    if change < 0.25:
        title = title.upper()
    elif change < 0.5:
        title = re.sub(r"[:,.;-]", "", title) + "."
    elif change < 0.65:
        title = f"[{title}]"
    elif change < 0.8:
        title = f"{title} [Article in {rng.choice(_LANGUAGES)}]"
    copy[columns.TITLE] = title or pd.NA
    if copy[columns.PAGES] is not pd.NA and rng.random() < 0.5:
        copy[columns.PAGES] = _abbreviate_pages(str(copy[columns.PAGES]))
    if copy[columns.JOURNAL] is not pd.NA and rng.random() < 0.5:
        copy[columns.JOURNAL] = _abbreviate_journal(str(copy[columns.JOURNAL]))
    if copy[columns.AUTHORS] is not pd.NA and rng.random() < 0.5:
        copy[columns.AUTHORS] = _initials(str(copy[columns.AUTHORS]))
    if rng.random() < 0.4:
        copy[columns.DOI] = pd.NA
    if rng.random() < 0.2:
        copy[columns.ABSTRACT] = pd.NA
    return copy


def synthetic_records(target: int = SYNTHETIC_RECORDS, *, seed: int = 2023) -> tuple:
    """About ``target`` records from the real sets: each real unique record is copied as a
    distinct publication (another study kind in the title, another volume, pages and DOI),
    and a quarter of all publications get a perturbed second export. Returns the records
    and the true duplicate clusters."""
    rng = random.Random(seed)
    unique = []
    for name, records, truth in labelled_sets():
        if truth is None:  # ASySD flags one record per publication "unique"
            flags = pd.read_csv(
                sets.EXTERNAL / "asysd" / "labelled_test_set.csv", encoding="cp1252", dtype=str
            )["source"]
            unique.append(records[(flags == "unique").to_numpy()])
        else:
            later = {i for ids in truth for i in sorted(ids)[1:]}
            unique.append(records[~records[columns.RECORD_ID].isin(later)])
        del name
    base = pd.concat(unique, ignore_index=True)
    # Publications, not records: one record per DOI and per title, whatever the labels say.
    base = base[~base[columns.DOI].duplicated() | base[columns.DOI].isna()]
    base = base.drop_duplicates(columns.TITLE).reset_index(drop=True)
    rows = base.astype(object).where(base.notna(), pd.NA).to_dict("records")
    publications = int(target / 1.25)
    out: list[dict] = []
    truth: list[list[str]] = []
    for n in range(publications):
        record = dict(rows[n % len(rows)])
        copy = n // len(rows)
        if copy:
            title = "" if pd.isna(record[columns.TITLE]) else str(record[columns.TITLE])
            kind = _STUDY_KINDS[(copy - 1) % len(_STUDY_KINDS)]
            record[columns.TITLE] = f"{title}: {kind} ({copy})"
            volume = re.sub(
                r"\D", "", "" if pd.isna(record[columns.VOLUME]) else record[columns.VOLUME]
            )
            record[columns.VOLUME] = str(int(volume or 0) + 100 * copy)
            first = re.match(
                r"\d+", "" if pd.isna(record[columns.PAGES]) else record[columns.PAGES]
            )
            if first:
                start = int(first.group(0)) + 1000 * copy
                record[columns.PAGES] = f"{start}-{start + 9}"
            if not pd.isna(record[columns.DOI]):
                record[columns.DOI] = f"{record[columns.DOI]}.{copy}"
        record[columns.RECORD_ID] = f"synthetic:{len(out):06d}"
        out.append(record)
        if rng.random() < 0.25:
            twin = _perturb(record, rng)
            twin[columns.RECORD_ID] = f"synthetic:{len(out):06d}"
            out.append(twin)
            truth.append([record[columns.RECORD_ID], twin[columns.RECORD_ID]])
    rng.shuffle(out)
    frame = pd.DataFrame(out, columns=list(columns.RECORD_COLUMNS))
    frame[columns.YEAR] = frame[columns.YEAR].astype("Int64")
    return frame, truth


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bib-dedupe-python",
        default=os.environ.get("BIB_DEDUPE_PYTHON", DEFAULT_BIB_DEDUPE_PYTHON),
        help="interpreter of a virtualenv with bib-dedupe installed",
    )
    parser.add_argument("--records", type=int, default=SYNTHETIC_RECORDS)
    args = parser.parse_args(argv)
    if not sets.EXTERNAL.is_dir():
        print(f"{sets.EXTERNAL} not found: the labelled sets are needed for this benchmark.")
        return 0
    python = args.bib_dedupe_python
    version = bib_dedupe_version(python) if Path(python).exists() else ""
    if version:
        print(f"bib-dedupe {version} ({python})")
    else:
        print(f"bib-dedupe not found at {python}: its columns are left empty")
    head = ["set", "records", "true pairs", "ours sens", "ours false", "ours s"]
    head += ["bd sens", "bd false", "bd s", "bd s / ours s"]
    widths = [22, 7, 10, 9, 10, 7, 7, 8, 7, 13]
    print(_row(head, widths))
    with tempfile.TemporaryDirectory() as folder:
        for name, records, truth in labelled_sets():
            ours = run_ours(records)
            theirs = run_bib_dedupe(python, records, Path(folder)) if version else {}
            cells = [name, str(len(records))]
            if truth is not None:
                mine = sets.score(ours["clusters"], truth)
                cells += [str(mine["true_pairs"]), f"{mine['sensitivity']:.3f}"]
                cells += [str(mine["false_merges"]), f"{ours['seconds']:.2f}"]
            else:
                unique = unique_count(records, ours["clusters"])
                cells += [f"{sets.ASYSD_UNIQUE} uniq", f"{unique} uniq", "-"]
                cells += [f"{ours['seconds']:.2f}"]
            if "clusters" in theirs:
                if truth is not None:
                    score = sets.score(theirs["clusters"], truth)
                    cells += [f"{score['sensitivity']:.3f}", str(score["false_merges"])]
                else:
                    cells += [f"{unique_count(records, theirs['clusters'])} uniq", "-"]
                ratio = theirs["seconds"] / max(ours["seconds"], 1e-9)
                cells += [f"{theirs['seconds']:.2f}", f"{ratio:.1f}x"]
            else:
                cells += ["-", "-", "-", theirs.get("error", "-")[:40]]
            print(_row(cells, widths))
            if truth is not None and version:
                # bib-dedupe on the set's own file, as published (its "number" column as
                # given): the figure the sensitivity targets were set against
                original = sets.EXTERNAL / "bib-dedupe" / name / "records_pre_merged.csv"
                own = run_bib_dedupe_file(python, original)
                if "clusters" in own:
                    score = sets.score(own["clusters"], truth)
                    cells = ["  (bd on its own file)", "", "", "", "", ""]
                    cells += [f"{score['sensitivity']:.3f}", str(score["false_merges"])]
                    cells += [f"{own['seconds']:.2f}", ""]
                    print(_row(cells, widths))
        records, truth = synthetic_records(args.records)
        path = Path(folder) / "synthetic.pkl"
        records.to_pickle(path)
        done = subprocess.run(
            [sys.executable, "-c", _OURS_CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        score = sets.score(result["clusters"], truth)
        print(
            f"\nsynthetic: {len(records):,} records, {score['true_pairs']:,} planted pairs; "
            f"ours {result['seconds']:.1f} s, peak memory {result['peak'] / 2**30:.2f} GiB "
            f"(whole process), sensitivity {score['sensitivity']:.3f}, "
            f"false merges {score['false_merges']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
