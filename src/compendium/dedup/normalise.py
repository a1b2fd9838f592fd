"""Normalisers for matching: what makes two exports of one publication compare equal.

The record schema keeps each export's own spelling (:mod:`compendium.records`); these pure
functions only build the keys deduplication compares, so a record always shows what its
database said. Each returns ``""`` (never NA) for a missing value, so that comparisons need
no special case for NA.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import pandas as pd

__all__ = [
    "author_keys",
    "authors_similarity",
    "expand_pages",
    "first_page",
    "is_translated_title",
    "issue_numbers",
    "journals_compatible",
    "match_authors",
    "match_doi",
    "match_journal",
    "match_title",
    "match_volume",
    "page_range",
    "page_ranges",
    "pages_agree",
    "same_person",
    "title_keys",
    "title_marker",
    "title_parts",
    "title_references",
    "title_without_marker",
    "volumes_conflict",
]

# Languages Ovid, PubMed and EndNote name in a trailing "[Chinese]" / "[Article in German]".
LANGUAGES: frozenset[str] = frozenset(
    {
        "afrikaans", "arabic", "bulgarian", "catalan", "chinese", "croatian", "czech",
        "danish", "dutch", "english", "estonian", "finnish", "french", "german", "greek",
        "hebrew", "hungarian", "icelandic", "indonesian", "italian", "japanese", "korean",
        "latvian", "lithuanian", "malay", "norwegian", "persian", "polish", "portuguese",
        "romanian", "russian", "serbian", "slovak", "slovene", "slovenian", "spanish",
        "swedish", "thai", "turkish", "ukrainian", "urdu", "vietnamese",
    }
)  # fmt: skip
# Words that carry no identity in a journal name (dropped before comparing names), as ISO 4
# drops articles, prepositions and conjunctions, in the languages journals are named in;
# "d" and "l" are French elisions ("d'anesthesie"); a supplement is published under its
# journal. Not "a": it is "America" in "Proc Natl Acad Sci U S A".
JOURNAL_STOP_WORDS: frozenset[str] = frozenset(
    {
        "the", "of", "and", "for", "in", "on", "an", "de", "la", "le", "der", "die",
        "und", "du", "des", "et", "y", "d", "l", "official", "supplement", "supplements",
        "suppl", "fur", "fuer", "zur", "e", "i", "di", "da", "do", "dos", "del", "della",
        "voor", "en", "och", "og",
    }
)  # fmt: skip
# Spellings an abbreviation cannot be derived from by the subsequence rule (ISO 4 exceptions).
JOURNAL_WORD_ALIASES: dict[str, str] = {
    "&": "and",
    "bmj": "british medical journal",
    "jama": "journal american medical association",
    "jpen": "journal parenteral enteral nutrition",
    "pnas": "proceedings national academy sciences",
    "nejm": "new england journal medicine",
    "n engl j med": "new england journal medicine",
}
# Notes Ovid MEDLINE and EndNote append to a title in brackets: "[Review] [33 refs]",
# "[Erratum appears in ...]". They describe the record, not the work, and differ by export.
TITLE_NOTES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"reviews?",
        r"\d+ refs?",
        r"(?:published )?(?:erratum|errata|corrigendum|retraction|correction)s?"
        r" (?:appears )?in\b.*",
        r"(?:comment|comments|update|summary for patients|reprint) (?:appears )?in\b.*",
        r"see (?:comments?|editorial)\b.*",
        r"comment(?:ary)?|editorial|letter|news|abstract|english abstract|interview|case reports?",
        r"(?:journal |research |review )?article",  # Ovid's ".[Article]" suffix
        r"retracted(?: article| publication| paper)?",
        r"corrected and republished(?: in\b.*)?",
        r"(?:article|text|abstract)s? in\b.*",
    )
)
# Notes that say what the record itself is; kept for :func:`title_marker`.
_ITEM_NOTES: dict[str, str] = {"comment": "comment", "commentary": "comment", "letter": ""}
# Titles of items that are about another publication, not the publication itself.
MARKERS: dict[str, re.Pattern[str]] = {
    "erratum": re.compile(r"\b(?:errat(?:um|a)|corrigend(?:um|a)|correction(?:s)? (?:to|of)\b)"),
    "retraction": re.compile(r"\b(?:retraction (?:of|notice)|retracted|notice of retraction)\b"),
    "comment": re.compile(r"\b(?:comment(?:ary)? on|commentary to|comments on)\b"),
    "reply": re.compile(r"\b(?:in reply|reply to|author(?:s)? reply|response to)\b"),
}
# Leading labels that mark the item, not the work, e.g. "Erratum: <title>".
_MARKER_LABEL = re.compile(
    r"^(?:erratum|errata|corrigendum|correction|retraction|retracted|comment|reply)\s*$"
)

_JOURNAL_NOTE = re.compile(r"\[[^\]]*\]|\([^)]*\)|\belectronic resource\b")
_CONFERENCE = re.compile(r"(?<=\w)[\s.:]+(?:conference|congress|meeting)\b.*$")
_TAG = re.compile(r"<[^>]{1,40}>")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPACE = re.compile(r"\s+")
# A note in brackets ending a title, which may hold brackets of its own ("[Erratum appears
# in ... Note: Yeshaaiahu, M [corrected to Yeshayahu, M]]") or be cut before its end.
_TRAILING_BRACKET = re.compile(
    r"\s*(?:\[((?:[^\[\]]|\[[^\[\]]*\]){1,250})\]?|\(([^()]{1,60})\))\s*\.?\s*$"
)
# Quotation marks around a whole title (a CSV cell quoted twice, an EndNote export).
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_WHOLE_BRACKET = re.compile(r"^\s*\[(.*)\]\s*\.?\s*$", re.DOTALL)
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/|^doi:\s*", re.IGNORECASE)
_PAGE_PART = re.compile(r"^([a-z]*)(\d+)([a-z]*)$")


def _text(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)


# Latin letters that Unicode does not decompose into a base letter and a mark, so that NFKD
# and an ASCII encoding would drop them ("Łukasz" would become "ukasz"): their usual
# transliteration. The list is complete for the Latin letters of European languages.
_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss",
        "\u0131": "i", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T",
    }
)  # fmt: skip


def ascii_fold(value: str, *, lower: bool = True) -> str:
    """ASCII, lower case: ``Müller``, ``Muller`` and ``MÜLLER`` are one name in three exports.

    ``lower=False`` keeps the case, which tells an initial ("JA") from a name ("Ja").
    """
    if not value.isascii():
        decomposed = unicodedata.normalize("NFKD", value.translate(_UNDECOMPOSED))
        value = decomposed.encode("ascii", "ignore").decode("ascii")
    return value.lower() if lower else value


def _is_language_note(content: str) -> bool:
    words = _NON_WORD.sub(" ", ascii_fold(content)).split()
    words = [w for w in words if w not in {"article", "in", "text", "and", "with", "abstract"}]
    return bool(words) and all(w in LANGUAGES for w in words)


def _is_note(content: str) -> bool:
    folded = _SPACE.sub(" ", _NON_WORD.sub(" ", ascii_fold(content))).strip()
    return _is_language_note(content) or any(p.fullmatch(folded) for p in TITLE_NOTES)


def _strip_notes(text: str) -> tuple[str, list[str]]:
    """The title without trailing bracketed notes, and the notes (folded) removed."""
    notes = []
    text = text.strip().strip(_QUOTES)
    while (found := _TRAILING_BRACKET.search(text)) and _is_note(content := found[1] or found[2]):
        notes.append(_SPACE.sub(" ", _NON_WORD.sub(" ", ascii_fold(content))).strip())
        text = text[: found.start()]
    return text, notes


def _fold_words(text: str) -> str:
    return _SPACE.sub(" ", _NON_WORD.sub(" ", ascii_fold(text))).strip()


def match_title(value: object) -> str:
    """The title as compared: folded, without HTML, punctuation or language notes.

    Ovid writes a translated title in brackets (``[A study of ...]``) and PubMed adds
    ``[Article in German]``; exports differ in HTML, case and punctuation only.

    Examples
    --------
    >>> match_title("<i>Peer</i> Support: A Review [Chinese].")
    'peer support a review'
    >>> match_title("[Peer support in Germany]")
    'peer support in germany'
    """
    text = html.unescape(html.unescape(_text(value)))
    text, _ = _strip_notes(_TAG.sub(" ", text))
    whole = _WHOLE_BRACKET.match(text)
    if whole:
        text = whole.group(1)
    return _fold_words(text)


# A title that starts with its translation in brackets and goes on with the original:
# "[Neoadjuvant chemotherapy ...] <ORIGINAL> NEOADJUVANTE CHEMOTHERAPIE ..." (EndNote),
# "[Incentive spirometry ...] TO: Espirometria incentivada ...".
_LEADING_BRACKET = re.compile(r"^\s*\[([^\[\]]{10,})\]\s*(.+)$", re.DOTALL)
# Separators between a title and its parallel title in another language ("English title;
# Título em português", "Title = Titre").
_PARALLEL = re.compile(r"\s+=\s+|;\s+")
# A part is compared on its own only when it is long enough to name one work.
MIN_TITLE_PART_CHARS = 25


def title_parts(value: object, *, title: str | None = None) -> tuple[str, ...]:
    """The parts of a title that carries a translation or its original, each as compared.

    Databases that index an article in another language give its title translated, in
    brackets, and some add the original after it or after ``;`` or ``=``; another export
    of the same article has only one of the two. Each part long enough to name a work
    (:data:`MIN_TITLE_PART_CHARS`) is returned, the whole title (:func:`match_title`,
    ``title`` when already known) not among them; ``()`` for a title in one language.

    Examples
    --------
    >>> title_parts("[Peer support workers in Germany] <ORIGINAL> Peer-Arbeit in Deutschland")
    ('peer support workers in germany', 'peer arbeit in deutschland')
    """
    text = html.unescape(html.unescape(_text(value)))
    text, _ = _strip_notes(_TAG.sub(" ", text))
    pieces: list[str] = []
    leading = _LEADING_BRACKET.match(text)
    if leading:
        pieces += [leading.group(1), leading.group(2)]
    else:
        pieces += _PARALLEL.split(text)
    whole = match_title(value) if title is None else title
    parts = dict.fromkeys(_fold_words(p) for p in pieces if p)
    return tuple(
        p for p in parts if p != whole and len(p) >= MIN_TITLE_PART_CHARS and len(pieces) > 1
    )


def is_translated_title(value: object) -> bool:
    """Whether the title is a database's translation: given in brackets (Ovid, MEDLINE).

    MEDLINE puts the English translation of a title in another language in brackets; its
    wording is the indexer's, so it may differ from the article's own English title.
    """
    text = _text(value).lstrip()
    return text.startswith("[") and "]" in text


def title_marker(value: object) -> str:
    """The kind of item a title announces (erratum, comment, ...), or ``""``.

    A correction or a reply shares most of its title with the article it is about; it
    must never be merged with that article. Notes about *other* items ("[Erratum appears
    in ...]") do not count; a note saying what this item is ("[Comment]") does.

    Examples
    --------
    >>> title_marker("Erratum: Peer support in psychosis")
    'erratum'
    >>> title_marker("Peer support in psychosis. [Erratum appears in Lancet 2020;1:2]")
    ''
    """
    text, notes = _strip_notes(_TAG.sub(" ", html.unescape(_text(value))))
    for note in notes:
        if _ITEM_NOTES.get(note):
            return _ITEM_NOTES[note]
    title = _fold_words(text)
    for name, pattern in MARKERS.items():
        if pattern.search(title):
            return name
    first = title.split(" ", 1)[0] if title else ""
    return "erratum" if _MARKER_LABEL.match(first) and first.startswith(("err", "corr")) else ""


# The words by which an erratum, comment or reply names itself before the title of the
# article it is about: "Erratum: <title>", "Correction to '<title>'", "Comment on: <title>".
_MARKER_WORDS = re.compile(
    r"^(?:(?:published |notice of )?(?:erratum|errata|corrigendum|corrigenda|corrections?|"
    r"retraction(?: notice)?|retracted|comments?|commentary|reply|response|in reply|"
    r"authors? reply|letter)\b(?: (?:to|of|on|for|regarding|re|about))?\s*)+"
)


@dataclass(frozen=True, slots=True)
class TitleKeys:
    """Everything deduplication compares of one title, worked out once."""

    title: str  # match_title
    parts: tuple[str, ...]  # title_parts
    translated: bool  # is_translated_title
    marker: str  # title_marker
    about: str  # title_without_marker
    references: tuple[Reference, ...]  # title_references


def title_keys(value: object) -> TitleKeys:
    """:func:`match_title`, :func:`title_parts`, :func:`is_translated_title`,
    :func:`title_marker`, :func:`title_without_marker` and :func:`title_references` of
    one title."""
    title = match_title(value)
    return TitleKeys(
        title,
        title_parts(value, title=title),
        is_translated_title(value),
        title_marker(value),
        _without_marker(title),
        title_references(value),
    )


def _without_marker(title: str) -> str:
    return _MARKER_END.sub("", _MARKER_WORDS.sub("", title)).strip()


# An item's label after the title it is about: "<title> [Erratum]", "<title>. Reply".
_MARKER_END = re.compile(
    r"\s*\b(?:erratum|errata|corrigendum|corrigenda|corrections?|retraction|comments?|"
    r"commentary|reply|authors? reply)$"
)


@dataclass(frozen=True, slots=True)
class Reference:
    """Another item a title's note points to: "[Erratum appears in J Card Surg. 2011
    Mar;26(2):244]" (``kind`` erratum, ``item`` True: the other record is the erratum)."""

    kind: str  # erratum, comment, retraction, reply
    item: bool  # True: the item referred to is the erratum (...) of this record
    journal: str  # match_journal
    year: int
    volume: str
    page: str


