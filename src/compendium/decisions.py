"""Screening decisions made in a tool, brought into the compendium's screening sheets.

A team screens in Rayyan, Covidence, ASReview, EPPI-Reviewer or Abstrackr (read by
:mod:`compendium.screening_tools`), or keeps a *stage export*: the records a stage kept,
exported in any format ``compendium read`` reads. This module matches each of the file's
records to one of the compendium's deduplicated records and turns the votes into the rows of
a stage's sheet (``title_abstract_screening`` or ``full_text_screening``, and
``double_screening`` where two reviewers voted), with a report of everything that could not
be placed. Everything here is a pure function of tables but :func:`read_decision_files` and
:func:`write_import`, which are the edges.

Matching, in order, the first key that finds a record deciding:

1. the compendium ``record_id`` the tool carried through (``compendium export-records``
   marks every record with it);
2. the accession number;
3. the DOI;
4. the PMID;
5. the title, year and first author, normalised as deduplication normalises them
   (:func:`compendium.dedup.match.prepare`).

Every key is looked up among all the records read, a removed duplicate standing for the
record kept in its place. A file record whose first finding key names two compendium records
is *ambiguous* and gets no decision; two file records on one compendium record whose
decisions conflict give it none either. Both are listed, never settled silently.

Examples
--------
>>> from compendium import decisions  # doctest: +SKIP
>>> found = decisions.read_decision_files(["articles.ris"])  # doctest: +SKIP
>>> imported = decisions.import_decisions(to_screen, found, stage="full-text")  # doctest: +SKIP
>>> print(imported.report())  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from compendium import columns as col
from compendium import paths, tables
from compendium.dedup.match import prepare
from compendium.errors import InputError
from compendium.io import write_text
from compendium.screening import EXCLUDE, INCLUDE, progresses
from compendium.screening_tools import TOOLS, read_tool_export, recognise_tool
from compendium.screening_tools.common import compendium_ids

if TYPE_CHECKING:
    from compendium.paths import Project
    from compendium.screening import ToScreen

__all__ = [
    "KEYS",
    "STAGES",
    "STAGE_EXPORT",
    "DecisionFiles",
    "DecisionsNotImported",
    "Imported",
    "import_decisions",
    "match_records",
    "read_decision_files",
    "read_reason_mapping",
    "write_import",
]

TITLE_ABSTRACT, FULL_TEXT = "title-abstract", "full-text"
#: Each stage and the sheet its decisions go to.
STAGES: dict[str, tables.Sheet] = {
    TITLE_ABSTRACT: tables.TITLE_ABSTRACT_SCREENING,
    FULL_TEXT: tables.FULL_TEXT_SCREENING,
}
#: The decisions each stage's sheet takes.
STAGE_DECISIONS: dict[str, tuple[str, ...]] = {
    TITLE_ABSTRACT: tables.TITLE_ABSTRACT_DECISIONS,
    FULL_TEXT: tables.FULL_TEXT_DECISIONS,
}
#: What ``--tool`` names a file of the records a stage kept (every other record excluded).
STAGE_EXPORT = "stage export"
#: The tool stage Rayyan's log gives no name (its first stage), as ``--tool-stage`` names it.
FIRST_TOOL_STAGE = "first"

COMPENDIUM_ID, ACCESSION, DOI, PMID, TITLE_YEAR_AUTHOR = (
    "compendium id",
    "accession",
    "DOI",
    "PMID",
    "title+year+first author",
)
#: The matching keys, in the order they are tried.
KEYS: tuple[str, ...] = (COMPENDIUM_ID, ACCESSION, DOI, PMID, TITLE_YEAR_AUTHOR)
AMBIGUOUS = "ambiguous"


def _declared(sheet: tables.Sheet) -> tuple[str, ...]:
    """A sheet's columns as tables.py declares them, less the demonstration flag."""
    return tuple(column.name for column in sheet.columns if column.name != col.PROVENANCE)


#: The columns of each sheet as written: the sheet's own, then where each decision came from.
SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    TITLE_ABSTRACT: _declared(tables.TITLE_ABSTRACT_SCREENING),
    FULL_TEXT: _declared(tables.FULL_TEXT_SCREENING),
}
SOURCE_COLUMNS: tuple[str, ...] = (col.TOOL, col.TOOL_KEY, col.MATCHED_BY)
DOUBLE_COLUMNS: tuple[str, ...] = (*_declared(tables.DOUBLE_SCREENING), col.TOOL, col.TOOL_KEY)

_LISTED_ON_SCREEN = 20  # rows of each list printed; the report beside the sheet has them all


class DecisionsNotImported(InputError):
    """The decisions cannot be imported as they are; the message lists every problem and
    what to do. Nothing has been written."""


def _problems(summary: str, problems: Sequence[str], then: str) -> DecisionsNotImported:
    listed = "".join(f"\n  {p}" for p in problems)
    return DecisionsNotImported(f"{summary}: {len(problems)} problem(s):{listed}\n{then}")


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


