"""The study's two database exports, as demonstration data, with planted duplicates and traps.

The study searched Ovid MEDLINE and Ovid APA PsycInfo in August 2022 and found 222 and 310
records, 101 of them duplicates, leaving 431 to screen. Those exports are licensed records, so
this part writes two exports with exactly that shape:

- ``searches/ovid_medline_2022-08.ris``: Ovid's RIS export (a ``1.`` numbering line before
  each ``TY  - JOUR``; ``DB``, ``AN``, ``ID``, ``T1``, ``A1``, ``Y1``, ``N2``, ``KW``, ``N1``,
  ``JF``, ``JA``, ``VL``, ``IS``, ``SP``, ``EP``, ``CY``, ``SN``, ``AD``, ``UR``, ``DO``,
  ``ER``);
- ``searches/ovid_psycinfo_2022-08.txt``: Ovid's field-labelled text ("Complete Reference"),
  with its search-history preamble, ``<1>`` record headers and labelled fields whose values
  are indented on the lines below.

The counts come from ``reported_numbers.yaml``; nothing else does. Every record is
illustrative: titles and abstracts are composed from templates about peer support in mental
health services, authors from an international name pool, journals are real mental-health
journals (with their NLM abbreviations and ISSNs) but the articles are not, every DOI uses the
Crossref test prefix ``10.5555/``, and PMIDs and PsycINFO accession numbers are made up in the
right shape. Every record carries a note saying it is a demonstration record (RIS ``N1``,
Ovid ``Comments``).

What is planted, so that the deduplication step has a realistic task:

- duplicates: most publications found by both databases appear once in each file (and one
  of them a third time within PsycINFO); a few are indexed twice within one database. Each
  copy differs from the other in one to three realistic ways: title case, title punctuation
  (trailing period, subtitle dash or colon), author initials versus full given names,
  diacritics stripped, journal abbreviation versus full name, MEDLINE page ranges
  (``123-9`` versus ``123-129``), a DOI or an issue given in one copy only, or a year one
  apart (online versus print). Volumes never differ, and one publication never has two DOIs;
- traps, publications that resemble another but are not duplicates: errata (``Correction
  to: ...``), commentaries on a trial (other authors), a congress abstract in a journal
  supplement a year before the full article, and papers from one trial (protocol, main
  results, follow-up, process evaluation);
- pairs for people to decide, which no rule can settle for certain (the deduplication lists
  them as uncertain pairs; ``dedup/decisions.csv`` holds the demonstration reviewers'
  decisions). Four are true duplicates made hard as real exports make them
  (:func:`plant_hard`): a PsycINFO title without its subtitle beside a MEDLINE copy with
  initials and a journal abbreviation that leaves words out, neither with a DOI; an
  online-first record (a year early, no volume, issue or pages) beside the print record
  without a DOI, across databases and within PsycINFO; East Asian names with family and
  given name swapped in one copy, no DOI. Their truth ``variations`` name what makes them
  hard (:data:`HARD_VARIATIONS`: ``subtitle dropped``, ``online first``, ``name order``,
  ``no doi``, ``journal abbreviation drops words``). Two are look-alikes, not duplicates
  (:func:`plant_look_alikes`), marked in the truth's ``trap`` column (:data:`LOOK_ALIKES`):
  an ``unmarked conference abstract`` under the later article's title, without volume,
  issue or pages, and a trial's ``companion report`` (secondary outcomes) with its main
  report's title but two words, team, year, journal and volume, neither with a DOI or
  pages. They replace ordinary publications, so every count stays as reported.

Which records are copies of one publication is written only to the truth file
(``tests/demo_truth/searches.csv``), which only tests read: the exports share no hidden ids,
and each file is in Ovid's order (newest accession number first), not grouped by publication.
Later parts of the generator (screening) get the records, with what was planted, through
``context.shared["search_records"]``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from compendium.demo import vocabulary as vocab
from compendium.demo.vocabulary import Journal
from compendium.readers.databases import database_key

if TYPE_CHECKING:
    import random

    from compendium.demo import Context

MEDLINE_FILE = "searches/ovid_medline_2022-08.ris"
PSYCINFO_FILE = "searches/ovid_psycinfo_2022-08.txt"
TRUTH_FILE = "searches.csv"
NOTE = "Demonstration record: illustrative, not a real publication."
DOI_PREFIX = "10.5555"  # Crossref's test prefix: no real article has it
MEDLINE = "medline"
PSYCINFO = "psycinfo"
MEDLINE_DB = "Ovid MEDLINE(R) <1946 to August Week 1 2022>"
PSYCINFO_DB = "APA PsycInfo <1806 to August Week 1 2022>"
SEARCH_YEAR = 2022
FIRST_YEAR = 1995
WITHIN_MEDLINE = 2  # publications indexed twice in MEDLINE
WITHIN_PSYCINFO = 4  # in PsycINFO, one of them a third copy of a publication in both

TRUTH_COLUMNS = (
    "source_file",
    "record_number",
    "record_id",
    "publication",
    "role",
    "duplicate_kind",
    "variations",
    "trap",
    "trap_of",
)

# How two copies of a publication may differ, and how often each is planted (weights).
VARIATIONS: dict[str, float] = {
    "title case": 3.0,
    "title punctuation": 3.0,
    "author initials": 3.0,
    "author diacritics": 2.0,
    "journal abbreviation": 2.0,
    "page format": 3.0,
    "doi missing": 2.5,
    "issue missing": 1.5,
    "year differs by one": 0.4,
}
#: The text of every conference abstract: the early report a later article may resemble.
CONFERENCE_ABSTRACT = (
    "Background: Peer support is widely offered but rarely tested. Methods: Adults "
    "were randomised to peer support or usual care. Results: Recruitment is complete "
    "and early results suggest benefits for hope and self-efficacy. Conclusion: Final "
    "results will be reported after follow-up."
)
TRAPS = ("erratum", "commentary", "conference abstract", "same trial")
# What else makes a planted pair hard to match for certain, recorded with its variations:
# neither copy gives a DOI; the journal's abbreviation leaves words of its name out.
HARD_VARIATIONS = ("subtitle dropped", "online first", "name order", "no doi",
                   "journal abbreviation drops words")  # fmt: skip
# Traps that look like a duplicate even to careful rules: a person has to decide them.
LOOK_ALIKES = ("unmarked conference abstract", "companion report")
# Regions whose names some records give with family and given name the other way round.
SWAPPABLE_REGIONS = frozenset({"cn", "kr"})


@dataclass(frozen=True)
class Person:
    family: str
    given: str
    middle: str  # a middle initial, or ""
    region: str


@dataclass(frozen=True)
class Publication:
    """One article, as the publisher printed it; copies in the exports render it."""

    key: str
    design: str
    main: str  # the title up to the subtitle, in sentence case
    subtitle: str  # "" when there is none
    authors: tuple[Person, ...]
    journal: Journal
    year: int
    month: int
    volume: str
    issue: str  # "" for journals without issues
    first_page: str
    last_page: str  # "" for one page or an article number
    doi: str  # "" when the article has none
    abstract: str
    institution: str
    mesh: tuple[str, ...]
    headings: tuple[str, ...]
    keywords: tuple[str, ...]
    document_type: str = "Journal Article"
    trap: str = ""
    trap_of: str = ""


@dataclass(frozen=True)
class Style:
    """How one database record shows its publication."""

    title_case: bool = False
    period: bool = True
    separator: str = ": "
    initials: bool = False
    ascii_names: bool = False
    abbreviated_journal: bool = False
    short_pages: bool = False
    doi: bool = True
    issue: bool = True
    year_offset: int = 0
    subtitle: bool = True  # False: the title stops before its subtitle
    online_first: bool = False  # the online-first record: no volume, issue or pages yet
    name_order: bool = False  # East Asian names with family and given name swapped


@dataclass(frozen=True)
class Record:
    """One record of one export: a publication in a database, in a style."""

    publication: Publication
    database: str
    style: Style
    accession: str = ""
    number: int = 0  # 1-based position in its file
    role: str = "first"
    duplicate_kind: str = ""
    variations: tuple[str, ...] = ()
    hard: tuple[str, ...] = ()  # what else makes this copy hard to match (HARD_VARIATIONS)


# --- text helpers ----------------------------------------------------------------------------

_SMALL_WORDS = frozenset(vocab.SMALL_WORDS)
_ASCII = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "å": "a"})
_STOP = _SMALL_WORDS | {"study", "trial", "randomised", "randomized", "controlled", "people"}


def ascii_fold(text: str) -> str:
    """Strip diacritics, as some databases print names (``Müller`` -> ``Muller``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _cap(word: str) -> str:
    for i, char in enumerate(word):
        if char.isalpha():
            return word[:i] + char.upper() + word[i + 1 :]
    return word


def title_case(text: str) -> str:
    """Headline style: content words capitalised, small words not (unless they start)."""
    out = []
    start = True
    for word in text.split(" "):
        parts = [
            p if p.lower() in _SMALL_WORDS and not (start and j == 0) else _cap(p)
            for j, p in enumerate(word.split("-"))
        ]
        out.append("-".join(parts))
        start = word.endswith((":", "?")) or word in ("-", "\u2013")
    return " ".join(out)


def short_last_page(first: str, last: str) -> str:
    """MEDLINE's page range: the end page without the digits it shares (``712-9``)."""
    if not (first.isdigit() and last.isdigit()) or len(first) != len(last):
        return last
    shared = 0
    while shared < len(last) - 1 and first[shared] == last[shared]:
        shared += 1
    return last[shared:]


def title_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", ascii_fold(text).lower())) - _STOP


# --- how a record shows its publication ------------------------------------------------------


def render_title(pub: Publication, style: Style) -> str:
    """The title as one record prints it: case, subtitle separator and final period vary."""
    if not pub.subtitle or not style.subtitle:
        text = pub.main
    elif pub.main.endswith("?"):
        text = f"{pub.main} {_cap(pub.subtitle)}"
    else:
        text = f"{pub.main}{style.separator}{pub.subtitle}"
    text = title_case(text) if style.title_case else _cap(text)
    if style.period and not text.endswith((".", "?", "!")):
        text += "."
    return text


def _initials(given: str, middle: str, *, dotted: bool) -> str:
    letters = [p[0] for p in re.split(r"[ -]", given) if p] + ([middle] if middle else [])
    return " ".join(f"{c}." for c in letters) if dotted else "".join(letters)


def render_author(person: Person, style: Style, database: str) -> str:
    """``Family, Given M`` in full; initials as each database prints them."""
    if style.name_order and person.region in SWAPPABLE_REGIONS:
        return f"{person.given}, {person.family}"
    if style.initials:
        dotted = database == PSYCINFO
        given = _initials(person.given, person.middle, dotted=dotted)
        name = f"{person.family}, {given}" if dotted else f"{person.family} {given}"
    else:
        given = f"{person.given} {person.middle}" if person.middle else person.given
        name = f"{person.family}, {given}"
    return ascii_fold(name) if style.ascii_names else name


def render_pages(pub: Publication, style: Style) -> tuple[str, str]:
    """Start and end page; MEDLINE may drop the end page's shared leading digits."""
    if style.online_first:
        return "", ""
    last = pub.last_page
    if last and style.short_pages:
        last = short_last_page(pub.first_page, last)
    return pub.first_page, last


def has_diacritics(pub: Publication) -> bool:
    return any(ascii_fold(p.family + p.given) != p.family + p.given for p in pub.authors)


def abbreviation_differs(pub: Publication) -> bool:
    return pub.journal.abbreviation != pub.journal.name


def pages_shorten(pub: Publication) -> bool:
    return bool(pub.last_page) and short_last_page(pub.first_page, pub.last_page) != pub.last_page


def has_swappable_names(pub: Publication) -> bool:
    return any(p.region in SWAPPABLE_REGIONS for p in pub.authors)


def has_separator(pub: Publication) -> bool:
    return bool(pub.subtitle) and not pub.main.endswith("?")


def differences(pub: Publication, a: Style, b: Style) -> tuple[str, ...]:
    """What a reader would see differ between two records of one publication."""
    found = []
    if a.title_case != b.title_case:
        found.append("title case")
    if a.period != b.period or (has_separator(pub) and a.separator != b.separator):
        found.append("title punctuation")
    if a.initials != b.initials:
        found.append("author initials")
    if a.ascii_names != b.ascii_names and has_diacritics(pub):
        found.append("author diacritics")
    if a.abbreviated_journal != b.abbreviated_journal and abbreviation_differs(pub):
        found.append("journal abbreviation")
    if a.short_pages != b.short_pages and pages_shorten(pub):
        found.append("page format")
    if pub.doi and a.doi != b.doi:
        found.append("doi missing")
    if pub.issue and a.issue != b.issue:
        found.append("issue missing")
    if a.year_offset != b.year_offset:
        found.append("year differs by one")
    if a.subtitle != b.subtitle and has_separator(pub):
        found.append("subtitle dropped")
    if a.online_first != b.online_first:
        found.append("online first")
    if a.name_order != b.name_order and has_swappable_names(pub):
        found.append("name order")
    return tuple(found)


# --- publications ----------------------------------------------------------------------------

_KEYWORD_SLOTS = ("intervention", "topic", "outcome", "outcome2", "informants", "population")
_DOI_CHANCE = ((2000, 0.3), (2005, 0.75), (SEARCH_YEAR + 1, 0.97))  # (before year, chance)


def _choice_weighted(rng: random.Random, weights: dict[str, float]) -> str:
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def draw_year(rng: random.Random, low: int = FIRST_YEAR, high: int = SEARCH_YEAR) -> int:
    """Peer support research grew fast after 2010: later years are likelier."""
    years = list(range(low, high + 1))
    return rng.choices(years, weights=[(y - FIRST_YEAR + 5) ** 2 for y in years])[0]  # exact


def draw_people(rng: random.Random, count: int) -> tuple[Person, ...]:
    """A team: mostly from one region, with collaborators from elsewhere."""
    home = rng.choice(vocab.NAMES)
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < count:
        region, families, givens = home if rng.random() < 0.7 else rng.choice(vocab.NAMES)
        family, given = rng.choice(families), rng.choice(givens)
        if family in seen or given in seen:
            continue
        seen |= {family, given}
        middle = rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.35 else ""
        people.append(Person(family, given, middle, region))
    return tuple(people)


def draw_institution(rng: random.Random, person: Person) -> str:
    city, country = rng.choice(vocab.PLACES[person.region])
    return f"{rng.choice(vocab.DEPARTMENTS)}, University of {city}, {city}, {country}"


def draw_slots(rng: random.Random) -> dict[str, str]:
    """The words of one publication, drawn together so its title and abstract agree."""
    outcome, outcome2 = rng.sample(vocab.OUTCOMES, 2)
    slots = {
        "intervention": rng.choice(vocab.INTERVENTIONS),
        "population": rng.choice(vocab.POPULATIONS),
        "outcome": outcome,
        "outcome2": outcome2,
        "setting": rng.choice(vocab.SETTINGS),
        "country": rng.choice(vocab.COUNTRIES),
        "comparator": rng.choice(vocab.COMPARATORS),
        "topic": rng.choice(vocab.TOPICS),
        "informants": rng.choice(vocab.INFORMANTS),
        "quote": rng.choice(vocab.QUOTES),
        "measure": rng.choice(vocab.MEASURES),
        "months": str(rng.choice((3, 6, 6, 12, 12, 18, 24))),
        "n": str(rng.randint(24, 480)),
        "k": str(rng.randint(3, 14)),
        "d2": str(rng.randint(12, 89)),
        "smd": f"{rng.randint(10, 35) / 100:.2f}",
        "alpha": f"{rng.randint(78, 94) / 100:.2f}",
        "pct": str(rng.randint(55, 92)),
        "pct2": str(rng.randint(18, 48)),
        "acronym": "",
    }
    # Effects with confidence intervals around them: one clear, one not.
    effect = rng.randint(3, 30) / 10
    low = round(effect * rng.uniform(0.2, 0.8), 1)
    slots |= {"d": f"{effect:.1f}", "lo": f"{low:.1f}", "hi": f"{2 * effect - low:.1f}"}
    null = rng.randint(1, 9) / 10
    null_low = -rng.randint(2, 15) / 10
    slots |= {"dn": f"{null:.1f}", "nlo": f"{null_low:.1f}", "nhi": f"{2 * null - null_low:.1f}"}
    # Capitalised forms for the start of a title or sentence.
    for name in ("intervention", "population", "outcome", "topic"):
        slots[name.capitalize()] = _cap(slots[name].removeprefix("a ").removeprefix("an "))
    return slots


def keywords(title: str, slots: dict[str, str]) -> tuple[str, ...]:
    """Author keywords: the slots the title names, then the field's own words."""
    words = [slots[n].removeprefix("a ") for n in _KEYWORD_SLOTS]
    named = [w for w in words if w.lower() in title.lower()]
    common = [w for w in ("peer support", "mental health services") if w not in named]
    return tuple(named + common)


def fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def compose_abstract(rng: random.Random, design: str, slots: dict[str, str], year: int) -> str:
    """Background, aims, methods, results, conclusions; labelled in about half, as in life."""
    slots = {**slots, "year_before": str(year - 1)}
    parts = [
        ("BACKGROUND", rng.choice(vocab.BACKGROUND)),
        ("AIMS", rng.choice(vocab.AIMS[design])),
        ("METHODS", rng.choice(vocab.METHODS[design])),
        ("RESULTS", rng.choice(vocab.RESULTS[design])),
        ("CONCLUSIONS", rng.choice(vocab.CONCLUSIONS)),
    ]
    if design == "protocol":
        parts[-1] = ("DISCUSSION", "The trial will show whether {intervention} is effective.")
    sentences = [fill(text, slots) for _, text in parts]
    if rng.random() < 0.5:
        return " ".join(f"{label}: {s}" for (label, _), s in zip(parts, sentences, strict=True))
    return " ".join(sentences)


def place_in_journal(
    rng: random.Random, journal: Journal, year: int, *, pages: tuple[int, int]
) -> dict[str, str | int]:
    """Volume, issue and pages of an article printed in ``journal`` in ``year``."""
    month = rng.randint(1, 12)
    volume = str(journal.volume(year, month))
    if journal.issues == 0:
        if journal.article_prefix:
            number = f"{journal.article_prefix}{rng.randint(10000, 69999)}"
        elif journal.doi_stem == "fpsyt":
            number = str(rng.randint(600000, 999999))
        else:
            number = str(rng.randint(1, 950))
        return {"month": month, "volume": volume, "issue": "", "first": number, "last": ""}
    issue = (month - 1) * journal.issues // 12 + 1
    per_issue = rng.randint(80, 160)
    first = (issue - 1) * per_issue + rng.randint(1, per_issue)
    length = rng.randint(*pages)
    last = str(first + length - 1) if length > 1 else ""
    return {"month": month, "volume": volume, "issue": str(issue), "first": str(first),
            "last": last}  # fmt: skip


def journals_for(year: int, membership: str, *, names: tuple[str, ...] = ()) -> list[Journal]:
    """Journals publishing in ``year``; a MEDLINE record needs a MEDLINE-indexed journal."""
    return [
        j
        for j in vocab.JOURNALS
        if j.first_year <= year
        and (j.medline or "M" not in membership)
        and (not names or j.name in names)
    ]


class Draft:
    """Makes publications, keeping titles, DOIs and keys unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.titles: list[frozenset[str]] = []
        self.dois: set[str] = set()
        self.count = 0

    def key(self) -> str:
        self.count += 1
        return f"P{self.count:04d}"

    def distinct(self, main: str, subtitle: str) -> bool:
        """A title a careful reader would not take for another publication's title."""
        words = title_words(f"{main} {subtitle}")
        return all(len(words & o) / len(words | o) < 0.5 for o in self.titles)

    def doi(self, journal: Journal, year: int, *, chance: float | None = None) -> str:
        if chance is None:
            chance = next(c for before, c in _DOI_CHANCE if year < before)
        if self.rng.random() >= chance:
            return ""
        while True:
            doi = f"{DOI_PREFIX}/{journal.doi_stem}.{year}.{self.rng.randint(1000, 999999)}"
            if doi not in self.dois:
                self.dois.add(doi)
                return doi

    def publication(
        self,
        design: str,
        membership: str,
        *,
        titles: tuple[tuple[str, str], ...] | None = None,
        slots: dict[str, str] | None = None,
        year: int | None = None,
        journal_names: tuple[str, ...] = (),
        authors: tuple[Person, ...] | None = None,
        check_title: bool = True,
        **extra: object,
    ) -> Publication:
        rng = self.rng
        if year is None:
            low = 2008 if design == "protocol" or journal_names else FIRST_YEAR
            year = draw_year(rng, low)
        while True:
            fills = dict(slots) if slots is not None else draw_slots(rng)
            main, subtitle = rng.choice(titles or vocab.TITLES[design])
            main, subtitle = fill(main, fills), fill(subtitle, fills)
            if not check_title or slots is not None or self.distinct(main, subtitle):
                break
        self.titles.append(title_words(f"{main} {subtitle}"))
        names = journal_names or (vocab.PROTOCOL_JOURNALS if design == "protocol" else ())
        journal = rng.choice(journals_for(year, membership, names=names))
        where = place_in_journal(rng, journal, year, pages=(4, 14))
        if authors is None:
            authors = draw_people(rng, rng.choice((1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9)))
        fields: dict[str, object] = {
            "key": self.key(),
            "design": design,
            "main": main,
            "subtitle": subtitle,
            "authors": authors,
            "journal": journal,
            "year": year,
            "month": where["month"],
            "volume": where["volume"],
            "issue": where["issue"],
            "first_page": where["first"],
            "last_page": where["last"],
            "doi": self.doi(journal, year),
            "abstract": compose_abstract(rng, design, fills, year),
            "institution": draw_institution(rng, authors[0]),
            "mesh": tuple(
                sorted(rng.sample(vocab.MESH_COMMON, rng.randint(2, 5)))
                + rng.sample(vocab.MESH_TOPICAL, rng.randint(2, 5))
            ),
            "headings": tuple(rng.sample(vocab.PSYCINFO_HEADINGS, rng.randint(2, 5))),
            "keywords": keywords(f"{main} {subtitle}", fills),
        }
        fields.update(extra)
        return Publication(**fields)  # type: ignore[arg-type]


def _later(rng: random.Random, target: Publication, *, pages: tuple[int, int]) -> dict:
    """Where a note on ``target`` appears: the same journal, the next year."""
    year = target.year + 1
    where = place_in_journal(rng, target.journal, year, pages=pages)
    return {
        "year": year,
        "month": where["month"],
        "volume": where["volume"],
        "issue": where["issue"],
        "first_page": where["first"],
        "last_page": where["last"],
    }


def erratum(rng: random.Random, draft: Draft, target: Publication, form: str) -> Publication:
    """A correction notice: the target's title and authors, a later page of its journal."""
    title = render_title(target, Style(period=False))
    where = _later(rng, target, pages=(1, 1))
    first = target.authors[0]
    cited = f"{first.given[0]}. {first.family}"
    if len(target.authors) > 1:
        cited += " et al."
    pages = f"{target.first_page}-{target.last_page}" if target.last_page else target.first_page
    abstract = (
        f'Reports an error in "{title}" by {cited} ({target.journal.name}, {target.year}, '
        f"Vol {target.volume}, {pages}). In the original article, the values in Table 2 were "
        "reported incorrectly. The corrected table is given here. The online version of the "
        "article has been corrected."
    )
    draft.titles.append(title_words(title))
    return replace(
        target,
        key=draft.key(),
        design="erratum",
        main=f"{form} {title}",
        subtitle="",
        doi=draft.doi(target.journal, int(where["year"]), chance=0.5),
        abstract=abstract,
        mesh=(),
        headings=(),
        document_type="Erratum/Correction",
        trap="erratum",
        trap_of=target.key,
        **where,
    )


def commentary(rng: random.Random, draft: Draft, target: Publication, form: str) -> Publication:
    """A commentary on a trial: its title quoted, other authors, a few pages."""
    title = render_title(target, Style(period=False))
    authors = draw_people(rng, rng.choice((1, 1, 2)))
    where = _later(rng, target, pages=(1, 3))
    abstract = (
        f"{target.authors[0].family} and colleagues report a trial of peer support. This "
        "commentary considers what the trial adds, how the peer support was described, and "
        "why the components of peer support work need to be reported in more detail."
    )
    draft.titles.append(title_words(title))
    return replace(
        target,
        key=draft.key(),
        design="commentary",
        main=form.format(title=title),
        subtitle="",
        authors=authors,
        institution=draw_institution(rng, authors[0]),
        doi=draft.doi(target.journal, int(where["year"]), chance=0.8),
        abstract=abstract,
        mesh=target.mesh[:3],
        headings=target.headings[:2],
        document_type="Comment/Reply",
        trap="commentary",
        trap_of=target.key,
        **where,
    )


def conference_abstract(rng: random.Random, draft: Draft, target: Publication) -> Publication:
    """The congress abstract a year before the article: supplement, one S-page, no DOI."""
    year = target.year - 1
    journal = rng.choice([j for j in vocab.JOURNALS if j.supplements and j.first_year <= year])
    month = rng.randint(1, 12)
    subtitle = rng.choice((target.subtitle, "preliminary results of a randomised trial"))
    return replace(
        target,
        key=draft.key(),
        design="conference",
        subtitle=subtitle,
        authors=target.authors[: rng.randint(2, 4)],
        journal=journal,
        year=year,
        month=month,
        volume=str(journal.volume(year, month)),
        issue="Suppl 1",
        first_page=f"S{rng.randint(20, 480)}",
        last_page="",
        doi="",
        abstract=CONFERENCE_ABSTRACT,
        mesh=(),
        headings=target.headings[:2],
        document_type="Abstract Collection",
        trap="conference abstract",
        trap_of=target.key,
    )


def trial_family(
    rng: random.Random, draft: Draft, acronym: str, companions: tuple[str, ...], membership: str
) -> list[Publication]:
    """Papers from one trial: the main report and its companions, one team, one acronym."""
    while True:
        slots = {**draw_slots(rng), "acronym": acronym}
        if draft.distinct(*(fill(t, slots) for t in vocab.TRIAL_TITLES["main"])):
            break
    team = draw_people(rng, rng.randint(5, 9))
    main_year = draw_year(rng, 2012, 2020)
    main = draft.publication(
        "rct", membership, titles=(vocab.TRIAL_TITLES["main"],), slots=slots, year=main_year,
        authors=team,
    )  # fmt: skip
    papers = [main]
    for kind in companions:
        if kind == "protocol":
            year, design, names = main_year - rng.randint(2, 3), "protocol", vocab.PROTOCOL_JOURNALS
        elif kind == "follow-up":
            year, design, names = main_year + rng.randint(1, 2), "secondary", ()
        else:
            year, design, names = main_year + 1, "mixed", ()
        authors = team if kind != "process" else team[:2] + draw_people(rng, 2) + team[2:4]
        paper = draft.publication(
            design, membership, titles=(vocab.TRIAL_TITLES[kind],), slots=slots, year=year,
            journal_names=names, authors=authors, check_title=False,
            trap="same trial", trap_of=main.key,
        )  # fmt: skip
        papers.append(paper)
    return papers


def draw_publications(
    rng: random.Random, memberships: list[str]
) -> tuple[list[Publication], dict[str, str]]:
    """Every publication the two searches found, traps included, with where each was found.

    ``memberships`` holds one of ``"M"``, ``"P"`` or ``"MP"`` per publication; the traps take
    theirs first (congress abstracts only from PsycINFO), the rest are drawn in order.
    """
    pool = list(memberships)

    def take(wanted: str | None = None) -> str:
        index = pool.index(wanted) if wanted else 0
        return pool.pop(index)

    draft = Draft(rng)
    found: dict[str, str] = {}
    publications: list[Publication] = []

    def add(pub: Publication, membership: str) -> Publication:
        publications.append(pub)
        found[pub.key] = membership
        return pub

    # Papers from one trial (protocol, follow-up, process evaluation: "same trial" traps).
    families = (("protocol", "follow-up"), ("process",), ("protocol",))
    acronyms = rng.sample(vocab.TRIALS, len(families))
    trial_mains = []
    for acronym, companions in zip(acronyms, families, strict=True):
        papers = trial_family(rng, draft, acronym, companions, "MP")
        trial_mains.append(papers[0])
        for paper in papers:
            add(paper, take())
    # Commentaries on trials, by other authors.
    forms = ("Commentary on: {title}", 'Peer support under test: a commentary on "{title}"')
    for target, form in zip(trial_mains[:2], forms, strict=True):
        add(commentary(rng, draft, target, form), take())
    # Errata of ordinary articles, and congress abstracts before full trial reports.
    for form in ("Correction to:", "Erratum:"):
        target = add(draft.publication("rct", "MP", year=draw_year(rng, 2005, 2021)), take())
        add(erratum(rng, draft, target, form), take())
    for _ in range(2):
        target = add(draft.publication("rct", "MP", year=draw_year(rng, 2010, 2022)), take())
        add(conference_abstract(rng, draft, target), take("P"))
    while pool:
        membership = take()
        add(draft.publication(_choice_weighted(rng, vocab.DESIGN_WEIGHTS), membership), membership)
    return publications, found


# --- records: copies in the two databases ----------------------------------------------------


def base_style(rng: random.Random, pub: Publication, database: str) -> Style:
    """How a database tends to show a record (MEDLINE has initials only before 2002)."""
    medline = database == MEDLINE
    separator = ": " if rng.random() < 0.85 else rng.choice((" - ", " \u2013 "))
    return Style(
        title_case=rng.random() < (0.1 if medline else 0.3),
        period=rng.random() < 0.75,
        separator=separator,
        initials=(pub.year < 2002 or rng.random() < 0.1) if medline else rng.random() < 0.15,
        ascii_names=not medline and rng.random() < 0.4,
        abbreviated_journal=medline and rng.random() < 0.1,
        short_pages=medline and rng.random() < 0.5,
        doi=rng.random() < 0.96,
        issue=rng.random() < 0.97 or pub.issue.startswith("Suppl"),  # supplements say so
    )


def applicable(pub: Publication, databases: tuple[str, str]) -> list[str]:
    """The variations two copies in ``databases`` can show (PsycINFO prints full forms)."""
    found = ["title case", "title punctuation", "author initials"]
    if pub.year > FIRST_YEAR:  # the online year is the one before; keep within the search
        found.append("year differs by one")
    if has_diacritics(pub):
        found.append("author diacritics")
    if MEDLINE in databases and abbreviation_differs(pub):
        found.append("journal abbreviation")
    if MEDLINE in databases and pages_shorten(pub):
        found.append("page format")
    if pub.doi:
        found.append("doi missing")
    if pub.issue and not pub.issue.startswith("Suppl"):
        found.append("issue missing")
    return found


def plant(
    rng: random.Random,
    pub: Publication,
    first: Style,
    databases: tuple[str, str],
    *,
    keep_first: bool = False,
    avoid: tuple[str, ...] = (),
) -> tuple[Style, Style]:
    """Styles for two copies that differ in one to three planted ways, and in no other.

    With ``keep_first`` the first copy is already written, so only the second changes.
    """
    choices = [v for v in applicable(pub, databases) if v not in avoid]
    count = min(len(choices), rng.choices((1, 2, 3), weights=(45, 40, 15))[0])
    planted: list[str] = []
    while len(planted) < count:
        planted.append(
            _choice_weighted(rng, {v: VARIATIONS[v] for v in choices if v not in planted})
        )
    a = b = first
    # Only MEDLINE prints short page ranges and bare journal abbreviations.
    for field, variation in (("short_pages", "page format"),
                             ("abbreviated_journal", "journal abbreviation")):  # fmt: skip
        if variation in planted:
            if keep_first:
                on = getattr(a, field)
            else:
                on = rng.random() < 0.5 if databases[1] == MEDLINE else True
            a, b = replace(a, **{field: on}), replace(b, **{field: not on})
        elif MEDLINE in databases and databases[0] != databases[1]:
            a, b = replace(a, **{field: False}), replace(b, **{field: False})
    symmetric = {"author diacritics": "ascii_names", "doi missing": "doi", "issue missing": "issue"}
    for variation in planted:
        on = getattr(a, symmetric.get(variation, "doi")) if keep_first else rng.random() < 0.5
        if variation == "title case":
            b = replace(b, title_case=not a.title_case)
        elif variation == "title punctuation":
            if has_separator(pub) and rng.random() < 0.5:
                other = [s for s in (": ", " - ", " \u2013 ") if s != a.separator]
                b = replace(b, separator=rng.choice(other))
            else:
                b = replace(b, period=not a.period)
        elif variation == "author initials":
            b = replace(b, initials=not a.initials)
        elif variation in symmetric:
            field = symmetric[variation]
            a, b = replace(a, **{field: on}), replace(b, **{field: not on})
        elif variation == "year differs by one":
            online = a.year_offset == 0 if keep_first else rng.random() < 0.5
            a = replace(a, year_offset=0 if online else -1)
            b = replace(b, year_offset=-1 if online else 0)
    if keep_first and a != first:
        msg = f"demonstration data: planting changed the first copy of {pub.key}"
        raise ValueError(msg)
    if not differences(pub, a, b):
        msg = f"demonstration data: no difference planted between copies of {pub.key}"
        raise ValueError(msg)
    return a, b


def draw_memberships(rng: random.Random, medline: int, psycinfo: int, duplicates: int) -> list:
    """Where each publication was found, so that the counts come out as reported."""
    both = duplicates - WITHIN_MEDLINE - WITHIN_PSYCINFO
    medline_only = medline - both - WITHIN_MEDLINE
    psycinfo_only = psycinfo - both - WITHIN_PSYCINFO
    if min(both, medline_only, psycinfo_only) < 0:
        msg = (
            f"demonstration data: cannot plant {duplicates} duplicates among {medline} MEDLINE "
            f"and {psycinfo} PsycINFO records"
        )
        raise ValueError(msg)
    memberships = ["MP"] * both + ["M"] * medline_only + ["P"] * psycinfo_only
    rng.shuffle(memberships)
    return memberships


def draw_copies(
    rng: random.Random,
    publications: list[Publication],
    found: dict[str, str],
    hard: dict[str, HardPair] | None = None,
) -> list[Record]:
    """Every record of both exports, unnumbered: one or more per publication.

    The publications in ``hard`` get the two copies planned for them (:func:`plant_hard`).
    """
    hard = hard or {}
    records: list[Record] = []
    ordinary = [p for p in publications if not p.trap and p.key not in hard and not any(
        q.trap_of == p.key for q in publications)]  # fmt: skip
    medline_only = [p.key for p in ordinary if found[p.key] == "M"]
    psycinfo_only = [p.key for p in ordinary if found[p.key] == "P"]
    both = [p.key for p in ordinary if found[p.key] == "MP"]
    within = Counter(pair.databases[0] for pair in hard.values() if len(set(pair.databases)) == 1)
    twice = {key: MEDLINE for key in rng.sample(medline_only, WITHIN_MEDLINE - within[MEDLINE])}
    twice |= {
        key: PSYCINFO for key in rng.sample(psycinfo_only, WITHIN_PSYCINFO - 1 - within[PSYCINFO])
    }
    triple = rng.choice(both)
    for pub in publications:
        membership = found[pub.key]
        if pub.key in hard:
            pair = hard[pub.key]
            records += [
                Record(pub, pair.databases[0], pair.first, hard=pair.notes),
                Record(pub, pair.databases[1], pair.second, hard=pair.notes),
            ]
            continue
        if membership == "MP":
            first = base_style(rng, pub, MEDLINE)
            a, b = plant(rng, pub, first, (MEDLINE, PSYCINFO))
            records += [Record(pub, MEDLINE, a), Record(pub, PSYCINFO, b)]
            if pub.key == triple:
                done = differences(pub, a, b)
                _, c = plant(rng, pub, b, (PSYCINFO, PSYCINFO), keep_first=True, avoid=done)
                records.append(Record(pub, PSYCINFO, c))
            continue
        database = MEDLINE if membership == "M" else PSYCINFO
        first = base_style(rng, pub, database)
        records.append(Record(pub, database, first))
        if pub.key in twice:
            _, b = plant(rng, pub, first, (database, database), keep_first=True)
            records.append(Record(pub, database, b))
    return records


# --- pairs for people to decide ----------------------------------------------------------------


@dataclass(frozen=True)
class HardPair:
    """The two copies planned for a publication whose duplicate is hard to recognise."""

    databases: tuple[str, str]
    first: Style
    second: Style
    notes: tuple[str, ...] = ()  # HARD_VARIATIONS that are no difference between the copies


def _matching_text(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(text).lower()))


