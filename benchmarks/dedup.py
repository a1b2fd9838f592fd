"""Benchmark of deduplication against bib-dedupe, leave-one-set-out, and 100,000 records.

Run: ``python benchmarks/dedup.py [--bib-dedupe-python PATH]``. For each labelled set of
``../shared/external`` it runs ``compendium.dedup`` and bib-dedupe (its automatic
``duplicate`` label only) on the same records in the same run, and prints, counted on pairs
of records:

- ``auto``: the share of the labelled duplicate pairs merged automatically, and ``false``,
  the pairs merged that the labels say are two publications;
- ``+asked``: the share merged or put to people (a pair is covered when accepting every
  pair asked about would join it); ``+linked`` also counts the pairs of an erratum,
  comment or reply and its article, which are shown linked, never merged; ``asked``: how
  many pairs are put to people, and how many of those the labels say are duplicates;
- seconds of ``find_duplicates`` (automatic merges), bib-dedupe's, and the ratios: bib-
  dedupe's time over ours, our ``auto`` over bib-dedupe's.

A row below each set checks the targets (no false merge; ``auto`` at least bib-dedupe's;
``+linked`` at least 0.97; ten times bib-dedupe's speed). bib-dedupe is not a project
dependency: it runs in a subprocess with the interpreter of a separate virtualenv, given by
``--bib-dedupe-python`` or ``$BIB_DEDUPE_PYTHON`` (default ``/tmp/bench-venv/bin/python``);
without it those columns say so.

Leave-one-set-out: the rules' title thresholds are fitted on the other labelled sets (each
rule, strongest first, gets the threshold of a grid that merges the most pairs there with
no false merge; of equals the lowest, the highest or the nearest the shipped one, each in
its row) and the set left out is deduplicated with them; the table gives its figures and
the thresholds that differ from the ones the project ships. Then 100,000 records are built
by replicating the real records with realistic perturbations, and one run's time and peak
memory are reported.

Timings exclude imports and file reading for both tools. The script asserts nothing:
timings depend on the machine; the accuracy floors are asserted by ``tests/dedup``.
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
from dataclasses import dataclass, replace
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
    """Our automatic merges (timed), the pairs put to people and the linked items."""
    from compendium.dedup import find_duplicates, linked_items, schema, uncertain_pairs

    start = time.perf_counter()
    duplicates = find_duplicates(records)
    seconds = time.perf_counter() - start
    asked = uncertain_pairs(records)
    linked = linked_items(records)
    return {
        "clusters": sets.clusters_of(duplicates),
        "seconds": seconds,
        "asked": list(zip(asked[schema.RECORD_ID_1], asked[schema.RECORD_ID_2], strict=True)),
        "linked": list(zip(linked[columns.RECORD_ID], linked["article_id"], strict=True)),
    }


def joined_pairs(ids: list[str], clusters: list[list[str]], edges: list) -> set:
    """The pairs of records one cluster would hold with every edge accepted."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for cluster in clusters:
        for other in cluster[1:]:
            parent[find(other)] = find(cluster[0])
    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return sets.pairs_of([g for g in groups.values() if len(g) > 1])


def coverage(records: pd.DataFrame, ours: dict, truth: list[list[str]]) -> dict:
    true_pairs = sets.pairs_of(truth)
    ids = records[columns.RECORD_ID].tolist()
    asked = joined_pairs(ids, ours["clusters"], ours["asked"]) & true_pairs
    linked = joined_pairs(ids, ours["clusters"], ours["asked"] + ours["linked"]) & true_pairs
    cluster_of = {i: k for k, c in enumerate(ours["clusters"]) for i in c}
    members = {k: c for k, c in enumerate(ours["clusters"])}

    def same(a: str, b: str) -> bool:
        left = members.get(cluster_of.get(a, -1), [a])
        right = members.get(cluster_of.get(b, -1), [b])
        return any(tuple(sorted((x, y))) in true_pairs for x in left for y in right)

    return {
        "asked": len(asked) / len(true_pairs),
        "linked": len(linked) / len(true_pairs),
        "asked_true": sum(same(a, b) for a, b in ours["asked"]),
    }


def labelled_sets() -> list[tuple[str, pd.DataFrame, list[list[str]] | None]]:
    found: list[tuple[str, pd.DataFrame, list[list[str]] | None]] = [
        (name, sets.bib_dedupe_records(name), sets.bib_dedupe_truth(name))
        for name in sets.BIB_DEDUPE_SETS
    ]
    found.append(("asysd (unique only)", sets.asysd_records(), None))
    return found


def unique_count(records: pd.DataFrame, clusters: list[list[str]]) -> int:
    return len(records) - sum(len(c) - 1 for c in clusters)


