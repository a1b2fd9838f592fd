"""Benchmark of the export readers on files built from real exports.

Run: ``python benchmarks/readers.py``. It builds, in a temporary folder, a RIS file of
100,000 or more records by repeating the RIS exports of ``../shared/external`` and reads it
with ``compendium.readers.read_records`` and with ``rispy.load`` alone, then reads a file of
20,000 records or more of every other family (and of every CSV layout), built the same way
from that family's exports. Records differ in size between families (a Scopus CSV row with
its cited references is five times a RIS record), so the table gives megabytes per second
beside records per second (target: 20,000 records per second). Beside ours, each family
file is read in the same run by the parser a reader of that family would start from, alone:
:mod:`csv` for the CSV layouts, ElementTree for the XML ones, rispy's ``WokParser`` for Web
of Science (no library parses MEDLINE or Ovid text). That read does only the parser's work
(rows, an element tree, rispy's dictionaries), none of ours: no reader built on that parser
can be faster. It prints a table and asserts nothing: timings depend on the machine.
Without ``../shared/external`` it says so and stops.

Every read runs in a fresh subprocess. Time is the best of ``RUNS`` reads, ours and rispy's
alternating (ours first, then rispy first, ...), so that both meet the same load on a
shared machine; the ratio is of the two best times. Peak memory is the process's high-water
mark (``VmHWM``, resident memory) at the end of the read minus the mark at its start, before
any import: the same interpreter baseline is taken off both readers, so our figure counts
importing pandas, rispy's counts importing rispy.
"""

from __future__ import annotations

import csv
import functools
import itertools
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
elif which == "wok":
    import rispy
    start = time.perf_counter()
    # WokParser's own mapping has no name for tags it does not know (KeyError 'UK')
    mapping = {**rispy.config.WOK_TAG_KEY_MAPPING, "UK": "unknown_tag"}
    n = len(rispy.load(path, encoding="utf-8", implementation=rispy.WokParser, mapping=mapping))
elif which == "csv":
    import csv, io
    start = time.perf_counter()
    text = path.read_bytes().decode("utf-8-sig")
    n = len(list(csv.reader(io.StringIO(text, newline="")))) - 1  # less the header
elif which.startswith("xml:"):
    import xml.etree.ElementTree as ElementTree
    start = time.perf_counter()
    root = ElementTree.parse(path).getroot()
    n = sum(len(root.findall(f".//{name}")) for name in which[4:].split(","))
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


@functools.cache
def _counted() -> tuple[tuple[Path, str, int], ...]:
    """(path, format, records) of every export our reader reads to its MANIFEST count.

    Read once per run: the RIS file and the other families' files are built from it.
    """
    from compendium.readers import read_export

    found = []
    for row in _manifest():
        path = EXTERNAL / row["path"]
        try:
            export = read_export(path)
        except Exception:
            continue
        if len(export.records) == int(row["records"]):
            found.append((path, export.format, len(export.records)))
    return tuple(found)


