"""Blocking and pairwise comparison: which records are the same publication, and how sure.

Blocking puts two records side by side only when they share a key (DOI, PMID, the start or
the end of the matching title, volume and first page, first author and year), so the work
grows with the number of records, not with its square. Each candidate pair is then compared
field by field and given one verdict: ``duplicate`` (merged automatically), ``uncertain``
(left to people) or ``distinct``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from compendium import columns
from compendium.dedup import normalise as norm

# Blocks larger than this are compared only between neighbours in title order: a common
# first-author-and-year key ("wang 2020") must not bring back quadratic work.
MAX_BLOCK = 60
NEIGHBOURS = 8
# Title keys: long enough to be specific, short enough to survive an edited ending.
TITLE_KEY_CHARS = 32
MIN_TITLE_KEY_CHARS = 16
# A title that is the start of the other (cut at 255 characters, or a subtitle added) scores
# this much: enough only for the rule that also needs journal, volume and pages to agree.
PREFIX_TITLE_CHARS = 50
PREFIX_TITLE_SCORE = 92.0
# Authors compared: the first few, because exports cut long lists at different lengths.
AUTHORS_COMPARED = 6
# Years an export may differ by for one publication (online-first versus print issue).
MAX_YEAR_GAP = 1

DUPLICATE = "duplicate"
UNCERTAIN = "uncertain"
DISTINCT = "distinct"

# Fields that make a record more useful as the one kept (and that count for completeness).
COMPLETENESS_FIELDS: tuple[str, ...] = (
    columns.TITLE,
    columns.AUTHORS,
    columns.YEAR,
    columns.JOURNAL,
    columns.VOLUME,
    columns.ISSUE,
    columns.PAGES,
    columns.DOI,
    columns.PMID,
    columns.ABSTRACT,
)


@dataclass(frozen=True)
class Rule:
    """One way of being sure that a pair is one publication; the first rule met decides."""

    name: str  # what ``matched_by`` says
    title: float  # minimum title similarity
    authors: float | None  # minimum author similarity; None: authors not needed
    max_year_gap: int
    needs: tuple[str, ...]  # fields that must agree: "journal", "volume", "pages", "doi", ...


# In order of strength. A rule never applies across a hard conflict (see ``conflict``).
RULES: tuple[Rule, ...] = (
    Rule("doi", 70, None, 1, ("doi",)),
    Rule("pmid", 70, None, 1, ("pmid",)),
    Rule("title+authors+year+journal+pages", 90, 70, 1, ("journal", "volume", "pages")),
    Rule("title+authors+year+volume+pages", 93, 80, 1, ("volume", "pages")),
    Rule("authors+year+journal+volume+pages", 60, 90, 1, ("journal", "volume", "pages")),
    Rule("title+authors+journal+volume", 95, 85, 1, ("journal", "volume")),
    Rule("title+authors+year+journal", 97, 85, 0, ("journal",)),
)
# The same long title in the same year, nothing else saying otherwise (records missing
# authors or journal, such as web pages), is one publication: matched_by "title+year".
EXACT_TITLE_CHARS = 50
# Pairs whose titles score below this (token order ignored) are not compared field by field
# unless they share a DOI or PMID: no rule and no uncertain pair can accept them.
MIN_TITLE_COMPARED = 55
# Below every rule but alike enough that a person should look.
UNCERTAIN_TITLE = 85
UNCERTAIN_TITLE_WITH_PAGES = 60


def _string(series: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in series.astype(object)]


def _each_value(series: pd.Series, normaliser) -> list:
    """Apply a normaliser once per distinct value: journals and volumes repeat a lot."""
    values = series.astype(object).where(series.notna(), None)
    done = {value: normaliser(value) for value in dict.fromkeys(values.tolist())}
    return [done[value] for value in values.tolist()]


def prepare(records: pd.DataFrame) -> pd.DataFrame:
    """The matching form of every record, one row per record in input order."""
    titles = _each_value(records[columns.TITLE], norm.match_title)
    authors = _each_value(records[columns.AUTHORS], norm.match_authors)
    years = pd.to_numeric(records[columns.YEAR], errors="coerce").astype("Float64")
    filled = records[list(COMPLETENESS_FIELDS)].notna()
    for field in (columns.TITLE, columns.AUTHORS, columns.JOURNAL, columns.ABSTRACT):
        filled[field] &= records[field].astype(object).map(lambda v: bool(str(v).strip()))
    return pd.DataFrame(
        {
            columns.RECORD_ID: _string(records[columns.RECORD_ID]),
            "title": titles,
            "marker": _each_value(records[columns.TITLE], norm.title_marker),
            "authors": [" ".join(a.split(" ")[: 2 * AUTHORS_COMPARED]) for a in authors],
            "first_author": [a.split(" ", 1)[0] for a in authors],
            "year": years.fillna(-1).astype(int).to_numpy(),
            "journal": _each_value(records[columns.JOURNAL], norm.match_journal),
            "volume": _each_value(records[columns.VOLUME], norm.match_volume),
            "issues": _each_value(records[columns.ISSUE], norm.issue_numbers),
            "pages": _each_value(records[columns.PAGES], norm.page_range),
            "doi": _each_value(records[columns.DOI], norm.match_doi),
            "pmid": [s.strip().lstrip("0") for s in _string(records[columns.PMID])],
            "completeness": filled.sum(axis=1).to_numpy(),
        }
    )


def _block_keys(prepared: pd.DataFrame) -> list[pd.Series]:
    title = prepared["title"]
    long_enough = title.str.len() >= MIN_TITLE_KEY_CHARS
    year = prepared["year"].astype(str)
    first_pages = prepared["pages"].map(lambda p: p[0])
    return [
        prepared["doi"],
        prepared["pmid"],
        title.str[:TITLE_KEY_CHARS].where(long_enough, ""),
        title.str[-TITLE_KEY_CHARS:].where(long_enough, ""),
        ("v" + prepared["volume"] + "p" + first_pages).where(
            (prepared["volume"] != "") & (first_pages != ""), ""
        ),
        (prepared["first_author"] + "|" + year).where(
            (prepared["first_author"] != "") & (prepared["year"] >= 0), ""
        ),
    ]


def candidate_pairs(prepared: pd.DataFrame) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of row positions sharing at least one blocking key."""
    chunks: list[np.ndarray] = []
    order_by_title = np.argsort(prepared["title"].to_numpy(dtype=str), kind="stable")
    rank = np.empty(len(prepared), dtype=np.int64)
    rank[order_by_title] = np.arange(len(prepared))
    for key in _block_keys(prepared):
        present = key[key != ""]
        if present.empty:
            continue
        for members in present.groupby(present, sort=True).indices.values():
            if len(members) < 2:
                continue
            rows = present.index.to_numpy()[members]
            if len(rows) <= MAX_BLOCK:
                i, j = np.triu_indices(len(rows), k=1)
                chunks.append(np.column_stack([rows[i], rows[j]]))
                continue
            rows = rows[np.argsort(rank[rows], kind="stable")]
            for step in range(1, NEIGHBOURS + 1):
                chunks.append(np.column_stack([rows[:-step], rows[step:]]))
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(chunks), axis=1)
    keys = np.unique(pairs[:, 0].astype(np.int64) * len(prepared) + pairs[:, 1])
    return np.column_stack([keys // len(prepared), keys % len(prepared)])


def conflict(a: dict, b: dict) -> str:
    """The hard conflict between two records (or clusters' values), ``""`` when none.

    Two records that differ on DOI, volume or first page, whose years are more than one
    apart, or of which one is an erratum, comment or reply and the other is not, are never
    one publication, whatever their titles say. Two PMIDs are not a conflict: a database can
    index one article twice, and finding that is this stage's job.
    """
    if a["doi"] and b["doi"] and a["doi"] != b["doi"]:
        return "doi"
    if norm.volumes_conflict((a["volume"], a["issues"]), (b["volume"], b["issues"])):
        return "volume"
    if norm.pages_agree(a["pages"], b["pages"]) == "different":
        return "pages"
    if a["year"] >= 0 and b["year"] >= 0 and abs(a["year"] - b["year"]) > MAX_YEAR_GAP:
        return "year"
    if a["marker"] != b["marker"]:
        return "marker"
    return ""


def _authors_similarity(a: str, b: str) -> float | None:
    if not a or not b:
        return None
    names_a, names_b = a.split(" "), b.split(" ")
    shortest = min(len(names_a), len(names_b))
    return fuzz.ratio(" ".join(names_a[:shortest]), " ".join(names_b[:shortest]))


def _title_similarity(a: str, b: str) -> float | None:
    if not a or not b:
        return None
    score = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= PREFIX_TITLE_CHARS and longer.startswith(shorter):
        score = max(score, PREFIX_TITLE_SCORE)  # a title cut short, or a subtitle added
    return score


@lru_cache(maxsize=65536)
def _journal_similarity(a: str, b: str) -> float | None:
    if not a or not b:
        return None
    if norm.journals_compatible(a, b):
        return 100.0
    return min(fuzz.token_set_ratio(a, b), 99.0)


def _same(a: str, b: str) -> str:
    return "same" if a and b and a == b else "missing" if not (a and b) else "different"


def _verdict(features: dict) -> tuple[str, str]:
    agrees = {
        "doi": features["sim_doi"] == "same",
        "pmid": features["pmid"] == "same",
        "volume": features["sim_volume"] == "same",
        "pages": features["sim_pages"] == "same",
        "journal": features["sim_journal"] == 100.0,
    }
    title, authors, gap = features["sim_title"], features["sim_authors"], features["sim_year"]
    for rule in RULES:
        if not all(agrees[field] for field in rule.needs):
            continue
        if features.get("numbers_differ") and not {"doi", "pmid", "pages"} & set(rule.needs):
            # "12-month outcomes" and "24-month outcomes", "part 1" and "part 2": two papers
            # of one study, alike in all but a number. Only pages or an identifier tell.
            continue
        if title is not None and title < rule.title:
            continue
        if title is None and rule.needs[0] not in ("doi", "pmid"):
            continue
        if rule.authors is not None and (authors is None or authors < rule.authors):
            continue
        if gap is None and rule.needs[0] not in ("doi", "pmid"):
            continue
        if gap is not None and gap > rule.max_year_gap:
            continue
        return DUPLICATE, rule.name
    if (
        title == 100
        and len(features["title"]) >= EXACT_TITLE_CHARS
        and gap == 0
        and (authors is None or authors >= 90)
        and features["sim_journal"] in (None, 100.0)
        and features["sim_volume"] != "different"
    ):
        return DUPLICATE, "title+year"
    if title is None:
        return DISTINCT, ""
    if title >= UNCERTAIN_TITLE:
        return UNCERTAIN, "similar title"
    if title >= UNCERTAIN_TITLE_WITH_PAGES and agrees["volume"] and agrees["pages"]:
        return UNCERTAIN, "same volume and pages"
    return DISTINCT, ""


_NUMBER = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def _title_numbers(title: str) -> tuple[str, ...]:
    """The digits of a matching title, in order: "12 month" and "24 month" differ."""
    return tuple(_NUMBER.findall(title))


def _differ(values: pd.Series, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    codes = pd.factorize(values)[0]
    present = (values != "").to_numpy()
    return present[i] & present[j] & (codes[i] != codes[j])


def _worth_comparing(prepared: pd.DataFrame, pairs: np.ndarray) -> np.ndarray:
    """Pairs not ruled out at once: no DOI, year or kind conflict, titles alike or a
    shared identifier. Vectorised, so the field-by-field loop sees only plausible pairs."""
    i, j = pairs[:, 0], pairs[:, 1]
    years = prepared["year"].to_numpy()
    keep = ~_differ(prepared["doi"], i, j)
    keep &= ~((years[i] >= 0) & (years[j] >= 0) & (np.abs(years[i] - years[j]) > MAX_YEAR_GAP))
    keep &= pd.factorize(prepared["marker"])[0][i] == pd.factorize(prepared["marker"])[0][j]
    titles = prepared["title"].to_numpy(dtype=object)
    candidates = pairs[keep]
    similar = process.cpdist(
        titles[candidates[:, 0]].tolist(),
        titles[candidates[:, 1]].tolist(),
        scorer=fuzz.token_sort_ratio,
        workers=1,
    )
    shared = np.zeros(len(candidates), dtype=bool)
    for field in ("doi", "pmid"):
        values = prepared[field].to_numpy(dtype=object)
        shared |= (values[candidates[:, 0]] != "") & (
            values[candidates[:, 0]] == values[candidates[:, 1]]
        )
    return candidates[(similar >= MIN_TITLE_COMPARED) | shared]


def compare(prepared: pd.DataFrame, pairs: np.ndarray) -> pd.DataFrame:
    """Field similarities and a verdict for every candidate pair (row positions ``i, j``)."""
    pairs = _worth_comparing(prepared, pairs) if len(pairs) else pairs
    rows = prepared.to_dict("records")
    out: list[dict] = []
    for i, j in pairs.tolist():
        a, b = rows[i], rows[j]
        found = conflict(a, b)
        if found:
            continue
        features = {
            "i": i,
            "j": j,
            "title": min(a["title"], b["title"], key=len),
            "sim_title": _title_similarity(a["title"], b["title"]),
            "sim_authors": _authors_similarity(a["authors"], b["authors"]),
            "sim_year": abs(a["year"] - b["year"]) if a["year"] >= 0 and b["year"] >= 0 else None,
            "sim_journal": _journal_similarity(a["journal"], b["journal"]),
            "sim_volume": _same(a["volume"], b["volume"]),
            "sim_pages": norm.pages_agree(a["pages"], b["pages"]),
            "sim_doi": _same(a["doi"], b["doi"]),
            "pmid": _same(a["pmid"], b["pmid"]),
            "numbers_differ": _title_numbers(a["title"]) != _title_numbers(b["title"]),
        }
        verdict, reason = _verdict(features)
        if verdict != DISTINCT:
            features["verdict"], features["reason"] = verdict, reason
            out.append(features)
    names = ["i", "j", "title", "sim_title", "sim_authors", "sim_year", "sim_journal", "sim_volume"]
    names += ["sim_pages", "sim_doi", "pmid", "verdict", "reason"]
    return pd.DataFrame(out, columns=names)