_REFERENCE = re.compile(
    r"\[\s*(?:published\s+)?(?P<kind>errat(?:um|a)|corrigend(?:um|a)|corrections?|comments?|"
    r"retractions?|reply|replies)(?:\s+appears?)?\s+(?P<direction>in|for|on|of)\s*:?\s*"
    r"(?P<journal>[^\]\[.;]+?)\.?\s+(?P<year>(?:1[5-9]|20)\d\d)\b[^;\]]*;\s*"
    r"(?P<volume>\d+)(?:\s*\([^)]*\))?\s*:\s*(?P<page>[A-Za-z]*\d+)",
    re.IGNORECASE,
)
_REFERENCE_KINDS = {"err": "erratum", "cor": "erratum", "com": "comment", "ret": "retraction"}


def title_references(value: object) -> tuple[Reference, ...]:
    """The items a title's notes point to, as MEDLINE and Ovid write them.

    "[Erratum appears in J Card Surg. 2011 Mar;26(2):244]" says the erratum of this
    article is printed at that place; "[Comment on: Lancet. 2020;395:12]" says this item
    comments on the article printed there. An item found at that place is linked to its
    article whatever its own title says ("Erratum").

    Examples
    --------
    >>> reference, = title_references("Timing. [Erratum appears in J Card Surg. 2011;26(2):244]")
    >>> reference.kind, reference.item, reference.journal, reference.volume, reference.page
    ('erratum', True, 'j card surg', '26', '244')
    """
    found = []
    for match in _REFERENCE.finditer(_text(value)):
        word = match["kind"].lower()
        kind = _REFERENCE_KINDS.get(word[:3], "reply")
        found.append(
            Reference(
                kind,
                match["direction"].lower() == "in",
                match_journal(match["journal"]),
                int(match["year"]),
                str(int(match["volume"])),
                _page_number(match["page"].lower()),
            )
        )
    return tuple(found)