# --- what a file says ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionFiles:
    """The records and votes of one tool's export, or of a stage export, in one shape.

    ``records``: ``tool_key`` and the bibliographic columns, ``accession``,
    ``compendium_id``, ``source_file``, ``line``. ``votes``: ``tool_key``, ``reviewer``
    (missing where the file names none), ``decision``, ``reasons`` (a tuple of the tool's
    texts), ``stage`` (the tool's stage, where it has several). A stage export has no votes:
    every record it holds was kept.
    """

    tool: str
    files: tuple[str, ...]
    records: pd.DataFrame
    votes: pd.DataFrame
    warnings: tuple[str, ...] = ()

    @property
    def stage_export(self) -> bool:
        return self.tool == STAGE_EXPORT


_VOTES = ("tool_key", col.REVIEWER, col.DECISION, "reasons", "stage")


def read_decision_files(
    files: Sequence[Path | str],
    *,
    tool: str | None = None,
    lists: Mapping[str | Path, str] | None = None,
) -> DecisionFiles:
    """Read a tool's export, or a stage export, recognised from the files' content.

    ``tool``: one of :data:`compendium.screening_tools.TOOLS`, or :data:`STAGE_EXPORT`, for
    files whose content does not say. Files no tool wrote are read as a stage export when
    ``compendium read`` reads them. ``lists``: Covidence's list of each file (see
    :func:`~compendium.screening_tools.read_tool_export`).
    """
    files = [Path(f) for f in files]
    if tool is not None and tool not in (*TOOLS, STAGE_EXPORT):
        msg = (
            f"--tool {tool!r}: expected one of {', '.join(repr(t) for t in (*TOOLS, STAGE_EXPORT))}"
        )
        raise DecisionsNotImported(msg)
    if tool is None and not any(recognise_tool(f) for f in files):
        tool = STAGE_EXPORT
    if tool != STAGE_EXPORT:
        export = read_tool_export(files, tool=tool, lists=lists)
        return DecisionFiles(
            export.tool,
            tuple(f.name for f in files),
            export.records,
            export.votes[list(_VOTES)].copy(),
            tuple(export.warnings),
        )
    return _read_stage_export(files)


def _read_stage_export(files: Sequence[Path]) -> DecisionFiles:
    from compendium.readers import read_export

    frames = []
    for path in files:
        records = read_export(path).records.copy()
        marked = [compendium_ids(_raw_values(raw)) for raw in records[col.RAW]]
        records["tool_key"] = records[col.RECORD_ID]
        records["compendium_id"] = pd.array([m[0] if m else pd.NA for m in marked], "string")
        records["line"] = pd.array([pd.NA] * len(records), dtype="Int64")
        records[col.SOURCE_FILE] = path.name
        frames.append(records)
    records = pd.concat(frames, ignore_index=True)
    repeated = records["tool_key"].duplicated(keep=False)
    if repeated.any():  # the same record in two files: keep each apart
        order = records.groupby("tool_key").cumcount() + 1
        records.loc[repeated, "tool_key"] = [
            f"{key}~{n}"
            for key, n in zip(records["tool_key"][repeated], order[repeated], strict=True)
        ]
    votes = pd.DataFrame({name: pd.Series(dtype=object) for name in _VOTES})
    return DecisionFiles(STAGE_EXPORT, tuple(f.name for f in files), records, votes)


def _raw_values(raw: object) -> list[str]:
    import orjson

    text = _text(raw)
    if not text:
        return []
    try:
        pairs = orjson.loads(text)
    except orjson.JSONDecodeError:
        return [text]
    return [str(pair[1]) for pair in pairs if isinstance(pair, list) and len(pair) == 2]


# --- matching ------------------------------------------------------------------------------------


def _accession(value: object) -> str:
    return " ".join(_text(value).split()).casefold()


def _keys(records: pd.DataFrame, ids: Sequence[str]) -> dict[str, list[object]]:
    """Each matching key's value for every record (blank: the record has none)."""
    table = records.copy()
    table[col.RECORD_ID] = list(ids)
    for name in (col.JOURNAL, col.VOLUME, col.ISSUE, col.PAGES, col.ABSTRACT):
        if name not in table.columns:
            table[name] = pd.NA
    prepared = prepare(table)
    titles = [
        (title, year, author) if title else None
        for title, year, author in zip(
            prepared["title"], prepared["year"], prepared["first_author"], strict=True
        )
    ]
    return {
        ACCESSION: [_accession(v) or None for v in table[col.ACCESSION]],
        DOI: [v or None for v in prepared["doi"]],
        PMID: [v or None for v in prepared["pmid"]],
        TITLE_YEAR_AUTHOR: titles,
    }


@dataclass(frozen=True)
class RecordIndex:
    """Every key of every record read, each naming the deduplicated records it stands for."""

    kept: dict[str, str]  # record_id (kept or removed duplicate) -> the kept record's id
    keys: dict[str, dict[object, frozenset[str]]]

    @classmethod
    def of(cls, to_screen: ToScreen) -> RecordIndex:
        kept = dict(
            zip(
                to_screen.duplicates[col.RECORD_ID],
                to_screen.duplicates[col.CLUSTER_ID],
                strict=True,
            )
        )
        kept.update({rid: rid for rid in to_screen.deduplicated[col.RECORD_ID]})
        records = pd.concat([to_screen.deduplicated, to_screen.records], ignore_index=True)
        records = records[records[col.RECORD_ID].isin(kept)]
        ids = [kept[rid] for rid in records[col.RECORD_ID]]
        found: dict[str, dict[object, set[str]]] = {key: {} for key in KEYS[1:]}
        for key, values in _keys(records, ids).items():
            for value, rid in zip(values, ids, strict=True):
                if value is not None:
                    found[key].setdefault(value, set()).add(rid)
        return cls(kept, {k: {v: frozenset(s) for v, s in d.items()} for k, d in found.items()})


