"""The demonstration DAT: ``data/raw/extraction/``.

One row per included publication (the 42 the screening part includes, handed over in
``context.shared["included_publications"]``) and the long list of candidate components, as
many as the paper reports (242). A publication's id, type, source, authors, year and title are
the screening ledger's; its country, setting and population, and every candidate component,
are illustrative (``provenance: illustrative``). Each candidate component is written as a
variant of one item of the demonstration typology; which one is handed to the typology part
(``context.shared["candidate_components"]``), which writes it down as the coding.

The sheets are written as a deterministic XLSX workbook (:func:`compendium.render.workbook`),
as a team keeps them; the reader takes the same two sheets as CSV too. Each publication's
journal (or publisher), DOI and URL are those of its search record, or illustrative.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pandas as pd

from compendium import abstraction as dat
from compendium import columns as col
from compendium.demo import protocol as study
from compendium.demo import typology_text as text
from compendium.demo.searches import DOI_PREFIX
from compendium.demo.vocabulary import JOURNALS
from compendium.render import workbook

ONLINE_SEARCH_FILE = "other_sources/online_search.csv"

if TYPE_CHECKING:
    import random

    from compendium.demo import Context

#: Candidate components per publication, relative (manuals describe more than trial reports).
TYPE_WEIGHTS = {study.TRIAL_REPORT: 5, study.TRAINING_MANUAL: 8, study.CHANGE_MODEL: 6}
MINIMUM = 2  # every publication yields a few candidate components


def included(context: Context) -> list[dict]:
    """The screening part's included publications; a clear error when it has not run."""
    found = context.shared.get("included_publications")
    if not found:
        msg = (
            "demonstration data: the extraction part needs context.shared"
            "['included_publications'] (the included publications, from the screening part); "
            "list the screening part before the extraction part in compendium.demo.PARTS"
        )
        raise ValueError(msg)
    missing = [key for key in dat.INCLUDED_COLUMNS if key not in found[0]]
    if missing:
        msg = f"demonstration data: included publications lack {', '.join(missing)}"
        raise ValueError(msg)
    return sorted(found, key=lambda row: row[dat.PUBLICATION_ID])


def allot(kinds: list[str], total: int, rng: random.Random) -> list[int]:
    """Split ``total`` candidate components over publications of ``kinds``, each >= MINIMUM."""
    weights = [TYPE_WEIGHTS[kind] for kind in kinds]
    shares = [total * w / sum(weights) for w in weights]
    counts = [int(share) for share in shares]
    remainders = sorted(range(len(kinds)), key=lambda i: (counts[i] - shares[i], i))
    for i in remainders[: total - sum(counts)]:
        counts[i] += 1
    for _ in range(3 * len(kinds)):  # a little variety, keeping the total
        give, take = rng.randrange(len(kinds)), rng.randrange(len(kinds))
        if counts[give] > MINIMUM + 1:
            counts[give] -= 1
            counts[take] += 1
    return counts


def _coded_items() -> list[tuple[str, str]]:
    """(item_id, theme id) for every component and sub-component of the initial typology."""
    theme_of, items = {}, []
    for item_id, level, number, *_ in text.INITIAL_TYPOLOGY:
        if level == "theme":
            theme_of[number] = item_id
        else:
            items.append((item_id, theme_of[number.split(".")[0]]))
    return items


def candidate_rows(publications: list[dict], total: int, rng: random.Random) -> list[dict]:
    """The long list: each candidate a variant of one typology item, every item used."""
    kinds = [row[dat.PUBLICATION_TYPE] for row in publications]
    counts = allot(kinds, total, rng)
    items = _coded_items()
    slots = [i for i, count in enumerate(counts) for _ in range(count)]
    rng.shuffle(slots)
    chosen: dict[int, list[str]] = {}
    for (item_id, _), slot in zip(items, slots, strict=False):  # every item at least once
        chosen.setdefault(slot, []).append(item_id)
    for slot in slots[len(items) :]:
        weights = text.THEME_WEIGHTS[kinds[slot]]
        while True:  # a publication names each variant once: no repeated rows
            item_id = rng.choices([i for i, _ in items], [weights[t] for _, t in items])[0]
            taken = chosen.setdefault(slot, [])
            if taken.count(item_id) < len(text.CANDIDATE_NAMES[item_id]):
                taken.append(item_id)
                break
    rows, number = [], 0
    for index, publication in enumerate(publications):
        used: set[str] = set()
        for item_id in chosen.get(index, []):
            number += 1
            name = rng.choice([n for n in text.CANDIDATE_NAMES[item_id] if n not in used])
            used.add(name)
            quote = rng.choice(text.QUOTES).format(name=name, Name=name[:1].upper() + name[1:])
            rows.append(
                {
                    dat.CANDIDATE_ID: f"CC{number:03d}",
                    dat.PUBLICATION_ID: publication[dat.PUBLICATION_ID],
                    dat.CANDIDATE_COMPONENT: name,
                    dat.DESCRIPTION: f"{publication[dat.PUBLICATION_TYPE].capitalize()} "
                    f"describes {name} as part of one-to-one peer support.",
                    dat.QUOTE: quote,
                    dat.PAGE: rng.randint(2, 24 if kinds[index] == study.TRIAL_REPORT else 90),
                    dat.PROVENANCE: "illustrative",
                    "item_id": item_id,
                    dat.PUBLICATION_TYPE: publication[dat.PUBLICATION_TYPE],
                }
            )
    return rows


