"""The data abstraction table (DAT): its schema, its checks, and the long list it yields.

The DAT is kept by the review team as a workbook (``data/raw/extraction/*.xlsx``) with two
sheets, or as two CSV files (``publications.csv`` and ``candidate_components.csv``):

* **publications**: one row per included publication: ``publication_id``, ``authors``,
  ``year``, ``title``, ``publication_type`` (trial report, training manual or change model),
  ``country``, ``setting``, ``population``, ``source`` (where it was found);
* **candidate_components**: one row per candidate component a publication describes:
  ``candidate_id``, ``publication_id``, ``candidate_component`` (its name), ``description``,
  ``quote`` (the supporting text) and ``page``.

The publications sheet may also give ``journal`` (the journal, or the publisher of a book or
manual), ``doi`` and ``url``, which ESM 2's reference list prints. Either sheet may carry a
``provenance`` column (``paper`` or ``illustrative``), which the
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
JOURNAL = col.JOURNAL  # optional: the journal, or the publisher of a book or manual
DOI = col.DOI  # optional: bare, "10.xxxx/..."
URL = "url"  # optional: where a publication without a DOI can be read

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
#: Optional columns of the publications sheet: what ESM 2's reference list needs beyond the
#: authors, year and title. A DAT without them reads as if they were blank.
REFERENCE_COLUMNS: tuple[str, ...] = (JOURNAL, DOI, URL)
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
PROCESSED_PUBLICATIONS_FILE = f"data/processed/{PROCESSED_PUBLICATIONS}"
PROCESSED_LONG_LIST_FILE = f"data/processed/{PROCESSED_LONG_LIST}"


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
    for name in REFERENCE_COLUMNS:
        if name not in table.columns:
            table[name] = ""
    problems = validate.filled(table, PUBLICATION_ID, "the publication's id")
    problems += [
        f"{validate.row(i)}: doi {value!r}: expected a bare DOI, '10.' then a prefix and suffix"
        for i, value in table[DOI].items()
        if value and not value.startswith("10.")
    ]
    problems += [
        f"{validate.row(i)}: url {value!r}: expected an address starting http:// or https://"
        for i, value in table[URL].items()
        if value and not value.startswith(("http://", "https://"))
    ]
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


#: ESM 2's columns, as a reference list prints them.
ESM2_COLUMNS: dict[str, str] = {
    NUMBER: "No.",
    col.AUTHORS: "Authors",
    col.YEAR: "Year",
    col.TITLE: "Title",
    JOURNAL: "Journal or publisher",
    "doi_or_url": "DOI or URL",
    PUBLICATION_TYPE: "Type of publication",
    SOURCE: "Found through",
}
#: The DAT's publications as the ESM 3 workbook shows them.
DAT_PUBLICATION_COLUMNS: dict[str, str] = {
    NUMBER: "No. (ESM 2)",
    PUBLICATION_ID: "Publication ID",
    col.AUTHORS: "Authors",
    col.YEAR: "Year",
    col.TITLE: "Title",
    PUBLICATION_TYPE: "Type of publication",
    COUNTRY: "Country",
    SETTING: "Setting",
    POPULATION: "Population",
    SOURCE: "Found through",
}
#: ESM 3's columns: each candidate component with the ESM 2 number of its publication.
ESM3_COLUMNS: dict[str, str] = {
    CANDIDATE_ID: "ID",
    NUMBER: "Publication (ESM 2 No.)",
    PUBLICATION_TYPE: "Type of publication",
    CANDIDATE_COMPONENT: "Candidate component",
    DESCRIPTION: "Description",
    QUOTE: "Quote",
    PAGE: "Page",
}


def numbered_publications(publications: pd.DataFrame) -> pd.DataFrame:
    """The included publications numbered as ESM 2 lists them: by type (trial reports
    first), then by id."""
    table = publications.assign(_order=_type_order(publications))
    table = table.sort_values(["_order", PUBLICATION_ID], kind="stable").drop(columns="_order")
    table.insert(0, NUMBER, range(1, len(table) + 1))
    return table.reset_index(drop=True)


def _doi_or_url(row: pd.Series) -> str:
    doi, url = row.get(DOI, ""), row.get(URL, "")
    return f"https://doi.org/{doi}" if doi else (url or "")


def included_publications_table(publications: pd.DataFrame) -> pd.DataFrame:
    """ESM 2: the included publications as a numbered reference list (authors, year, title,
    journal or publisher, DOI or URL), with their type and where they were found."""
    table = numbered_publications(publications)
    for name in REFERENCE_COLUMNS:
        if name not in table.columns:
            table[name] = ""
    table["doi_or_url"] = [_doi_or_url(row) for _, row in table.iterrows()]
    table[col.YEAR] = table[col.YEAR].astype("Int64")
    return table[list(ESM2_COLUMNS)].rename(columns=ESM2_COLUMNS)


def dat_publications_table(publications: pd.DataFrame) -> pd.DataFrame:
    """The DAT's publications sheet for reading: numbered as in ESM 2, readable headers."""
    table = numbered_publications(publications)
    table[col.YEAR] = table[col.YEAR].astype("Int64")
    return table[list(DAT_PUBLICATION_COLUMNS)].rename(columns=DAT_PUBLICATION_COLUMNS)


