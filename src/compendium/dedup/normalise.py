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
from urllib.parse import unquote

import pandas as pd

__all__ = [
    "expand_pages",
    "first_page",
    "issue_numbers",
    "journals_compatible",
    "match_authors",
    "match_doi",
    "match_journal",
    "match_title",
    "match_volume",
    "page_range",
    "pages_agree",
    "title_marker",
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
# Words that carry no identity in a journal name (dropped before comparing names); "d" and
# "l" are French elisions ("d'anesthesie"); a supplement is published under its journal.
JOURNAL_STOP_WORDS: frozenset[str] = frozenset(
    {
        "the", "of", "and", "for", "in", "on", "a", "an", "de", "la", "le", "der", "die",
        "und", "du", "des", "et", "y", "d", "l", "official", "supplement", "supplements",
        "suppl",
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
_TRAILING_BRACKET = re.compile(r"\s*(?:\[([^\[\]]{1,250})\]?|\(([^()]{1,60})\))\s*\.?\s*$")
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


def ascii_fold(value: str) -> str:
    """Lower-case ASCII: ``Müller`` and ``Muller`` are one name in different exports."""
    decomposed = unicodedata.normalize("NFKD", value)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


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
    while (found := _TRAILING_BRACKET.search(text)) and _is_note(content := found[1] or found[2]):
        notes.append(_SPACE.sub(" ", _NON_WORD.sub(" ", ascii_fold(content))).strip())
        text = text[: found.start()]
    return text, notes


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
    return _SPACE.sub(" ", _NON_WORD.sub(" ", ascii_fold(text))).strip()


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
    title = _SPACE.sub(" ", _NON_WORD.sub(" ", ascii_fold(text))).strip()
    for name, pattern in MARKERS.items():
        if pattern.search(title):
            return name
    first = title.split(" ", 1)[0] if title else ""
    return "erratum" if _MARKER_LABEL.match(first) and first.startswith(("err", "corr")) else ""


def match_authors(value: object) -> str:
    """Family names and first initials, ``"zuna r wang s"``, for comparing author lists.

    Given names are spelled out in one export and reduced to initials in another; the
    first initial is what both keep. Takes the ``"Family, Given; Family, Given"`` form.
    """
    names = []
    for author in _text(value).split(";"):
        family, _, given = author.partition(",")
        family = _NON_WORD.sub("", ascii_fold(family))
        given = _NON_WORD.sub(" ", ascii_fold(given)).strip()
        if family:
            names.append(f"{family} {given[:1]}".strip())
    return " ".join(names)


def match_journal(value: object) -> str:
    """The journal's significant words: folded, punctuation and stop words removed.

    A parallel title after ``=`` (``Zhonghua ... = Chinese journal of ...``) is kept as
    one more name: the part before and the part after are both the journal.
    """
    text = ascii_fold(html.unescape(_text(value))).replace("&", " and ")
    text = _JOURNAL_NOTE.sub(" ", text)
    text = _CONFERENCE.sub(" ", text)  # Embase: "Circulation. Conference: American Heart ..."
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(w for w in words if w not in JOURNAL_STOP_WORDS)


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


def _expand_aliases(name: str) -> str:
    padded = f" {name} "
    for alias, full in JOURNAL_WORD_ALIASES.items():
        padded = padded.replace(f" {alias} ", f" {full} ")
    return padded.strip()


def _abbreviation_of(short: list[str], full: list[str]) -> bool:
    if len(short) == 1 and len(full) > 1 and short[0] == "".join(w[0] for w in full):
        return True  # an acronym: "bmj", "jama"
    if len(short) != len(full):
        return False
    return all(_abbreviates(s, f) or _abbreviates(f, s) for s, f in zip(short, full, strict=True))


def journals_compatible(a: str, b: str) -> bool:
    """Whether two matching journal names (:func:`match_journal`) can name one journal.

    Equal names, one name abbreviating the other word by word (``j clin psychol`` and
    ``journal clinical psychology``), an acronym, or one name being a part of the other
    (``chinese journal tuberculosis ...`` inside its parallel-title form).

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
    words_a, words_b = sorted((a.split(), b.split()), key=len)
    n = len(words_a)
    if n >= 2 and words_b[:n] == words_a:
        return True  # "journal trauma" for "journal trauma injury infection critical care"
    if n >= 3 and any(words_b[i : i + n] == words_a for i in range(len(words_b) - n + 1)):
        return True  # a parallel title: "zhonghua ... chinese journal tuberculosis ..."
    a, b = _expand_aliases(a), _expand_aliases(b)
    if a == b:
        return True
    words_a, words_b = sorted((a.split(), b.split()), key=len)
    return _abbreviation_of(words_a, words_b)


def expand_pages(value: object) -> str:
    """Write an abbreviated range in full: ``123-9`` becomes ``123-129``.

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
    text = re.split(r"[;,]", _text(value), maxsplit=1)[0]  # "742-8; discussion 748-9"
    text = ascii_fold(text.replace("\u2013", "-")).replace("--", "-")
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


def _page_number(part: str) -> str:
    found = _PAGE_PART.match(part)
    if found is None:
        return part if any(c.isdigit() for c in part) else ""
    return f"{found.group(1)}{int(found.group(2))}{found.group(3)}"


def page_range(value: object) -> tuple[str, str]:
    """First and last page as compared (``e0123`` is ``e123``); a part without digits
    ("Suppl", a damaged "t") counts as missing."""
    parts = expand_pages(value).split("-", 1)
    first = _page_number(parts[0])
    last = _page_number(parts[1]) if len(parts) == 2 else ""
    return first, last


def first_page(value: object) -> str:
    """The first page as compared, ``""`` when the export gives none."""
    return page_range(value)[0]


def pages_agree(a: tuple[str, str], b: tuple[str, str]) -> str:
    """``same`` (first pages equal), ``compatible``, ``different`` or ``missing``.

    Damaged or abbreviated exports give ``t-8`` or ``Suppl-29`` for ``2665-2668`` and
    ``S417-S429``: a range whose last page ends the other's is compatible. Page ``1`` or
    print pages are compatible with an article number (``e12724``, ``c1804``), which is
    another numbering of the same article.
    """
    (first_a, last_a), (first_b, last_b) = a, b
    if not (first_a or last_a) or not (first_b or last_b):
        return "missing"
    if first_a and first_a == first_b:
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
