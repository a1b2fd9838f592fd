"""The review's protocol as data: what the pipeline must know about one review and nothing else.

``data/raw/protocol.yaml`` says, in the review's own words:

- ``databases``: the databases searched, each with the short ``key`` its numbers are named by
  (``records_identified_medline``) and, for exports that do not name their database, the
  ``files`` in ``data/raw/searches`` that come from it;
- ``publication_types``: what the review includes, in the order tables and figures list
  them, each with a ``key`` for its numbers and the ``label`` the PRISMA diagram prints;
- ``database_search``: the publication type the database records are;
- ``other_sources``: the publications found another way, each with its sheet in
  ``data/raw/other_sources``, the publication type its rows are (or ``per row``, when the
  sheet gives each row's), its label in the PRISMA diagram and the line of PRISMA 2020's
  "other methods" arm it is counted on (``websites``, ``organisations`` or
  ``citation searching``);
- ``double_screening``: how the double-screened sample was chosen: ``sample: seeded`` with
  the ``fraction`` and ``seed`` recorded before screening (the compendium redraws the sample
  and checks the sheet holds exactly it), or ``sample: recorded`` (the team chose it another
  way: the sample is the records ``double_screening.csv`` lists), or ``sample: none`` (no
  record was screened twice, and there is no ``double_screening.csv``);
- ``number_names``: the manuscript's own names for counts of study selection the compendium
  computes under general names (``manuals_from_experts: training_manuals_from_experts``).

The exclusion reasons are the sheet ``screening/exclusion_reasons.csv``. Every problem in the
file is reported at once, naming the entry, the value and what was expected.

Examples
--------
>>> from compendium.paths import Project
>>> review = read(Project().protocol)
>>> [database.key for database in review.databases]
['medline', 'psycinfo']
>>> review.source("prior review").prisma
'citation searching'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from compendium import columns as col
from compendium.errors import InputError
from compendium.io import load_yaml
from compendium.readers.databases import database_key

#: PRISMA 2020's lines for records identified by other methods, as the template names them.
PRISMA_LINES: dict[str, str] = {
    "websites": "Websites",
    "organisations": "Organisations",
    "citation searching": "Citation searching",
}
PER_ROW = "per row"  # an other source whose sheet gives each row's publication type
SEEDED, RECORDED, NONE = "seeded", "recorded", "none"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class ProtocolError(InputError):
    """``protocol.yaml`` is missing, or an entry of it is not what the pipeline needs."""


@dataclass(frozen=True)
class Database:
    """A database searched: its name, the key of its numbers, the exports that do not name it."""

    name: str
    key: str
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicationType:
    """A kind of publication the review includes."""

    name: str  # as the sheets write it: "trial report"
    key: str  # in number keys: trial_reports_included
    label: str  # in the PRISMA diagram: "Trial reports"


@dataclass(frozen=True)
class OtherSource:
    """Publications found another way than the database searches."""

    name: str  # as the ledger's source column writes it: "prior review"
    key: str  # in number keys: trial_reports_from_prior_review
    sheet: str  # its sheet in data/raw/other_sources, without the extension
    publication_type: str | None  # None: the sheet gives each row's
    label: str  # in the PRISMA diagram: "Prior systematic review"
    prisma: str  # its line in PRISMA 2020's other-methods arm: one of PRISMA_LINES
    what: str = ""  # what the sheet holds, in a sentence


@dataclass(frozen=True)
class DoubleScreeningPlan:
    """How the double-screened sample was chosen."""

    sample: str  # SEEDED or RECORDED
    fraction: float | None = None
    seed: int | None = None

    @property
    def seeded(self) -> bool:
        return self.sample == SEEDED

    @property
    def none(self) -> bool:
        return self.sample == NONE

    def __str__(self) -> str:
        if self.seeded:
            return f"{self.fraction:.0%} of the records, drawn with seed {self.seed}"
        if self.none:
            return "none (one reviewer screened each record)"
        return "the team's own sample, as double_screening.csv lists it"


@dataclass(frozen=True)
class Protocol:
    """``protocol.yaml``, read and checked."""

    databases: tuple[Database, ...]
    publication_types: tuple[PublicationType, ...]
    database_search_type: str
    other_sources: tuple[OtherSource, ...]
    double_screening: DoubleScreeningPlan
    number_names: Mapping[str, str] = field(default_factory=dict)
    path: str = ""  # where it was read from, for messages

    def __str__(self) -> str:
        databases = ", ".join(d.name for d in self.databases)
        kinds = ", ".join(k.name for k in self.publication_types)
        others = ", ".join(o.name for o in self.other_sources) or "none"
        return (
            f"databases: {databases}\npublication types: {kinds} (the database records: "
            f"{self.database_search_type})\nother sources: {others}\n"
            f"double-screened sample: {self.double_screening}"
        )

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(kind.name for kind in self.publication_types)

    @property
    def source_names(self) -> tuple[str, ...]:
        """Every source, the database search first, in the protocol's order."""
        return (col.DATABASE_SEARCH, *(source.name for source in self.other_sources))

    def publication_type(self, name: str) -> PublicationType:
        return next(kind for kind in self.publication_types if kind.name == name)

    def source(self, name: str) -> OtherSource:
        return next(source for source in self.other_sources if source.name == name)

    def source_key(self, name: str) -> str:
        """A source's key in number names (the database search's is ``database_search``)."""
        return "database_search" if name == col.DATABASE_SEARCH else self.source(name).key

    def types_from(self, name: str) -> tuple[str, ...]:
        """The publication types a source can contribute."""
        if name == col.DATABASE_SEARCH:
            return (self.database_search_type,)
        fixed = self.source(name).publication_type
        return (fixed,) if fixed else self.type_names

    def database_of_file(self, file_name: str) -> str | None:
        """The database an export that does not name its own comes from, if listed."""
        return next((d.name for d in self.databases if file_name in d.files), None)

    def database(self, name: str) -> Database | None:
        """The protocol's database that an export's database name stands for.

        An export names its database in its own words ("Ovid MEDLINE(R) ALL", "PubMed",
        "MEDLINE"); the readers turn those into a key (:func:`database_key`), and the
        protocol's database with that key, or with exactly that name, is the one.
        """
        key = database_key(name)
        return next((d for d in self.databases if d.name == name or d.key == key), None)


