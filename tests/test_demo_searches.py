"""The demonstration search exports: the study's counts, Ovid's layouts, and what is planted.

The exports are read here with small parsers of their own (the project's readers have a test
of their own at the end), and compared with the generator's truth: which records are copies of
one publication, how each copy was varied, and which publications are traps.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz, utils

from compendium import numbers
from compendium.demo import Context, searches
from compendium.paths import ROOT

REPORTED = ROOT / "data/raw/reported_numbers.yaml"
MEDLINE = searches.MEDLINE_FILE
PSYCINFO = searches.PSYCINFO_FILE
KINDS_OF_VARIATION = set(searches.VARIATIONS) | set(searches.HARD_VARIATIONS)


def build() -> Context:
    reported = {key: entry.value for key, entry in numbers.load_reported(REPORTED).items()}
    context = Context(reported=reported)
    searches.generate(context)
    return context


@pytest.fixture(scope="module")
def context() -> Context:
    return build()


def ris_records(text: str) -> list[dict[str, list[str]]]:
    """Tag -> values for each record of an RIS text (``TY`` to ``ER``)."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in text.split("\n"):
        match = re.match(r"^([A-Z][A-Z0-9])  -(?: (.*))?$", line)
        if match is None:
            continue
        tag, value = match.group(1), match.group(2) or ""
        if tag == "TY":
            current = {}
            records.append(current)
        elif tag == "ER":
            current = None
        if current is not None:
            current.setdefault(tag, []).append(value)
    return records


def labelled_records(text: str) -> list[dict[str, str]]:
    """Label -> value for each ``<n>`` record of an Ovid field-labelled text."""
    records: list[dict[str, str]] = []
    label = None
    for line in text.split("\n"):
        if re.fullmatch(r"<\d+>", line):
            records.append({})
            label = None
        elif not records or not line.strip():
            continue
        elif line.startswith(" "):
            value = records[-1].get(label, "")
            records[-1][label] = f"{value}\n{line.strip()}" if value else line.strip()
        else:
            label = line
    return records


def views(context: Context) -> dict[tuple[str, int], dict[str, object]]:
    """What a reader sees of each record, keyed by (file name, record number)."""
    out: dict[tuple[str, int], dict[str, object]] = {}
    for number, tags in enumerate(ris_records(context.files[MEDLINE]), 1):
        first, last = tags.get("SP", [""])[0], tags.get("EP", [""])[0]
        out[(Path(MEDLINE).name, number)] = {
            "title": tags["T1"][0],
            "authors": tags["A1"],
            "journal": tags.get("JF", [""])[0],
            "volume": tags.get("VL", [""])[0],
            "issue": tags.get("IS", [""])[0],
            "first page": first,
            "pages": f"{first}-{last}" if last else first,
            "doi": tags.get("DO", [""])[0],
            "year": int(tags["Y1"][0][:4]),
            "note": tags.get("N1", []),
            "accession": tags["AN"][0],
        }
    for number, fields in enumerate(labelled_records(context.files[PSYCINFO]), 1):
        out[(Path(PSYCINFO).name, number)] = {
            "title": fields["Title"],
            "authors": fields["Author"].split("; "),
            "journal": fields["Journal Name"],
            "volume": fields.get("Volume", ""),
            "issue": fields.get("Issue", ""),
            "first page": fields.get("Page", "").split("-")[0],
            "pages": fields.get("Page", ""),
            "doi": fields.get("Digital Object Identifier", ""),
            "year": int(fields["Year of Publication"]),
            "note": [fields.get("Comments", "")],
            "accession": fields["Accession Number"],
        }
    return out


@pytest.fixture(scope="module")
def seen(context: Context) -> dict[tuple[str, int], dict[str, object]]:
    return views(context)


@pytest.fixture(scope="module")
def truth(context: Context) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(context.truth[searches.TRUTH_FILE])))


def reference(row: dict[str, str], truth: list[dict[str, str]]) -> dict[str, str]:
    """The record a duplicate copies: its publication's first copy, the one kept."""
    return next(r for r in truth if r["publication"] == row["publication"] and r["role"] == "first")


def key(row: dict[str, str]) -> tuple[str, int]:
    return row["source_file"], int(row["record_number"])


# --- counts and layout ------------------------------------------------------------------------


def test_the_exports_hold_the_reported_numbers_of_records(context):
    medline, psycinfo = context.files[MEDLINE], context.files[PSYCINFO]
    assert len(re.findall(r"^TY  - JOUR$", medline, re.MULTILINE)) == 222
    assert len(re.findall(r"^ER  -$", medline, re.MULTILINE)) == 222
    assert len(re.findall(r"^<\d+>$", psycinfo, re.MULTILINE)) == 310