MATCH_COLUMNS = ("tool_key", col.RECORD_ID, col.MATCHED_BY, "candidates")


def match_records(index: RecordIndex, records: pd.DataFrame) -> pd.DataFrame:
    """Each file record's compendium record: ``tool_key``, ``record_id`` (blank when
    unmatched or ambiguous), ``matched_by`` (a key of :data:`KEYS`, ``ambiguous``, or blank)
    and ``candidates`` (the records an ambiguous key named), in the file's order."""
    keys = _keys(records, list(records["tool_key"]))
    rows = []
    for n, tool_key in enumerate(records["tool_key"]):
        marked = _text(records["compendium_id"].iloc[n])
        found: tuple[str, str, tuple[str, ...]] = ("", "", ())
        if marked in index.kept:
            found = (index.kept[marked], COMPENDIUM_ID, ())
        else:
            for key in KEYS[1:]:
                value = keys[key][n]
                named = index.keys[key].get(value, frozenset()) if value is not None else ()
                if len(named) == 1:
                    found = (next(iter(named)), key, ())
                    break
                if len(named) > 1:
                    found = ("", AMBIGUOUS, (*sorted(named), f"by {key}"))
                    break
        rows.append((tool_key, *found))
    return pd.DataFrame(rows, columns=list(MATCH_COLUMNS))


# --- reasons -------------------------------------------------------------------------------------


def reason_key(text: str) -> str:
    """A tool's reason as it is looked up: case and runs of spaces set aside."""
    return " ".join(text.split()).casefold()


def read_reason_mapping(path: Path, codes: Sequence[str]) -> dict[str, str]:
    """The reason mapping people keep (``tool_reason,code``): each tool text's code.

    A row with an empty code maps nothing yet (a template row); a code that is not one of
    ``codes``, or a text given two codes, is an error listing every such row.
    """
    if not path.exists():
        return {}
    sheet = tables.read_sheet(tables.REASON_MAPPING, path, error=DecisionsNotImported)
    mapping: dict[str, str] = {}
    problems = []
    for row, text, code in zip(sheet["row"], sheet[col.TOOL_REASON], sheet[col.CODE], strict=True):
        if not code:
            continue
        if code not in codes:
            problems.append(
                f"{path.name} row {row}, {col.CODE}: {code!r}: expected one of "
                f"{', '.join(codes)} (the codes of exclusion_reasons.csv)"
            )
        elif mapping.get(reason_key(text), code) != code:
            problems.append(
                f"{path.name} row {row}, {col.TOOL_REASON}: {text!r}: given the code "
                f"{mapping[reason_key(text)]!r} in an earlier row: expected one code per reason"
            )
        else:
            mapping[reason_key(text)] = code
    if problems:
        raise _problems(f"{path}", problems, "Correct these rows and import again.")
    return mapping


class UnmappedReasons(DecisionsNotImported):
    """A tool's exclusion reasons that the reason mapping does not give a code."""

    def __init__(self, message: str, texts: Sequence[str]) -> None:
        super().__init__(message)
        self.texts = tuple(texts)


def _reason_code(
    texts: Iterable[str], mapping: Mapping[str, str], codes: Sequence[str]
) -> str | None:
    """The one code of an exclusion's reason texts: the first of ``codes`` (the order of
    exclusion_reasons.csv) among them, as a reason list read top down gives one reason."""
    found = {mapping[reason_key(t)] for t in texts if reason_key(t) in mapping}
    return next((code for code in codes if code in found), None)