def _repeat(body: str, per_copy: int, target: int) -> tuple[str, int]:
    copies = -(-target // per_copy)
    return body * copies, per_copy * copies


def _rispy_count(text: str) -> int | None:
    import rispy

    try:
        return len(rispy.loads(text))
    except Exception:
        return None


_STATED_COUNT = re.compile(r"^Record #\d+ of \d+[ \t]*\n", re.MULTILINE)
# An Ovid record header, "<12>" or "<12. >": the file's records are numbered anew, one by
# one, as Ovid numbers the records of one export.
_OVID_NUMBER = re.compile(r"^<\d+((?:\.[ \t]*)?)>", re.MULTILINE)


def _renumbered(text: str) -> str:
    numbers = itertools.count(1)
    return _OVID_NUMBER.sub(lambda m: f"<{next(numbers)}{m.group(1)}>", text)


def build_ris(folder: Path) -> tuple[Path, int, list[str]]:
    """Concatenate the counted RIS exports until there are RIS_TARGET records or more.

    Only exports that rispy alone reads to their count go in, so that both readers read
    the same file; the others are returned by name (the comparison needs rispy to work).
    """
    left_out = []
    parts, count = [], 0
    for path, found, records in _counted():
        if found != "RIS":
            continue
        # A count the export states ("Record #1 of 2") is no longer true of the whole file.
        text = _STATED_COUNT.sub("", _text(path)).strip("\n") + "\n\n"
        if _rispy_count(text) != records or _rispy_count(text + text) is None:
            left_out.append(path.relative_to(EXTERNAL).as_posix())
            continue
        parts.append(text)
        count += records
    body, total = _repeat("".join(parts), count, RIS_TARGET)
    out = folder / "benchmark_ris.ris"
    out.write_text(body, encoding="utf-8")
    return out, total, left_out


# Record elements of the XML families: everything from the first record's opening tag to
# the last one's closing tag is records; what is around them is the file's envelope.
_XML_RECORDS = {
    "PubMed XML": ("PubmedArticle", "PubmedBookArticle"),
    "EndNote XML": ("record",),
}
_OVID_HEADER = re.compile(r"^<\d+>\s*$", re.MULTILINE)


def _by_family() -> dict[str, list[tuple[str, int]]]:
    """Every counted export of each family but RIS, read to its count: {format: [(text, n)]}."""
    families: dict[str, list[tuple[str, int]]] = {}
    for path, found, records in _counted():
        if found != "RIS":
            families.setdefault(found, []).append((_text(path), records))
    return families


def _records_span(text: str, names: tuple[str, ...]) -> tuple[int, int]:
    starts = [text.find(f"<{name}>") for name in names]
    ends = [text.rfind(f"</{name}>") + len(f"</{name}>") for name in names if f"</{name}>" in text]
    return min(i for i in starts if i >= 0), max(ends)


def _join(family: str, texts: list[tuple[str, int]]) -> tuple[str, str, str, int]:
    """(head, records, tail, count): the family's exports as one file's parts."""
    count = sum(n for _, n in texts)
    if family in _XML_RECORDS:
        names = _XML_RECORDS[family]
        spans = [_records_span(t, names) for t, _ in texts]
        body = "\n".join(t[a:b] for (t, _), (a, b) in zip(texts, spans, strict=True))
        (first, _), (a, b) = texts[0], spans[0]
        return first[:a], body + "\n", first[b:], count
    if family.startswith("CSV"):
        # Rows of the exports whose header is the first one's (one layout, one header).
        header = texts[0][0].split("\n", 1)[0]
        same = [(t, n) for t, n in texts if t.split("\n", 1)[0] == header]
        body = "".join(t.split("\n", 1)[1].strip("\n") + "\n" for t, _ in same)
        return header + "\n", body, "", sum(n for _, n in same)
    parts = []
    for number, (text, _) in enumerate(texts):
        if family.startswith("Ovid") and number:
            # Only a file's start may hold Ovid's search-history preamble.
            text = text[_OVID_HEADER.search(text).start() :]
        parts.append(text.strip("\n") + "\n\n")
    return "", "".join(parts), "", count


def build_families(folder: Path) -> dict[str, tuple[Path, int]]:
    """One file of FAMILY_TARGET records or more per other family (and per CSV layout).

    As for RIS, the file repeats every counted export of the family in
    ``../shared/external`` (each CSV layout on its own, since each has its own header),
    so that its records are the family's real records, in their real proportions.
    """
    files: dict[str, tuple[Path, int]] = {}
    for family, texts in sorted(_by_family().items()):
        head, body, tail, count = _join(family, texts)
        text, total = _repeat(body, count, FAMILY_TARGET)
        if family.startswith("Ovid"):
            text = _renumbered(text)
        suffix = (
            ".xml" if family in _XML_RECORDS else ".csv" if family.startswith("CSV") else ".txt"
        )
        path = folder / (re.sub(r"\W+", "_", family).strip("_") + suffix)
        path.write_text(head + text + tail, encoding="utf-8")
        files[family] = (path, total)
    return files


def _library(family: str) -> tuple[str, str] | None:
    """(``_CHILD``'s name, label) of the parser alone a reader of ``family`` starts from."""
    if family.startswith("CSV"):
        return "csv", "csv"
    if family in _XML_RECORDS:
        return "xml:" + ",".join(_XML_RECORDS[family]), "ElementTree"
    return ("wok", "WokParser") if family.startswith("Web of Science") else None


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    return min(runs, key=lambda m: m["seconds"])


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
        ours, alone = _best(runs["ours"]), _best(runs["rispy"])
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
        print(
            f"every other family: {FAMILY_TARGET:,} records or more, best of {RUNS} reads "
            f"(target {FAMILY_TARGET:,} records/s)"
        )
        print(
            "parser alone: the same file read by that parser alone, none of our work "
            "(csv module, ElementTree, rispy's WokParser); ratio = our time / its time"
        )
        print(
            f"{'family':<30}{'records':>8}{'MB':>6}{'KB/rec':>8}{'seconds':>9}"
            f"{'records/s':>11}{'MB/s':>6}{'peak MB':>9}  {'parser alone':<13}"
            f"{'records/s':>10}{'ratio':>7}"
        )
        for name, (path, count) in build_families(folder).items():
            library = _library(name)
            readers = ["ours"] if library is None else ["ours", library[0]]
            runs = {which: [] for which in readers}
            for run in range(RUNS):  # alternating, as for RIS
                for which in readers if run % 2 == 0 else readers[::-1]:
                    runs[which].append(_measure(path, which))
            m = _best(runs["ours"])
            if m["records"] != count:
                print(f"{name}: read {m['records']} records, expected {count}")
            size = path.stat().st_size
            line = (
                f"{name:<30}{m['records']:>8,}{size / 1e6:>6.0f}{size / count / 1e3:>8.1f}"
                f"{m['seconds']:>9.2f}{m['records'] / m['seconds']:>11,.0f}"
                f"{size / 1e6 / m['seconds']:>6.0f}{m['peak'] / 1e6:>9.0f}"
            )
            if library is not None:
                alone, label = _best(runs[library[0]]), library[1]
                if alone["records"] != count:
                    label += f" ({alone['records']:,})"
                rate, ratio = count / alone["seconds"], m["seconds"] / alone["seconds"]
                line += f"  {label:<13}{rate:>10,.0f}{ratio:>7.2f}"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
