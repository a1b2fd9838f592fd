"""The data abstraction table (DAT): its schema, its checks, and the long list it yields.

The DAT is kept by the review team as a workbook (``data/raw/extraction/*.xlsx``) with two
sheets, or as two CSV files (``publications.csv`` and ``candidate_components.csv``):

* **publications**: one row per included publication: ``publication_id``, ``authors``,
  ``year``, ``title``, ``publication_type`` (trial report, training manual or change model),
  ``country``, ``setting``, ``population``, ``source`` (where it was found);
* **candidate_components**: one row per candidate component a publication describes:
  ``candidate_id``, ``publication_id``, ``candidate_component`` (its name), ``description``,
  ``quote`` (the supporting text) and ``page``.

Either sheet may carry a ``provenance`` column (``paper`` or ``illustrative``), which the
demonstration dataset uses to label its invented rows. Every check lists every offending row
at once, naming the file, the sheet, the row as a spreadsheet shows it, the value and what was
expected, so that the team can fix the workbook in one pass.

Examples
--------
>>> import pandas as pd
>>> publications = pd.DataFrame({"publication_type": ["trial report", "change model"]})
>>> long_list = pd.DataFrame({"publication_type": ["trial report"] * 3})
>>> by_type(publications, long_list)["candidate_components"].tolist()
[3, 0, 0, 3]
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from compendium import columns as col
from compendium import validate

# shared with the screening ledger, and re-exported for the notebooks' convenience
from compendium.columns import CHANGE_MODEL as CHANGE_MODEL
from compendium.columns import PUBLICATION_ID as PUBLICATION_ID
from compendium.columns import PUBLICATION_TYPE as PUBLICATION_TYPE
from compendium.columns import PUBLICATION_TYPES as PUBLICATION_TYPES
from compendium.columns import SOURCE as SOURCE
from compendium.columns import SOURCES as SOURCES
from compendium.columns import TRAINING_MANUAL as TRAINING_MANUAL
from compendium.columns import TRIAL_REPORT as TRIAL_REPORT
from compendium.errors import InputError
from compendium.io import read_input_bytes, read_sheet_table

# --- column names -----------------------------------------------------------------------------
COUNTRY = "country"
SETTING = "setting"
POPULATION = "population"
CANDIDATE_ID = "candidate_id"
CANDIDATE_COMPONENT = "candidate_component"  # the candidate component's name
DESCRIPTION = "description"
QUOTE = "quote"
PAGE = "page"
PROVENANCE = "provenance"  # optional: "paper" or "illustrative"
NUMBER = "number"  # the publication's number in ESM 2

PUBLICATION_COLUMNS: tuple[str, ...] = (
    PUBLICATION_ID,
    col.AUTHORS,
    col.YEAR,
    col.TITLE,
    PUBLICATION_TYPE,
    COUNTRY,
    SETTING,
    POPULATION,
    SOURCE,
)
CANDIDATE_COLUMNS: tuple[str, ...] = (
    CANDIDATE_ID,
    PUBLICATION_ID,
    CANDIDATE_COMPONENT,
    DESCRIPTION,
    QUOTE,
    PAGE,
)
#: ``data/processed/included_publications.csv``, written by the screening step.
INCLUDED_COLUMNS: tuple[str, ...] = (
    PUBLICATION_ID,
    PUBLICATION_TYPE,
    SOURCE,
    col.TITLE,
    col.AUTHORS,
    col.YEAR,
)

# --- values -----------------------------------------------------------------------------------
PROVENANCES: tuple[str, ...] = ("paper", "illustrative")

#: Sheet names in the workbook; the CSV files are named ``<sheet>.csv``.
PUBLICATIONS_SHEET = "publications"
CANDIDATES_SHEET = "candidate_components"

#: What step 05 writes to ``data/processed`` for step 06: the checked sheets.
PROCESSED_PUBLICATIONS = "dat_publications.csv"
PROCESSED_LONG_LIST = "candidate_components.csv"

#: Office files embed the time they were saved; ours carry the paper's publication date.
FIXED_DATE = "2023-08-14T00:00:00Z"


class DatError(InputError):
    """The DAT, or its agreement with the screening ledger, is not as expected."""


class Dat(NamedTuple):
    """The two sheets of the DAT, checked and typed."""

    publications: pd.DataFrame
    candidate_components: pd.DataFrame


# --- reading ----------------------------------------------------------------------------------


def _problems(where: str, problems: list[str]) -> None:
    """Raise one error listing every problem, or nothing when there are none."""
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        msg = f"{where}: {len(problems)} problem(s):\n{lines}"
        raise DatError(msg)


def _read_sheet(source: Path | pd.ExcelFile, sheet: str | None) -> pd.DataFrame:
    """Every cell as text (no guessing of types), blanks as empty strings."""
    if sheet is None:
        table = read_sheet_table(source)
    else:
        table = pd.read_excel(source, sheet_name=sheet, dtype=str, keep_default_na=False)
    table.columns = [str(name).strip() for name in table.columns]
    return table.map(lambda value: str(value).strip()).reset_index(drop=True)


def _workbook(path: Path) -> pd.ExcelFile:
    import zipfile

    read_input_bytes(path)  # a file that cannot be read is named
    try:
        return pd.ExcelFile(path, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        msg = f"{path}: not a readable .xlsx workbook ({error}); expected an Excel workbook"
        raise DatError(msg) from None


def read_dat(folder: str | Path) -> Dat:
    """Read and check the DAT in ``folder``: one ``.xlsx`` workbook, or the two CSV files."""
    folder = Path(folder)
    workbooks = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    if len(workbooks) > 1:
        names = ", ".join(p.name for p in workbooks)
        msg = f"{folder}: {len(workbooks)} workbooks ({names}): expected one DAT workbook"
        raise DatError(msg)
    if workbooks:
        path = workbooks[0]
        with _workbook(path) as book:
            missing = [
                s for s in (PUBLICATIONS_SHEET, CANDIDATES_SHEET) if s not in book.sheet_names
            ]
            if missing:
                msg = (
                    f"{path}: no sheet {', '.join(map(repr, missing))}: expected sheets "
                    f"{PUBLICATIONS_SHEET!r} and {CANDIDATES_SHEET!r} "
                    f"(found {', '.join(book.sheet_names)})"
                )
                raise DatError(msg)
            publications = _read_sheet(book, PUBLICATIONS_SHEET)
            candidates = _read_sheet(book, CANDIDATES_SHEET)
        where = (
            f"{path}, sheet {PUBLICATIONS_SHEET!r}",
            f"{path}, sheet {CANDIDATES_SHEET!r}",
        )
    else:
        paths = [folder / f"{PUBLICATIONS_SHEET}.csv", folder / f"{CANDIDATES_SHEET}.csv"]
        absent = [p.name for p in paths if not p.is_file()]
        if absent:
            msg = (
                f"{folder}: no DAT found ({', '.join(absent)} missing): expected one .xlsx "
                f"workbook with sheets {PUBLICATIONS_SHEET!r} and {CANDIDATES_SHEET!r}, or "
                f"{PUBLICATIONS_SHEET}.csv and {CANDIDATES_SHEET}.csv"
            )
            raise DatError(msg)
        publications, candidates = (_read_sheet(p, None) for p in paths)
        where = (str(paths[0]), str(paths[1]))
    publications = check_publications(publications, where=where[0])
    candidates = check_candidate_components(candidates, publications, where=where[1])
    return Dat(publications, candidates)


def _missing_columns(table: pd.DataFrame, required: tuple[str, ...], where: str) -> None:
    missing = [name for name in required if name not in table.columns]
    if missing:
        msg = (
            f"{where}: missing column(s) {', '.join(missing)}; expected columns "
            f"{', '.join(required)} (found {', '.join(map(str, table.columns))})"
        )
        raise DatError(msg)


def _integers(table: pd.DataFrame, name: str, *, required: bool) -> tuple[pd.Series, list[str]]:
    numbers = pd.to_numeric(table[name].where(table[name] != ""), errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round())
    bad = (table[name] != "") & ~whole
    if required:
        bad |= table[name] == ""
    problems = [
        f"{validate.row(i)}: {name} {table.at[i, name]!r}: expected a whole number"
        for i in table.index[bad]
    ]
    return numbers.where(whole).astype("Int64"), problems


def check_publications(publications: pd.DataFrame, *, where: str) -> pd.DataFrame:
    """The publications sheet, checked: ids given once, known types and sources, years whole."""
    _missing_columns(publications, PUBLICATION_COLUMNS, where)
    table = publications.copy()
    problems = validate.filled(table, PUBLICATION_ID, "the publication's id")
    problems += validate.filled(table, col.TITLE, "the publication's title")
    problems += validate.repeated(table, [PUBLICATION_ID], "publication_id")
    problems += validate.choice(table, PUBLICATION_TYPE, PUBLICATION_TYPES)
    problems += validate.choice(table, SOURCE, SOURCES)
    if PROVENANCE in table.columns:
        problems += validate.choice(table, PROVENANCE, PROVENANCES)
    table[col.YEAR], bad_years = _integers(table, col.YEAR, required=False)
    _problems(where, problems + bad_years)
    return table


def check_candidate_components(
    candidate_components: pd.DataFrame, publications: pd.DataFrame, *, where: str
) -> pd.DataFrame:
    """The candidate-components sheet, checked against the publications sheet."""
    _missing_columns(candidate_components, CANDIDATE_COLUMNS, where)
    table = candidate_components.copy()
    known = set(publications[PUBLICATION_ID])
    problems = validate.filled(table, CANDIDATE_ID, "an id for the candidate component")
    problems += validate.filled(table, CANDIDATE_COMPONENT, "the candidate component's name")
    problems += [
        f"{validate.row(i)}: publication_id {value!r}: not in the publications sheet"
        for i, value in table[PUBLICATION_ID].items()
        if value not in known
    ]
    problems += validate.repeated(table, [CANDIDATE_ID], "candidate_id")
    problems += validate.repeated(
        table, [PUBLICATION_ID, CANDIDATE_COMPONENT, DESCRIPTION], "candidate component"
    )
    if PROVENANCE in table.columns:
        problems += validate.choice(table, PROVENANCE, PROVENANCES)
    _problems(where, problems)
    return table


def read_included(path: str | Path) -> pd.DataFrame:
    """The screening step's included publications (``data/processed/included_publications.csv``)."""
    path = Path(path)
    if not path.is_file():
        msg = f"{path}: missing; expected the included publications the screening step writes"
        raise DatError(msg)
    included = _read_sheet(path, None)
    _missing_columns(included, INCLUDED_COLUMNS, str(path))
    problems = validate.choice(included, PUBLICATION_TYPE, PUBLICATION_TYPES)
    problems += validate.choice(included, SOURCE, SOURCES)
    problems += validate.repeated(included, [PUBLICATION_ID], "publication_id")
    _problems(str(path), problems)
    return included


