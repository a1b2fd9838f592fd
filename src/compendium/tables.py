"""Every table the compendium reads or writes, declared once.

Three kinds:

- :class:`Sheet`: a table people keep in ``data/raw`` (a screening sheet, the DAT, the
  typology files), as CSV or as an Excel workbook. One reader, :func:`read_sheet`, reads
  every one the same way: headers matched without regard to case and spacing (and a sheet's
  older names for a column, its ``aliases``), every cell as trimmed text, and every problem
  of the sheet at once (a missing column, an empty cell that needs a value, a value not
  allowed, a number that is not whole), each with the file, the row, the column, the value
  and what was expected. What a step checks across rows (an id given twice, a decision on a
  record that is not there) it checks itself, in the same words (:mod:`compendium.validate`).
- :class:`Table`: a table the pipeline writes to ``data/processed`` for a later step: one
  typed writer (:func:`write`, the declared columns in their order) and one reader
  (:func:`read`, the declared types), so a step reads a table exactly as the step before
  wrote it.
- :class:`Output`: a table or figure in ``outputs/``, with its caption and formats.

Each declaration knows its path inside a project (:mod:`compendium.paths` has the folders),
and :mod:`compendium.steps` derives each step's inputs and outputs from them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from compendium import columns as col
from compendium import paths
from compendium.errors import InputError
from compendium.io import read_input_text, read_sheet_table, write_text
from compendium.validate import ROW, Problem, raise_problems

if TYPE_CHECKING:
    from compendium.paths import Project
    from compendium.protocol import OtherSource, Protocol

# --- what a column may hold --------------------------------------------------------------------

TEXT, WHOLE, BOOLEAN = "text", "whole number", "boolean"
SHEET_EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class Column:
    """One column of a declared table.

    ``required``: the header must have it (otherwise it is read as ``default`` on every row).
    ``filled``: every row must give a value. ``choices``: the values allowed (compared and
    kept in lower case; a blank is allowed unless ``filled``). ``kind``: ``text``, ``whole
    number`` (read as a nullable integer) or ``boolean`` (written ``True``/``False``).
    ``aliases``: other names a sheet may give the column (older names, a tool's names).
    ``choices_are``: where the choices come from, for messages ("the publication types in
    protocol.yaml").
    """

    name: str
    required: bool = True
    filled: bool = False
    choices: tuple[str, ...] = ()
    kind: str = TEXT
    default: str = ""
    aliases: tuple[str, ...] = ()
    expected: str = ""  # what an empty cell should have held, in words
    choices_are: str = ""

    @property
    def allowed(self) -> str:
        """The choices in words: ``one of 'a', 'b' (the ... in protocol.yaml)``."""
        where = f" ({self.choices_are})" if self.choices_are else ""
        return f"one of {_listed(self.choices)}{where}"


def optional(name: str, **options: object) -> Column:
    return Column(name, required=False, **options)


#: Where a sheet's row comes from: "paper" or "illustrative" (absent in the study's own files:
#: the study's rows are the paper's). Its older names: ``demonstration`` in the screening and
#: other-source sheets, ``source`` in the typology files and the exclusion reasons.
PROVENANCE = optional(col.PROVENANCE, choices=col.PROVENANCES, default=col.PAPER)


def provenance(*aliases: str) -> Column:
    return optional(col.PROVENANCE, choices=col.PROVENANCES, default=col.PAPER, aliases=aliases)


def text_provenance(*aliases: str) -> Column:
    return optional(
        col.TEXT_PROVENANCE, choices=col.PROVENANCES, default=col.PAPER, aliases=aliases
    )


# --- sheets people keep ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A sheet people keep in ``data/raw``: ``<folder>/<name>.csv`` or ``.xlsx``."""

    name: str
    folder: str  # relative to the project root, from compendium.paths
    columns: tuple[Column, ...]
    what: str  # what the sheet holds, in words, for messages
    workbook_sheet: str | None = None  # its sheet's name when it is part of a workbook

    @property
    def relative(self) -> str:
        """The sheet's files, as a pattern relative to the project root (for the DAG)."""
        return f"{self.folder}/{self.name}.*"

    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def header(self, name: str) -> str:
        """The column's name as this sheet's files write it: its first alias, or its name.

        The compendium reads a sheet's older names (``demonstration``, ``source``) as the one
        it uses (``provenance``); a sheet written for people keeps the names they know.
        """
        column = next(c for c in self.columns if c.name == name)
        return column.aliases[0] if column.aliases else column.name

    def find(self, folder: Path) -> Path:
        """``folder/<name>.csv`` or ``.xlsx``, whichever exists (exactly one must)."""
        found = [
            folder / f"{self.name}{ext}"
            for ext in SHEET_EXTENSIONS
            if (folder / f"{self.name}{ext}").exists()
        ]
        if len(found) != 1:
            what = "both .csv and .xlsx" if found else "neither .csv nor .xlsx"
            msg = f"{folder / self.name}: found {what}; expected one sheet: {self.what}"
            raise InputError(msg)
        return found[0]


def _key(name: object) -> str:
    """A header as it is matched: lower case, runs of spaces, hyphens and underscores as one _."""
    return re.sub(r"[\s_\-]+", "_", str(name).strip().lower())


def load(path: Path, *, workbook_sheet: str | None = None) -> pd.DataFrame:
    """A sheet's cells as trimmed text, headers as written, with its rows' numbers in ``row``.

    ``row`` is the row a spreadsheet shows (the header is row 1).
    """
    if workbook_sheet is None:
        table = read_sheet_table(path)
    else:
        table = pd.read_excel(path, sheet_name=workbook_sheet, dtype=str, keep_default_na=False)
        table.index = pd.RangeIndex(2, len(table) + 2)
    table = table.map(lambda value: str(value).strip())
    table.insert(0, ROW, list(table.index))
    return table.reset_index(drop=True)


def check(
    sheet: Sheet,
    table: pd.DataFrame,
    where: str,
    error: type[InputError],
    *,
    defer: bool = False,
) -> pd.DataFrame:
    """``table`` (from :func:`load`) as ``sheet`` declares it, or one error with every problem.

    Declared columns get their declared names (a header matched without regard to case and
    spacing, or one of the column's aliases); a column the sheet does not give is read as its
    default; undeclared columns are kept, their headers normalised the same way. With
    ``defer``, the problems found in the cells are not raised but kept in the table's
    ``attrs["problems"]``, for the step's own checks across rows to report with theirs in
    one error (see :func:`problems_of`); a missing column is raised at once.
    """
    if ROW not in table.columns:
        table = table.assign(**{ROW: range(2, len(table) + 2)})
    table = table.copy()
    for name in table.columns:
        if name != ROW:  # every cell as trimmed text, whatever a caller built the table from
            table[name] = table[name].map(
                lambda v: "" if v is None or pd.isna(v) else str(v).strip()
            )
    found = {_key(name): name for name in table.columns if name != ROW}
    renames: dict[str, str] = {}
    missing = []
    for column in sheet.columns:
        keys = [_key(column.name), *(_key(alias) for alias in column.aliases)]
        given = next((found[key] for key in keys if key in found), None)
        if given is not None:
            renames[given] = column.name
        elif column.required:
            missing.append(column.name)
    if missing:
        written = [name for name in table.columns if name != ROW]
        msg = (
            f"{where}: row 1: columns {written}: expected also {', '.join(missing)} "
            f"(the header of {sheet.what}: {', '.join(sheet.names())})"
        )
        raise error(msg)
    others = {name: _key(name) for name in table.columns if name not in renames and name != ROW}
    table = table.rename(columns={**renames, **others})
    problems: list[Problem] = []
    for column in sheet.columns:
        if column.name not in table.columns:
            table[column.name] = column.default
            continue
        values = table[column.name]
        if column.choices:  # a choice in any case is the choice as declared
            spelled = {choice.casefold(): choice for choice in column.choices}
            values = values.map(lambda value, spelled=spelled: spelled.get(value.casefold(), value))
            table[column.name] = values
        for row, value in zip(table[ROW], values, strict=True):
            if not value:
                if column.filled:
                    expected = column.expected or (column.allowed if column.choices else "a value")
                    problems.append(Problem(row, column.name, value, f"expected {expected}"))
                continue
            if column.choices and value not in column.choices:
                problems.append(Problem(row, column.name, value, f"expected {column.allowed}"))
            elif column.kind == WHOLE and not _whole(value):
                problems.append(Problem(row, column.name, value, "expected a whole number"))
    if not defer:
        raise_problems(where, problems, error)
    for column in sheet.columns:
        if column.kind == WHOLE:  # a value that is not whole is a problem above: NA here
            numbers = pd.to_numeric(table[column.name].replace("", None), errors="coerce")
            table[column.name] = numbers.where(numbers == numbers.round()).astype("Int64")
    table.attrs["path"] = where
    table.attrs["problems"] = problems if defer else []
    return table


def problems_of(table: pd.DataFrame) -> list[Problem]:
    """The cell problems :func:`check` found and deferred (none if it raised them)."""
    return list(table.attrs.get("problems", []))


def _whole(value: str) -> bool:
    return bool(re.fullmatch(r"-?[0-9]+(\.0+)?", value))


def _listed(choices: tuple[str, ...]) -> str:
    return ", ".join(repr(choice) for choice in choices)


def read_sheet(
    sheet: Sheet,
    place: Project | Path,
    *,
    error: type[InputError] = InputError,
    defer: bool = False,
) -> pd.DataFrame:
    """Find, read and check ``sheet`` in a project, in a folder, or at a file's path."""
    path = locate(sheet, place)
    return check(sheet, load(path), str(path), error, defer=defer)


def locate(sheet: Sheet, place: Project | Path) -> Path:
    """The file of ``sheet`` in a project or a folder (or ``place`` itself, if it is a file)."""
    if isinstance(place, Path | str) and Path(place).suffix.lower() in SHEET_EXTENSIONS:
        return Path(place)
    folder = place.root / sheet.folder if isinstance(place, paths.Project) else Path(place)
    return sheet.find(folder)


# --- the sheets ------------------------------------------------------------------------------

TITLE_ABSTRACT_DECISIONS = ("include", "exclude", "maybe")
FULL_TEXT_DECISIONS = ("include", "exclude", "not retrieved")
SOURCE_DECISIONS = ("include", "exclude")
PAIR_DECISIONS = ("duplicate", "not duplicate")

DEMONSTRATION = "demonstration"  # the flag's name in the screening and other-source sheets

TITLE_ABSTRACT_SCREENING = Sheet(
    "title_abstract_screening",
    paths.SCREENING,
    (
        Column(col.RECORD_ID, filled=True, expected="the record's id"),
        Column(col.TITLE),  # a check on the id: compared with the record's (blank if it has none)
        optional(col.REVIEWER),
        Column(col.DECISION, filled=True, choices=TITLE_ABSTRACT_DECISIONS),
        provenance(DEMONSTRATION),
    ),
    "the title/abstract decision on every record left after deduplication",
)
DOUBLE_SCREENING = Sheet(
    "double_screening",
    paths.SCREENING,
    (
        Column(col.RECORD_ID, filled=True, expected="the record's id"),
        Column(col.TITLE),  # a check on the id: compared with the record's (blank if it has none)
        Column(col.REVIEWER_1),
        Column(col.DECISION_1, filled=True, choices=TITLE_ABSTRACT_DECISIONS),
        Column(col.REVIEWER_2),
        Column(col.DECISION_2, filled=True, choices=TITLE_ABSTRACT_DECISIONS),
        Column(col.AGREED, choices=TITLE_ABSTRACT_DECISIONS),
        Column(col.RESOLUTION),
        provenance(DEMONSTRATION),
    ),
    "the records two reviewers screened independently, with both decisions",
)
FULL_TEXT_SCREENING = Sheet(
    "full_text_screening",
    paths.SCREENING,
    (
        Column(col.RECORD_ID, filled=True, expected="the record's id"),
        Column(col.TITLE),  # a check on the id: compared with the record's (blank if it has none)
        optional(col.REVIEWER),
        Column(col.DECISION, filled=True, choices=FULL_TEXT_DECISIONS),
        Column(col.REASON),
        provenance(DEMONSTRATION),
    ),
    "the full-text decision on every record sent on from title and abstract",
)
EXCLUSION_REASONS = Sheet(
    "exclusion_reasons",
    paths.SCREENING,
    (
        Column(col.CODE, filled=True, expected="a code and its wording"),
        Column(col.REASON, filled=True, expected="a code and its wording"),
        provenance("source"),
    ),
    "the full-text exclusion reasons: a code and its wording",
)

REASON_MAPPING = Sheet(
    "reason_mapping",
    paths.SCREENING,
    (
        Column(col.TOOL_REASON, filled=True, expected="a reason as the screening tool words it"),
        Column(col.CODE, expected="the code in exclusion_reasons.csv the tool's reason means"),
    ),
    "the exclusion reasons of a screening tool, each with the code it means",
)


def other_source_sheet(source: OtherSource, types: tuple[str, ...]) -> Sheet:
    """The sheet of one of the protocol's other sources (:mod:`compendium.protocol`).

    Its rows' publication type is the protocol's for the source, or, for a source whose
    sheet gives each row's (``per row``), the sheet's ``publication_type`` column. Where the
    publication was found (an organisation, the publication it was cited in, the expert who
    suggested it) may be noted in its own column.
    """
    return Sheet(
        source.sheet,
        paths.OTHER_SOURCES,
        (
            Column(col.PUBLICATION_ID, filled=True, expected="a publication id and a title"),
            Column(
                col.PUBLICATION_TYPE,
                required=source.publication_type is None,
                filled=source.publication_type is None,
                choices=types,
            ),
            optional(col.AUTHORS),
            optional(col.YEAR),
            Column(col.TITLE, filled=True, expected="a publication id and a title"),
            optional(col.ORGANISATION),
            optional(col.FOUND_IN),
            optional(col.SUGGESTED_BY),
            Column(col.DECISION, filled=True, choices=SOURCE_DECISIONS),
            Column(col.REASON),
            optional(col.NOTE),
            provenance(DEMONSTRATION),
        ),
        source.what or f"the publications found by {source.name}",
    )


DEDUP_DECISIONS = Sheet(
    "decisions",
    paths.DEDUP,
    (
        Column(col.RECORD_ID_1, filled=True, expected="a record id"),
        Column(col.RECORD_ID_2, filled=True, expected="a record id"),
        Column(col.DECISION, choices=PAIR_DECISIONS),
        Column(col.REVIEWER),
        Column(col.NOTE),
    ),
    "people's decisions on the pairs deduplication could not settle",
)

DAT_PUBLICATIONS_SHEET = "publications"  # the DAT's sheet (or CSV file) of publications


def dat_publication_columns(
    types: tuple[str, ...] = (), sources: tuple[str, ...] = ()
) -> tuple[Column, ...]:
    """The DAT publications sheet's columns: ``publication_type`` one of ``types``, ``source``
    one of ``sources`` (any, when not given)."""
    return (
        Column(col.PUBLICATION_ID, filled=True, expected="the publication's id"),
        Column(col.AUTHORS),
        Column(col.YEAR, kind=WHOLE),
        Column(col.TITLE, filled=True, expected="the publication's title"),
        optional(col.JOURNAL),
        optional(col.DOI),
        optional(col.URL),
        Column(
            col.PUBLICATION_TYPE,
            filled=True,
            choices=types,
            choices_are="the publication types in protocol.yaml",
        ),
        Column(col.COUNTRY),
        Column(col.SETTING),
        Column(col.POPULATION),
        Column(
            col.SOURCE,
            filled=True,
            choices=sources,
            choices_are="the database search and the other sources in protocol.yaml",
        ),
        optional(col.PROVENANCE, choices=col.PROVENANCES),
    )


def dat_publications_sheet(protocol: Protocol) -> Sheet:
    """The DAT's publications sheet of a review (:mod:`compendium.protocol`).

    Its rows' ``publication_type`` is one of the protocol's publication types, and their
    ``source`` the database search or one of the protocol's other sources.
    """
    return Sheet(
        DAT_PUBLICATIONS_SHEET,
        paths.EXTRACTION,
        dat_publication_columns(protocol.type_names, protocol.source_names),
        "the data abstraction table's publications",
        workbook_sheet=DAT_PUBLICATIONS_SHEET,
    )


DAT_CANDIDATE_COMPONENTS = Sheet(
    "candidate_components",
    paths.EXTRACTION,
    (
        Column(col.CANDIDATE_ID, filled=True, expected="an id for the candidate component"),
        Column(col.PUBLICATION_ID),
        Column(col.CANDIDATE_COMPONENT, filled=True, expected="the candidate component's name"),
        Column(col.DESCRIPTION),
        Column(col.QUOTE),
        Column(col.PAGE),
        optional(col.PROVENANCE, choices=col.PROVENANCES),
    ),
    "the data abstraction table's candidate components",
    workbook_sheet="candidate_components",
)

LEVELS = ("theme", "component", "sub-component")
OPERATIONS = ("remove", "move", "rename", "add", "merge")

INITIAL_TYPOLOGY = Sheet(
    "initial_typology",
    paths.TYPOLOGY,
    (
        Column(col.ITEM_ID, filled=True, expected="the item's id"),
        Column(col.LEVEL, filled=True, choices=LEVELS),
        Column(col.NUMBER),
        Column(col.NAME, filled=True, expected="the item's name"),
        Column(col.DEFINITION),
        Column(col.EXAMPLE),
        provenance("source"),
        text_provenance("text_source"),
    ),
    "the typology before the expert consultation",
)
CHANGE_LOG = Sheet(
    "change_log",
    paths.TYPOLOGY,
    (
        Column(col.CHANGE_ID, filled=True, expected="an id for the change"),
        Column(col.OPERATION, filled=True, choices=OPERATIONS),
        Column(col.ITEM_ID, filled=True, expected="the item the change is about"),
        Column(col.TARGET),
        Column(col.POSITION),
        Column(col.NEW_NAME),
        optional(col.LEVEL),
        optional(col.DEFINITION),
        optional(col.EXAMPLE),
        Column(col.REASON, filled=True, expected="the reason for the change"),
        provenance("source"),
        text_provenance("text_source"),
    ),
    "the experts' changes to the typology, in the order they are applied",
)
CODING = Sheet(
    "coding",
    paths.TYPOLOGY,
    (
        Column(col.CANDIDATE_ID, filled=True, expected="the candidate component's id"),
        Column(col.ITEM_ID, filled=True, expected="the typology item it is coded to"),
        provenance("source"),
    ),
    "the coding of each candidate component to a typology item",
)
EXPERTS = Sheet(
    "experts",
    paths.TYPOLOGY,
    (
        Column(col.EXPERT_ID, filled=True, expected="the expert's id"),
        Column(col.COUNTRY, filled=True, expected="the expert's country"),
        Column(col.ROLE),
        Column(col.BACKGROUND),
        Column(col.LIVED_EXPERIENCE),
        provenance("source"),
    ),
    "the experts consulted",
)

#: The sheets every review keeps (each other source's sheet, and the DAT's publications sheet,
#: is made from the protocol: :func:`other_source_sheet`, :func:`dat_publications_sheet`).
SHEETS: tuple[Sheet, ...] = (
    TITLE_ABSTRACT_SCREENING,
    DOUBLE_SCREENING,
    FULL_TEXT_SCREENING,
    EXCLUSION_REASONS,
    REASON_MAPPING,
    DEDUP_DECISIONS,
    DAT_CANDIDATE_COMPONENTS,
    INITIAL_TYPOLOGY,
    CHANGE_LOG,
    CODING,
    EXPERTS,
)


# --- tables the pipeline passes on -------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table one step writes to ``data/processed`` and a later step reads.

    ``records``: text missing as ``pd.NA`` and the year a nullable integer, as the readers
    give records (:func:`compendium.readers.read_records`); otherwise text missing as ``""``.
    """

    name: str
    columns: tuple[Column, ...]
    what: str
    records: bool = False

    @property
    def relative(self) -> str:
        return f"{paths.PROCESSED}/{self.name}.csv"

    def path(self, project: Project) -> Path:
        return project.root / self.relative

    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def write(project: Project, table: Table, frame: pd.DataFrame) -> Path:
    """Write ``frame``'s declared columns, in their order, whole (missing: an error)."""
    missing = [name for name in table.names() if name not in frame.columns]
    if missing:
        msg = f"{table.relative}: no column {', '.join(missing)} to write; expected {table.what}"
        raise InputError(msg)
    text = frame[list(table.names())].to_csv(index=False, lineterminator="\n")
    return write_text(table.path(project), text)


def read(project: Project, table: Table) -> pd.DataFrame:
    """``table`` as the step before wrote it, with its declared types."""
    path = table.path(project)
    if not path.is_file():
        msg = f"{table.relative}: missing; expected {table.what}, written by an earlier step"
        raise InputError(msg)
    frame = pd.read_csv(io.StringIO(read_input_text(path)), dtype=str, keep_default_na=False)
    missing = [name for name in table.names() if name not in frame.columns]
    if missing:
        msg = (
            f"{table.relative}: row 1: no column {', '.join(missing)}: expected "
            f"{', '.join(table.names())}"
        )
        raise InputError(msg)
    frame = frame[list(table.names())]
    for column in table.columns:
        if column.kind == BOOLEAN:
            unknown = sorted(set(frame[column.name]) - {"True", "False"})
            if unknown:
                msg = f"{table.relative}: {column.name} {unknown[0]!r}: expected True or False"
                raise InputError(msg)
            frame[column.name] = frame[column.name] == "True"
    if table.records:
        frame = frame.replace("", pd.NA).astype("string")
        frame[col.YEAR] = pd.to_numeric(frame[col.YEAR]).astype("Int64")
    else:
        for column in table.columns:
            if column.kind == WHOLE:
                frame[column.name] = pd.to_numeric(frame[column.name].replace("", None)).astype(
                    "Int64"
                )
    return frame


def _text(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name) for name in names)


RECORDS = Table(
    "records",
    _text(*col.RECORD_COLUMNS),
    "every record read from the search exports",
    records=True,
)
DUPLICATES = Table(
    "duplicates",
    (
        Column(col.RECORD_ID),
        Column(col.CLUSTER_ID),
        Column(col.KEPT, kind=BOOLEAN),
        *_text(col.MATCHED_BY, col.DUPLICATE_OF, col.LINKED_TO),
    ),
    "each record's duplicate cluster, whether it is kept, and why",
)
RECORDS_DEDUPLICATED = Table(
    "records_deduplicated",
    _text(*col.RECORD_COLUMNS),
    "the records left to screen, missing fields filled from their duplicates",
    records=True,
)
LEDGER_COLUMNS: tuple[str, ...] = (
    col.RECORD_ID,
    col.IDENTIFIED,
    col.SOURCE,
    col.DATABASE,
    col.PUBLICATION_TYPE,
    col.TITLE,
    col.AUTHORS,
    col.YEAR,
    col.DUPLICATE_OF,
    col.TITLE_ABSTRACT,
    col.FULL_TEXT,
    col.REASON,
    col.INCLUDED,
    col.OUTCOME,
)
LEDGER = Table(
    "ledger",
    tuple(Column(name, kind=BOOLEAN if name == col.INCLUDED else TEXT) for name in LEDGER_COLUMNS),
    "every record's and publication's outcome at every stage",
)
INCLUDED_PUBLICATIONS = Table(
    "included_publications",
    _text(col.PUBLICATION_ID, col.PUBLICATION_TYPE, col.SOURCE, col.TITLE, col.AUTHORS, col.YEAR),
    "the publications included in the review",
)
DAT_PUBLICATIONS_CHECKED = Table(
    "dat_publications",
    tuple(Column(column.name, kind=column.kind) for column in dat_publication_columns()),
    "the data abstraction table's publications, checked",
)
CANDIDATE_COMPONENTS = Table(
    "candidate_components",
    _text(
        col.CANDIDATE_ID,
        col.PUBLICATION_ID,
        col.PUBLICATION_TYPE,
        col.CANDIDATE_COMPONENT,
        col.DESCRIPTION,
        col.QUOTE,
        col.PAGE,
    ),
    "the long list of candidate components",
)
TYPOLOGY_FINAL = Table(
    "typology_final",
    _text(
        col.ITEM_ID,
        col.LEVEL,
        col.NUMBER,
        col.NAME,
        col.DEFINITION,
        col.EXAMPLE,
        col.PROVENANCE,
        col.TEXT_PROVENANCE,
        col.PARENT_ID,
        col.POSITION,
    ),
    "the final typology, after the expert consultation",
)
CODING_FINAL = Table(
    "coding",
    _text(
        col.CANDIDATE_ID,
        col.PUBLICATION_ID,
        col.PUBLICATION_TYPE,
        col.CODED_ITEM_ID,
        col.ITEM_ID,
        col.LEVEL,
        col.NUMBER,
        col.NAME,
        col.COMPONENT_ID,
        col.REDIRECTED_BY,
    ),
    "each candidate component's coding, carried to the final typology",
)

TABLES: tuple[Table, ...] = (
    RECORDS,
    DUPLICATES,
    RECORDS_DEDUPLICATED,
    LEDGER,
    INCLUDED_PUBLICATIONS,
    DAT_PUBLICATIONS_CHECKED,
    CANDIDATE_COMPONENTS,
    TYPOLOGY_FINAL,
    CODING_FINAL,
)


# --- what the steps put in outputs/ --------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """A table or figure in ``outputs/tables`` or ``outputs/figures``, in several formats."""

    stem: str
    folder: str  # paths.TABLES or paths.FIGURES
    caption: str = ""
    number: str | None = None  # how the manuscript names it: "Table 1", "ESM 2"
    formats: tuple[str, ...] = ("csv", "md", "tex")
    group_by: str | None = None  # a column whose values head groups of rows (LaTeX, Word)

    @property
    def relative(self) -> str:
        return f"{self.folder}/{self.stem}.*"

    def stem_path(self, project: Project) -> Path:
        return project.root / self.folder / self.stem

    def path(self, project: Project, fmt: str) -> Path:
        return project.root / self.folder / f"{self.stem}.{fmt}"


def _table(stem: str, caption: str, *formats: str, **options: object) -> Output:
    return Output(stem, paths.TABLES, caption, formats=formats or ("csv", "md", "tex"), **options)


def _figure(stem: str, caption: str) -> Output:
    return Output(stem, paths.FIGURES, caption, formats=("png", "svg", "pdf"))


_LISTS = ("csv", "md")  # long lists: read on screen or by machine, not typeset

RECORDS_PER_DATABASE = _table("records_per_database", "Records retrieved from each database.")
RECORDS_PER_DATABASE_FIGURE = _figure(
    "records_per_database", "Records retrieved from each database."
)
UNCERTAIN_PAIRS = _table(
    "uncertain_pairs",
    "Pairs the rules could not settle, how alike their fields are, and what people decided.",
    *_LISTS,
)
DUPLICATES_BY_DATABASE = _table(
    "duplicates_by_database",
    "Duplicates removed, by the database of the kept record and of the duplicate.",
)
DUPLICATES_REMOVED = _table(
    "duplicates_removed",
    "Every duplicate removed, the record kept in its place, and why they matched.",
    *_LISTS,
)
LINKED_ITEMS = _table(
    "linked_items",
    "Errata, comments and replies, each beside the record kept for the article it is about: "
    "linked, never merged.",
    *_LISTS,
)
SCREENING_AGREEMENT = _table(
    "screening_agreement",
    "Agreement between two reviewers on the double-screened sample (include or maybe versus "
    "exclude).",
)
SCREENING_CONFLICTS = _table(
    "screening_conflicts",
    "Records on which the two reviewers disagreed, and how each was resolved.",
    *_LISTS,
)
FULL_TEXT_EXCLUSIONS = _table("full_text_exclusions", "Full-text reports excluded, by reason.")
PRISMA_FLOW = _figure("prisma_flow", "PRISMA 2020 flow diagram.")
PRISMA2020_TEMPLATE = Output(
    "prisma2020_template", paths.TABLES, "The flow's counts in the PRISMA2020 template.", None,
    ("csv",),
)  # fmt: skip
ESM2 = _table(
    "esm2_included_publications", "Included publications, numbered by type.", number="ESM 2"
)
ESM3 = _table(
    "esm3_candidate_components",
    "Data abstraction table: the long list of candidate components, each with the ESM 2 number "
    "of its publication.",
    number="ESM 3",
)
ESM3_WORKBOOK = Output("esm3_candidate_components", paths.TABLES, ESM3.caption, "ESM 3", ("xlsx",))
TYPOLOGY_BEFORE_AFTER = _table(
    "typology_before_after", "The typology before and after the expert consultation."
)
TABLE_1 = _table(
    "table1_typology",
    "Typology of one-to-one mental health peer support work components",
    "csv",
    "md",
    "tex",
    "docx",
    number="Table 1",
    group_by="Theme",
)
RECODED_CANDIDATE_COMPONENTS = _table(
    "recoded_candidate_components",
    "Candidate components whose coding the expert consultation moved.",
)
TYPOLOGY_COVERAGE = _table(
    "typology_coverage",
    "Candidate components and publications (by type) mapping to each final component and "
    "sub-component.",
)
COVERAGE_HEATMAP = _figure(
    "coverage_heatmap", "The share of each type's publications mapping to each component."
)
TYPOLOGY_OVERVIEW = _figure("typology_overview", "The final typology at a glance.")
CNMA_COMPONENTS = _table(
    "cnma_components",
    "Final components of each included publication of the database search's type (1 present, "
    "0 absent).",
    *_LISTS,
)
CNMA_COMPONENTS_COLUMNS = _table(
    "cnma_components_columns", "Columns of cnma_components.csv.", *_LISTS
)
REPRODUCTION_CHECK = Output(
    "reproduction_check",
    paths.OUTPUTS,
    "Reproduction check: each number the manuscript reports against the value computed from "
    "data/raw.",
    formats=_LISTS,
)


def _in_a_sentence(label: str) -> str:
    """A label as a sentence's words: "Trial reports" -> "trial reports" ("RCTs" stays)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def esm2_output(protocol: Protocol) -> Output:
    """ESM 2, its caption naming the protocol's publication types in the order it lists them."""
    kinds = ", ".join(_in_a_sentence(kind.label) for kind in protocol.publication_types)
    return replace(ESM2, caption=f"Included publications, numbered by type: {kinds}.")


def cnma_output(protocol: Protocol) -> Output:
    """The component network meta-analysis table, its caption naming its rows' type: the type
    of the records the database search found (the protocol's ``database_search``)."""
    kind = protocol.database_search_type
    return replace(
        CNMA_COMPONENTS, caption=f"Final components of each included {kind} (1 present, 0 absent)."
    )


@dataclass(frozen=True)
class File:
    """A single file the pipeline writes outside data/processed tables (JSON, a manifest)."""

    relative: str
    what: str = field(default="")

    def path(self, project: Project) -> Path:
        return project.root / self.relative


NUMBERS_JSON = File(f"{paths.OUTPUTS}/numbers.json", "every number the pipeline computed")
MANIFEST = File(f"{paths.OUTPUTS}/MANIFEST.csv", "every output, what made it, its SHA-256")


def step_numbers(step: str) -> File:
    """``data/processed/numbers/<step>.json``: the numbers one step established."""
    return File(f"{paths.STEP_NUMBERS}/{step}.json", f"the numbers {step} established")