# --- reading --------------------------------------------------------------------------------


def _text(entry: dict, name: str, where: str, problems: list[str], *, default=None) -> str:
    value = entry.get(name, default)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}, {name}: {value!r}: expected a name")
        return ""
    return value.strip()


def _slug(name: str) -> str:
    """A name as a default key: its lower-case words joined by ``_`` (trial_report)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _key(entry: dict, where: str, problems: list[str], default: str) -> str:
    value = entry.get("key", default)
    if not isinstance(value, str) or not _KEY.match(value):
        problems.append(
            f"{where}, key: {value!r}: expected lower-case letters, digits and _ "
            "(it is part of number names)"
        )
        return ""
    return value


def _entries(card: dict, name: str, problems: list[str], *, empty: bool = False) -> list[dict]:
    entries = card.get(name, [] if empty else None)
    if entries is None and empty:
        return []
    if (
        not isinstance(entries, list)
        or (not entries and not empty)
        or not all(isinstance(e, dict) for e in entries)
    ):
        problems.append(f"{name}: {entries!r}: expected a list of entries, each '- name: ...'")
        return []
    return entries


def _allowed(entry: dict, where: str, allowed: set[str], problems: list[str]) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        problems.append(
            f"{where}: {', '.join(map(repr, unknown))}: expected only {', '.join(sorted(allowed))}"
        )


def _databases(card: dict, problems: list[str]) -> tuple[Database, ...]:
    found = []
    for number, entry in enumerate(_entries(card, "databases", problems), start=1):
        where = f"databases entry {number}"
        _allowed(entry, where, {"name", "key", "files"}, problems)
        name = _text(entry, "name", where, problems)
        key = _key(entry, where, problems, database_key(name) if name else "")
        files = entry.get("files", [])
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            problems.append(f"{where}, files: {files!r}: expected a list of export file names")
            files = []
        found.append(Database(name, key, tuple(files)))
    _unique(found, "databases", ("name", "key"), problems)
    listed = [f for d in found for f in d.files]
    problems += [
        f"databases, files: {f!r}: listed under two databases"
        for f in sorted(set(listed))
        if listed.count(f) > 1
    ]
    return tuple(found)


def _unique(items: list, what: str, names: tuple[str, ...], problems: list[str]) -> None:
    for name in names:
        values = [getattr(item, name) for item in items if getattr(item, name)]
        problems += [
            f"{what}, {name}: {value!r}: used twice; expected each once"
            for value in sorted({v for v in values if values.count(v) > 1})
        ]


def _types(card: dict, problems: list[str]) -> tuple[PublicationType, ...]:
    found = []
    for number, entry in enumerate(_entries(card, "publication_types", problems), start=1):
        where = f"publication_types entry {number}"
        _allowed(entry, where, {"type", "key", "label"}, problems)
        name = _text(entry, "type", where, problems)
        default = _slug(name) + "s"
        key = _key(entry, where, problems, default)
        label = _text(entry, "label", where, problems, default=name.capitalize() + "s")
        found.append(PublicationType(name, key, label))
    _unique(found, "publication_types", ("name", "key"), problems)
    return tuple(found)


def _type_of(value: object, where: str, types: tuple[str, ...], problems: list[str]) -> str:
    if value not in types:
        expected = ", ".join(map(repr, types))
        problems.append(f"{where}, publication_type: {value!r}: expected one of {expected}")
        return ""
    return str(value)


def _other_sources(card: dict, types: tuple[str, ...], problems: list[str]):
    found = []
    allowed = {"source", "key", "sheet", "publication_type", "label", "prisma", "what"}
    for number, entry in enumerate(_entries(card, "other_sources", problems, empty=True), 1):
        where = f"other_sources entry {number}"
        _allowed(entry, where, allowed, problems)
        name = _text(entry, "source", where, problems)
        if name == col.DATABASE_SEARCH:
            problems.append(f"{where}, source: {name!r}: the database search is not another source")
        key = _key(entry, where, problems, _slug(name))
        sheet = _text(entry, "sheet", where, problems, default=key)
        kind = entry.get("publication_type")
        fixed = None if kind == PER_ROW else _type_of(kind, where, (*types, PER_ROW), problems)
        label = _text(entry, "label", where, problems, default=name.capitalize())
        prisma = entry.get("prisma")
        if prisma not in PRISMA_LINES:
            problems.append(
                f"{where}, prisma: {prisma!r}: expected the line of PRISMA 2020's other-methods "
                f"arm it is counted on, one of {', '.join(map(repr, PRISMA_LINES))}"
            )
        what = entry.get("what", "")
        found.append(OtherSource(name, key, sheet, fixed or None, label, str(prisma), str(what)))
    _unique(found, "other_sources", ("name", "key", "sheet"), problems)
    return tuple(found)


def _double_screening(card: dict, problems: list[str]) -> DoubleScreeningPlan:
    entry = card.get("double_screening")
    where = "double_screening"
    if not isinstance(entry, dict):
        problems.append(
            f"{where}: {entry!r}: expected 'sample: seeded' with 'fraction' and 'seed', "
            "or 'sample: recorded'"
        )
        return DoubleScreeningPlan(RECORDED)
    sample = entry.get("sample")
    if sample in (RECORDED, NONE):
        _allowed(entry, where, {"sample"}, problems)
        return DoubleScreeningPlan(sample)
    if sample != SEEDED:
        problems.append(f"{where}, sample: {sample!r}: expected 'seeded', 'recorded' or 'none'")
        return DoubleScreeningPlan(RECORDED)
    _allowed(entry, where, {"sample", "fraction", "seed"}, problems)
    fraction, seed = entry.get("fraction"), entry.get("seed")
    if not isinstance(fraction, int | float) or isinstance(fraction, bool) or not 0 < fraction <= 1:
        problems.append(f"{where}, fraction: {fraction!r}: expected a number in (0, 1]")
        fraction = 1.0
    if not isinstance(seed, int) or isinstance(seed, bool):
        problems.append(f"{where}, seed: {seed!r}: expected a whole number")
        seed = 0
    return DoubleScreeningPlan(SEEDED, float(fraction), seed)


def _number_names(card: dict, problems: list[str]) -> dict[str, str]:
    names = card.get("number_names") or {}
    if not isinstance(names, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in names.items()
    ):
        problems.append(f"number_names: {names!r}: expected 'manuscript_name: computed_name' lines")
        return {}
    return dict(names)


SECTIONS = (
    "databases",
    "publication_types",
    "database_search",
    "other_sources",
    "double_screening",
    "number_names",
    "demonstration",
)


def read(path: Path | str) -> Protocol:
    """``protocol.yaml``, checked: every problem in it is listed at once."""
    path = Path(path)
    if not path.is_file():
        msg = (
            f"{path}: missing; expected the review's protocol (the databases, the publication "
            "types, the other sources and the double-screening sample): see the README, "
            "'Bringing your own review's files'"
        )
        raise ProtocolError(msg)
    card = load_yaml(path)
    if not isinstance(card, dict):
        msg = f"{path}: expected 'databases:', 'publication_types:' ... sections, found {card!r}"
        raise ProtocolError(msg)
    problems: list[str] = []
    unknown = sorted(set(card) - set(SECTIONS))
    if unknown:
        problems.append(
            f"{', '.join(map(repr, unknown))}: expected only the sections {', '.join(SECTIONS)}"
        )
    databases = _databases(card, problems)
    types = _types(card, problems)
    names = tuple(kind.name for kind in types)
    search = card.get("database_search")
    if not isinstance(search, dict):
        problems.append(f"database_search: {search!r}: expected 'publication_type: NAME'")
        search_type = ""
    else:
        _allowed(search, "database_search", {"publication_type"}, problems)
        search_type = _type_of(search.get("publication_type"), "database_search", names, problems)
    others = _other_sources(card, names, problems)
    plan = _double_screening(card, problems)
    number_names = _number_names(card, problems)
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems)
        msg = f"{path}: {len(problems)} problem(s):\n{listed}"
        raise ProtocolError(msg)
    return Protocol(databases, types, search_type, others, plan, number_names, str(path))