def read_processed(folder: str | Path) -> Dat:
    """The DAT as step 05 passed it on: its publications and its long list (ESM 3)."""
    folder = Path(folder)
    paths = [folder / PROCESSED_PUBLICATIONS, folder / PROCESSED_LONG_LIST]
    absent = [str(p) for p in paths if not p.is_file()]
    if absent:
        msg = f"{', '.join(absent)}: missing; expected the DAT written by step 05"
        raise DatError(msg)
    publications = check_publications(_read_sheet(paths[0], None), where=str(paths[0]))
    long_list = _read_sheet(paths[1], None)
    _missing_columns(long_list, (*CANDIDATE_COLUMNS, PUBLICATION_TYPE), str(paths[1]))
    return Dat(publications, long_list)


def check_against_included(dat: Dat, included: pd.DataFrame, *, where: str) -> None:
    """Every included publication has DAT rows, and every DAT publication is included.

    The DAT is charted from the included publications; a publication in one and not the other
    means the DAT was filled in before screening was final, or an id was mistyped.
    """
    publications = dat.publications.set_index(PUBLICATION_ID)
    ledger = included.set_index(PUBLICATION_ID)
    charted = set(dat.candidate_components[PUBLICATION_ID])
    problems = []
    for publication_id, row in ledger.iterrows():
        if publication_id not in publications.index:
            problems.append(
                f"included publication {publication_id!r} ({row[PUBLICATION_TYPE]}, "
                f"{row[SOURCE]}): no row in sheet {PUBLICATIONS_SHEET!r}"
            )
        elif publication_id not in charted:
            problems.append(
                f"included publication {publication_id!r}: no candidate components in sheet "
                f"{CANDIDATES_SHEET!r}: expected at least one"
            )
    for position, (publication_id, row) in enumerate(publications.iterrows()):
        if publication_id not in ledger.index:
            problems.append(
                f"sheet {PUBLICATIONS_SHEET!r} {validate.row(position)}: "
                f"publication {publication_id!r} is not among the included publications "
                "of the screening ledger"
            )
            continue
        for name in (PUBLICATION_TYPE, SOURCE):
            if row[name] != ledger.at[publication_id, name]:
                problems.append(
                    f"sheet {PUBLICATIONS_SHEET!r} {validate.row(position)}: publication "
                    f"{publication_id!r} {name} {row[name]!r}: the screening ledger says "
                    f"{ledger.at[publication_id, name]!r}"
                )
    _problems(where, problems)