# --- from votes to sheet rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """A stage's decisions from a file, ready to write, and what could not be placed."""

    stage: str
    tool: str
    files: tuple[str, ...]
    sheet: pd.DataFrame  # the stage's sheet, sorted by record_id
    double: pd.DataFrame  # two reviewers' decisions (title/abstract only), sorted by record_id
    matched: pd.DataFrame  # match_records' table
    at_stage: int  # the records at this stage
    unmatched: list[str]  # file records matching no compendium record, described
    ambiguous: list[str]
    conflicting: list[str]  # compendium records given conflicting decisions by one reviewer
    disagreements: list[str]  # two reviewers differ: for the team to resolve
    not_at_stage: list[str]  # decisions on records this stage does not screen
    not_taken: list[str]  # decisions this stage's sheet does not take ("maybe" at full text)
    undecided: list[str]  # records at this stage left with no decision
    off_sample: list[str] = field(default_factory=list)  # double screening vs the protocol
    warnings: tuple[str, ...] = ()
    sha256: dict[str, str] = field(default_factory=dict)  # filled by write_import

    @property
    def sheet_name(self) -> str:
        return f"{STAGES[self.stage].name}.csv"

    def sheet_text(self) -> str:
        return _csv(self.sheet)

    def double_text(self) -> str:
        return _csv(self.double)

    def matched_by(self) -> dict[str, int]:
        counts = self.matched[col.MATCHED_BY].value_counts()
        return {key: int(counts.get(key, 0)) for key in KEYS}

    def sections(self) -> list[tuple[str, list[str]]]:
        """The report's lists, each with its heading."""
        return [
            ("File records matching no compendium record", self.unmatched),
            (
                "File records matching several compendium records (no decision taken)",
                self.ambiguous,
            ),
            (
                "Records given conflicting decisions by one reviewer (no decision taken)",
                self.conflicting,
            ),
            ("Records the reviewers disagree on: for the team to resolve", self.disagreements),
            ("Decisions on records this stage does not screen (not written)", self.not_at_stage),
            ("Decisions this stage's sheet does not take (not written)", self.not_taken),
            ("Records at this stage left with no decision", self.undecided),
            (
                "Double screening against the sample protocol.yaml draws "
                "(the screening step checks the sheet covers exactly that sample)",
                self.off_sample,
            ),
            ("Noticed while reading the files", list(self.warnings)),
        ]

    def summary(self) -> list[str]:
        by = self.matched_by()
        matched = sum(by.values())
        lines = [
            f"{self.stage} decisions from {', '.join(self.files)} ({self.tool})",
            f"file records: {len(self.matched)}; matched {matched} "
            + "("
            + ", ".join(f"{key} {n}" for key, n in by.items())
            + f"); matching none {len(self.unmatched)}; ambiguous {len(self.ambiguous)}",
            f"records at this stage: {self.at_stage}; decided {len(self.sheet)}; "
            f"left with no decision {len(self.undecided)}",
        ]
        if len(self.double):
            lines.append(
                f"screened by two reviewers: {len(self.double)}; they disagree on "
                f"{len(self.disagreements)}"
            )
        return lines

    def report(self, *, listed: int | None = None) -> str:
        """The report, as Markdown: the counts, then every list (``listed``: at most so many
        rows of each, for a screen)."""
        lines = ["# Screening decisions imported", "", *(f"- {s}" for s in self.summary())]
        for heading, rows in self.sections():
            if not rows:
                continue
            shown = rows if listed is None else rows[:listed]
            lines += ["", f"## {heading} ({len(rows)})", "", *(f"- {r}" for r in shown)]
            if len(shown) < len(rows):
                lines.append(
                    f"- ... {len(rows) - len(shown)} more: see the report beside the sheet"
                )
        if self.sha256:
            lines += ["", "## Sheets written", ""]
            lines += [f"- `{name}` sha256 {digest}" for name, digest in sorted(self.sha256.items())]
        lines += [
            "",
            "Next: `compendium checksums --update` records the change to data/raw, and "
            "`compendium run --from 03` checks the sheets and screens again (`--only 03 04` "
            "for a review without this study's data abstraction table and typology).",
        ]
        return "\n".join(lines) + "\n"


def _csv(table: pd.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(table.columns))
    writer.writerows([_text(v) for v in row] for row in table.itertuples(index=False, name=None))
    return buffer.getvalue()


def _describe(records: pd.DataFrame, n: int) -> str:
    row = records.iloc[n]
    year = _text(row.get(col.YEAR))
    where = _text(row.get(col.SOURCE_FILE))
    line = _text(row.get("line"))
    place = f"{where} line {line}" if line else where
    return f"{row['tool_key']} ({place}): {_text(row.get(col.TITLE))!r}" + (
        f", {year}" if year else ""
    )


@dataclass(frozen=True)
class _Vote:
    reviewer: str
    decision: str
    reasons: tuple[str, ...]
    tool_key: str