def candidate_components_table(dat: Dat) -> pd.DataFrame:
    """The long list of candidate components, each with its publication's type."""
    kinds = dat.publications[[PUBLICATION_ID, PUBLICATION_TYPE]]
    table = dat.candidate_components.merge(kinds, on=PUBLICATION_ID, how="left")
    table = table.sort_values([PUBLICATION_ID, CANDIDATE_ID], kind="stable")
    return table[
        [CANDIDATE_ID, PUBLICATION_ID, PUBLICATION_TYPE, *CANDIDATE_COLUMNS[2:]]
    ].reset_index(drop=True)


def esm3_table(long_list: pd.DataFrame, publications: pd.DataFrame) -> pd.DataFrame:
    """ESM 3: the long list for reading, each candidate component with the ESM 2 number of its
    publication (ids such as ``ovid_medline_2022-08:000012`` stay in the workbook), the page
    a number, in the order of ESM 2."""
    numbers = numbered_publications(publications)[[PUBLICATION_ID, NUMBER]]
    table = long_list.merge(numbers, on=PUBLICATION_ID, how="left")
    table = table.sort_values([NUMBER, CANDIDATE_ID], kind="stable").reset_index(drop=True)
    pages = pd.to_numeric(table[PAGE].where(table[PAGE] != ""), errors="coerce")
    if pages.notna().sum() == (table[PAGE] != "").sum():  # pages such as "12-13" stay text
        table[PAGE] = pages.astype("Int64")
    return table[list(ESM3_COLUMNS)].rename(columns=ESM3_COLUMNS)


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


def numbers(publications: pd.DataFrame, long_list: pd.DataFrame) -> dict[str, int]:
    """The DAT's numbers: candidate components (in all, and by type of publication) and
    publications charted by type, each :func:`~compendium.numbers.sourced`."""
    from compendium.numbers import sourced

    made = {
        "candidate_components": sourced(
            len(long_list), table=PROCESSED_LONG_LIST_FILE, query="rows"
        )
    }
    for kind in PUBLICATION_TYPES:
        key = kind.replace(" ", "_")
        made[f"candidate_components_{key}s"] = sourced(
            int((long_list[PUBLICATION_TYPE] == kind).sum()),
            table=PROCESSED_LONG_LIST_FILE,
            query=f"rows with publication_type '{kind}'",
        )
        made[f"publications_charted_{key}s"] = sourced(
            int((publications[PUBLICATION_TYPE] == kind).sum()),
            table=PROCESSED_PUBLICATIONS_FILE,
            query=f"rows with publication_type '{kind}'",
        )
    return made


# --- sheets as text -----------------------------------------------------------------------------


def csv_text(table: pd.DataFrame) -> str:
    """A sheet as the CSV a team would keep: no index, ``\\n`` line endings."""
    return table.to_csv(index=False, lineterminator="\n")