def title_without_marker(value: object) -> str:
    """The matching title without the words that say it is an erratum, comment or reply.

    What is left is the title of the article the item is about, to link the two.

    Examples
    --------
    >>> title_without_marker("Correction to: Peer support in psychosis")
    'peer support in psychosis'
    """
    return _without_marker(match_title(value))


# --- authors ---------------------------------------------------------------------------------
# What exports write in an author field that names nobody ("null" from a database dump,
# "NA" from R, "et al." closing a list cut short).
NO_AUTHOR = frozenset(
    {
        "null", "na", "n a", "none", "nd", "anonymous", "anon", "et al", "and others",
        "unknown", "no authorship indicated", "no author", "various",
    }
)  # fmt: skip
# Words of a name that do not tell people apart: particles written before a family name
# and generational suffixes, placed differently by different exports.
NAME_PARTICLES = frozenset(
    {
        "van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le",
        "dos", "das", "do", "el", "al", "bin", "ibn", "ten", "ter", "st", "jr", "sr",
        "ii", "iii", "iv", "et",
    }
)  # fmt: skip
_NAME_TOKEN = re.compile(r"[A-Za-z]+")
_NAME_NOTE = re.compile(r"\[[^\]]*\]|\([^)]*\)")
# Authors compared: the first few, because exports cut long lists at different lengths; a
# longer list is searched a little further, for a name left out or repeated before it.
AUTHORS_COMPARED = 8
AUTHORS_SEARCHED = AUTHORS_COMPARED + 4

