"""Which database a record came from, as a person would name it.

Exports say it in their own words: RIS ``DB`` (``psyh``, ``Ovid MEDLINE(R) ALL``,
``Scopus``), RIS ``DP`` (the provider: ``EBSCOhost``, ``Ovid Technologies``, ``NLM``), Ovid's
``Database`` field, or only their structure (a Web of Science plain-text file, a PubMed
XML file). One table turns these signals into one name per database, so that the flow
diagram counts "records identified from each database" by a name a reader recognises.

A ``DB`` value the table does not know is kept as the export wrote it (it is a database
name, only an unfamiliar one); a ``DP`` value is used only through the table, because
many exporters put a date or a web site there.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "PROVIDERS",
    "accession_database",
    "accession_pmid",
    "database_key",
    "database_name",
    "identifier_database",
    "ovid_link_database",
    "provider_of",
]

# provider signal (DP value, preamble "Provider:" line, structure) -> provider key
PROVIDERS: tuple[tuple[str, str], ...] = (
    (r"ovid", "ovid"),
    (r"ebsco", "ebscohost"),
    (r"american psychological association|apa psycnet", "apa"),
    (r"proquest", "proquest"),
)

# (provider key or "" for any, pattern on the lower-cased signal, name). First match wins;
# "{value}" in a name is replaced by the signal as written.
DATABASE_NAMES: tuple[tuple[str, str, str], ...] = (
    ("", r"^ovid medline|^medline.*\bovid\b", "Ovid MEDLINE"),
    ("ovid", r"medline|epub ahead of print|in-process", "Ovid MEDLINE"),
    ("ovid", r"psycinfo|psycarticles", "Ovid APA PsycInfo"),
    ("ovid", r"embase", "Ovid Embase"),
    ("ovid", r"cochrane central|\bcctr\b", "Ovid Cochrane CENTRAL"),
    ("ovid", r"social policy|\bspp\b", "Ovid Social Policy and Practice"),
    ("ovid", r"^journals@ovid|^ovid", "{value}"),
    ("ebscohost", r"^(?:psyh|apa psycinfo|psycinfo)$", "EBSCOhost APA PsycInfo"),
    ("ebscohost", r"^(?:rzh|ccm|cin20|c8h|cinahl)", "EBSCOhost CINAHL"),
    ("ebscohost", r"^(?:cmedm|mdc|mnh|medline)", "EBSCOhost MEDLINE"),
    ("ebscohost", r"^(?:i3h)$|criminal justice abstracts", "EBSCOhost Criminal Justice Abstracts"),
    ("ebscohost", r"^(?:eric)$", "EBSCOhost ERIC"),
    # EBSCOhost's database codes (the "db=" of its links), for the common ones
    ("ebscohost", r"^(?:ecn|eoh)$|econlit", "EBSCOhost EconLit"),
    ("ebscohost", r"^8gh$|greenfile", "EBSCOhost GreenFILE"),
    ("ebscohost", r"^a9h$|academic search complete", "EBSCOhost Academic Search Complete"),
    ("ebscohost", r"^aph$|academic search premier", "EBSCOhost Academic Search Premier"),
    ("ebscohost", r"^asn$|academic search ultimate", "EBSCOhost Academic Search Ultimate"),
    ("ebscohost", r"^bth$|business source premier", "EBSCOhost Business Source Premier"),
    ("ebscohost", r"^pdh$|psycarticles", "EBSCOhost APA PsycArticles"),
    ("ebscohost", r"^(?:sih|sxi)$|socindex", "EBSCOhost SocINDEX"),
    ("ebscohost", r"^(?:s3h|sph)$|sportdiscus", "EBSCOhost SPORTDiscus"),
    ("ebscohost", r"^ehh$|education research complete", "EBSCOhost Education Research Complete"),
    ("ebscohost", r"^pbh$", "EBSCOhost Psychology and Behavioral Sciences Collection"),
    ("ebscohost", r"^hch$", "EBSCOhost Health Source: Nursing/Academic Edition"),
    ("ebscohost", r"^lxh$", "EBSCOhost Library, Information Science & Technology Abstracts"),
    ("ebscohost", r".", "EBSCOhost {value}"),
    ("apa", r"psycinfo", "APA PsycInfo"),
    ("", r"^scopus", "Scopus"),
    ("", r"^embase", "Embase"),
    ("", r"web of science|^wos\b|^isi\b|clarivate", "Web of Science"),
    ("", r"zoological record", "Zoological Record"),
    ("", r"ptsdpubs", "ProQuest PTSDpubs"),
    ("", r"proquest", "ProQuest"),
    ("", r"^lens|lens\.org", "Lens.org"),
    ("", r"^dimensions", "Dimensions"),
    ("", r"openalex", "OpenAlex"),
    ("", r"^(?:nlm|pubmed|pubmed central|pmc)$", "PubMed"),
    ("", r"^medline$", "MEDLINE"),
    ("", r"psycinfo", "APA PsycInfo"),
    ("", r"cinahl", "CINAHL"),
    ("", r"^eric$", "ERIC"),
    ("", r"cochrane", "Cochrane Library"),
    ("", r"google scholar", "Google Scholar"),
)
# The names themselves (read back from a file write_ris wrote) map to themselves.
CANONICAL = frozenset(name for _, _, name in DATABASE_NAMES if "{" not in name)
_COMPILED = tuple((p, re.compile(pattern), name) for p, pattern, name in DATABASE_NAMES)
_PROVIDERS = tuple((re.compile(pattern), key) for pattern, key in PROVIDERS)
_SUFFIX = re.compile(r"\s*<[^>]*>\s*$")  # Ovid's "<1946 to July 2021>" coverage suffix

# Ovid's database codes, as in the "D=psyc16" of its links (Ovid Database Guides).
OVID_CODES: tuple[tuple[str, str], ...] = (
    (r"^(?:psyc|psyh|pst)", "Ovid APA PsycInfo"),
    (r"^(?:medl|mesz|mesx|prem|medp|med\d|ovftm)", "Ovid MEDLINE"),
    (r"^(?:emed|emez|emex|oemez|embase)", "Ovid Embase"),
    (r"^(?:cctr|coch)", "Ovid Cochrane CENTRAL"),
)
_OVID_CODES = tuple((re.compile(p), name) for p, name in OVID_CODES)
_OVID_LINK = re.compile(r"ovid\w*\.com/ovidweb\.cgi\?[^\s]*?\bD=([a-z0-9]+)", re.IGNORECASE)

# Accession-number prefixes of the Web of Science platform (a WoS ``UT``, a RIS ``AN``).
ACCESSION_PREFIXES: dict[str, str] = {
    "WOS": "Web of Science",
    "ZOOREC": "Zoological Record",
    "ZOOR": "Zoological Record",
    "BCI": "BIOSIS Citation Index",
    "MEDLINE": "MEDLINE (Web of Science)",
    "CCC": "Current Contents Connect",
    "SCIELO": "SciELO Citation Index",
    "KJD": "KCI-Korean Journal Database",
}
_ACCESSION = re.compile(r"^([A-Za-z]+):\S")
# Record identifiers and landing pages only one database writes, for exports without DB.
_IDENTIFIERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^pub\.\d{6,}$"), "Dimensions"),  # Dimensions publication id
    (re.compile(r"app\.dimensions\.ai/", re.IGNORECASE), "Dimensions"),
    (re.compile(r"^https?://(?:www\.)?lens\.org/", re.IGNORECASE), "Lens.org"),
    (re.compile(r"^https?://(?:www\.)?scopus\.com/", re.IGNORECASE), "Scopus"),
    (re.compile(r"^https?://(?:www\.)?embase\.com/", re.IGNORECASE), "Embase"),
    (re.compile(r"webofscience\.com/|<Go to ISI>://WOS:", re.IGNORECASE), "Web of Science"),
)


def accession_database(accession: str | None) -> str | None:
    """The Web of Science platform database an accession number (``WOS:000...``) names.

    Examples
    --------
    >>> accession_database("WOS:000444108200009")
    'Web of Science'
    >>> accession_database("ZOOREC:ZOOR14503012345") is None, accession_database("12345")
    (False, None)
    """
    match = _ACCESSION.match(accession.strip()) if accession else None
    return ACCESSION_PREFIXES.get(match.group(1).upper()) if match else None


def accession_pmid(accession: str | None) -> str | None:
    """The PMID in a Web of Science accession number of MEDLINE (``MEDLINE:29782655``).

    Examples
    --------
    >>> accession_pmid("MEDLINE:29782655"), accession_pmid("WOS:000444108200009")
    ('29782655', None)
    """
    kind, _, number = (accession or "").strip().partition(":")
    return number if kind.upper() == "MEDLINE" and number.isdigit() else None


def identifier_database(values: list[str]) -> str | None:
    """The database a record's accession numbers or links designate, when only one could.

    For exports that name no database: Dimensions' ``pub.1117140107`` ids, the landing
    pages of Dimensions, Lens.org, Scopus, Embase and Web of Science, and Web of Science
    accession numbers. Links to PubMed or a DOI name no database: any record may carry one.
    """
    for value in values:
        value = value.strip()
        named = accession_database(value)
        if named is not None:
            return named
        for pattern, name in _IDENTIFIERS:
            if pattern.search(value):
                return name
    return None


# Names whose numeric accession numbers are PubMed ids.
MEDLINE_FAMILY = frozenset({"Ovid MEDLINE", "EBSCOhost MEDLINE", "PubMed", "MEDLINE"})
EMBASE_NAMES = frozenset({"Embase"})  # Embase.com, whose RIS gives the PMID in C5


def ovid_link_database(values: list[str]) -> str | None:
    """Name the database an Ovid link's ``D=`` code designates (for exports without DB)."""
    for value in values:
        match = _OVID_LINK.search(value)
        if match is None:
            continue
        code = match.group(1).lower()
        for pattern, name in _OVID_CODES:
            if pattern.match(code):
                return name
    return None