def abbreviation_drops_words(journal: Journal) -> bool:
    """Whether the abbreviation leaves out words of the name, not only shortens them
    (``Adm Policy Ment Health`` for ``Administration and Policy in Mental Health and Mental
    Health Services Research``): no word-by-word reading recovers the name."""
    small = {"and", "of", "in", "the", "for", "on"}
    words = [w for w in _matching_text(journal.name).split() if w not in small]
    short = _matching_text(journal.abbreviation).split()
    return 1 < len(short) < len(words)


def _ordinary(publications: list[Publication], found: dict[str, str], membership: str) -> list:
    """Publications of one membership that are no trap and the target of none."""
    targets = {p.trap_of for p in publications if p.trap_of}
    return [
        p
        for p in publications
        if found[p.key] == membership and not p.trap and p.key not in targets
    ]


def _distinct_title(publications: list[Publication], main: str, subtitle: str) -> bool:
    words = title_words(f"{main} {subtitle}")
    for pub in publications:
        other = title_words(f"{pub.main} {pub.subtitle}")
        if len(words & other) / len(words | other) >= 0.5:
            return False
    return True


def _unused_acronym(publications: list[Publication]) -> str:
    used = " ".join(f"{p.main} {p.subtitle}" for p in publications)
    return next(a for a in vocab.TRIALS if a not in used)