def import_decisions(
    to_screen: ToScreen,
    found: DecisionFiles,
    *,
    stage: str,
    reviewer: str | None = None,
    title_abstract: pd.DataFrame | None = None,
    reason_codes: Sequence[str] = (),
    reason_mapping: Mapping[str, str] | None = None,
    default_reason: str | None = None,
    tool_stage: str | None = None,
    earlier_double: pd.DataFrame | None = None,
    sample: Sequence[str] | None = None,
) -> Imported:
    """The stage's sheet rows from a file's decisions, and everything left out, listed.

    Parameters
    ----------
    to_screen
        The records, as deduplication left them.
    found
        What the files say (:func:`read_decision_files`).
    stage
        ``title-abstract`` or ``full-text``.
    reviewer
        The reviewer of votes whose file names none (a stage export, ASReview, EPPI).
    title_abstract
        The title/abstract sheet (full text only): its include and maybe decisions are the
        records at full text.
    reason_codes, reason_mapping, default_reason
        The codes of exclusion_reasons.csv (in its order), each tool reason's code, and the
        code of a full-text exclusion whose file gives no reason.
    tool_stage
        The tool's stage to take, when the votes are at several (Rayyan's stages).
    earlier_double
        The double-screening sheet as it is: an agreed decision and resolution given there
        for the same two votes are kept, and stand as the record's decision.
    sample
        The double-screening sample the protocol draws: records screened twice outside it,
        and records in it not screened twice, are listed.

    Raises
    ------
    DecisionsNotImported
        Votes naming no reviewer without ``reviewer``; votes at several tool stages without
        ``tool_stage``; a full-text exclusion without a reason code; no decision at all.
    UnmappedReasons
        Full-text exclusions whose tool reasons the mapping gives no code, every text listed.
    """
    if stage not in STAGES:
        msg = f"stage {stage!r}: expected one of {', '.join(STAGES)}"
        raise DecisionsNotImported(msg)
    deduplicated = to_screen.deduplicated
    titles = {
        rid: _text(title)
        for rid, title in zip(deduplicated[col.RECORD_ID], deduplicated[col.TITLE], strict=True)
    }
    if stage == TITLE_ABSTRACT:
        at_stage = sorted(titles)
    else:
        if title_abstract is None:
            msg = (
                "full-text decisions need the title/abstract sheet: the records it includes "
                "are those screened in full text"
            )
            raise DecisionsNotImported(msg)
        sent = title_abstract[title_abstract[col.DECISION].map(progresses)]
        at_stage = sorted(set(sent[col.RECORD_ID]) & set(titles))
    at_stage_set = set(at_stage)

    index = RecordIndex.of(to_screen)
    matched = match_records(index, found.records)
    position = {key: n for n, key in enumerate(found.records["tool_key"])}
    unmatched = [
        _describe(found.records, position[k])
        for k, by in zip(matched["tool_key"], matched[col.MATCHED_BY], strict=True)
        if not by
    ]
    ambiguous = [
        f"{_describe(found.records, position[k])}: matches {', '.join(c[:-1])} {c[-1]}"
        for k, by, c in zip(
            matched["tool_key"], matched[col.MATCHED_BY], matched["candidates"], strict=True
        )
        if by == AMBIGUOUS
    ]
    record_of = {
        k: rid for k, rid in zip(matched["tool_key"], matched[col.RECORD_ID], strict=True) if rid
    }
    by_of = dict(zip(matched["tool_key"], matched[col.MATCHED_BY], strict=True))

    votes = _votes(found, record_of, at_stage_set, reviewer=reviewer, tool_stage=tool_stage)
    if not votes and not found.stage_export:
        msg = (
            f"{', '.join(found.files)}: no decision on any record matched"
            + "".join(f"\n  {w}" for w in found.warnings)
            + "\nExpected an export with reviewers' decisions (see the warnings above)."
        )
        raise DecisionsNotImported(msg)

    earlier = _earlier_resolutions(earlier_double)
    rows, double_rows = [], []
    conflicting, disagreements, not_at_stage, not_taken = [], [], [], []
    needs_reason: list[str] = []
    unmapped: set[str] = set()
    mapping = reason_mapping or {}
    allowed = STAGE_DECISIONS[stage]
    for rid in sorted(votes):
        cast = votes[rid]
        keys = "; ".join(sorted({v.tool_key for v in cast}))
        how = "; ".join(sorted({by_of[v.tool_key] for v in cast}))
        title = titles.get(rid, "")
        if rid not in at_stage_set:
            not_at_stage.append(
                f"{rid} ({keys}): {title!r}: not included at title/abstract, so not screened "
                "in full text"
            )
            continue
        per_reviewer: dict[str, set[str]] = {}
        for vote in cast:
            per_reviewer.setdefault(vote.reviewer, set()).add(vote.decision)
        clash = {name: sorted(d) for name, d in per_reviewer.items() if len(d) > 1}
        if clash:
            conflicting.append(
                f"{rid} ({keys}): {title!r}: "
                + "; ".join(f"{name} says {' and '.join(d)}" for name, d in sorted(clash.items()))
            )
            continue
        decided = {name: next(iter(d)) for name, d in sorted(per_reviewer.items())}
        reasons = tuple(sorted({t for v in cast if v.decision == EXCLUDE for t in v.reasons}))
        agreed, resolution = "", ""
        if stage == TITLE_ABSTRACT and len(decided) == 2:
            (first, one), (second, two) = decided.items()
            agreed, resolution = earlier.get((rid, first, one, second, two), ("", ""))
            double_rows.append(
                (rid, title, first, one, second, two, agreed, resolution, found.tool, keys)
            )
        choices = set(decided.values())
        if len(choices) > 1 and not agreed:
            disagreements.append(
                f"{rid} ({keys}): {title!r}: "
                + ", ".join(f"{name} {d}" for name, d in decided.items())
            )
            continue
        decision = agreed or next(iter(choices))
        if decision not in allowed:
            not_taken.append(
                f"{rid} ({keys}): {title!r}: {decision!r}: the {stage} sheet takes "
                f"{', '.join(repr(a) for a in allowed)}"
            )
            continue
        reason = ""
        if stage == FULL_TEXT and decision == EXCLUDE:
            missing = [t for t in reasons if reason_key(t) not in mapping]
            unmapped.update(missing)
            reason = _reason_code(reasons, mapping, reason_codes) or ""
            if not reasons:
                reason = default_reason or ""
            if not reason and not missing:
                needs_reason.append(f"{rid} ({keys}): {title!r}")
        row = [rid, title, "; ".join(decided), decision]
        if stage == FULL_TEXT:
            row.append(reason)
        rows.append((*row, found.tool, keys, how))
        if stage == FULL_TEXT:
            rows[-1] = (*rows[-1], "; ".join(reasons))

    if found.stage_export and not record_of:
        msg = (
            f"{', '.join(found.files)}: none of its {len(found.records)} records is one of "
            "the compendium's (by id, accession, DOI, PMID, or title, year and first author): "
            "expected the records a stage kept, from this review's searches"
        )
        raise DecisionsNotImported(msg)
    if found.stage_export:
        rows, needs_reason = _stage_export_rows(
            stage, at_stage, titles, found, rows, reviewer, default_reason
        )
    if unmapped:
        texts = sorted({reason_key(t): t for t in sorted(unmapped)}.values(), key=reason_key)
        msg = (
            f"{len(texts)} exclusion reason(s) as the tool words them have no code in the "
            "reason mapping:" + "".join(f"\n  {t!r}" for t in texts)
        )
        raise UnmappedReasons(msg, texts)
    if needs_reason:
        raise _problems(
            "full-text exclusions with no reason code",
            needs_reason,
            "A full-text exclusion needs a reason code of exclusion_reasons.csv: give "
            "--reason CODE for exclusions whose file gives no reason.",
        )

    names = [*SHEET_COLUMNS[stage], *SOURCE_COLUMNS]
    if stage == FULL_TEXT:
        names.append(col.TOOL_REASON)
    sheet = pd.DataFrame(rows, columns=names).sort_values(col.RECORD_ID, ignore_index=True)
    double = pd.DataFrame(double_rows, columns=list(DOUBLE_COLUMNS))
    decided_ids = set(sheet[col.RECORD_ID])
    undecided = [f"{rid}: {titles[rid]!r}" for rid in at_stage if rid not in decided_ids]
    off_sample = []
    if sample is not None and len(double):
        twice, drawn = set(double[col.RECORD_ID]), set(sample)
        off_sample = [
            f"{rid}: screened twice, not in the drawn sample" for rid in sorted(twice - drawn)
        ]
        off_sample += [
            f"{rid}: in the drawn sample, not screened twice" for rid in sorted(drawn - twice)
        ]
    return Imported(
        stage=stage,
        tool=found.tool,
        files=found.files,
        sheet=sheet,
        double=double.sort_values(col.RECORD_ID, ignore_index=True),
        matched=matched,
        at_stage=len(at_stage),
        unmatched=unmatched,
        ambiguous=ambiguous,
        conflicting=conflicting,
        disagreements=disagreements,
        not_at_stage=not_at_stage,
        not_taken=not_taken,
        undecided=undecided,
        off_sample=off_sample,
        warnings=found.warnings,
    )


