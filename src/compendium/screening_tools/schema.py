"""The one shape every screening tool's export is read into.

Column names live here (as :mod:`compendium.columns` holds the record columns), with the
decision vocabulary, the :class:`ToolExport` a reader returns and the errors it raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from compendium import columns as col
from compendium.errors import InputError
from compendium.screening import EXCLUDE, INCLUDE, MAYBE

__all__ = [
    "DECISIONS",
    "NOTE_COLUMNS",
    "RECORD_COLUMNS",
    "TOOLS",
    "VOTE_COLUMNS",
    "DamagedExport",
    "ExportsDisagree",
    "NotAToolExport",
    "Problem",
    "Problems",
    "ToolExport",
    "ToolExportError",
]

RAYYAN, COVIDENCE, ASREVIEW, EPPI, ABSTRACKR = (
    "rayyan",
    "covidence",
    "asreview",
    "eppi-reviewer",
    "abstrackr",
)
TOOLS: tuple[str, ...] = (RAYYAN, COVIDENCE, ASREVIEW, EPPI, ABSTRACKR)

#: The compendium's words for a decision (the screening sheets' vocabulary).
DECISIONS: tuple[str, ...] = (INCLUDE, EXCLUDE, MAYBE)

# --- records: one row per record in the export, in file order -------------------------------
TOOL_KEY = "tool_key"  # the tool's own id: "rayyan-123", Covidence "#12", ASReview record_id
TITLE, AUTHORS, YEAR, JOURNAL = col.TITLE, col.AUTHORS, col.YEAR, col.JOURNAL
VOLUME, ISSUE, PAGES, DOI, PMID, ABSTRACT = (
    col.VOLUME,
    col.ISSUE,
    col.PAGES,
    col.DOI,
    col.PMID,
    col.ABSTRACT,
)
ACCESSION = "accession"  # an accession number as the export gives it, prefix kept: "WOS:000..."
COMPENDIUM_ID = "compendium_id"  # the compendium record_id the tool carried through, if any
LABELS = "labels"  # the tool's labels or tags of the record, a tuple of texts
SOURCE_FILE = col.SOURCE_FILE
LINE = "line"  # where the record (or the vote, the note) starts: a line, a sheet or table row
RAW = col.RAW  # every field of the record as the export gives it, [name, value] pairs as JSON

RECORD_COLUMNS: tuple[str, ...] = (
    TOOL_KEY,
    TITLE,
    AUTHORS,
    YEAR,
    JOURNAL,
    VOLUME,
    ISSUE,
    PAGES,
    DOI,
    PMID,
    ACCESSION,
    ABSTRACT,
    COMPENDIUM_ID,
    LABELS,
    SOURCE_FILE,
    LINE,
    RAW,
)

# --- votes: one row per decision a reviewer made on a record ---------------------------------
REVIEWER = "reviewer"  # the tool's name for the person; missing where the tool does not say
DECISION = "decision"  # one of DECISIONS
REASONS = "reasons"  # a tuple of the tool's reason texts, exactly as written
STAGE = "stage"  # the tool's name for the stage, where the export says
TIME = "time"  # ISO 8601 text, where known
FILE = "file"  # the file name the vote was read from (a member of an archive: "a.asreview/m")

VOTE_COLUMNS: tuple[str, ...] = (TOOL_KEY, REVIEWER, DECISION, REASONS, STAGE, TIME, FILE, LINE)

# --- notes: what reviewers wrote about a record (not decisions) ------------------------------
FIELD = "field"  # where the export keeps it: "Notes", "USER-NOTES", "general notes", ...
TEXT = "text"

NOTE_COLUMNS: tuple[str, ...] = (TOOL_KEY, REVIEWER, FIELD, TEXT, STAGE, TIME, FILE, LINE)

_INTEGER_COLUMNS = frozenset({YEAR, LINE})
_TUPLE_COLUMNS = frozenset({LABELS, REASONS})


def frame(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> pd.DataFrame:
    """A table of ``rows`` with exactly ``columns``, typed as the compendium types them.

    Text is pandas ``string`` with ``pd.NA`` for missing values, years and lines nullable
    integers, labels and reasons tuples.
    """
    rows = list(rows)
    data: dict[str, pd.api.extensions.ExtensionArray | list] = {}
    for name in columns:
        values = [row.get(name) for row in rows]
        if name in _TUPLE_COLUMNS:
            data[name] = [tuple(v) if v is not None else () for v in values]
        elif name in _INTEGER_COLUMNS:
            data[name] = pd.array(
                [pd.NA if v is None or v is pd.NA else int(v) for v in values], dtype="Int64"
            )
        else:
            data[name] = pd.array(
                [pd.NA if v is None or v is pd.NA or v == "" else str(v) for v in values],
                dtype="string",
            )
    return pd.DataFrame(data, columns=list(columns), index=pd.RangeIndex(len(rows)))


@dataclass(frozen=True, eq=False)
class ToolExport:
    """A screening tool's export, read: its records, the votes on them and what else it says.

    Attributes
    ----------
    tool : one of :data:`TOOLS`.
    files : the files read, in the order given.
    records : one row per record, :data:`RECORD_COLUMNS`, in file order.
    votes : one row per decision, :data:`VOTE_COLUMNS`; a record no one decided has none.
    notes : reviewers' notes, :data:`NOTE_COLUMNS` (Covidence notes, Rayyan user notes,
        ASReview and Abstrackr notes).
    lists : Covidence: each file's list (``included``, ``irrelevant``, ``excluded``) by
        file name; empty for the other tools.
    warnings : what the reader noticed but did not refuse (no decisions at all, a list it
        could not tell, log users it could not name), each naming its file.
    events : Rayyan: every row of ``customizations_log.csv`` parsed (``line, created_at,
        user_id, user_email, article_id, kind, name, value``); None otherwise.
    """

    tool: str
    files: tuple[Path, ...]
    records: pd.DataFrame
    votes: pd.DataFrame
    notes: pd.DataFrame
    lists: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    events: pd.DataFrame | None = None


# --- errors ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One thing wrong: the file, where in it (``"line 12"``, ``"row 3"``), the value, and
    what was expected there."""

    file: str
    where: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        where = f", {self.where}" if self.where else ""
        return f"{self.file}{where}: {self.value!r}: expected {self.expected}"