Author = tuple[tuple[str, ...], frozenset[str]]  # (name words, initials)


@lru_cache(maxsize=65536)
def _author(name: str) -> Author | None:
    """One author's name words (two letters or more) and initials.

    Exports write one person as ``Family, Given``, ``Given Family``, ``Family GI``,
    ``Family, G. I.`` or with the given name first before a comma; the shape is not
    reliable, so the words are kept without deciding which is the family name. A capital
    pair or triple beside a word with small letters (``JA`` in ``Smith JA``) is initials.
    """
    folded = ascii_fold(_NAME_NOTE.sub(" ", name), lower=False)
    tokens = _NAME_TOKEN.findall(folded)
    if not tokens or " ".join(tokens).lower() in NO_AUTHOR:
        return None
    mixed = any(not t.isupper() for t in tokens)
    words: list[str] = []
    initials: set[str] = set()
    for token in tokens:
        lowered = token.lower()
        if len(token) == 1 or (mixed and token.isupper() and len(token) <= 3):
            initials.update(lowered)  # "J", "JA"
        elif lowered not in NAME_PARTICLES:
            words.append(lowered)
    if not words:
        return None  # initials alone identify no one
    return tuple(words), frozenset(initials)


def author_keys(value: object) -> tuple[Author, ...]:
    """Each author of a ``"; "``-separated list as compared (see :func:`_author`).

    Entries that name nobody (``null``, ``NA``, ``et al.``, ``Anonymous``) are left out.

    Examples
    --------
    >>> keys = author_keys("Smith JA; null; Łukasz, Jan")
    >>> [(words, sorted(initials)) for words, initials in keys]
    [(('smith',), ['a', 'j']), (('lukasz', 'jan'), [])]
    """
    found = (_author(name) for name in _text(value).split(";"))
    return tuple(a for a in found if a is not None)


