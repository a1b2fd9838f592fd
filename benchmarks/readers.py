"""Benchmark of the export readers on files built from real exports.

Run: ``python benchmarks/readers.py``. It builds, in a temporary folder, a RIS file of
100,000 or more records by repeating the RIS exports of ``../shared/external`` and reads it
with ``compendium.readers.read_records`` and with ``rispy.load`` alone, then reads a file of
about 20,000 records of every other family. It prints a table and asserts nothing: timings
depend on the machine. Without ``../shared/external`` it says so and stops.

Every read runs in a fresh subprocess. Time is the best of ``RUNS`` reads, ours and rispy's
alternating (ours first, then rispy first, ...), so that both meet the same load on a
shared machine; the ratio is of the two best times. Peak memory is the process's high-water
mark (``VmHWM``, resident memory) at the end of the read minus the mark at its start, before
any import: the same interpreter baseline is taken off both readers, so our figure counts
importing pandas, rispy's counts importing rispy.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = ROOT / ".." / "shared" / "external"
RIS_TARGET = 100_000
FAMILY_TARGET = 20_000
RUNS = 3  # reads of the RIS file by each reader; the best time counts

_CHILD = """
import json, sys, time
from pathlib import Path


def high_water():
    # VmHWM is this process's own high-water mark (ru_maxrss would include the parent's
    # memory at fork time)
    status = Path("/proc/self/status").read_text()
    return int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1]) * 1024


baseline = high_water()
path, which = Path(sys.argv[1]), sys.argv[2]
if which == "rispy":
    import rispy
    start = time.perf_counter()
    n = len(rispy.load(path, encoding="utf-8"))
else:
    from compendium.readers import read_records
    start = time.perf_counter()
    n = len(read_records(path))