def plant_look_alikes(
    rng: random.Random, publications: list[Publication], found: dict[str, str]
) -> list[Publication]:
    """Non-duplicates that careful rules cannot tell from duplicates (:data:`LOOK_ALIKES`).

    Each takes the place (key and databases) of an ordinary publication found by one
    database, so the counts stay as reported:

    - an *unmarked conference abstract*: the congress abstract of a trial, a year before its
      article and under the article's title, indexed from the abstract book without volume,
      issue (so no supplement marker) or pages;
    - a *companion report*: the secondary outcomes of a trial, the same team, year, journal
      and volume as its main report, with a title that differs by two words; neither report
      has a DOI or pages in the exports.
    """
    single = {m: _ordinary(publications, found, m) for m in ("M", "P")}
    replaced: dict[str, Publication] = {}

    # The conference abstract (found in PsycINFO) of a trial found in both databases.
    targets = [
        p
        for p in _ordinary(publications, found, "MP")
        if p.design == "rct" and p.subtitle and p.year > FIRST_YEAR
    ]
    target = rng.choice(targets)
    place = rng.choice(single["P"])
    year = target.year - 1
    congress = rng.choice([j for j in vocab.JOURNALS if j.supplements and j.first_year <= year])
    replaced[place.key] = replace(
        target,
        key=place.key,
        design="conference",
        authors=target.authors[: rng.randint(2, 4)],
        journal=congress,
        year=year,
        month=rng.randint(1, 12),
        volume="",
        issue="",
        first_page="",
        last_page="",
        doi="",
        abstract=CONFERENCE_ABSTRACT,
        mesh=(),
        headings=target.headings[:2],
        document_type="Abstract Collection",
        trap=LOOK_ALIKES[0],
        trap_of=target.key,
    )

    # The main report of a trial (found in MEDLINE) and its companion (found in PsycINFO).
    main_place = rng.choice(single["M"])
    companion_place = rng.choice([p for p in single["P"] if p.key != place.key])
    acronym = _unused_acronym(publications)
    others = [p for p in publications if p.key not in (main_place.key, companion_place.key)]
    while True:
        slots = {**draw_slots(rng), "acronym": acronym}
        titles = [[fill(t, slots) for t in vocab.TRIAL_TITLES[k]] for k in ("main", "secondary")]
        if all(_distinct_title(others, *title) for title in titles):
            break
    year = rng.randint(2001, 2004)  # before the journal's articles had DOIs
    journal = rng.choice(
        [j for j in journals_for(year, "MP") if j.issues and j.volumes_per_year == 1]
    )
    team = draw_people(rng, rng.randint(4, 7))
    month = rng.randint(1, 11)
    reports = []
    for kind, place_of, when in (
        ("main", main_place, month),
        ("secondary", companion_place, rng.randint(month, 12)),
    ):
        design = "rct" if kind == "main" else "secondary"
        main, subtitle = titles[0] if kind == "main" else titles[1]
        reports.append(
            replace(
                place_of,
                design=design,
                main=main,
                subtitle=subtitle,
                authors=team,
                journal=journal,
                year=year,
                month=when,
                volume=str(journal.volume(year, when)),
                issue=str((when - 1) * journal.issues // 12 + 1),
                first_page="",
                last_page="",
                doi="",
                abstract=compose_abstract(rng, design, slots, year),
                institution=draw_institution(rng, team[0]),
                keywords=keywords(f"{main} {subtitle}", slots),
                document_type="Journal Article",
                trap="" if kind == "main" else LOOK_ALIKES[1],
                trap_of="" if kind == "main" else main_place.key,
            )
        )
    replaced[main_place.key], replaced[companion_place.key] = reports
    return [replaced.get(p.key, p) for p in publications]


def plant_hard(
    rng: random.Random, publications: list[Publication], found: dict[str, str]
) -> tuple[list[Publication], dict[str, HardPair]]:
    """True duplicates hard to recognise for certain, as real exports make them.

    - *subtitle dropped*: the PsycINFO copy's title stops before its subtitle, the MEDLINE
      copy gives authors' initials and only the journal's abbreviation, one that leaves words
      of the name out; neither copy has a DOI;
    - *online first*, across databases: the MEDLINE copy is the online-first record (a year
      before the print issue, no volume, issue or pages), the PsycINFO copy the print one
      without a DOI;
    - *name order*: the PsycINFO copy gives East Asian names family name last; no DOI;
    - *online first*, within PsycINFO: the database indexed both versions of one article,
      the print record without a DOI.

    The publications change where a case needs it (journal, authors, DOI); the copies differ
    in nothing else.
    """
    pairs: dict[str, HardPair] = {}
    changed: dict[str, Publication] = {}
    both = _ordinary(publications, found, "MP")

    def base(pub: Publication, database: str) -> Style:
        return replace(
            base_style(rng, pub, database),
            abbreviated_journal=False,
            short_pages=False,
            doi=True,
            issue=True,
            initials=False,
            ascii_names=False,
        )

    def free(candidates: list[Publication]) -> Publication:
        return rng.choice([p for p in candidates if p.key not in pairs])

    # Subtitle dropped, an abbreviation that drops words, initials, no DOI.
    def long_subtitle(pub: Publication) -> bool:
        main, full = _matching_text(pub.main), _matching_text(f"{pub.main} {pub.subtitle}")
        return has_separator(pub) and len(main) >= 50 and len(full) >= 1.2 * len(main)

    pub = free([p for p in both if long_subtitle(p)])
    journal = rng.choice([j for j in vocab.JOURNALS if abbreviation_drops_words(j)])
    where = place_in_journal(rng, journal, pub.year, pages=(6, 14))
    pub = changed[pub.key] = replace(
        pub,
        journal=journal,
        month=where["month"],
        volume=where["volume"],
        issue=where["issue"],
        first_page=where["first"],
        last_page=where["last"],
        doi="",
    )
    a = replace(base(pub, MEDLINE), initials=True, abbreviated_journal=True)
    b = replace(a, initials=False, abbreviated_journal=False, subtitle=False)
    pairs[pub.key] = HardPair((MEDLINE, PSYCINFO), a, b, ("no doi", HARD_VARIATIONS[4]))

    # Online first, across databases.
    def printed_with_doi(pub: Publication) -> bool:
        return bool(pub.doi) and pub.year >= 2008 and pub.journal.issues > 0

    pub = free([p for p in both if printed_with_doi(p)])
    a = replace(base(pub, MEDLINE), online_first=True, year_offset=-1)
    b = replace(a, online_first=False, year_offset=0, doi=False)
    pairs[pub.key] = HardPair((MEDLINE, PSYCINFO), a, b)

    # Family and given names swapped, no DOI.
    pub = free([p for p in both if p.year >= 2005])
    region, families, givens = next(n for n in vocab.NAMES if n[0] == "cn")
    count = rng.randint(3, 5)
    team = tuple(
        Person(f, g, "", region)
        for f, g in zip(rng.sample(families, count), rng.sample(givens, count), strict=True)
    )
    pub = changed[pub.key] = replace(
        pub, authors=team, institution=draw_institution(rng, team[0]), doi=""
    )
    a = base(pub, MEDLINE)
    pairs[pub.key] = HardPair((MEDLINE, PSYCINFO), a, replace(a, name_order=True), ("no doi",))

    # Online first, twice within PsycINFO.
    pub = free([p for p in _ordinary(publications, found, "P") if printed_with_doi(p)])
    a = replace(base(pub, PSYCINFO), online_first=True, year_offset=-1)
    pairs[pub.key] = HardPair(
        (PSYCINFO, PSYCINFO), a, replace(a, online_first=False, year_offset=0, doi=False)
    )

    publications = [changed.get(p.key, p) for p in publications]
    for pub in (p for p in publications if p.key in pairs):
        if not differences(pub, pairs[pub.key].first, pairs[pub.key].second):
            msg = f"demonstration data: no difference planted between copies of {pub.key}"
            raise ValueError(msg)
    return publications, pairs


def pmid_for(rng: random.Random, year: int) -> int:
    """An eight-digit PubMed-like id that grows with the year, as real ones do."""
    start = 10_000_000 + (year - FIRST_YEAR) * 960_000
    return rng.randint(start, start + 950_000)


def record_id_of(record: Record) -> str:
    """The id the readers give the record: its database's key and its accession number."""
    return f"{database_key(record.database)}:{record.accession}"


def number_records(rng: random.Random, records: list[Record]) -> list[Record]:
    """Give accession numbers, sort each file newest first, and mark first copies.

    Of a publication's copies the first is the one deduplication keeps: the smallest record
    id (:func:`compendium.dedup.find_duplicates`' rule, which no order of the files changes).
    Every other copy is a duplicate: ``within database`` when the kept copy is in its own
    file, else ``across databases``; its variations are those against the kept copy.
    """
    used: set[str] = set()
    numbered = []
    for record in records:
        year = record.publication.year + record.style.year_offset
        while True:
            if record.database == MEDLINE:
                accession = str(pmid_for(rng, year))
            else:
                entered = min(year + int(rng.random() < 0.25), SEARCH_YEAR)
                suffix = 1 if rng.random() < 0.85 else rng.randint(2, 12)
                accession = f"{entered}-{rng.randint(1000, 99999):05d}-{suffix:03d}"
            if accession not in used:
                used.add(accession)
                break
        numbered.append(replace(record, accession=accession))
    kept: dict[str, Record] = {}
    for record in numbered:
        held = kept.get(record.publication.key)
        if held is None or record_id_of(record) < record_id_of(held):
            kept[record.publication.key] = record
    out: list[Record] = []
    for database in (MEDLINE, PSYCINFO):
        in_file = [r for r in numbered if r.database == database]
        in_file.sort(key=lambda r: int(r.accession) if database == MEDLINE else r.accession)
        in_file.reverse()
        for number, record in enumerate(in_file, 1):
            reference = kept[record.publication.key]
            if record is not reference:
                variations = differences(record.publication, reference.style, record.style)
                variations += record.hard
                if not variations:
                    msg = f"demonstration data: {record.publication.key} copies do not differ"
                    raise ValueError(msg)
                kind = "within database" if reference.database == database else "across databases"
                record = replace(
                    record, role="duplicate", duplicate_kind=kind, variations=variations
                )
            out.append(replace(record, number=number))
    return out


def plan(
    rng: random.Random,
    *,
    medline: int,
    psycinfo: int,
    duplicates: int,
    hard_rng: random.Random | None = None,
) -> list[Record]:
    """Every record of both exports, numbered, with what the generator planted.

    ``hard_rng`` (a stream of its own) plants the pairs left to people; without it, none.
    """
    memberships = draw_memberships(rng, medline, psycinfo, duplicates)
    publications, found = draw_publications(rng, memberships)
    hard: dict[str, HardPair] = {}
    if hard_rng is not None:
        publications = plant_look_alikes(hard_rng, publications, found)
        publications, hard = plant_hard(hard_rng, publications, found)
    records = draw_copies(rng, publications, found, hard)
    return number_records(rng, records)


# --- the exports -----------------------------------------------------------------------------


def _doi_url(doi: str) -> str:
    return f"https://dx.doi.org/{doi}"


def ris_record(record: Record) -> list[str]:
    """One record as Ovid writes RIS: a numbering line, then tagged lines to ``ER``."""
    pub, style = record.publication, record.style
    first, last = render_pages(pub, style)
    lines = [
        f"{record.number}.",
        "TY  - JOUR",
        f"DB  - {MEDLINE_DB}",
        f"AN  - {record.accession}",
        f"ID  - {record.accession}",
        f"T1  - {render_title(pub, style)}",
    ]
    lines += [f"A1  - {render_author(p, style, MEDLINE)}" for p in pub.authors]
    lines.append(f"Y1  - {pub.year + style.year_offset}//")
    if pub.abstract:
        lines.append(f"N2  - {pub.abstract}")
    lines += [f"KW  - {heading}" for heading in pub.mesh]
    lines.append(f"N1  - {NOTE}")
    if not style.abbreviated_journal:
        lines.append(f"JF  - {pub.journal.name}")
    lines.append(f"JA  - {pub.journal.abbreviation}")
    if pub.volume and not style.online_first:
        lines.append(f"VL  - {pub.volume}")
    if pub.issue and style.issue and not style.online_first:
        lines.append(f"IS  - {pub.issue}")
    if first:
        lines.append(f"SP  - {first}")
    if last:
        lines.append(f"EP  - {last}")
    lines += [
        f"CY  - {pub.journal.country}",
        f"SN  - {pub.journal.issn}",
        f"AD  - {pub.institution}",
        "UR  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=medl&NEWS=N"
        f"&AN={record.accession}",
    ]
    if pub.doi and style.doi:
        lines.append(f"DO  - {_doi_url(pub.doi)}")
    lines.append("ER  -")
    return lines


def render_ris(records: list[Record]) -> str:
    """The Ovid MEDLINE export: records separated by blank lines."""
    blocks = ["\n".join(ris_record(r)) for r in records]
    return "\n\n".join(blocks) + "\n"


def _source(pub: Publication, style: Style, pages: str) -> str:
    """PsycINFO's citation line: ``Journal. Vol.12(3), Mar 2019, pp. 1-9.``

    An online-first record says so instead of a volume; a record without volume or pages
    leaves them out.
    """
    when = f"{vocab.MONTHS[pub.month - 1]} {pub.year + style.year_offset}"
    if style.online_first:
        return f"{pub.journal.name}. Advance online publication. {when}."
    parts = [when]
    if pub.volume:
        issue = f"({pub.issue})" if pub.issue and style.issue else ""
        parts.insert(0, f"Vol.{pub.volume}{issue}")
    if pages:
        parts.append(f"ArtID {pages}" if pub.journal.issues == 0 else f"pp. {pages}")
    return f"{pub.journal.name}. {', '.join(parts)}."


def labelled_record(record: Record) -> list[str]:
    """One record as Ovid's field-labelled display: a label, then its value indented."""
    pub, style = record.publication, record.style
    first, last = render_pages(pub, style)
    pages = f"{first}-{last}" if last else first
    authors = [render_author(p, style, PSYCINFO) for p in pub.authors]
    lead = authors[0].rstrip(".")
    fields: list[tuple[str, str]] = [
        ("Accession Number", record.accession),
        ("Author", "; ".join(authors)),
        ("Institution", f"{lead}: {pub.institution}"),
        ("Title", render_title(pub, style)),
        ("Language", "English"),
        ("Source", _source(pub, style, pages)),
        ("Journal Name", pub.journal.name),
    ]
    if pub.volume and not style.online_first:
        fields.append(("Volume", pub.volume))
    if pub.issue and style.issue and not style.online_first:
        fields.append(("Issue", pub.issue))
    if pages:
        fields.append(("Page", pages))
    fields += [
        ("Publisher", f"{pub.journal.country} : {pub.journal.publisher}"),
        ("ISSN", pub.journal.issn),
    ]
    if pub.doi and style.doi:
        fields.append(("Digital Object Identifier", _doi_url(pub.doi)))
    fields.append(("Publication Type", "Journal; Peer Reviewed Journal"))
    fields.append(("Document Type", pub.document_type))
    if pub.abstract:
        entered = record.accession[:4]
        copyright_line = f"(PsycInfo Database Record (c) {entered} APA, all rights reserved)"
        fields.append(("Abstract", f"{pub.abstract} {copyright_line}"))
    if pub.headings:
        fields.append(("Subject Headings", "\n".join(pub.headings)))
    fields += [
        ("Keywords", "; ".join(pub.keywords)),
        ("Comments", NOTE),
        ("Year of Publication", str(pub.year + style.year_offset)),
        ("Database", PSYCINFO_DB),
    ]
    lines = [f"<{record.number}>"]
    for label, value in fields:
        lines.append(label)
        lines += [f"  {line}" for line in value.split("\n")]
    lines += [
        "Link to the Ovid Full Text or citation",
        " http://ovidsp.ovid.com/ovidweb.cgi?T=JS&CSC=Y&NEWS=N&PAGE=fulltext&D=psyc22"
        f"&AN={record.accession}",
    ]
    return lines


def search_history(count: int) -> list[str]:
    """Ovid's preamble: the database, the search lines (illustrative) and their hits."""
    lines = [
        f"Database: {PSYCINFO_DB}",
        "Search Strategy:",
        "-" * 80,
        "1     (peer support or peer worker* or peer specialist* or peer mentor*).mp. (9137)",
        "2     exp Peer Counseling/ (2706)",
        "3     1 or 2 (10218)",
        "4     (randomi#ed or randomly or trial).ab,ti. (301442)",
        "5     (mental health or mental illness or psychiatr*).mp. (852361)",
        f"6     3 and 4 and 5 (restricted to journal articles 1995-2022) ({count})",
        "",
        "Demonstration data: written by compendium.demo (seed 20230814). The search lines",
        "above are illustrative (the study's strategy is in its supplementary file ESM 1) and",
        "every record below is illustrative, not a real publication.",
        "",
        "*" * 27,
    ]
    return lines


def render_labelled(records: list[Record]) -> str:
    """The Ovid PsycINFO export: preamble, then records separated by blank lines."""
    blocks = ["\n".join(search_history(len(records)))]
    blocks += ["\n".join(labelled_record(r)) for r in records]
    return "\n\n".join(blocks) + "\n"


def render_truth(records: list[Record]) -> str:
    """What only the generator knows: which records are copies of one publication."""
    files = {MEDLINE: MEDLINE_FILE, PSYCINFO: PSYCINFO_FILE}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TRUTH_COLUMNS)
    rows = []
    for record in records:
        path = PurePosixPath(files[record.database])
        pub = record.publication
        rows.append(
            (
                path.name,
                record.number,
                record_id_of(record),
                pub.key,
                record.role,
                record.duplicate_kind,
                ";".join(record.variations),
                pub.trap,
                pub.trap_of,
            )
        )
    writer.writerows(sorted(rows, key=lambda row: (row[0], row[1])))
    return buffer.getvalue()