def same_person(a: Author, b: Author) -> bool:
    """Whether two authors can be one person: a name word in common, and the initials of
    their other parts compatible (``Zhao, Wei-Zhu`` and ``Zhao, W. Z.``; not ``Wang, L``
    and ``Wang, M``). A part that one export leaves out does not count against them."""
    (words_a, initials_a), (words_b, initials_b) = a, b
    shared = set(words_a).intersection(words_b)
    if not shared:
        return False
    other_a = initials_a | {w[0] for w in words_a if w not in shared}
    other_b = initials_b | {w[0] for w in words_b if w not in shared}
    return not other_a or not other_b or not other_a.isdisjoint(other_b)


def authors_similarity(a: tuple[Author, ...], b: tuple[Author, ...]) -> float | None:
    """The share (0-100) of the shorter author list found in the longer one.

    Order is ignored, since a name added, dropped or repeated shifts every name after it;
    the shorter list counts, since an abstract or a database lists fewer authors than the
    article. ``None`` when either record names no author.

    Examples
    --------
    >>> short = author_keys("Santos, A L; Derchain, S F")
    >>> authors_similarity(short, author_keys("Luis Ferreira, Santos A; Derchain, Sophie F"))
    100.0
    """
    if not a or not b:
        return None
    if len(a) > len(b):
        a, b = b, a
    shorter, longer = a[:AUTHORS_COMPARED], b[:AUTHORS_SEARCHED]
    found = sum(any(same_person(x, y) for y in longer) for x in shorter)
    return 100.0 * found / len(shorter)