# --- leave-one-set-out ------------------------------------------------------------------------
# Title thresholds tried for each rule, lowest first; above 100 the rule is off.
GRID = (60.0, 70.0, 80.0, 85.0, 90.0, 93.0, 95.0, 97.0, 99.0, 100.5)


@dataclass
class Compared:
    """One labelled set's records compared once, so that rules can be tried cheaply."""

    name: str
    prepared: pd.DataFrame
    rows: list[dict]
    features: list
    truth: set


def compared_set(name: str, records: pd.DataFrame, truth: list[list[str]]) -> Compared:
    from compendium.dedup.match import candidate_pairs, pair_features, prepare

    prepared = prepare(records)
    rows = prepared.to_dict("records")
    features = pair_features(prepared, candidate_pairs(prepared), rows=rows)
    return Compared(name, prepared, rows, features, sets.pairs_of(truth))


def evaluate(data: Compared, rules: tuple) -> dict:
    """Automatic merges and pairs asked with ``rules``, scored against the labels."""
    from compendium.dedup import settle
    from compendium.dedup.match import judge

    analysis = settle(data.prepared, data.rows, judge(data.features, rules), rules)
    ids = data.prepared[columns.RECORD_ID].tolist()
    groups: dict[int, list[str]] = {}
    for rid, label in zip(ids, analysis.clusters.labels(), strict=True):
        groups.setdefault(label, []).append(rid)
    clusters = [sorted(g) for g in groups.values() if len(g) > 1]
    score = sets.score(clusters, [list(p) for p in data.truth])
    uncertain = analysis.uncertain
    edges = [(ids[i], ids[j]) for i, j in zip(uncertain["i"], uncertain["j"], strict=True)]
    covered = joined_pairs(ids, clusters, edges) & data.truth
    score["asked"] = len(covered) / len(data.truth) if data.truth else 1.0
    return score


# How a fit chooses among thresholds that merge as many training pairs with no false merge.
TIES = {
    "lowest": lambda value, shipped: -value,  # the most a threshold can be lowered
    "highest": lambda value, shipped: value,  # the least the training sets need
    "nearest shipped": lambda value, shipped: -abs(value - shipped),
}


def fit_rules(training: list[Compared], ties: str) -> tuple:
    """Each rule's title threshold fitted on ``training``, strongest rule first.

    The threshold of :data:`GRID` (or the shipped one) that merges the most labelled pairs
    with no false merge in any training set; among thresholds that merge as many, the one
    :data:`TIES` names: "lowest" is what a fit without a prior would take, "highest" the
    least the training sets need, "nearest shipped" moves a shipped threshold only as far
    as the training sets give a reason to (a set without DOIs says nothing of the DOI rule).
    """
    from compendium.dedup.match import RULES

    prefer = TIES[ties]
    rules = list(RULES)
    for k, rule in enumerate(rules):
        best: tuple[int, float, float] | None = None  # (pairs found, preference, threshold)
        for value in sorted({*GRID, rule.title}):
            trial = (*rules[:k], replace(rule, title=value), *rules[k + 1 :])
            scores = [evaluate(data, trial) for data in training]
            if any(score["false_merges"] for score in scores):
                continue
            found = sum(score["sensitivity"] * score["true_pairs"] for score in scores)
            candidate = (round(found), prefer(value, rule.title), value)
            if best is None or candidate > best:
                best = candidate
        if best is not None:
            rules[k] = replace(rule, title=best[2])
    return tuple(rules)


def leave_one_set_out(labelled: list[tuple[str, pd.DataFrame, list | None]]) -> None:
    from compendium.dedup.match import RULES

    data = [compared_set(n, r, t) for n, r, t in labelled if t is not None]
    print("\nleave-one-set-out: title thresholds fitted on the other sets, then this one")
    head = ["set left out", "ties", "auto", "false", "+asked", "thresholds fitted (shipped)"]
    widths = [20, 15, 6, 6, 7, 30]
    print(_row(head, widths))
    for held in data:
        for ties in TIES:
            rules = fit_rules([d for d in data if d is not held], ties)
            score = evaluate(held, rules)
            changed = [
                f"{new.name} {new.title:g} ({old.title:g})"
                for new, old in zip(rules, RULES, strict=True)
                if new.title != old.title
            ]
            cells = [held.name, ties, f"{score['sensitivity']:.3f}", str(score["false_merges"])]
            cells += [f"{score['asked']:.3f}", "; ".join(changed) or "as shipped"]
            print(_row(cells, widths))


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


