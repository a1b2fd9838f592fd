"""Rayyan: the articles export (CSV, RIS or BibTeX) and ``customizations_log.csv``.

Where the decisions are
-----------------------
*The articles file* keeps them in its notes (CSV ``notes``, RIS ``N1``, BibTeX ``note``):
``<imported note> | RAYYAN-INCLUSION: {"Name"=>"Included", ...} | RAYYAN-LABELS: a,b |
RAYYAN-EXCLUSION-REASONS: r1,r2 | USER-NOTES: {"Name"=>["note"]}``. INCLUSION and
USER-NOTES are Ruby hash literals, read as Ruby writes them (:func:`parse_ruby_hash`), so a
name with dots, spaces or a trailing space (``"Fagner "``) is read whole and kept exactly as
written. Reasons belong to the record, not to a reviewer: from the notes alone each
``exclude`` vote of a record carries all of them.

*The log* has every event: ``included`` (``1`` Included, ``0`` Maybe, ``-1`` Excluded), per
stage ``included__SYSTEM__STAGE__<id>`` once a review has stages (2025), the system putting
an article into a stage (``"__SYSTEM__STAGE__<id>"``), reasons (``"__EXR__<reason>"``),
labels (``"<label>"``, ``1`` added, ``deleted`` removed) and user notes (``note-<id>``,
without their text). Events are taken in time order and the last one wins. The log names
people by ``user_id`` and e-mail, not by their Rayyan name.

How the two combine
-------------------
With a log, the votes are the log's: every stage, who added which reason, the time. The
notes are then a check, and must tell the same story at each article's current stage (the
stage the log last put it in, or the first stage): the same decisions (as a multiset, since
the notes name people and the log numbers them), the same reasons and the same labels. Any
difference is an :class:`ExportsDisagree` listing every article that differs: files from two
different downloads must not be merged silently. Each log user is then given the Rayyan
name whose decisions are exactly theirs; where two names decided alike (the name cannot be
told), the log's e-mail (or ``user <id>``) is kept and a warning says so. Articles in the log
but not in the articles file are kept as records without bibliographic fields, with a
warning.

Stages: a vote at a stage has ``stage`` ``__SYSTEM__STAGE__<id>`` as Rayyan writes it; a vote
at the first stage (plain ``included``, or any vote read from the notes alone) has none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from compendium.io import read_input_text
from compendium.readers.bibtex import parse_bibtex
from compendium.readers.ris import parse_ris
from compendium.screening import EXCLUDE, INCLUDE, MAYBE
from compendium.screening_tools import recognise as r
from compendium.screening_tools import schema as s
from compendium.screening_tools.common import (
    Found,
    csv_rows,
    one_compendium_id,
    pairs_of,
    records_frame,
    values_of,
    without_leaked_tags,
)

__all__ = ["RayyanNotes", "parse_notes", "parse_ruby_hash", "read"]

RAYYAN_DECISIONS: dict[str, str] = {"Included": INCLUDE, "Excluded": EXCLUDE, "Maybe": MAYBE}
LOG_DECISIONS: dict[str, str] = {"1": INCLUDE, "0": MAYBE, "-1": EXCLUDE}

INCLUSION, LABELS, REASONS, USER_NOTES = (
    "RAYYAN-INCLUSION",
    "RAYYAN-LABELS",
    "RAYYAN-EXCLUSION-REASONS",
    "USER-NOTES",
)
_NAMES = "|".join(map(re.escape, (INCLUSION, LABELS, REASONS, USER_NOTES)))
_FIRST_SECTION = re.compile(rf"(?:^|(?<= \| ))({_NAMES}):")
_SECTION_AT = re.compile(rf"({_NAMES}):[ \t]*")
_NEXT_SECTION = re.compile(rf" \| (?=(?:{_NAMES}):)")

# --- the notes ------------------------------------------------------------------------------


class NotesError(ValueError):
    """Notes that do not parse: the text found and what was expected there."""

    def __init__(self, value: str, expected: str) -> None:
        super().__init__(f"{value!r}: expected {expected}")
        self.value, self.expected = value, expected


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "e": "\x1b",
    "s": " ",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "0": "\0",
}


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _string(text: str, i: int) -> tuple[str, int]:
    """A Ruby double-quoted string literal starting at ``i`` (as ``String#inspect`` writes
    it: ``\\"``, ``\\\\``, ``\\n``, ``\\u00e9``, ``\\u{1F600}``, ``\\xE9``, ``\\#``)."""
    if i >= len(text) or text[i] != '"':
        raise NotesError(text[i : i + 30], 'a double-quoted name or text ("...")')
    out: list[str] = []
    i += 1
    while i < len(text):
        char = text[i]
        if char == '"':
            return "".join(out), i + 1
        if char != "\\":
            out.append(char)
            i += 1
            continue
        escaped = text[i + 1 : i + 2]
        if escaped == "u":
            match = re.compile(r"\{([0-9A-Fa-f ]+)\}|([0-9A-Fa-f]{4})").match(text, i + 2)
            if match is None:
                raise NotesError(text[i : i + 8], "a \\u escape (\\u00e9 or \\u{e9})")
            codes = (match.group(1) or match.group(2)).split()
            out.extend(chr(int(code, 16)) for code in codes)
            i = match.end()
        elif escaped == "x":
            match = re.compile(r"[0-9A-Fa-f]{1,2}").match(text, i + 2)
            if match is None:
                raise NotesError(text[i : i + 4], "a \\x escape (\\xE9)")
            out.append(chr(int(match.group(), 16)))
            i = match.end()
        elif escaped:
            out.append(_ESCAPES.get(escaped, escaped))
            i += 2
        else:
            break
    raise NotesError(text[i - 30 : i], 'the closing " of a string')


def parse_ruby_hash(text: str, start: int = 0) -> tuple[dict[str, str | tuple[str, ...]], int]:
    """A Ruby hash literal of strings, or of arrays of strings, from ``start``.

    Returns the hash (keys in the order written) and where it ends. ``{"a"=>"b"}`` and
    ``{"a"=>["b", "c"]}`` are what Rayyan writes; anything else is a :class:`NotesError`.
    """
    i = _skip(text, start)
    if text[i : i + 1] != "{":
        raise NotesError(text[i : i + 30], "a hash starting '{'")
    result: dict[str, str | tuple[str, ...]] = {}
    i = _skip(text, i + 1)
    if text[i : i + 1] == "}":
        return result, i + 1
    while True:
        key, i = _string(text, _skip(text, i))
        i = _skip(text, i)
        if text[i : i + 2] != "=>":
            raise NotesError(text[i : i + 30], f"'=>' after the name {key!r}")
        i = _skip(text, i + 2)
        value: str | tuple[str, ...]
        if text[i : i + 1] == "[":
            items: list[str] = []
            i = _skip(text, i + 1)
            if text[i : i + 1] != "]":
                while True:
                    item, i = _string(text, i)
                    items.append(item)
                    i = _skip(text, i)
                    if text[i : i + 1] == ",":
                        i = _skip(text, i + 1)
                        continue
                    if text[i : i + 1] == "]":
                        break
                    raise NotesError(text[i : i + 30], "',' or ']' in a list of texts")
            value, i = tuple(items), i + 1
        else:
            value, i = _string(text, i)
        if key in result:
            raise NotesError(key, "each name once in a hash")
        result[key] = value
        i = _skip(text, i)
        if text[i : i + 1] == ",":
            i += 1
            continue
        if text[i : i + 1] == "}":
            return result, i + 1
        raise NotesError(text[i : i + 30], "',' or '}' after a value")


@dataclass
class RayyanNotes:
    """A record's notes, read: the imported note and each Rayyan section."""

    original: str | None = None
    inclusion: dict[str, str] | None = None
    labels: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    user_notes: dict[str, tuple[str, ...]] = field(default_factory=dict)


def parse_notes(text: str | None) -> RayyanNotes:
    """Read a record's notes (see the module's docstring); :class:`NotesError` if they do
    not parse. A RIS ``N1`` may start with a space; the imported note may hold anything."""
    notes = RayyanNotes()
    text = (text or "").strip()
    if not text:
        return notes
    first = _FIRST_SECTION.search(text)
    if first is None:
        notes.original = text
        return notes
    if first.start() > 0:
        notes.original = text[: first.start() - 3] or None
    position, seen = first.start(), set()
    while position < len(text):
        match = _SECTION_AT.match(text, position)
        if match is None:
            raise NotesError(text[position : position + 40], "a Rayyan section name")
        name = match.group(1)
        if name in seen:
            raise NotesError(name, "each Rayyan section once")
        seen.add(name)
        if name in (INCLUSION, USER_NOTES):
            value, end = parse_ruby_hash(text, match.end())
            rest = text[end:]
            if not rest.strip():
                position = len(text)
            elif rest.startswith(" | "):
                position = end + 3
            else:
                raise NotesError(rest[:40], f"' | ' or the end of the notes after {name}'s hash")
            if name == INCLUSION:
                if any(not isinstance(v, str) for v in value.values()):
                    raise NotesError(str(value), "a decision text for each name")
                notes.inclusion = dict(value)  # type: ignore[arg-type]
            else:
                notes.user_notes = {
                    k: (v,) if isinstance(v, str) else tuple(v) for k, v in value.items()
                }
        else:
            following = _NEXT_SECTION.search(text, match.end())
            end = following.start() if following else len(text)
            items = text[match.end() : end].rstrip()
            values = tuple(items.split(",")) if items else ()
            if name == LABELS:
                notes.labels = values
            else:
                notes.reasons = values
            position = following.end() if following else len(text)
    return notes


# --- the articles file ----------------------------------------------------------------------
_KEY = re.compile(r"^rayyan-(\d+)$")
RAYYAN_CSV_FIELDS: dict[str, str] = {
    s.TITLE: "title",
    s.YEAR: "year",
    s.JOURNAL: "journal",
    s.VOLUME: "volume",
    s.ISSUE: "issue",
    s.PAGES: "pages",
    s.DOI: "doi",
    s.PMID: "pubmed_id",
    s.ABSTRACT: "abstract",
}
REQUIRED_CSV_COLUMNS = ("key", "title", "notes")


@dataclass
class Article:
    found: Found
    notes: RayyanNotes
    article_id: str
    where: str | None


def _article(
    found: Found,
    notes_text: str | None,
    keywords: Sequence[str],
    path: Path,
    where: str | None,
    problems: s.Problems,
) -> Article | None:
    match = _KEY.match(found.tool_key)
    if match is None:
        problems.add(path, where, found.tool_key, "a Rayyan key 'rayyan-<digits>'")
        return None
    try:
        notes = parse_notes(notes_text)
    except NotesError as error:
        problems.add(path, where, error.value, f"Rayyan notes: {error.expected}")
        notes = RayyanNotes()
    for name, value in (notes.inclusion or {}).items():
        if value not in RAYYAN_DECISIONS:
            expected = f"{name!r}'s decision: Included, Excluded or Maybe"
            problems.add(path, where, value, expected)
    found.labels = notes.labels
    found.fields = {k: without_leaked_tags(v) for k, v in found.fields.items()}
    found.compendium_id = one_compendium_id([notes.original, *keywords], problems, path, where)
    return Article(found, notes, match.group(1), where)


def _csv_articles(path: Path, problems: s.Problems) -> list[Article]:
    rows = csv_rows(read_input_text(path), path)
    if not rows:
        problems.add(path, "line 1", "", "a header row")
        return []
    _, header = rows[0]
    missing = [name for name in REQUIRED_CSV_COLUMNS if name not in header]
    if missing:
        problems.add(path, "line 1", header, f"Rayyan's columns, including {missing}")
        return []
    index = {name: i for i, name in enumerate(header)}
    articles = []
    for start, cells in rows[1:]:
        if len(cells) != len(header):
            problems.add(path, s.line(start), len(cells), f"{len(header)} cells, as the header")
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[index[name]] if name in index else ""

        fields: dict[str, object] = {
            column: cell(name) for column, name in RAYYAN_CSV_FIELDS.items()
        }
        authors = cell("authors")
        fields[s.AUTHORS] = [a for a in authors.split(" and ") if a.strip()] if authors else None
        found = Found(
            tool_key=cell("key").strip(),
            fields=fields,
            pairs=list(zip(header, cells, strict=True)),
            source_file=path.name,
            line=start,
        )
        keywords = cell("keywords").split(";")
        article = _article(found, cell("notes"), keywords, path, s.line(start), problems)
        if article is not None:
            articles.append(article)
    return articles


def _ris_articles(path: Path, problems: s.Problems) -> list[Article]:
    articles = []
    for record in parse_ris(read_input_text(path), path=path):
        pairs = pairs_of(record)
        keys = values_of(pairs, "AN")
        where = s.line(record.line)
        found = Found(
            tool_key=(keys[0] if keys else "").strip(),
            fields=dict(record.fields),
            pairs=[],
            raw=record.raw,
            source_file=path.name,
            line=record.line,
        )
        notes = "\n".join(values_of(pairs, "N1"))
        article = _article(found, notes, values_of(pairs, "KW"), path, where, problems)
        if article is not None:
            articles.append(article)
    return articles


def _as_written(value: str) -> str:
    """A BibTeX value without its outer braces or quotes (``{...}`` as written)."""
    value = value.strip()
    if len(value) > 1 and value[0] + value[-1] in ("{}", '""'):
        return value[1:-1]
    return value


def _bibtex_articles(path: Path, problems: s.Problems) -> list[Article]:
    articles = []
    for record in parse_bibtex(read_input_text(path), path=path):
        pairs = [list(pair) for pair in record.pairs]
        by_name: dict[str, list[str]] = {}
        for name, value in pairs:
            by_name.setdefault(name.lower(), []).append(value)
        where = s.line(record.line)
        found = Found(
            tool_key=(by_name.get("id", [""])[0]).strip(),
            fields=dict(record.fields),
            pairs=pairs,
            source_file=path.name,
            line=record.line,
        )
        notes = "\n".join(_as_written(v) for v in by_name.get("note", []))
        keywords = [_as_written(v) for v in by_name.get("keywords", [])]
        article = _article(found, notes, keywords, path, where, problems)
        if article is not None:
            articles.append(article)
    return articles


# --- the log --------------------------------------------------------------------------------
VOTE, STAGE_EVENT, REASON, LABEL, NOTE = "vote", "stage", "reason", "label", "note"
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$")
_STAGED_VOTE = re.compile(r"^included(__SYSTEM__STAGE__\d+)$")
_STAGE_KEY = re.compile(r'^"__SYSTEM__(STAGE__\d+)"$')
_REASON_KEY = re.compile(r'^"__EXR__(.+)"$', re.DOTALL)
_NOTE_KEY = re.compile(r"^note-\d+$")
_LABEL_KEY = re.compile(r'^"(.+)"$', re.DOTALL)
# kind -> the values the log gives it
_VALUES: dict[str, frozenset[str]] = {
    VOTE: frozenset(LOG_DECISIONS),
    STAGE_EVENT: frozenset({"1", "deleted"}),
    REASON: frozenset({"1", "deleted"}),
    LABEL: frozenset({"1", "deleted"}),
    NOTE: frozenset({"1", "edited", "deleted"}),
}
EVENT_COLUMNS = (
    "line",
    "created_at",
    "user_id",
    "user_email",
    "article_id",
    "kind",
    "name",
    "value",
)


@dataclass(frozen=True)
class Event:
    line: int
    created_at: str
    user_id: str
    user_email: str
    article_id: str
    kind: str
    name: str | None  # the stage of a vote, the stage, reason or label an event names
    value: str


def _classify(key: str) -> tuple[str, str | None] | None:
    if key == "included":
        return VOTE, None
    if match := _STAGED_VOTE.match(key):
        return VOTE, match.group(1)
    if match := _STAGE_KEY.match(key):
        return STAGE_EVENT, "__SYSTEM__" + match.group(1)
    if match := _REASON_KEY.match(key):
        return REASON, match.group(1)
    if _NOTE_KEY.match(key):
        return NOTE, key
    if match := _LABEL_KEY.match(key):
        return LABEL, match.group(1)
    return None


def read_log(path: Path, problems: s.Problems) -> list[Event]:
    """Every event of a ``customizations_log.csv``, each checked; problems collected."""
    rows = csv_rows(read_input_text(path), path)
    if not rows or tuple(rows[0][1]) != r.RAYYAN_LOG_HEADER:
        found = rows[0][1] if rows else ""
        problems.add(path, "line 1", found, "the header " + ",".join(r.RAYYAN_LOG_HEADER))
        return []
    events = []
    for start, cells in rows[1:]:
        where = s.line(start)
        if len(cells) != len(r.RAYYAN_LOG_HEADER):
            problems.add(path, where, cells, "6 cells: created_at,user_id,user_email,...")
            continue
        created, user, email, article, key, value = (c.strip() for c in cells)
        bad = False
        for name, text, pattern, expected in (
            ("created_at", created, _TIME, "an ISO time such as 2021-05-12T11:08:41.919Z"),
            ("user_id", user, re.compile(r"^\d+$"), "a number"),
            ("article_id", article, re.compile(r"^\d+$"), "a number"),
        ):
            if not pattern.match(text):
                problems.add(path, where, text, f"{name}: {expected}")
                bad = True
        kind = _classify(cells[4])
        if kind is None:
            problems.add(
                path,
                where,
                key,
                'a log key: included, included__SYSTEM__STAGE__<id>, "__SYSTEM__STAGE__<id>",'
                ' "__EXR__<reason>", "<label>" or note-<id>',
            )
            continue
        if value not in _VALUES[kind[0]]:
            allowed = ", ".join(sorted(_VALUES[kind[0]]))
            problems.add(path, where, value, f"the value of a {kind[0]} event: one of {allowed}")
            continue
        if not bad:
            events.append(Event(start, created, user, email, article, kind[0], kind[1], value))
    return events


def events_frame(events: Sequence[Event]) -> pd.DataFrame:
    rows = [
        {
            "line": e.line,
            "created_at": e.created_at,
            "user_id": e.user_id,
            "user_email": e.user_email,
            "article_id": e.article_id,
            "kind": e.kind,
            "name": e.name,
            "value": e.value,
        }
        for e in events
    ]
    return s.frame(rows, EVENT_COLUMNS)


@dataclass
class LogState:
    """The log folded: each article's stage, and the last word on each vote, reason, label."""

    stage: dict[str, str | None] = field(default_factory=dict)
    # (article, user, stage) -> the event that decided
    votes: dict[tuple[str, str, str | None], Event] = field(default_factory=dict)
    # (article, user, stage) -> reasons in the order added
    reasons: dict[tuple[str, str, str | None], list[str]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)  # user_id -> e-mail
    articles: list[str] = field(default_factory=list)  # in order of first event


def fold(events: Sequence[Event]) -> LogState:
    """Apply the events in time order (the file's order among equal times); last wins."""
    state = LogState()
    seen: set[str] = set()
    for event in sorted(events, key=lambda e: e.created_at):
        article, user = event.article_id, event.user_id
        if article not in seen:
            seen.add(article)
            state.articles.append(article)
        if event.kind == VOTE:
            state.users.setdefault(user, event.user_email)
            state.votes[(article, user, event.name)] = event
        elif event.kind == STAGE_EVENT:
            if event.value == "1":
                state.stage[article] = event.name
            elif state.stage.get(article) == event.name:
                state.stage[article] = None
        elif event.kind == REASON:
            state.users.setdefault(user, event.user_email)
            key = (article, user, state.stage.get(article))
            reasons = state.reasons.setdefault(key, [])
            if event.value == "1" and event.name not in reasons:
                reasons.append(event.name)
            elif event.value == "deleted" and event.name in reasons:
                reasons.remove(event.name)
        elif event.kind == LABEL:
            labels = state.labels.setdefault(article, [])
            if event.value == "1" and event.name not in labels:
                labels.append(event.name)
            elif event.value == "deleted" and event.name in labels:
                labels.remove(event.name)
    # articles ordered as in the file, not by time
    order = {e.article_id: i for i, e in reversed(list(enumerate(events)))}
    state.articles.sort(key=order.__getitem__)
    return state


def _identity(user: str, email: str) -> str:
    """How the log names a person: the e-mail Rayyan gives, else its user number."""
    return email or f"user {user}"


# --- reading --------------------------------------------------------------------------------


def _vote(tool_key, reviewer, decision, reasons, stage, time, file, line) -> dict[str, object]:
    return {
        s.TOOL_KEY: tool_key,
        s.REVIEWER: reviewer,
        s.DECISION: decision,
        s.REASONS: tuple(reasons),
        s.STAGE: stage,
        s.TIME: time,
        s.FILE: file,
        s.LINE: line,
    }


def _notes_votes(articles: Sequence[Article], path: Path) -> list[dict]:
    """The votes the notes give (decision texts were checked as the notes were read)."""
    votes = []
    for article in articles:
        found = article.found
        for name, value in (article.notes.inclusion or {}).items():
            decision = RAYYAN_DECISIONS[value]
            reasons = article.notes.reasons if decision == EXCLUDE else ()
            votes.append(
                _vote(found.tool_key, name, decision, reasons, None, None, path.name, found.line)
            )
    return votes


def _user_notes(articles: Sequence[Article], path: Path) -> list[dict]:
    notes = []
    for article in articles:
        for name, texts in article.notes.user_notes.items():
            for text in texts:
                notes.append(
                    {
                        s.TOOL_KEY: article.found.tool_key,
                        s.REVIEWER: name,
                        s.FIELD: USER_NOTES,
                        s.TEXT: text,
                        s.FILE: path.name,
                        s.LINE: article.found.line,
                    }
                )
    return notes


def _compare(
    articles: Sequence[Article], state: LogState, path: Path, log: Path
) -> tuple[s.Problems, dict[str, str], list[str]]:
    """Check the notes against the log; the Rayyan name of each log user who can be named."""
    problems = s.Problems()
    by_user: dict[str, dict[str, str]] = {}
    by_name: dict[str, dict[str, str]] = {}
    votes_at: dict[tuple[str, str | None], dict[str, str]] = {}
    for (art, user, at_stage), event in state.votes.items():
        votes_at.setdefault((art, at_stage), {})[user] = LOG_DECISIONS[event.value]
    reasons_at: dict[tuple[str, str | None], set[str]] = {}
    for (art, _user, at_stage), reasons in state.reasons.items():
        reasons_at.setdefault((art, at_stage), set()).update(reasons)
    for article in articles:
        a = article.article_id
        stage = state.stage.get(a)
        log_votes = votes_at.get((a, stage), {})
        note_votes = {
            name: RAYYAN_DECISIONS.get(value, value)
            for name, value in (article.notes.inclusion or {}).items()
        }
        at = f" at stage {stage}" if stage else ""
        if Counter(log_votes.values()) != Counter(note_votes.values()):
            problems.add(
                path,
                article.where,
                f"{article.found.tool_key}: notes {sorted(note_votes.values())}, "
                f"log {sorted(log_votes.values())}",
                f"the same decisions in the notes and in {log.name}{at}",
            )
        log_reasons = reasons_at.get((a, stage), set())
        if log_reasons != set(article.notes.reasons):
            problems.add(
                path,
                article.where,
                f"{article.found.tool_key}: notes {sorted(article.notes.reasons)}, "
                f"log {sorted(log_reasons)}",
                f"the same exclusion reasons in the notes and in {log.name}{at}",
            )
        if set(state.labels.get(a, ())) != set(article.notes.labels):
            problems.add(
                path,
                article.where,
                f"{article.found.tool_key}: notes {sorted(article.notes.labels)}, "
                f"log {sorted(state.labels.get(a, ()))}",
                f"the same labels in the notes and in {log.name}",
            )
        for user, decision in log_votes.items():
            by_user.setdefault(user, {})[a] = decision
        for name, decision in note_votes.items():
            by_name.setdefault(name, {})[a] = decision
    names: dict[str, str] = {}
    warnings: list[str] = []
    if problems:
        return problems, names, warnings
    candidates = {
        u: [n for n, seen in by_name.items() if seen == done] for u, done in by_user.items()
    }
    taken = Counter(n for found in candidates.values() for n in found)
    for user, found in candidates.items():
        who = _identity(user, state.users.get(user, ""))
        if not found:
            problems.add(
                log,
                None,
                who,
                f"a Rayyan name in {path.name} with exactly this user's decisions",
            )
        elif len(found) == 1 and taken[found[0]] == 1:
            names[user] = found[0]
        else:
            warnings.append(
                f"{log.name}: {who}'s decisions are those of {', '.join(map(repr, found))} in "
                f"{path.name}; which of these names is {who} cannot be told, so the votes keep "
                f"the log's name for this person"
            )
    return problems, names, warnings


def read(sources: Sequence[r.Source]) -> s.ToolExport:
    """Read a Rayyan export: at most one articles file and at most one log."""
    problems = s.Problems()
    articles_files = [src for src in sources if src.kind != r.LOG]
    logs = [src for src in sources if src.kind == r.LOG]
    for files, what in ((articles_files, "articles file"), (logs, "customizations_log.csv")):
        if len(files) > 1:
            names = [src.path.name for src in files]
            problems.add(names[1], None, names, f"one Rayyan {what} per export")
    problems.raise_if_any(s.DamagedExport, "Rayyan export")
    readers = {r.CSV: _csv_articles, r.RIS: _ris_articles, r.BIBTEX: _bibtex_articles}
    articles: list[Article] = []
    path = None
    if articles_files:
        path = articles_files[0].path
        articles = readers[articles_files[0].kind](path, problems)
        seen: dict[str, str | None] = {}
        for article in articles:
            key = article.found.tool_key
            if key in seen:
                problems.add(path, article.where, key, f"each key once (also at {seen[key]})")
            seen[key] = article.where
    events: list[Event] = []
    log = logs[0].path if logs else None
    if log is not None:
        events = read_log(log, problems)
    problems.raise_if_any(s.DamagedExport, f"{(path or log)}: a Rayyan export that does not parse")

    warnings: list[str] = []
    notes = _user_notes(articles, path) if path else []
    found = [article.found for article in articles]
    if log is None:
        votes = _notes_votes(articles, path)
    else:
        state = fold(events)
        names: dict[str, str] = {}
        if articles:
            disagreements, names, warnings = _compare(articles, state, path, log)
            disagreements.raise_if_any(
                s.ExportsDisagree,
                f"{path.name} and {log.name} disagree (are they from the same download?)",
            )
        known = {article.article_id for article in articles}
        first_line = {}
        for event in events:
            first_line.setdefault(event.article_id, event.line)
        extra = [a for a in state.articles if a not in known]
        if extra and articles:
            warnings.append(
                f"{log.name}: {len(extra)} article(s) in the log are not in {path.name}; "
                "they are kept as records without bibliographic fields"
            )
        for article_id in extra:
            found.append(Found(f"rayyan-{article_id}", {}, [], log.name, first_line[article_id]))
        votes = []
        for (article_id, user, stage), event in state.votes.items():
            reasons = state.reasons.get((article_id, user, stage), ())
            reviewer = names.get(user) or _identity(user, state.users.get(user, ""))
            votes.append(
                _vote(
                    f"rayyan-{article_id}",
                    reviewer,
                    LOG_DECISIONS[event.value],
                    reasons,
                    stage,
                    event.created_at,
                    log.name,
                    event.line,
                )
            )
        order = {f.tool_key: i for i, f in enumerate(found)}
        votes.sort(key=lambda v: (order[v[s.TOOL_KEY]], v[s.LINE]))
        if not articles:
            for f in found:
                f.labels = tuple(state.labels.get(f.tool_key.removeprefix("rayyan-"), ()))
    if not votes:
        labelled = sum(1 for f in found if f.labels)
        warnings.append(
            f"{(path or log).name}: no decisions at all ({len(found)} records, none with a "
            f"RAYYAN-INCLUSION or an included event; {labelled} with labels): every record "
            "is left with no decision"
        )
    return s.ToolExport(
        tool=s.RAYYAN,
        files=tuple(src.path for src in sources),
        records=records_frame(found),
        votes=s.frame(votes, s.VOTE_COLUMNS),
        notes=s.frame(notes, s.NOTE_COLUMNS),
        warnings=tuple(warnings),
        events=events_frame(events) if log is not None else None,
    )