def _votes(
    found: DecisionFiles,
    record_of: Mapping[str, str],
    at_stage: set[str],
    *,
    reviewer: str | None,
    tool_stage: str | None,
) -> dict[str, list[_Vote]]:
    """The votes on each matched compendium record (a stage export: an include by
    ``reviewer`` on each record it holds)."""
    if found.stage_export:
        if not reviewer:
            msg = (
                f"{', '.join(found.files)}: a stage export names no reviewer: give "
                "--reviewer NAME (the person whose decisions the file holds)"
            )
            raise DecisionsNotImported(msg)
        cast: dict[str, list[_Vote]] = {}
        for key in found.records["tool_key"]:
            if key in record_of:
                cast.setdefault(record_of[key], []).append(_Vote(reviewer, INCLUDE, (), key))
        return cast
    votes = found.votes
    stages = votes["stage"].astype(object).where(votes["stage"].notna(), None)
    distinct = sorted({s or FIRST_TOOL_STAGE for s in stages})
    if tool_stage is None and len(distinct) > 1:
        counts = pd.Series([s or FIRST_TOOL_STAGE for s in stages]).value_counts()
        msg = (
            f"{', '.join(found.files)}: the votes are at {len(distinct)} of the tool's stages: "
            + ", ".join(f"{s} ({counts[s]} votes)" for s in distinct)
            + "; give --tool-stage with the one whose decisions these are "
            f"({FIRST_TOOL_STAGE!r} is the stage the tool gives no name)"
        )
        raise DecisionsNotImported(msg)
    if tool_stage is not None:
        if tool_stage not in distinct:
            msg = f"--tool-stage {tool_stage!r}: expected one of {', '.join(distinct)}"
            raise DecisionsNotImported(msg)
        votes = votes[[(s or FIRST_TOOL_STAGE) == tool_stage for s in stages]]
    nameless = votes[col.REVIEWER].isna() | (votes[col.REVIEWER].astype(str).str.strip() == "")
    if nameless.any() and not reviewer:
        msg = (
            f"{', '.join(found.files)}: {int(nameless.sum())} decision(s) name no reviewer "
            f"({found.tool} records none): give --reviewer NAME (the person who made them)"
        )
        raise DecisionsNotImported(msg)
    cast = {}
    for key, name, decision, reasons, empty in zip(
        votes["tool_key"],
        votes[col.REVIEWER],
        votes[col.DECISION],
        votes["reasons"],
        nameless,
        strict=True,
    ):
        if key in record_of:
            who = reviewer if empty else " ".join(str(name).split())
            cast.setdefault(record_of[key], []).append(
                _Vote(who, str(decision), tuple(reasons or ()), key)
            )
    return cast