def _moved_pages(pages: str, width: int, by: int) -> str:
    """The pages of another article: every number as long as the first one moved ``by``
    (so that "109A" stays an abstract's page and "1383-92" a range)."""
    return re.sub(r"\d+", lambda n: str(int(n[0]) + by) if len(n[0]) >= width else n[0], pages)


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
            if title.endswith("]"):  # a translated title: the words go inside its brackets
                record[columns.TITLE] = f"{title[:-1]}: {kind} ({copy})]"
            else:
                record[columns.TITLE] = f"{title}: {kind} ({copy})"
            volume = re.sub(
                r"\D", "", "" if pd.isna(record[columns.VOLUME]) else record[columns.VOLUME]
            )
            record[columns.VOLUME] = str(int(volume or 0) + 100 * copy)
            pages = "" if pd.isna(record[columns.PAGES]) else record[columns.PAGES]
            first = re.search(r"\d+", pages)
            if first:  # print pages, an article number ("CD006273") or an abstract's ("109A")
                record[columns.PAGES] = _moved_pages(pages, len(first.group(0)), 1013 * copy)
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


def _targets(mine: dict, cover: dict, theirs: dict | None, ratio: float | None) -> str:
    checks = [("no false merge", mine["false_merges"] == 0)]
    if theirs is not None:
        checks.append(("auto >= bib-dedupe", mine["sensitivity"] >= theirs["sensitivity"]))
    checks.append(("+linked >= 0.97", cover["linked"] >= 0.97))
    if ratio is not None:
        checks.append(("10x faster", ratio >= 10))
    return "  targets: " + ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in checks)


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
    head = ["set", "records", "pairs", "auto", "false", "+asked", "+linked", "asked (true)"]
    head += ["s", "bd auto", "bd false", "bd s", "bd s/ours", "auto/bd"]
    widths = [22, 7, 6, 6, 5, 6, 7, 12, 5, 7, 8, 5, 9, 7]
    print(_row(head, widths))
    labelled = labelled_sets()
    with tempfile.TemporaryDirectory() as folder:
        for name, records, truth in labelled:
            ours = run_ours(records)
            theirs = run_bib_dedupe(python, records, Path(folder)) if version else {}
            cells = [name, str(len(records))]
            mine = cover = score = None
            if truth is not None:
                mine = sets.score(ours["clusters"], truth)
                cover = coverage(records, ours, truth)
                cells += [str(mine["true_pairs"]), f"{mine['sensitivity']:.3f}"]
                cells += [str(mine["false_merges"]), f"{cover['asked']:.3f}"]
                cells += [f"{cover['linked']:.3f}", f"{len(ours['asked'])} ({cover['asked_true']})"]
            else:
                unique = unique_count(records, ours["clusters"])
                cells += [f"{sets.ASYSD_UNIQUE}u", f"{unique}u", "-", "-", "-"]
                cells += [str(len(ours["asked"]))]
            cells.append(f"{ours['seconds']:.2f}")
            ratio = None
            if "clusters" in theirs:
                if truth is not None:
                    score = sets.score(theirs["clusters"], truth)
                    cells += [f"{score['sensitivity']:.3f}", str(score["false_merges"])]
                else:
                    cells += [f"{unique_count(records, theirs['clusters'])}u", "-"]
                ratio = theirs["seconds"] / max(ours["seconds"], 1e-9)
                cells += [f"{theirs['seconds']:.2f}", f"{ratio:.1f}x"]
                if score is not None and score["sensitivity"]:
                    cells.append(f"{mine['sensitivity'] / score['sensitivity']:.3f}")
                else:
                    cells.append("-")
            else:
                cells += ["-", "-", "-", theirs.get("error", "-")[:40], "-"]
            print(_row(cells, widths))
            if truth is not None and version:
                # bib-dedupe on the set's own file, as published (its "number" column as
                # given): the figure the issue's comparison cites
                original = sets.EXTERNAL / "bib-dedupe" / name / "records_pre_merged.csv"
                own = run_bib_dedupe_file(python, original)
                if "clusters" in own:
                    own_score = sets.score(own["clusters"], truth)
                    cells = ["  (bd on its own file)", *[""] * 8]
                    cells += [f"{own_score['sensitivity']:.3f}", str(own_score["false_merges"])]
                    cells += [f"{own['seconds']:.2f}", "", ""]
                    print(_row(cells, widths))
            if mine is not None and mine["true_pairs"] >= 10:
                print(_targets(mine, cover, score, ratio))
        leave_one_set_out(labelled)
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
            f"ours {result['seconds']:.1f} s (target under 60 s), peak memory "
            f"{result['peak'] / 2**30:.2f} GiB (whole process; target under 4 GB), "
            f"sensitivity {score['sensitivity']:.3f}, false merges {score['false_merges']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