def match_authors(value: object) -> str:
    """The first author's first name word, ``"zuna"``: a blocking key, not a comparison."""
    keys = author_keys(value)
    return keys[0][0][0] if keys else ""


# --- journals --------------------------------------------------------------------------------
def match_journal(value: object) -> str:
    """The journal's significant words: folded, punctuation and stop words removed.

    A parallel title after ``=`` (``Zhonghua ... = Chinese journal of ...``) is one more
    name of the journal: the names are kept apart, joined by ``" = "``.
    """
    text = ascii_fold(html.unescape(_text(value))).replace("&", " and ")
    names = []
    for part in text.split("="):
        part = _JOURNAL_NOTE.sub(" ", part)
        part = _CONFERENCE.sub(" ", part)  # Embase: "Circulation. Conference: American ..."
        words = _NON_WORD.sub(" ", part).split()
        name = " ".join(w for w in words if w not in JOURNAL_STOP_WORDS)
        if name and name not in names:
            names.append(name)
    return " = ".join(names)


def _abbreviates(short: str, word: str) -> bool:
    """ISO 4 style: ``natl`` abbreviates ``national`` (same first letter, a subsequence)."""
    if not short or not word or short[0] != word[0] or len(short) > len(word):
        return False
    position = 0
    for letter in short:
        position = word.find(letter, position) + 1
        if position == 0:
            return False
    return True


@lru_cache(maxsize=65536)
def _spells(joined: str, words: tuple[str, ...]) -> bool:
    """Whether ``joined`` is abbreviations of ``words`` written without spaces, in order:
    ``jthoraccardiovascsurg`` for *journal thoracic cardiovascular surgery*, ``bmj``."""
    if not words:
        return not joined
    if not joined or joined[0] != words[0][0]:
        return False
    rest = words[1:]
    longest = len(joined) - len(rest)
    return any(
        _abbreviates(joined[:cut], words[0]) and _spells(joined[cut:], rest)
        for cut in range(longest, 0, -1)
    )


def _expand_aliases(name: str) -> str:
    padded = f" {name} "
    for alias, full in JOURNAL_WORD_ALIASES.items():
        padded = padded.replace(f" {alias} ", f" {full} ")
    return padded.strip()


def _word_by_word(short: list[str], full: list[str]) -> bool:
    """Whether each word of one name abbreviates the word of the other in its place (either
    way round: one export abbreviates some words, another others)."""
    return len(short) == len(full) and all(
        _abbreviates(s, f) or _abbreviates(f, s) for s, f in zip(short, full, strict=True)
    )


def _names_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    words_a, words_b = sorted((a.split(), b.split()), key=len)
    n = len(words_a)
    if n >= 2 and words_b[:n] == words_a:
        return True  # "journal trauma" for "journal trauma injury infection critical care"
    if n >= 3 and any(words_b[i : i + n] == words_a for i in range(len(words_b) - n + 1)):
        return True  # a parallel title given without "=": "zhonghua ... chinese journal ..."
    a, b = _expand_aliases(a), _expand_aliases(b)
    if a == b:
        return True
    words_a, words_b = sorted((a.split(), b.split()), key=len)
    if len(words_a) == 1 and len(words_b) > 1:
        return _spells(words_a[0], tuple(words_b))  # "jthoraccardiovascsurg", "bmj"
    return _word_by_word(words_a, words_b)


