"""The normalised record schema and its normalisers.

Every reader turns an export's own values into the columns of
:data:`compendium.columns.RECORD_COLUMNS` through these functions, so that a DOI or an
author list means the same thing whichever database it came from. They normalise *form*
only (where a DOI starts, how an author is written); what counts as "the same" title or
page range for matching belongs to deduplication, which needs the export's values intact.

Each function is pure and returns ``pd.NA`` for a value that is missing or not what its
name says, because a wrong value is worse than a missing one for deduplication.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from compendium import columns as col

__all__ = [
    "MISSING_MARKS",
    "family_initials",
    "normalise_authors",
    "normalise_doi",
    "normalise_pages",
    "normalise_text",
    "normalise_title",
    "normalise_year",
]

# A DOI is "10.<registrant>/<suffix>" (ISO 26324); the registrant is digits and dots.
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
# Prefixes exports put before a DOI: resolver URLs (any host spelling) and "doi:" labels.
_DOI_PREFIX = re.compile(
    r"^(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi\s*[:=]?\s*|info:doi/)", re.IGNORECASE
)
# Trailing marks vendors append: MEDLINE's " [doi]", punctuation that ends a sentence.
_DOI_TAIL = re.compile(r"(?:\s*\[doi\])?[\s.,;]*$", re.IGNORECASE)
# Publication years a review can meet; 4 digits not part of a longer number.
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_SPACE = re.compile(r"\s+")
# "Family GI" (MEDLINE, Scopus "Smith J.A.", "Kowalczyk Ł"): a family name then 1-4
# initials, capitals of any alphabet ([^\W\d_] is a letter; family_initials checks case).
_FAMILY_INITIALS = re.compile(r"^(?P<family>.+?)\s+(?P<initials>(?:[^\W\d_]\.?\s?-?){1,4})$")


def family_initials(name: str) -> tuple[str, str] | None:
    """``(family, initials)`` of a name written ``Family GI``, else None.

    Examples
    --------
    >>> family_initials("Kowalczyk Ł")
    ('Kowalczyk', 'Ł')
    >>> family_initials("Jan Kowalczyk") is None
    True
    """
    match = _FAMILY_INITIALS.match(name)
    if match is None:
        return None
    initials = match.group("initials").strip()
    if not all(c.isupper() for c in initials if c.isalpha()):
        return None
    return match.group("family"), initials


# What exports write for "no value": R-based tools (bibliometrix, synthesisr, revtools)
# write "NA" in every empty field of the RIS and CSV files they re-export.
MISSING_MARKS = frozenset({"NA", "N/A"})


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def normalise_text(value: object) -> str | pd.NAType:
    """Collapse runs of whitespace (line breaks of wrapped values) to one space.

    Wrapped lines are a property of the export's line length, not of the value. A value
    that only says it is missing (:data:`MISSING_MARKS`) is missing.
    """
    if value is None or value is pd.NA:
        return pd.NA
    if not isinstance(value, str):
        if isinstance(value, float) and value != value:  # NaN
            return pd.NA
        value = str(value)
    text = " ".join(value.split())  # faster than a regex on long abstracts
    return pd.NA if not text or text in MISSING_MARKS else text


def normalise_title(value: object) -> str | pd.NAType:
    """Collapse whitespace only.

    Case, punctuation and Ovid's ``[Article]`` suffixes stay: matching normalisation is
    the deduplication stage's business, and it must be able to see the export's title.

    Examples
    --------
    >>> normalise_title("Peer support\\n   work: a review ")
    'Peer support work: a review'
    """
    return normalise_text(value)


def normalise_doi(value: object) -> str | pd.NAType:
    """Return the bare, lower-case DOI, or NA when the value holds none.

    DOIs are case-insensitive (DOI Handbook 2.4), and exports write them as URLs,
    ``doi:`` labels or with MEDLINE's ``[doi]`` suffix; only ``10.xxxx/...`` is
    comparable across databases.

    Examples
    --------
    >>> normalise_doi("https://doi.org/10.1002/CPP.2398")
    '10.1002/cpp.2398'
    >>> normalise_doi("http://dx.doi.org/10.1177/2325967120950040")
    '10.1177/2325967120950040'
    >>> normalise_doi("No DOI") is pd.NA
    True
    """
    if value.__class__ is str:
        text = value.strip()
        if not text:
            return pd.NA
        if text[:3] == "10." and text[-1].isalnum() and " " not in text:
            # A bare DOI: no prefix or tail for the substitutions below to remove.
            match = _DOI.fullmatch(text)
            return pd.NA if match is None else match.group(0).lower()
    elif _missing(value):
        return pd.NA
    else:
        text = str(value).strip()
    # What is left below is a part of the text with its spaces removed, and must start
    # "10.": without "10." anywhere (spaces aside) there is no DOI, and no regex to run.
    if "10." not in text and "10." not in text.replace(" ", ""):
        return pd.NA
    text = _DOI_PREFIX.sub("", text)
    text = _DOI_TAIL.sub("", text)
    match = _DOI.fullmatch(text.replace(" ", ""))
    if match is None:
        return pd.NA
    return match.group(0).lower()


def normalise_year(value: object) -> int | pd.NAType:
    """Return the first plausible 4-digit year (1500-2099) as an int, else NA.

    RIS writes dates as ``2019//`` or ``2019/09//undefined``, MEDLINE as ``2019 Sep``,
    Ovid as ``April 2015``: only the year is comparable.

    Examples
    --------
    >>> normalise_year("2019/09//undefined")
    2019
    >>> normalise_year("n.d.") is pd.NA
    True
    """
    if _missing(value):
        return pd.NA
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1500 <= value <= 2099 else pd.NA
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else pd.NA


def normalise_pages(value: object) -> str | pd.NAType:
    """Keep the page range as the export gives it, whitespace collapsed.

    ``123-9`` stays ``123-9``: expanding abbreviated ranges is a matching rule, kept in
    deduplication so that the record shows what the database said.
    """
    return normalise_text(value)


# Particles belonging to a family name written after the given names ("Ludwig van Beethoven").
_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le", "dos"}
)


def _one_author(name: str) -> str:
    # str.split() and str.strip() know the same whitespace as the regex "\s".
    name = " ".join(name.split()).strip(";").strip()
    if not name:
        return ""
    if "," in name:
        # "Family, Given" or "Family, G. I.": already in the target form.
        family, _, given = name.partition(",")
        given = given.strip()
        return f"{family.strip()}, {given}" if given else family.strip()
    # Initials are capitals: a name whose last word has a small letter cannot match.
    last = name.rpartition(" ")[2]
    found = family_initials(name) if last == last.upper() else None
    if found is not None:
        # "Smith JA" / "Smith J.A." / "Kowalczyk Ł": MEDLINE and Scopus write the family
        # name first, in any alphabet.
        return f"{found[0]}, {found[1]}"
    parts = name.split(" ")
    if len(parts) == 1:
        return name  # a single name (organisation, mononym) stays as given
    # "Given Family": the last word is the family name, unless a particle precedes it.
    cut = len(parts) - 1
    while cut > 1 and parts[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return f"{' '.join(parts[cut:])}, {' '.join(parts[:cut])}"


def _collapse(name: str) -> str:
    return " ".join(name.split())


def normalise_authors(
    authors: Iterable[str] | str | None, *, as_given: bool = False
) -> str | pd.NAType:
    """Join authors as ``"Family, Given; Family, Given"``.

    One author per item. ``Family, Given`` and ``Family, G. I.`` are kept as given;
    ``Family GI`` (MEDLINE, Scopus) and ``Given Family`` (CSV exports, OpenAlex) are
    turned round, because deduplication compares family names first. A string is taken
    as authors already separated by ``"; "``. ``as_given=True`` only collapses whitespace,
    for exports that structure names themselves (PubMed XML's ``LastName``/``ForeName``,
    where a ``CollectiveName`` such as "Peer Study Group" must not be turned round).

    Examples
    --------
    >>> normalise_authors(["Trindade, Ines A", "Irons C", "Jan Paul Frolke"])
    'Trindade, Ines A; Irons, C; Frolke, Jan Paul'
    """
    if authors is None or authors is pd.NA:
        return pd.NA
    if isinstance(authors, str):
        authors = authors.split(";")
    convert = _collapse if as_given else _one_author
    names = []
    for a in authors:
        if a.__class__ is str:
            # "Family, Given" as _one_author would write it (collapsed, one space after the
            # first comma, nothing to strip) is kept without converting it.
            i = a.find(",")
            if (
                i > 0
                and not as_given
                and a[i + 1 : i + 2] == " "
                and len(a) > i + 2
                and a[i - 1] != " "
                and a[0] not in " ;"
                and a[-1] not in " ;"
                and "  " not in a
                and a.isprintable()  # no whitespace but " "
            ):
                names.append(a)
                continue
            if not a.strip() or a.strip() in MISSING_MARKS:
                continue
        elif _missing(a):
            continue
        else:
            a = str(a)
        name = convert(a)
        if name:
            names.append(name)
    return "; ".join(names) if names else pd.NA


def unique_ids(records: pd.DataFrame) -> pd.DataFrame:
    """``records`` with every ``record_id`` unique: a repeated one gets ``~2``, ``~3``, ...

    Ids repeat when one database record is exported twice (two overlapping searches) or two
    records without an accession number share title, year, first author and journal. Which
    copy keeps the plain id does not depend on the order of the files or of their records:
    the copies are ordered by their file's name, then by their whole content (``raw``).
    """
    ids = records[col.RECORD_ID]
    repeated = ids.duplicated(keep=False)
    if not repeated.any():
        return records
    table = records.copy()
    order = table[repeated].sort_values([col.RECORD_ID, col.SOURCE_FILE, col.RAW], kind="stable")
    count = order.groupby(col.RECORD_ID).cumcount() + 1
    renamed = [
        rid if n == 1 else f"{rid}~{n}" for rid, n in zip(order[col.RECORD_ID], count, strict=True)
    ]
    table.loc[order.index, col.RECORD_ID] = renamed
    return table