# --- what the DAT yields ----------------------------------------------------------------------


def _type_order(table: pd.DataFrame) -> pd.Series:
    return table[PUBLICATION_TYPE].map({t: i for i, t in enumerate(PUBLICATION_TYPES)})


def included_publications_table(publications: pd.DataFrame) -> pd.DataFrame:
    """ESM 2: the included publications, numbered by type (trial reports first), then by id."""
    table = publications.assign(_order=_type_order(publications))
    table = table.sort_values(["_order", PUBLICATION_ID], kind="stable").drop(columns="_order")
    table.insert(0, NUMBER, range(1, len(table) + 1))
    return table[[NUMBER, *PUBLICATION_COLUMNS]].reset_index(drop=True)


def candidate_components_table(dat: Dat) -> pd.DataFrame:
    """ESM 3: the long list of candidate components, each with its publication's type."""
    kinds = dat.publications[[PUBLICATION_ID, PUBLICATION_TYPE]]
    table = dat.candidate_components.merge(kinds, on=PUBLICATION_ID, how="left")
    table = table.sort_values([PUBLICATION_ID, CANDIDATE_ID], kind="stable")
    return table[
        [CANDIDATE_ID, PUBLICATION_ID, PUBLICATION_TYPE, *CANDIDATE_COLUMNS[2:]]
    ].reset_index(drop=True)