seconds = time.perf_counter() - start
print(json.dumps({"records": n, "seconds": seconds, "peak": high_water() - baseline}))
"""


def _text(path: Path) -> str:
    from compendium.readers.encoding import decode

    return decode(path.read_bytes(), path=path).text


def _manifest() -> list[dict[str, str]]:
    with (EXTERNAL / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["role"] == "export" and r["records"]]


def _repeat(body: str, per_copy: int, target: int) -> tuple[str, int]:
    copies = -(-target // per_copy)
    return body * copies, per_copy * copies


def _rispy_count(text: str) -> int | None:
    import rispy

    try:
        return len(rispy.loads(text))
    except Exception:
        return None


def build_ris(folder: Path) -> tuple[Path, int, list[str]]:
    """Concatenate the counted RIS exports until there are RIS_TARGET records or more.

    Only exports that rispy alone reads to their count go in, so that both readers read
    the same file; the others are returned by name (the comparison needs rispy to work).
    """
    from compendium.readers import read_export

    left_out = []
    parts, count = [], 0
    for row in _manifest():
        path = EXTERNAL / row["path"]
        try:
            export = read_export(path)
        except Exception:
            continue
        if export.format != "RIS" or len(export.records) != int(row["records"]):
            continue
        text = _text(path).strip("\n") + "\n\n"
        if _rispy_count(text) != len(export.records) or _rispy_count(text + text) is None:
            left_out.append(row["path"])
            continue
        parts.append(text)
        count += len(export.records)
    body, total = _repeat("".join(parts), count, RIS_TARGET)
    out = folder / "benchmark_ris.ris"
    out.write_text(body, encoding="utf-8")
    return out, total, left_out


def build_families(folder: Path) -> dict[str, tuple[Path, int]]:
    """One file of about FAMILY_TARGET records per other family, from real exports."""
    files: dict[str, tuple[Path, int]] = {}

    def plain(name: str, sources: list[tuple[str, int]], suffix: str) -> None:
        body = "".join(_text(EXTERNAL / s).strip("\n") + "\n\n" for s, _ in sources)
        text, total = _repeat(body, sum(n for _, n in sources), FAMILY_TARGET)
        path = folder / f"{name}{suffix}"
        path.write_text(text, encoding="utf-8")
        files[name] = (path, total)

    plain("MEDLINE (.nbib)", [("nbib/pubmed-balloongui-set.nbib", 75)], ".nbib")
    plain("Web of Science plain text", [("synthesisr/zoorec.txt", 134)], ".txt")
    plain(
        "Ovid field-labelled text",
        [(f"jabref/OvidImporterTest{i}.txt", 1) for i in (3, 4, 5, 6, 7)],
        ".txt",
    )
    for name, source, count in [
        ("CSV (Scopus)", "bibliometrix/scopus_sample.csv", 8),
        ("CSV (Lens.org)", "bibliometrix/lens_sample.csv", 8),
    ]:
        header, _, rows = _text(EXTERNAL / source).partition("\n")
        text, total = _repeat(rows.strip("\n") + "\n", count, FAMILY_TARGET)
        path = folder / (re.sub(r"\W+", "_", name) + ".csv")
        path.write_text(header + "\n" + text, encoding="utf-8")
        files[name] = (path, total)
    xml = _text(EXTERNAL / "bib-dedupe/respiratory/Respiratory.xml")
    start, end = xml.index("<record>"), xml.rindex("</record>") + len("</record>")
    text, total = _repeat(xml[start:end], 1988, FAMILY_TARGET)
    path = folder / "endnote.xml"
    path.write_text(xml[:start] + text + xml[end:], encoding="utf-8")
    files["EndNote XML"] = (path, total)
    xml = _text(EXTERNAL / "asreview/pubmed.xml")
    start = xml.index("<PubmedArticle>")
    end = xml.rindex("</PubmedArticle>") + len("</PubmedArticle>")
    text, total = _repeat(xml[start:end] + "\n", 10, FAMILY_TARGET // 4)
    path = folder / "pubmed.xml"
    path.write_text(xml[:start] + text + xml[end:], encoding="utf-8")
    files["PubMed XML"] = (path, total)
    return files


def _measure(path: Path, which: str) -> dict[str, float]:
    env_path = str(ROOT / "src")
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), which],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": ""},
    )
    return json.loads(result.stdout)


def main() -> int:
    if not (EXTERNAL / "MANIFEST.csv").exists():
        print(f"skipped: public test data not found at {EXTERNAL.resolve()}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ris, expected, left_out = build_ris(folder)
        runs: dict[str, list[dict[str, float]]] = {"ours": [], "rispy": []}
        for run in range(RUNS):
            for which in ("ours", "rispy") if run % 2 == 0 else ("rispy", "ours"):
                runs[which].append(_measure(ris, which))
        ours = min(runs["ours"], key=lambda m: m["seconds"])
        alone = min(runs["rispy"], key=lambda m: m["seconds"])
        each = zip(runs["ours"], runs["rispy"], strict=True)
        pairs = [o["seconds"] / r["seconds"] for o, r in each]
        size = ris.stat().st_size / 1e6
        print(f"RIS benchmark file: {expected:,} records ({size:.0f} MB), built from real exports")
        print(f"left out (rispy alone miscounts or fails on them): {', '.join(left_out)}")
        print(f"best of {RUNS} alternating runs each; peak MB = VmHWM above interpreter start")
        print(f"{'reader':<22}{'records':>10}{'seconds':>10}{'records/s':>12}{'peak MB':>10}")
        for name, m in (("compendium.readers", ours), ("rispy.load alone", alone)):
            rate = m["records"] / m["seconds"]
            peak = m["peak"] / 1e6
            print(f"{name:<22}{m['records']:>10,}{m['seconds']:>10.2f}{rate:>12,.0f}{peak:>10.0f}")
        print(f"ratio ours / rispy: {ours['seconds'] / alone['seconds']:.2f} (target <= 1.5)")
        print(f"ratio of each run's pair: {', '.join(f'{r:.2f}' for r in pairs)}")
        print(f"peak memory ours: {ours['peak'] / 1e6:.0f} MB (target < 1000 MB)")
        print()
        print(f"{'family':<28}{'records':>10}{'seconds':>10}{'records/s':>12}{'peak MB':>10}")
        for name, (path, count) in build_families(folder).items():
            m = _measure(path, "ours")
            if m["records"] != count:
                print(f"{name}: read {m['records']} records, expected {count}")
            rate = m["records"] / m["seconds"]
            row = f"{name:<28}{m['records']:>10,}{m['seconds']:>10.2f}{rate:>12,.0f}"
            print(f"{row}{m['peak'] / 1e6:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