def publication_rows(publications: list[dict], rng: random.Random) -> list[dict]:
    return [
        {
            dat.PUBLICATION_ID: row[dat.PUBLICATION_ID],
            col.AUTHORS: row[col.AUTHORS],
            col.YEAR: row[col.YEAR],
            col.TITLE: row[col.TITLE],
            dat.PUBLICATION_TYPE: row[dat.PUBLICATION_TYPE],
            dat.COUNTRY: rng.choice(text.COUNTRIES),
            dat.SETTING: rng.choice(text.SETTINGS),
            dat.POPULATION: rng.choice(text.POPULATIONS),
            dat.SOURCE: row[dat.SOURCE],
            dat.PROVENANCE: "illustrative",
        }
        for row in publications
    ]


def references(context: Context, publications: list[dict], rng: random.Random) -> list[dict]:
    """Each publication's journal (or publisher), DOI and URL, for ESM 2's reference list.

    A record from the searches keeps the journal and DOI of its export. The others are
    illustrative: an article gets a journal of the searches' pool and a DOI under Crossref's
    test prefix (which no real article has); a manual gets the organisation the online search
    found it at, or, when an expert named it, an unnamed one, and an address under
    ``example.org``, which is reserved for examples.
    """
    searched = {r["record_id"]: r for r in context.shared.get("search_records", [])}
    organisations = {
        row[dat.PUBLICATION_ID]: row["organisation"]
        for row in csv.DictReader(io.StringIO(context.files.get(ONLINE_SEARCH_FILE, "")))
    }
    made = []
    for row in publications:
        publication_id = row[dat.PUBLICATION_ID]
        if publication_id in searched:
            record = searched[publication_id]
            journal, doi, url = record["journal"], record["doi"], ""
        elif row[dat.PUBLICATION_TYPE] == study.TRAINING_MANUAL:
            journal = organisations.get(publication_id, "Peer support organisation (illustrative)")
            doi, url = "", f"https://example.org/peer-support/{publication_id.lower()}"
        else:
            source = rng.choice(JOURNALS)
            journal, url = source.name, ""
            doi = f"{DOI_PREFIX}/{source.doi_stem}.{row[col.YEAR]}.{rng.randint(1000, 999999)}"
        made.append({dat.JOURNAL: journal, dat.DOI: doi, dat.URL: url})
    return made


def generate(context: Context) -> None:
    rng = context.rng("extraction")
    publications = included(context)
    candidates = candidate_rows(publications, int(context.reported["candidate_components"]), rng)
    sheet = pd.DataFrame(publication_rows(publications, rng))
    # a stream of its own, so that the references leave every other illustrative value as it was
    cited = pd.DataFrame(references(context, publications, context.rng("extraction-references")))
    sheet = pd.concat([sheet, cited], axis=1)
    long_list = pd.DataFrame(candidates)
    columns = [*dat.PUBLICATION_COLUMNS[:4], *dat.REFERENCE_COLUMNS, *dat.PUBLICATION_COLUMNS[4:]]
    # the team keeps its DAT as a workbook: one sheet of publications, one of candidates
    context.write(
        "extraction/data_abstraction_table.xlsx",
        workbook(
            {
                dat.PUBLICATIONS_SHEET: sheet[[*columns, dat.PROVENANCE]],
                dat.CANDIDATES_SHEET: long_list[[*dat.CANDIDATE_COLUMNS, dat.PROVENANCE]],
            }
        ),
    )
    context.shared["candidate_components"] = [
        {key: row[key] for key in (dat.CANDIDATE_ID, dat.PUBLICATION_ID, "item_id")}
        for row in candidates
    ]