def _stage_export_rows(
    stage: str,
    at_stage: Sequence[str],
    titles: Mapping[str, object],
    found: DecisionFiles,
    rows: list[tuple],
    reviewer: str | None,
    default_reason: str | None,
) -> tuple[list[tuple], list[str]]:
    """A stage export's rows: its records included (as ``rows`` has them), every other
    record at the stage excluded (at full text with ``default_reason``)."""
    kept = {row[0] for row in rows}
    out = list(rows)
    left = [rid for rid in at_stage if rid not in kept]
    if stage == FULL_TEXT and left and not default_reason:
        first = ", ".join(left[:3]) + (", ..." if len(left) > 3 else "")
        return out, [
            f"{len(left)} record(s) at full text not in the stage export ({first}) are "
            "exclusions, and the file gives no reason"
        ]
    for rid in left:
        row: list[object] = [rid, titles[rid], reviewer or "", EXCLUDE]
        if stage == FULL_TEXT:
            row.append(default_reason)
        row += [found.tool, "", "not in the stage export"]
        if stage == FULL_TEXT:
            row.append("")
        out.append(tuple(row))
    return out, []


def _earlier_resolutions(double: pd.DataFrame | None) -> dict[tuple, tuple[str, str]]:
    """Agreed decisions people gave on the double-screening sheet, by the votes they settle."""
    if double is None or double.empty:
        return {}
    found = {}
    for _, row in double.iterrows():
        if row.get(col.AGREED) or row.get(col.RESOLUTION):
            pair = sorted(
                [
                    (row[col.REVIEWER_1], row[col.DECISION_1]),
                    (row[col.REVIEWER_2], row[col.DECISION_2]),
                ]
            )
            key = (row[col.RECORD_ID], pair[0][0], pair[0][1], pair[1][0], pair[1][1])
            found[key] = (row.get(col.AGREED, ""), row.get(col.RESOLUTION, ""))
    return found


# --- writing -------------------------------------------------------------------------------------