def test_records_are_numbered_as_ovid_numbers_them(context):
    numbering = re.findall(r"^(\d+)\.\nTY  - JOUR$", context.files[MEDLINE], re.MULTILINE)
    assert [int(n) for n in numbering] == list(range(1, 223))
    headers = re.findall(r"^<(\d+)>$", context.files[PSYCINFO], re.MULTILINE)
    assert [int(n) for n in headers] == list(range(1, 311))


def test_the_exports_are_utf8_with_unix_line_endings(context):
    for text in (context.files[MEDLINE], context.files[PSYCINFO]):
        assert "\r" not in text and text.endswith("\n")
        assert text.encode("utf-8").decode("utf-8") == text
    assert re.search(r"[^\x00-\x7f]", context.files[MEDLINE]), "no accented names at all"


def test_the_psycinfo_export_opens_with_ovids_search_history(context):
    head = context.files[PSYCINFO].split("\n<1>\n")[0]
    assert head.startswith("Database: APA PsycInfo <1806 to August Week 1 2022>\n")
    assert "Search Strategy:" in head and "Demonstration data" in head


def test_every_record_is_marked_as_demonstration_data(seen):
    assert len(seen) == 532
    for where, record in seen.items():
        assert record["note"] == [searches.NOTE], where


def test_every_record_names_its_database(context):
    assert context.files[MEDLINE].count("\nDB  - Ovid MEDLINE(R) <1946 to") == 222
    database = "\nDatabase\n  APA PsycInfo <1806 to August Week 1 2022>\n"
    assert context.files[PSYCINFO].count(database) == 310


def test_every_doi_uses_the_crossref_test_prefix(seen):
    dois = [r["doi"] for r in seen.values() if r["doi"]]
    assert dois and all(d.startswith("https://dx.doi.org/10.5555/") for d in dois)


def test_accession_numbers_have_their_databases_shapes_and_are_unique(seen):
    accessions = [r["accession"] for r in seen.values()]
    assert len(set(accessions)) == len(accessions)
    for (name, _), record in seen.items():
        pattern = r"\d{8}" if name.endswith(".ris") else r"(199[5-9]|20[0-2]\d)-\d{5}-\d{3}"
        assert re.fullmatch(pattern, record["accession"]), record["accession"]


def test_years_lie_in_the_search_window(seen):
    assert {r["year"] for r in seen.values()} <= set(range(1995, 2023))


# --- the truth ----------------------------------------------------------------------------


def test_the_truth_has_431_publications_and_101_duplicates(truth):
    assert len(truth) == 532
    assert len({r["publication"] for r in truth}) == 431
    assert sum(r["role"] == "duplicate" for r in truth) == 101
    assert Counter(r["role"] for r in truth) == {"first": 431, "duplicate": 101}
    firsts = Counter(r["publication"] for r in truth if r["role"] == "first")
    assert set(firsts.values()) == {1}


def test_the_truth_is_sorted_and_uses_the_readers_record_ids(truth):
    assert [key(r) for r in truth] == sorted(key(r) for r in truth)
    # a record's id is its database's key and its accession number, as the readers make it
    shapes = {"ovid_medline_2022-08.ris": r"medline:\d{8}", "ovid_psycinfo_2022-08.txt":
              r"psycinfo:\d{4}-\d{5}-\d{3}"}  # fmt: skip
    for row in truth:
        assert re.fullmatch(shapes[row["source_file"]], row["record_id"]), row
    # the kept copy of each publication is the one with the smallest id, as dedup keeps it
    for publication in {r["publication"] for r in truth}:
        copies = [r for r in truth if r["publication"] == publication]
        first = [r for r in copies if r["role"] == "first"]
        assert len(first) == 1 and first[0]["record_id"] == min(r["record_id"] for r in copies)


def test_duplicates_are_mostly_across_databases_and_a_few_within_one(truth):
    kinds = Counter(r["duplicate_kind"] for r in truth if r["role"] == "duplicate")
    assert set(kinds) == {"across databases", "within database"}
    assert 4 <= kinds["within database"] <= 8


def test_every_duplicate_differs_from_its_copy_in_a_realistic_way(truth, seen):
    for row in (r for r in truth if r["role"] == "duplicate"):
        variations = row["variations"].split(";")
        assert variations and set(variations) <= KINDS_OF_VARIATION, row
        a, b = seen[key(reference(row, truth))], seen[key(row)]
        fields = ("title", "authors", "journal", "issue", "pages", "doi", "year")
        assert any(a[f] != b[f] for f in fields), row