def handed_on(records: list[Record]) -> list[dict[str, object]]:
    """Each record as a later part of the generator sees it, with what was planted."""
    files = {MEDLINE: MEDLINE_FILE, PSYCINFO: PSYCINFO_FILE}
    out = []
    for record in records:
        path = PurePosixPath(files[record.database])
        pub, style = record.publication, record.style
        out.append(
            {
                "record_id": record_id_of(record),
                "source_file": path.name,
                "publication": pub.key,
                "role": record.role,
                "duplicate_kind": record.duplicate_kind,
                "design": pub.design,
                "title": render_title(pub, style),
                "authors": "; ".join(render_author(p, style, record.database) for p in pub.authors),
                "year": pub.year + style.year_offset,
                "journal": pub.journal.name,
                "doi": pub.doi,
                "trap": pub.trap,
                "trap_of": pub.trap_of,
                "variations": ";".join(record.variations),  # how it differs from the first
            }
        )
    return out


def generate(context: Context) -> None:
    """Write both exports and the truth of what was planted in them."""
    reported = context.reported
    records = plan(
        context.rng("searches"),
        medline=int(reported["records_identified_medline"]),
        psycinfo=int(reported["records_identified_psycinfo"]),
        duplicates=int(reported["duplicates_removed"]),
        hard_rng=context.rng("searches:hard pairs"),
    )
    context.write(MEDLINE_FILE, render_ris([r for r in records if r.database == MEDLINE]))
    context.write(PSYCINFO_FILE, render_labelled([r for r in records if r.database == PSYCINFO]))
    context.write_truth(TRUTH_FILE, render_truth(records))
    shared = getattr(context, "shared", None)
    if shared is not None:  # for later parts: screening decides about these records
        shared["search_records"] = handed_on(records)