def report_path(folder: Path, sheet: tables.Sheet) -> Path:
    return folder / f"{sheet.name}{paths.IMPORT_REPORT_SUFFIX}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_WRITTEN = re.compile(r"^- `([^`]+)` sha256 ([0-9a-f]{64})$", re.MULTILINE)


def written_by_import(path: Path, folder: Path) -> bool:
    """Whether ``path`` is exactly as an import wrote it: its SHA-256 is the one a report
    beside it recorded. A sheet a person made, or changed since, is not."""
    digest = _sha256(path)
    for report in sorted(folder.glob(f"*{paths.IMPORT_REPORT_SUFFIX}")):
        for name, recorded in _WRITTEN.findall(report.read_text(encoding="utf-8")):
            if name == path.name and recorded == digest:
                return True
    return False


def _replaced_name(path: Path, today: date) -> Path:
    stem = f"{path.stem}{paths.REPLACED_INFIX}{today.isoformat()}"
    candidate = path.with_name(f"{stem}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{stem}-{n}{path.suffix}")
        n += 1
    return candidate


def write_import(
    imported: Imported, folder: Path, *, replace: bool = False, today: date | None = None
) -> tuple[Imported, list[str]]:
    """Write the stage's sheet (and the double-screening sheet, if two reviewers voted) and
    the report beside it, each whole or not at all.

    A sheet a person made (one no import wrote, or changed since) is replaced only with
    ``replace``, and then kept beside it as ``<sheet>.replaced-<date>[-<n>]``: nothing is
    deleted. Returns the import with the written sheets' SHA-256, and what was kept aside.
    """
    today = today or date.today()
    sheet = STAGES[imported.stage]
    texts = {sheet: imported.sheet_text()}
    if len(imported.double):
        texts[tables.DOUBLE_SCREENING] = imported.double_text()
    existing = {}
    refused = []
    for declared in texts:
        for ext in tables.SHEET_EXTENSIONS:
            path = folder / f"{declared.name}{ext}"
            if path.exists():
                existing[declared] = [*existing.get(declared, []), path]
                if not written_by_import(path, folder) and not replace:
                    refused.append(
                        f"{path.name}: a sheet a person made (or changed since it was imported)"
                    )
    if refused:
        raise _problems(
            "not written",
            refused,
            "Give --replace to write over it; the sheet it replaces is kept beside it as "
            f"<sheet>{paths.REPLACED_INFIX}<date>.",
        )
    kept_aside = []
    for found in existing.values():
        for path in found:
            if written_by_import(path, folder):
                continue  # an import's own sheet (a CSV): written over below
            copy = _replaced_name(path, today)
            if path.suffix == ".csv":
                shutil.copy2(path, copy)
            else:  # an .xlsx beside the new .csv would make the sheet ambiguous: move it
                path.rename(copy)
            kept_aside.append(f"{path.name} kept as {copy.name}")
    digests = {}
    for declared, text in texts.items():
        path = write_text(folder / f"{declared.name}.csv", text)
        digests[path.name] = _sha256(path)
    done = dataclasses.replace(imported, sha256=digests)
    write_text(report_path(folder, sheet), done.report())
    return done, kept_aside


def add_to_reason_mapping(path: Path, texts: Sequence[str]) -> Path:
    """Add ``texts`` to the reason mapping with empty codes, for people to fill in (the
    mapping is written with its header if it does not exist yet)."""
    rows: list[list[str]] = []
    if path.exists():
        rows = [list(r) for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))]
    if not rows:
        rows = [[col.TOOL_REASON, col.CODE]]
    known = {reason_key(r[0]) for r in rows[1:] if r}
    rows += [[t, ""] for t in texts if reason_key(t) not in known]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return write_text(path, buffer.getvalue())


def on_screen(imported: Imported) -> str:
    """The report as printed: every count, and the first rows of each list."""
    return imported.report(listed=_LISTED_ON_SCREEN)


# --- the commands ----------------------------------------------------------------------------


def reason_mapping_path(project: Project) -> Path:
    return project.screening / f"{tables.REASON_MAPPING.name}.csv"


def import_into_project(
    project: Project,
    files: Sequence[Path | str],
    *,
    stage: str,
    tool: str | None = None,
    reviewer: str | None = None,
    replace: bool = False,
    reason: str | None = None,
    reason_mapping: Path | None = None,
    tool_stage: str | None = None,
    covidence_list: str | None = None,
    today: date | None = None,
) -> tuple[Imported, list[str]]:
    """``compendium import-decisions``: read the files, match, and write the stage's sheets
    and report into the project's screening folder (see :func:`write_import`).

    A tool reason the mapping does not give a code is added to it with an empty code, for
    people to fill in, and the import stops, listing every such text.
    """
    from compendium import protocol
    from compendium.screening import double_screening_sample, read_reasons, records_to_screen

    if stage not in STAGES:
        msg = f"stage {stage!r}: expected one of {', '.join(STAGES)}"
        raise DecisionsNotImported(msg)
    try:
        to_screen = records_to_screen(project)
    except InputError as error:
        msg = f"{error}\nRun `compendium run --only 01 02` first: its records are the ones matched."
        raise DecisionsNotImported(msg) from None
    lists = {Path(f).name: covidence_list for f in files} if covidence_list else None
    found = read_decision_files(files, tool=tool, lists=lists)
    folder = project.screening
    codes: list[str] = []
    mapping: dict[str, str] = {}
    title_abstract = None
    mapping_path = Path(reason_mapping) if reason_mapping else reason_mapping_path(project)
    if stage == FULL_TEXT:
        codes = list(read_reasons(project))
        if reason is not None and reason not in codes:
            msg = (
                f"--reason {reason!r}: expected a code of exclusion_reasons.csv: {', '.join(codes)}"
            )
            raise DecisionsNotImported(msg)
        mapping = read_reason_mapping(mapping_path, codes)
        title_abstract = tables.read_sheet(
            tables.TITLE_ABSTRACT_SCREENING, project, error=DecisionsNotImported
        )
    earlier_double, sample = None, None
    if stage == TITLE_ABSTRACT and project.protocol.exists():
        plan = protocol.read(project.protocol).double_screening
        if plan.seeded:  # the sample the protocol draws: the sheet must cover exactly it
            sample = double_screening_sample(to_screen.ids, fraction=plan.fraction, seed=plan.seed)
    if stage == TITLE_ABSTRACT and any(
        (folder / f"{tables.DOUBLE_SCREENING.name}{ext}").exists()
        for ext in tables.SHEET_EXTENSIONS
    ):
        earlier_double = tables.read_sheet(
            tables.DOUBLE_SCREENING, project, error=DecisionsNotImported
        )
    try:
        imported = import_decisions(
            to_screen,
            found,
            stage=stage,
            reviewer=reviewer,
            title_abstract=title_abstract,
            reason_codes=codes,
            reason_mapping=mapping,
            default_reason=reason,
            tool_stage=tool_stage,
            earlier_double=earlier_double,
            sample=sample,
        )
    except UnmappedReasons as unmapped:
        add_to_reason_mapping(mapping_path, unmapped.texts)
        msg = (
            f"{unmapped}\nAdded them to {project.relative(mapping_path)} with empty codes: "
            f"give each its code ({', '.join(codes)}, as in exclusion_reasons.csv), then "
            "import again."
        )
        raise UnmappedReasons(msg, unmapped.texts) from None
    return write_import(imported, folder, replace=replace, today=today)


def export_records(project: Project, path: Path | str) -> tuple[Path, int]:
    """``compendium export-records``: the deduplicated records as RIS or CSV (by the file's
    suffix), each marked with its record_id in the fields screening tools keep."""
    from compendium.screening_tools import write_records_for_tools

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".ris", ".csv"):
        msg = (
            f"{path}: expected a file name ending .ris (for Rayyan, Covidence, EPPI-Reviewer, "
            "Abstrackr) or .csv (for ASReview)"
        )
        raise InputError(msg)
    try:
        records = tables.read(project, tables.RECORDS_DEDUPLICATED)
    except InputError as error:
        msg = f"{error}\nRun `compendium run --only 01 02` first: it writes the records."
        raise InputError(msg) from None
    records = records.sort_values(col.RECORD_ID, ignore_index=True)
    ris, csv_text = write_records_for_tools(records)
    write_text(path, ris if suffix == ".ris" else csv_text)
    return path, len(records)