_EBSCO_LINK = re.compile(r"ebscohost\.com/login\.aspx\?[^\s]*?\bdb=([A-Za-z0-9]+)", re.IGNORECASE)


def ebsco_link_database(values: list[str]) -> str | None:
    """Name the database an EBSCOhost link's ``db=`` code designates (``db=psyh``).

    Examples
    --------
    >>> ebsco_link_database(["https://search.ebscohost.com/login.aspx?direct=true&db=psyh&AN=1"])
    'EBSCOhost APA PsycInfo'
    """
    for value in values:
        match = _EBSCO_LINK.search(value)
        if match is not None:
            return database_name(match.group(1).lower(), provider="ebscohost")
    return None


# An export names its database and provider in a handful of ways, once per record: each
# signal is looked up in the tables once.
@lru_cache(maxsize=4096)
def provider_of(signal: str | None) -> str | None:
    """Return the provider key a ``DP``/``Provider:`` value names, or None."""
    if not signal:
        return None
    lowered = signal.lower()
    for pattern, key in _PROVIDERS:
        if pattern.search(lowered):
            return key
    return None


@lru_cache(maxsize=4096)
def database_name(
    signal: str | None, *, provider: str | None = None, keep_unknown: bool = True
) -> str | None:
    """Name the database a signal designates, or None when it designates none.

    Examples
    --------
    >>> database_name("Ovid MEDLINE(R) ALL <1946 to July 20, 2021>")
    'Ovid MEDLINE'
    >>> database_name("psyh", provider="ebscohost")
    'EBSCOhost APA PsycInfo'
    >>> database_name("APA PsycInfo", provider="ovid")
    'Ovid APA PsycInfo'
    """
    if not signal or not signal.strip():
        return None
    value = _SUFFIX.sub("", " ".join(signal.split()))
    if provider is None and value in CANONICAL:
        return value
    lowered = value.lower()
    for wanted, pattern, name in _COMPILED:
        if wanted and wanted != provider:
            continue
        if pattern.search(lowered):
            return name.replace("{value}", value)
    return value if keep_unknown else None


#: Words in a database's name, in order of precedence, and the key each stands for.
DATABASE_KEYS: tuple[tuple[str, str], ...] = (
    ("medline", "medline"),
    ("pubmed", "medline"),
    ("psycinfo", "psycinfo"),
    ("embase", "embase"),
    ("cinahl", "cinahl"),
    ("web of science", "web_of_science"),
    ("scopus", "scopus"),
    ("cochrane", "cochrane"),
)


def database_key(name: str) -> str:
    """``Ovid APA PsycInfo`` -> ``psycinfo``; an unknown name -> its words joined by ``_``."""
    lowered = name.lower()
    for word, key in DATABASE_KEYS:
        if word in lowered:
            return key
    return re.sub(r"[^a-z0-9]+", "_", lowered).strip("_")