class ToolExportError(InputError):
    """A file cannot be read as a screening tool's export; ``problems`` lists every reason."""

    def __init__(self, summary: str, problems: Sequence[Problem] = ()) -> None:
        self.summary = summary
        self.problems = tuple(problems)
        listed = "".join(f"\n  {problem}" for problem in self.problems)
        super().__init__(summary + listed)


class NotAToolExport(ToolExportError):
    """The content is no screening tool's export that this package reads."""


class DamagedExport(ToolExportError):
    """A tool's export with something in it that does not parse (a header, a hash, a value)."""


class ExportsDisagree(ToolExportError):
    """Files of one export tell different stories (Rayyan notes and log, EPPI sheet and RIS)."""


class Problems:
    """Problems collected while reading, raised together: a person fixes them all at once."""

    LISTED = 50  # problems shown in a message; the count says how many in all

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, file: Path | str, where: str | None, value: object, expected: str) -> None:
        name = file.name if isinstance(file, Path) else file
        self.found.append(Problem(name, where, value, expected))

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self, kind: type[ToolExportError], summary: str) -> None:
        if not self.found:
            return
        shown = self.found[: self.LISTED]
        more = len(self.found) - len(shown)
        tail = f" (the first {len(shown)} listed)" if more else ""
        raise kind(f"{summary}: {len(self.found)} problem(s){tail}", shown)


def line(number: int | None) -> str | None:
    return None if number is None else f"line {number}"


def row(number: int | None) -> str | None:
    return None if number is None else f"row {number}"