def _bare_title(title: str) -> str:
    return re.sub(r"[\s.:\u2013-]+", " ", title).strip()


def test_each_variation_shows_where_the_truth_says_and_nothing_else_differs(truth, seen):
    for row in (r for r in truth if r["role"] == "duplicate"):
        varied = set(row["variations"].split(";"))
        a, b = seen[key(reference(row, truth))], seen[key(row)]
        if "online first" in varied:  # no volume, issue or pages in the online-first copy
            online = [not (r["volume"] or r["issue"] or r["pages"]) for r in (a, b)]
            assert online.count(True) == 1, row
            printed = b if online[0] else a
            assert printed["volume"] and printed["pages"], row
            a, b = ({**r, "volume": "", "issue": "", "pages": "", "first page": ""} for r in (a, b))
        assert a["volume"] == b["volume"] and a["first page"] == b["first page"], row
        if "subtitle dropped" in varied:
            short, full = sorted((_bare_title(r["title"]).lower() for r in (a, b)), key=len)
            assert full.startswith(short) and len(full) > len(short) + 10, row
            a, b = {**a, "title": short}, {**b, "title": short}
        if "name order" in varied:  # family and given name the other way round
            assert [", ".join(reversed(n.split(", "))) for n in b["authors"]] == a["authors"], row
        if "title case" in varied:
            assert _bare_title(a["title"]).lower() == _bare_title(b["title"]).lower(), row
            assert _bare_title(a["title"]) != _bare_title(b["title"]), row
        if "title punctuation" in varied:
            assert a["title"].lower() != b["title"].lower(), row
            assert _bare_title(a["title"]).lower() == _bare_title(b["title"]).lower(), row
        if not varied & {"title case", "title punctuation"}:
            assert a["title"] == b["title"], row
        if "doi missing" in varied:
            assert bool(a["doi"]) != bool(b["doi"]), row
        else:
            assert a["doi"] == b["doi"], row
        if "issue missing" in varied:
            assert bool(a["issue"]) != bool(b["issue"]), row
        else:
            assert a["issue"] == b["issue"], row
        assert abs(a["year"] - b["year"]) == ("year differs by one" in varied), row
        assert (a["journal"] != b["journal"]) == ("journal abbreviation" in varied), row
        assert (a["pages"] != b["pages"]) == ("page format" in varied), row
        if "author diacritics" in varied:
            ascii_only = [all(n.isascii() for n in r["authors"]) for r in (a, b)]
            assert ascii_only.count(True) == 1, row
        if "author initials" in varied:
            full = [any(re.search(r", \w*[a-z]", n) for n in r["authors"]) for r in (a, b)]
            assert full.count(True) == 1, row


def test_variations_are_mixed(truth):
    counted = Counter(
        v for r in truth if r["role"] == "duplicate" for v in r["variations"].split(";")
    )
    assert set(counted) == KINDS_OF_VARIATION
    several = sum(";" in r["variations"] for r in truth if r["role"] == "duplicate")
    assert several >= 20


def test_no_two_publications_share_a_doi(truth, seen):
    owner: dict[str, str] = {}
    for row in truth:
        doi = seen[key(row)]["doi"]
        if doi:
            assert owner.setdefault(doi, row["publication"]) == row["publication"], doi


def test_the_exports_reveal_no_publication_ids(context, truth):
    for text in (context.files[MEDLINE], context.files[PSYCINFO]):
        assert not re.search(r"\bP\d{4}\b", text)
    # Ovid's order, not grouped: copies of one publication are rarely next to each other.
    adjacent = sum(a["publication"] == b["publication"] for a, b in itertools.pairwise(truth))
    assert adjacent <= 2


# --- traps ------------------------------------------------------------------------------------


def _publications(truth, seen) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for row in truth:
        if row["role"] == "first":
            out[row["publication"]] = {**seen[key(row)], **row}
    return out


def test_traps_of_every_kind_are_planted_as_separate_publications(truth):
    traps = {r["publication"]: (r["trap"], r["trap_of"]) for r in truth if r["trap"]}
    kinds = Counter(kind for kind, _ in traps.values())
    assert set(kinds) == set(searches.TRAPS) | set(searches.LOOK_ALIKES)
    assert sum(kinds.values()) >= 5
    publications = {r["publication"] for r in truth}
    for publication, (_, target) in traps.items():
        assert target in publications and target != publication