def journals_compatible(a: str, b: str) -> bool:
    """Whether two matching journal names (:func:`match_journal`) can name one journal.

    Equal names; one name abbreviating the other word by word in the manner of ISO 4
    (``j clin psychol`` and ``journal clinical psychology``), with the words written
    together (``jthoraccardiovascsurg``) or as an acronym (``bmj``); one name the start
    of the other (``journal trauma``) or inside it; or any of their parallel titles so.

    Examples
    --------
    >>> short, full = match_journal("J Ment Health"), match_journal("Journal of Mental Health")
    >>> journals_compatible(short, full)
    True
    >>> journals_compatible(match_journal("Lancet"), match_journal("Lancet Oncology"))
    False
    """
    if not a or not b:
        return False
    if a == b:
        return True
    return any(_names_compatible(x, y) for x in a.split(" = ") for y in b.split(" = "))


# --- pages -----------------------------------------------------------------------------------
def _expand(text: str) -> str:
    """One range written in full, ``123-9`` as ``123-129``; anything else folded."""
    parts = [p.strip() for p in text.replace(" ", "").split("-")]
    if len(parts) != 2:
        return _NON_WORD.sub("", text)
    first, last = (_PAGE_PART.match(p) for p in parts)
    if first is None or last is None:
        return "-".join(_NON_WORD.sub("", p) for p in parts)
    prefix, start, suffix = first.groups()
    end = last.group(2)
    if len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return f"{prefix}{int(start)}{suffix}-{last.group(1) or prefix}{int(end)}{last.group(3)}"


# Where the pages of the item end and a note about another one starts: "742-8; discussion
# 748-9", "2243-5; author reply 2243-5" (a word after a separator).
_PAGE_NOTE = re.compile(r"[;,]\s*(?=[a-z]{3})")
# Separators between the ranges of an article printed in pieces ("230-5, 246-51",
# "233-238+230-235"), and between a page and an abstract's number on it ("A175.E1638").
_PAGE_SEPARATOR = re.compile(r"\s*(?:[,;+&.]|\band\b)\s*")


def _page_text(value: object) -> str:
    text = ascii_fold(_text(value).replace("\u2013", "-").replace("\u2014", "-"))
    return _PAGE_NOTE.split(text.replace("--", "-"), maxsplit=1)[0]


def expand_pages(value: object) -> str:
    """The first range written in full: ``123-9`` becomes ``123-129``.

    MEDLINE abbreviates the last page, other databases do not; the first page is kept as
    given (``e123``, ``S12``). Anything that is no range comes back folded and stripped.

    Examples
    --------
    >>> expand_pages("123-9")
    '123-129'
    >>> expand_pages("S12-5")
    's12-s15'
    >>> expand_pages("1112-18")
    '1112-1118'
    """
    return _expand(_PAGE_SEPARATOR.split(_page_text(value), maxsplit=1)[0])


def _page_number(part: str) -> str:
    found = _PAGE_PART.match(part)
    if found is None:
        return part if any(c.isdigit() for c in part) else ""
    return f"{found.group(1)}{int(found.group(2))}{found.group(3)}"


def _range(text: str) -> tuple[str, str]:
    parts = _expand(text).split("-", 1)
    first = _page_number(parts[0])
    last = _page_number(parts[1]) if len(parts) == 2 else ""
    return first, last


def page_range(value: object) -> tuple[str, str]:
    """First and last page of the first range as compared (``e0123`` is ``e123``); a part
    without digits ("Suppl", a damaged "t") counts as missing."""
    return _range(_PAGE_SEPARATOR.split(_page_text(value), maxsplit=1)[0])


Pages = tuple[tuple[str, str], ...]


def page_ranges(value: object) -> Pages:
    """Every range of the pages field, in the order given, each as :func:`page_range`.

    An article printed in pieces is listed in pieces, in any order: ``230-5, 246-51`` in
    one export is ``246-51, 230-5`` or ``233-238+230-235+246-251`` in another.

    Examples
    --------
    >>> page_ranges("230-5, 246-51")
    (('230', '235'), ('246', '251'))
    """
    ranges = (_range(part) for part in _PAGE_SEPARATOR.split(_page_text(value)) if part)
    return tuple(r for r in ranges if any(r))


def first_page(value: object) -> str:
    """The first page as compared, ``""`` when the export gives none."""
    return page_range(value)[0]