def by_type(publications: pd.DataFrame, candidate_components: pd.DataFrame) -> pd.DataFrame:
    """Publications and candidate components per type of publication, with a total row.

    ``candidate_components`` needs a ``publication_type`` column (as the ESM 3 table has).
    """
    rows = [
        {
            PUBLICATION_TYPE: kind,
            "publications": int((publications[PUBLICATION_TYPE] == kind).sum()),
            "candidate_components": int((candidate_components[PUBLICATION_TYPE] == kind).sum()),
        }
        for kind in PUBLICATION_TYPES
    ]
    rows.append(
        {
            PUBLICATION_TYPE: "all",
            "publications": len(publications),
            "candidate_components": len(candidate_components),
        }
    )
    return pd.DataFrame(rows)


# --- workbooks --------------------------------------------------------------------------------


def workbook(sheets: dict[str, pd.DataFrame], *, note: str | None = None) -> bytes:
    """An XLSX workbook, one sheet per table, the same bytes for the same tables.

    The header row is bold and frozen; ``note`` (the demonstration note) goes on a first
    sheet of its own, so that the data sheets stay machine-readable.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from compendium.render import normalise_office_zip

    book = Workbook()
    book.remove(book.active)
    if note:
        about = book.create_sheet("note")
        about.append([note])
    for name, table in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([str(c) for c in table.columns])
        for row in table.itertuples(index=False):
            sheet.append(["" if pd.isna(value) else _plain(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    book.properties.creator = "compendium"
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_office_zip(buffer.getvalue(), date=FIXED_DATE)


def _plain(value: object) -> object:
    """numpy scalars as Python ones, which openpyxl writes without surprises."""
    return value.item() if hasattr(value, "item") else value


def csv_text(table: pd.DataFrame) -> str:
    """A sheet as the CSV a team would keep: no index, ``\\n`` line endings."""
    return table.to_csv(index=False, lineterminator="\n")
