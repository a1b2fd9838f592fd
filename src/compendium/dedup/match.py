"""Blocking and pairwise comparison: which records are the same publication, and how sure.

Blocking puts two records side by side only when they share a key (DOI, PMID, the start or
the end of the matching title, the title an erratum is about, volume and first page, year
and first page, first author and year), so the work grows with the number of records, not
with its square. Each candidate pair is then compared field by field and given one verdict:
``duplicate`` (merged automatically), ``uncertain`` (left to people, with the reason),
``linked`` (an erratum, comment or reply and its article) or ``distinct``.

The thresholds below were set on the labelled sets of ``../shared/external`` and are
checked leave-one-set-out by ``benchmarks/dedup.py``; each rule's comment says why it
holds for records it has not seen.
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

LINKED = "linked"  # the verdict of an erratum, comment or reply and its article

# Blocks larger than this are compared only between neighbours in title order: a common
# first-author-and-year key ("wang 2020") must not bring back quadratic work.
MAX_BLOCK = 60
NEIGHBOURS = 8
# Title keys: long enough to be specific, short enough to survive an edited ending.
TITLE_KEY_CHARS = 32
MIN_TITLE_KEY_CHARS = 16
# A title that is the start of the other (cut at 255 characters, or a subtitle added) scores
# this much: enough only for the rules that also need journal, volume and pages to agree.
PREFIX_TITLE_CHARS = 35
PREFIX_TITLE_SCORE = 92.0
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
    min_title_chars: int = 0  # a title at least this long: long enough to name one work


# In order of strength. A rule never applies across a hard conflict (see ``conflict``).
# Why each holds in general, whatever the set:
# - doi, pmid: an identifier names one work; the title check guards against an identifier
#   pasted on the wrong record (a journal issue's DOI, a book's for its chapter).
# - the rules with journal, volume and pages: those three name the place an article is
#   printed, and no two articles start on one page of one volume. The title only has to
#   confirm it, so authors are not needed (exports write them in every shape, cut the
#   list, give a group's name or none at all); a database's translated title (in
#   brackets) is worded by its indexers, so its words, not their order, are compared.
# - the rules without pages: the same title, the same authors and the same journal and
#   volume or year are one publication unless a number tells two papers of one study
#   apart ("12-month" and "24-month" outcomes), which only pages or an identifier settle.
#   An item naming no author in either record (meeting abstracts, reports) has only its
#   title to go by: the same long title in the same journal, volume and year.
RULES: tuple[Rule, ...] = (
    Rule("doi", 70, None, 1, ("doi",)),
    Rule("pmid", 70, None, 1, ("pmid",)),
    Rule("title+authors+year+journal+pages", 90, 70, 1, ("journal", "volume", "pages")),
    Rule("title+authors+year+volume+pages", 93, 80, 1, ("volume", "pages")),
    Rule("authors+year+journal+volume+pages", 60, 90, 1, ("journal", "volume", "pages")),
    Rule("title+authors+journal+volume", 95, 85, 1, ("journal", "volume")),
    Rule("title+authors+year+journal", 97, 85, 0, ("journal",)),
    Rule("title+year+journal+volume+pages", 90, None, 1, ("journal", "volume", "pages")),
    Rule("title+authors+year+journal+first page", 90, 80, 1, ("journal", "pages")),
    Rule(
        "translated title+year+journal+volume+pages",
        60,
        None,
        1,
        ("translated", "journal", "volume", "pages"),
    ),
    Rule(
        "title+year+journal+volume, no authors",
        97,
        None,
        0,
        ("no authors", "journal", "volume"),
        min_title_chars=norm.MIN_TITLE_PART_CHARS,
    ),
)
# The same long title in the same year, nothing else saying otherwise (records missing
# authors or journal, such as web pages), is one publication: matched_by "title+year".
EXACT_TITLE_CHARS = 50
# Pairs whose titles score below this (token order ignored) are not compared field by field
# unless they share a DOI, a PMID or volume and first page: no rule and no uncertain pair
# can accept them.
MIN_TITLE_COMPARED = 55
# Below every rule but alike enough that a person should look: a title this alike; or a
# title this alike beside the same volume and pages (the journal named in another language);
# or the same printed place under another title, unless the authors are others (at most
# this alike: two abstracts on one page of a supplement); or the same authors (at least
# this alike), journal and volume under a reworded title.
UNCERTAIN_TITLE = 85
UNCERTAIN_TITLE_WITH_PAGES = 60
UNCERTAIN_AUTHORS = 50
UNCERTAIN_SAME_AUTHORS = 90
# A rule needing pages takes a single page ("109A", "S12": abstracts are printed several
# to a page) only with titles at least this alike.
SINGLE_PAGE_TITLE = 85
# Records that conflict on an identifier, volume, pages or year are put to people all the
# same when title and authors leave little doubt: a conference abstract and its article,
# a review and its update, a page misprinted in one database (title and authors at least
# this alike; a title long enough to name one work).
CONFLICT_TITLE = 95
CONFLICT_AUTHORS = 80
CONFLICT_TITLE_CHARS = 30
# An erratum, comment or reply is linked to the article whose title it gives (the titles
# without the item's own label at least this alike).
LINK_TITLE = 85


def _string(series: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in series.astype(object)]


def _each_value(series: pd.Series, normaliser) -> list:
    """Apply a normaliser once per distinct value: journals and volumes repeat a lot."""
    values = series.astype(object).where(series.notna(), None)
    done = {value: normaliser(value) for value in dict.fromkeys(values.tolist())}
    return [done[value] for value in values.tolist()]


def prepare(records: pd.DataFrame) -> pd.DataFrame:
    """The matching form of every record, one row per record in input order."""
    keys = _each_value(records[columns.TITLE], norm.title_keys)
    authors = _each_value(records[columns.AUTHORS], norm.author_keys)
    years = pd.to_numeric(records[columns.YEAR], errors="coerce").astype("Float64")
    filled = records[list(COMPLETENESS_FIELDS)].notna()
    for field in (columns.TITLE, columns.AUTHORS, columns.JOURNAL, columns.ABSTRACT):
        filled[field] &= records[field].astype(object).map(lambda v: bool(str(v).strip()))
    prepared = pd.DataFrame(
        {
            columns.RECORD_ID: _string(records[columns.RECORD_ID]),
            "title": [k.title for k in keys],
            "title_parts": [k.parts for k in keys],
            "translated": [k.translated for k in keys],
            "marker": [k.marker for k in keys],
            "about": [k.about for k in keys],
            "references": [k.references for k in keys],
            "authors": authors,
            "first_author": [a[0][0][0] if a else "" for a in authors],
            "year": years.fillna(-1).astype(int).to_numpy(),
            "journal": _each_value(records[columns.JOURNAL], norm.match_journal),
            "volume": _each_value(records[columns.VOLUME], norm.match_volume),
            "issues": _each_value(records[columns.ISSUE], norm.issue_numbers),
            "pages": _each_value(records[columns.PAGES], norm.page_ranges),
            "doi": _each_value(records[columns.DOI], norm.match_doi),
            "pmid": [s.strip().lstrip("0") for s in _string(records[columns.PMID])],
            "completeness": filled.sum(axis=1).to_numpy(),
        }
    )
    prepared["journal"] = learnt_journal_names(prepared)
    return prepared


def learnt_journal_names(prepared: pd.DataFrame) -> pd.Series:
    """Each record's journal with every other name the records give that journal.

    No list of journal names and their translations is kept in a form this project can
    install (the NLM catalogue and ISO 4's word list are not packaged), so the names are
    learnt from the records themselves, from what says with certainty that two names are
    one journal: a record giving both (a parallel title, "Ai zheng = Chinese journal of
    cancer"), and one DOI on records with the same title under two names. A name learnt
    only relaxes the journal's own test; volume, pages and title must still agree.
    """
    names = prepared["journal"]
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.get(name, name) != name:
            name = parent[name]
        return name

    def union(a: str, b: str) -> None:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)

    for journal in names[names.str.contains(" = ", regex=False)].unique():
        first, *others = journal.split(" = ")
        for other in others:
            union(first, other)
    shared = prepared[(prepared["doi"] != "") & (names != "")]
    shared = shared[shared["doi"].duplicated(keep=False)]
    for _, group in shared.groupby("doi", sort=True):
        base_title, base_journal = group["title"].iloc[0], group["journal"].iloc[0]
        for title, journal in zip(group["title"].iloc[1:], group["journal"].iloc[1:], strict=True):
            if journal != base_journal and fuzz.ratio(title, base_title) >= CONFLICT_TITLE:
                union(base_journal.split(" = ")[0], journal.split(" = ")[0])
    if not parent:
        return names
    groups: dict[str, list[str]] = {}
    for name in sorted(parent):
        groups.setdefault(find(name), []).append(name)
    for root, members in groups.items():
        members.insert(0, root)

    def widen(journal: str) -> str:
        known = dict.fromkeys(journal.split(" = "))
        for name in list(known):
            if name in parent or name in groups:
                known.update(dict.fromkeys(groups[find(name)]))
        return " = ".join(known)

    return names.map(widen)


def _first_pages(prepared: pd.DataFrame) -> pd.Series:
    return prepared["pages"].map(lambda p: p[0][0] if p else "")


def _block_keys(prepared: pd.DataFrame) -> list[pd.Series]:
    title = prepared["title"]
    long_enough = title.str.len() >= MIN_TITLE_KEY_CHARS
    year = prepared["year"].astype(str)
    first_pages = _first_pages(prepared)
    about = prepared["about"].where(prepared["marker"] != "", "")
    return [
        prepared["doi"],
        prepared["pmid"],
        title.str[:TITLE_KEY_CHARS].where(long_enough, ""),
        title.str[-TITLE_KEY_CHARS:].where(long_enough, ""),
        # an erratum's title after its label ("Erratum: <title>") starts like its article's
        about.str[:TITLE_KEY_CHARS].where(about.str.len() >= MIN_TITLE_KEY_CHARS, ""),
        ("v" + prepared["volume"] + "p" + first_pages).where(
            (prepared["volume"] != "") & (first_pages != ""), ""
        ),
        ("y" + year + "p" + first_pages).where(
            (prepared["volume"] == "") & (first_pages != "") & (prepared["year"] >= 0), ""
        ),
        (prepared["first_author"] + "|" + year).where(
            (prepared["first_author"] != "") & (prepared["year"] >= 0), ""
        ),
    ]


@lru_cache(maxsize=MAX_BLOCK + 1)
def _pairs_within(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions in a block of ``size`` records (most blocks are pairs)."""
    return np.triu_indices(size, k=1)


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
                i, j = _pairs_within(len(rows))
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
    merged automatically, whatever their titles say. Two PMIDs are not a conflict: a
    database can index one article twice, and finding that is this stage's job.
    """
    if a["marker"] != b["marker"]:
        return "marker"
    if a["doi"] and b["doi"] and a["doi"] != b["doi"]:
        return "doi"
    if norm.volumes_conflict((a["volume"], a["issues"]), (b["volume"], b["issues"])):
        return "volume"
    if norm.pages_agree(a["pages"], b["pages"]) == "different":
        return "pages"
    if a["year"] >= 0 and b["year"] >= 0 and abs(a["year"] - b["year"]) > MAX_YEAR_GAP:
        return "year"
    return ""


@lru_cache(maxsize=65536)
def _authors_similarity(a: tuple, b: tuple) -> float | None:
    return norm.authors_similarity(a, b)


def _prefix(shorter: str, longer: str) -> bool:
    return len(shorter) >= PREFIX_TITLE_CHARS and longer.startswith(shorter + " ")


def _title_similarity(a: dict, b: dict) -> float | None:
    """How alike two titles are (0-100), their parts in another language included.

    The better of the character and the sorted-word ratio; a title that is the start of
    the other scores at least :data:`PREFIX_TITLE_SCORE`; a title given with its
    translation scores as well as its best part (:func:`~normalise.title_parts`).
    """
    title_a, title_b = a["title"], b["title"]
    if not title_a or not title_b:
        return None
    score = max(fuzz.ratio(title_a, title_b), fuzz.token_sort_ratio(title_a, title_b))
    if score == 100:
        return score
    shorter, longer = sorted((title_a, title_b), key=len)
    if _prefix(shorter, longer):
        score = max(score, PREFIX_TITLE_SCORE)  # a title cut short, or a subtitle added
    if a["title_parts"] or b["title_parts"]:
        for part_a in (title_a, *a["title_parts"]):
            for part_b in (title_b, *b["title_parts"]):
                if part_a is title_a and part_b is title_b:
                    continue
                score = max(score, fuzz.ratio(part_a, part_b))
                shorter, longer = sorted((part_a, part_b), key=len)
                if _prefix(shorter, longer):
                    score = max(score, PREFIX_TITLE_SCORE)
    return score


def _title_words(a: dict, b: dict) -> float:
    """The share of the shorter title's words in the other's, for translated titles."""
    return max(
        fuzz.token_set_ratio(part_a, part_b)
        for part_a in (a["title"], *a["title_parts"])
        for part_b in (b["title"], *b["title_parts"])
    )


@lru_cache(maxsize=65536)
def _journal_similarity(a: str, b: str) -> float | None:
    if not a or not b:
        return None
    if norm.journals_compatible(a, b):
        return 100.0
    return min(fuzz.token_set_ratio(a, b), 99.0)


def _same(a: str, b: str) -> str:
    return "same" if a and b and a == b else "missing" if not (a and b) else "different"


def _located(features: dict) -> bool:
    """Same journal, volume and first page, years at most one apart: one printed place."""
    return (
        features["sim_journal"] == 100.0
        and features["sim_volume"] == "same"
        and features["sim_pages"] == "same"
        and (features["sim_year"] is None or features["sim_year"] <= MAX_YEAR_GAP)
    )


def _verdict(features: dict, rules: tuple[Rule, ...] = RULES) -> tuple[str, str]:
    agrees = {
        "doi": features["sim_doi"] == "same",
        "pmid": features["pmid"] == "same",
        "volume": features["sim_volume"] == "same",
        "pages": features["sim_pages"] == "same",
        "journal": features["sim_journal"] == 100.0,
        "translated": features["translated"],
        "no authors": features["no_authors"],
    }
    title, authors, gap = features["sim_title"], features["sim_authors"], features["sim_year"]
    for rule in rules:
        if not all(agrees[field] for field in rule.needs):
            continue
        telling = {"doi", "pmid"} if features["single_page"] else {"doi", "pmid", "pages"}
        if features.get("numbers_differ") and not telling & set(rule.needs):
            # "12-month outcomes" and "24-month outcomes", "part 1" and "part 2": two papers
            # of one study, alike in all but a number. Only pages (a range: a single page
            # holds several abstracts) or an identifier tell.
            continue
        if len(features["title"]) < rule.min_title_chars:
            continue
        score = features["sim_title_words"] if "translated" in rule.needs else title
        if score is not None and score < rule.title:
            continue
        if "pages" in rule.needs and rule.title < SINGLE_PAGE_TITLE and features["single_page"]:
            # An abstract in a supplement is printed several to a page: a single page
            # names no article for certain unless the titles are alike too.
            continue
        if "translated" in rule.needs and authors is not None and authors < UNCERTAIN_AUTHORS:
            continue  # a title in another language, but the people are the same
        if score is None and rule.needs[0] not in ("doi", "pmid"):
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
    if title is not None and title >= UNCERTAIN_TITLE:
        return UNCERTAIN, "similar title"
    if _located(features) and (
        features["translated"] or authors is None or authors >= UNCERTAIN_AUTHORS
    ):  # not two abstracts printed on one page, by other authors under other titles
        return UNCERTAIN, "same journal, volume and pages"
    with_pages = agrees["volume"] and agrees["pages"]  # the journal named otherwise, or not
    if title is not None and title >= UNCERTAIN_TITLE_WITH_PAGES and with_pages:
        return UNCERTAIN, "same volume and pages"
    if features["translated"] and with_pages and (gap is None or gap <= MAX_YEAR_GAP):
        return UNCERTAIN, "a translated title, same volume and pages"
    if (
        title is not None
        and title >= UNCERTAIN_TITLE_WITH_PAGES
        and authors is not None
        and authors >= UNCERTAIN_SAME_AUTHORS
        and agrees["journal"]
        and agrees["volume"]
        and (gap is None or gap <= MAX_YEAR_GAP)
    ):  # a title reworded by one database (or two papers of one team in one volume)
        return UNCERTAIN, "same authors, journal and volume"
    if agrees["doi"] or agrees["pmid"]:
        return UNCERTAIN, "same DOI or PMID, titles differ"
    return DISTINCT, ""


def _despite_conflict(features: dict, found: str) -> tuple[str, str]:
    """An uncertain verdict for records that conflict, when title and authors agree."""
    title, authors = features["sim_title"], features["sim_authors"]
    if (
        title is not None
        and title >= CONFLICT_TITLE
        and len(features["title"]) >= CONFLICT_TITLE_CHARS
        and not features["numbers_differ"]
        and (authors is None or authors >= CONFLICT_AUTHORS)
        and (authors is not None or features["sim_journal"] == 100.0)
    ):
        return UNCERTAIN, f"same title and authors, {_CONFLICT_WORDS[found]} differ"
    return DISTINCT, ""


_CONFLICT_WORDS = {"doi": "DOIs", "volume": "volumes", "pages": "pages", "year": "years"}


_NUMBER = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def _title_numbers(title: str) -> tuple[str, ...]:
    """The digits of a matching title, in order: "12 month" and "24 month" differ."""
    return tuple(_NUMBER.findall(title))


def _worth_comparing(prepared: pd.DataFrame, pairs: np.ndarray) -> np.ndarray:
    """Pairs not ruled out at once: titles alike, or a shared identifier or printed place.
    Vectorised, so that the field-by-field loop sees only plausible pairs."""
    titles = prepared["title"].to_numpy(dtype=object)
    similar = process.cpdist(
        titles[pairs[:, 0]].tolist(),
        titles[pairs[:, 1]].tolist(),
        scorer=fuzz.token_sort_ratio,
        workers=1,
    )
    about = prepared["about"].to_numpy(dtype=object)
    marked = (prepared["marker"] != "").to_numpy()
    either = marked[pairs[:, 0]] != marked[pairs[:, 1]]
    if either.any():  # an erratum beside its article: compare the title it is about
        similar[either] = np.maximum(
            similar[either],
            process.cpdist(
                about[pairs[either, 0]].tolist(),
                about[pairs[either, 1]].tolist(),
                scorer=fuzz.token_sort_ratio,
                workers=1,
            ),
        )
    shared = np.zeros(len(pairs), dtype=bool)
    place = ("v" + prepared["volume"] + "p" + _first_pages(prepared)).where(
        (prepared["volume"] != "") & (_first_pages(prepared) != ""), ""
    )
    for values in (prepared["doi"], prepared["pmid"], place):
        values = values.to_numpy(dtype=object)
        shared |= (values[pairs[:, 0]] != "") & (values[pairs[:, 0]] == values[pairs[:, 1]])
    keep = (similar >= MIN_TITLE_COMPARED) | shared
    # Records in conflict (two DOIs, years apart) are compared only when they could be put
    # to people all the same (:func:`_despite_conflict`): titles alike, no number differing.
    i, j = pairs[:, 0], pairs[:, 1]
    years = prepared["year"].to_numpy()
    conflicted = _differ(prepared["doi"], i, j)
    conflicted |= (years[i] >= 0) & (years[j] >= 0) & (np.abs(years[i] - years[j]) > MAX_YEAR_GAP)
    numbers = pd.factorize(prepared["title"].map(_title_numbers))[0]
    hopeless = conflicted & ~either & ((similar < CONFLICT_TITLE - 5) | (numbers[i] != numbers[j]))
    return pairs[keep & ~hopeless]


def _differ(values: pd.Series, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    codes = pd.factorize(values)[0]
    present = (values != "").to_numpy()
    return present[i] & present[j] & (codes[i] != codes[j])


def referenced_links(prepared: pd.DataFrame) -> list[tuple[int, int, str]]:
    """``(item, article, kind)`` positions for each item a title's note points to.

    A note such as "[Erratum appears in J Card Surg. 2011;26(2):244]" gives the place of
    the erratum: the record printed there (compatible journal, same volume and first page,
    a year at most one from the note's) is linked to the article, whatever its own title.
    """
    places: dict[tuple[str, str], list[int]] = {}
    for k, (volume, pages) in enumerate(zip(prepared["volume"], prepared["pages"], strict=True)):
        if volume and pages and pages[0][0]:
            places.setdefault((volume, pages[0][0]), []).append(k)
    journals, years = prepared["journal"].tolist(), prepared["year"].tolist()
    found = []
    for k, references in enumerate(prepared["references"]):
        for reference in references:
            for other in places.get((reference.volume, reference.page), ()):
                if other == k or not norm.journals_compatible(reference.journal, journals[other]):
                    continue
                if years[other] >= 0 and abs(years[other] - reference.year) > MAX_YEAR_GAP:
                    continue
                item, article = (other, k) if reference.item else (k, other)
                found.append((item, article, reference.kind))
    return found


def _link(a: dict, b: dict) -> bool:
    """Whether an erratum, comment or reply gives the title of the article beside it."""
    item, article = (a, b) if a["marker"] else (b, a)
    if article["marker"] or not item["about"] or not article["title"]:
        return False
    return fuzz.ratio(item["about"], article["title"]) >= LINK_TITLE or _prefix(
        *sorted((item["about"], article["title"]), key=len)
    )


Compared = list[tuple[dict, str]]  # each candidate pair's features and hard conflict


def pair_features(
    prepared: pd.DataFrame, pairs: np.ndarray, *, rows: list[dict] | None = None
) -> Compared:
    """The field similarities of every candidate pair worth comparing, and its conflict.

    The costly half of :func:`compare`, kept apart so that rules can be tried on the
    same pairs (``benchmarks/dedup.py`` fits the rules' thresholds that way).
    ``rows`` is ``prepared.to_dict("records")``, when the caller has it already.
    """
    pairs = _worth_comparing(prepared, pairs) if len(pairs) else pairs
    rows = prepared.to_dict("records") if rows is None else rows
    out: Compared = []
    for i, j in pairs.tolist():
        a, b = rows[i], rows[j]
        found = conflict(a, b)
        if found == "marker":
            if _link(a, b):
                out.append((_features(i, j, a, b), found))
            continue
        if found and (
            _title_numbers(a["title"]) != _title_numbers(b["title"])
            or (_title_similarity(a, b) or 0) < CONFLICT_TITLE
        ):
            continue  # no verdict but distinct: see _despite_conflict
        out.append((_features(i, j, a, b), found))
    return out


_COMPARED_COLUMNS = ["i", "j", "title", "sim_title", "sim_authors", "sim_year", "sim_journal"]
_COMPARED_COLUMNS += ["sim_volume", "sim_pages", "sim_doi", "pmid", "verdict", "reason"]


def judge(compared: Compared, rules: tuple[Rule, ...] = RULES) -> pd.DataFrame:
    """A verdict for each compared pair: ``duplicate`` (by the first of ``rules`` that
    holds), ``uncertain`` (with the reason) or ``linked`` (an erratum, comment or reply and
    the article it is about); pairs found distinct are left out."""
    out: list[dict] = []
    for features, found in compared:
        if found == "marker":
            verdict, reason = LINKED, "about"
        elif found:
            verdict, reason = _despite_conflict(features, found)
        else:
            verdict, reason = _verdict(features, rules)
        if verdict != DISTINCT:
            out.append(features | {"verdict": verdict, "reason": reason})
    return pd.DataFrame(out, columns=_COMPARED_COLUMNS)


def compare(
    prepared: pd.DataFrame,
    pairs: np.ndarray,
    *,
    rows: list[dict] | None = None,
    rules: tuple[Rule, ...] = RULES,
) -> pd.DataFrame:
    """Field similarities and a verdict for every candidate pair (row positions ``i, j``):
    :func:`pair_features`, then :func:`judge`."""
    return judge(pair_features(prepared, pairs, rows=rows), rules)


def _single_page(pages: tuple) -> bool:
    return len(pages) == 1 and not pages[0][1]


def _features(i: int, j: int, a: dict, b: dict) -> dict:
    features = {
        "i": i,
        "j": j,
        "title": min(a["title"], b["title"], key=len),
        "sim_title": _title_similarity(a, b),
        "sim_authors": _authors_similarity(a["authors"], b["authors"]),
        "sim_year": abs(a["year"] - b["year"]) if a["year"] >= 0 and b["year"] >= 0 else None,
        "sim_journal": _journal_similarity(a["journal"], b["journal"]),
        "sim_volume": _same(a["volume"], b["volume"]),
        "sim_pages": norm.pages_agree(a["pages"], b["pages"]),
        "sim_doi": _same(a["doi"], b["doi"]),
        "pmid": _same(a["pmid"], b["pmid"]),
        "numbers_differ": _title_numbers(a["title"]) != _title_numbers(b["title"]),
        "translated": a["translated"] or b["translated"],
        "no_authors": not a["authors"] and not b["authors"],
        "single_page": _single_page(a["pages"]) or _single_page(b["pages"]),
    }
    features["sim_title_words"] = (
        _title_words(a, b) if features["translated"] and a["title"] and b["title"] else None
    )
    return features