def _same_page(a: str, b: str) -> bool:
    """Equal pages, or equal numbers where one export drops a prefix (``S12``/``12``,
    ``viii108``/``108``: a supplement's letter or roman number)."""
    if a == b:
        return True
    found_a, found_b = _PAGE_PART.match(a), _PAGE_PART.match(b)
    if found_a is None or found_b is None:
        return False
    (prefix_a, number_a, suffix_a), (prefix_b, number_b, suffix_b) = (
        found_a.groups(),
        found_b.groups(),
    )
    return (
        int(number_a) == int(number_b)
        and suffix_a == suffix_b
        and (not prefix_a or not prefix_b)
        and len(number_a) >= 2
    )


def _ranges_agree(a: tuple[str, str], b: tuple[str, str]) -> str:
    (first_a, last_a), (first_b, last_b) = a, b
    if first_a and first_b and _same_page(first_a, first_b):
        return "same"
    if last_a and last_b and (last_a.endswith(last_b) or last_b.endswith(last_a)):
        return "compatible"
    if not first_a or not first_b:
        return "compatible" if not (last_a and last_b) else "different"
    if first_a in (first_b, last_b) or first_b in (first_a, last_a):
        return "compatible"  # a single page given as the other's last page
    numbers = {first_a, first_b}
    if "1" in numbers and any(not n.isdigit() or len(n) >= 4 for n in numbers - {"1"}):
        return "compatible"
    if first_a.isdigit() != first_b.isdigit():
        return "compatible"  # an article number ("c1804") beside print pages ("1014")
    return "different"


def pages_agree(a: Pages, b: Pages) -> str:
    """``same``, ``compatible``, ``different`` or ``missing``, for two :func:`page_ranges`.

    ``same``: the first pages are one page, or every range of one is a range of the other
    (pieces listed in another order). Damaged or abbreviated exports give ``t-8`` or
    ``Suppl-29`` for ``2665-2668`` and ``S417-S429``: a range whose last page ends the
    other's is compatible. Page ``1`` or print pages are compatible with an article
    number (``e12724``, ``c1804``), which is another numbering of the same article.
    """
    if not a or not b:
        return "missing"
    firsts_a = [f for f, _ in a if f]
    firsts_b = [f for f, _ in b if f]
    if firsts_a and firsts_b and (len(firsts_a) > 1 or len(firsts_b) > 1):
        shared = sum(any(_same_page(p, q) for q in firsts_b) for p in firsts_a)
        if shared >= min(len(firsts_a), len(firsts_b)):
            return "same"
        if shared:
            return "compatible"
    return _ranges_agree(a[0], b[0])


def match_volume(value: object) -> str:
    """The volume's leading number (``36 Suppl 1`` is ``36``), else its folded text."""
    text = ascii_fold(_text(value)).strip()
    if text.endswith(")") and "(" not in text:
        return ""  # the issue part of a damaged "63 (1)": the volume itself is lost
    found = re.match(r"\D*?(\d+)", text)
    return str(int(found.group(1))) if found else _NON_WORD.sub("", text)


def issue_numbers(value: object) -> frozenset[str]:
    """The numbers in an issue field (``1 SUPPL. 1`` gives ``{"1"}``)."""
    return frozenset(str(int(n)) for n in re.findall(r"\d+", _text(value)))


def volumes_conflict(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]]) -> bool:
    """Whether two ``(volume, issue numbers)`` cannot be one issue of a journal.

    Both volumes present and different, unless one record's volume is a number of the
    other's issue: Embase gives the supplement number as the volume ("1" beside
    "57" / "1 SUPPL. 1"), a known export fault that must not split a publication.
    """
    (volume_a, issues_a), (volume_b, issues_b) = a, b
    if not volume_a or not volume_b or volume_a == volume_b:
        return False
    return volume_a not in issues_b and volume_b not in issues_a


def match_doi(value: object) -> str:
    """The bare lower-case DOI; readers already give this form, other tables may not."""
    text = _DOI_URL.sub("", unquote(_text(value).strip()))
    found = _DOI.search(text.lower())
    return found.group(0).rstrip(".,;") if found else ""