def test_each_trap_resembles_its_target_as_its_kind_does(truth, seen):
    pubs = _publications(truth, seen)
    for pub in (p for p in pubs.values() if p["trap"]):
        target = pubs[pub["trap_of"]]
        if pub["trap"] == "erratum":
            assert re.match(r"(Correction to|Erratum)\b", str(pub["title"]), re.IGNORECASE)
            bare = _bare_title(str(pub["title"])).lower()
            assert _bare_title(str(target["title"])).lower() in bare
            assert pub["year"] > target["year"] and pub["pages"] != target["pages"]
        elif pub["trap"] == "commentary":
            assert "commentary on" in str(pub["title"]).lower()
            assert not set(pub["authors"]) & set(target["authors"])
        elif pub["trap"] == "conference abstract":
            assert pub["year"] == target["year"] - 1
            assert "Suppl" in str(pub["issue"]) and pub["volume"] != target["volume"]
            assert str(pub["pages"]).startswith("S")
        elif pub["trap"] == "unmarked conference abstract":
            assert pub["year"] == target["year"] - 1
            same = (_bare_title(str(r["title"])).lower() for r in (pub, target))
            assert next(same) == next(same)
            assert not (pub["volume"] or pub["issue"] or pub["pages"] or pub["doi"]), pub
        elif pub["trap"] == "companion report":
            first = [str(r["authors"][0]).replace(",", " ").split(" ")[0] for r in (pub, target)]
            assert first[0] == first[1] and len(pub["authors"]) == len(target["authors"])
            assert pub["year"] == target["year"]
            journals = {pub["journal"], target["journal"]} - {""}  # a bare abbreviation is ""
            assert len(journals) == 1 and pub["volume"] == target["volume"] != ""
            assert not (pub["pages"] or pub["doi"] or target["pages"] or target["doi"])
            up_to_acronym = str(target["title"]).lower().split(")")[0]  # "... (acronym"
            assert (
                str(pub["title"]).lower().startswith(up_to_acronym)
                and pub["title"] != (target["title"])
            )
        elif pub["trap"] == "same trial":
            acronym = re.search(r"\b[A-Z][A-Z-]{4,}\b", str(target["title"]))
            assert acronym and acronym.group(0).lower() in str(pub["title"]).lower()
            assert pub["title"] != target["title"]


def test_different_publications_have_distinct_titles_except_the_traps(truth, seen):
    pubs = _publications(truth, seen)
    group = {k: str(p["trap_of"] or k) for k, p in pubs.items()}
    keys = sorted(pubs)
    titles = [utils.default_process(str(pubs[k]["title"])) for k in keys]
    for i, a in enumerate(keys):
        for j in range(i + 1, len(keys)):
            b = keys[j]
            if group[a] in (group[b], b) or group[b] == a:
                continue
            assert fuzz.ratio(titles[i], titles[j]) < 90, (titles[i], titles[j])
            assert fuzz.token_sort_ratio(titles[i], titles[j]) < 90, (titles[i], titles[j])


# --- determinism --------------------------------------------------------------------------


def test_two_builds_give_identical_bytes(context):
    again = build()
    assert again.files == context.files and again.truth == context.truth


_DIGEST = """
import hashlib, sys
from compendium import numbers
from compendium.demo import Context, searches
reported = {k: e.value for k, e in numbers.load_reported(sys.argv[1]).items()}
context = Context(reported=reported)
searches.generate(context)
parts = sorted({**context.files, **context.truth}.items())
sys.stdout.write(hashlib.sha256(repr(parts).encode()).hexdigest())
"""


def _digest_in_a_fresh_interpreter(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-c", _DIGEST, str(REPORTED)]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout


def test_the_exports_do_not_depend_on_string_hashing(context):
    parts = sorted({**context.files, **context.truth}.items())
    here = hashlib.sha256(repr(parts).encode()).hexdigest()
    assert _digest_in_a_fresh_interpreter("1") == _digest_in_a_fresh_interpreter("2") == here


# --- the project's readers ------------------------------------------------------------------


def test_the_readers_read_both_exports_record_for_record(context, truth, tmp_path):
    try:
        from compendium.readers import read_records
    except ImportError as error:
        pytest.skip(f"compendium.readers.read_records is not importable yet: {error}")
    expected = {MEDLINE: (222, "Ovid MEDLINE"), PSYCINFO: (310, "Ovid APA PsycInfo")}
    for name, (count, database) in expected.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(context.files[name].encode("utf-8"))
        records = read_records(path)
        assert len(records) == count
        assert set(records["database"]) == {database}
        assert records["title"].notna().all() and (records["title"].str.len() > 0).all()
        planted = [r["record_id"] for r in truth if r["source_file"] == Path(name).name]
        assert list(records["record_id"]) == planted  # the truth names records by their ids
