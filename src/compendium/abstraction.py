"""The data abstraction table (DAT): its schema, its checks, and the long list it yields.

The DAT is kept by the review team as a workbook (``data/raw/extraction/*.xlsx``) with two
sheets, or as two CSV files (``publications.csv`` and ``candidate_components.csv``):

* **publications**: one row per included publication: ``publication_id``, ``authors``,
  ``year``, ``title``, ``publication_type`` (one of the protocol's publication types),
  ``country``, ``setting``, ``population``, ``source`` (where it was found: the database
  search or one of the protocol's other sources);
* **candidate_components**: one row per candidate component a publication describes:
  ``candidate_id``, ``publication_id``, ``candidate_component`` (its name), ``description``,
  ``quote`` (the supporting text) and ``page``.

The publications sheet may also give ``journal`` (the journal, or the publisher of a book or
manual), ``doi`` and ``url``, which ESM 2's reference list prints. Either sheet may carry a
``provenance`` column (``paper`` or ``illustrative``), which the
demonstration dataset uses to label its invented rows. Every check lists every offending row
at once, naming the file, the sheet, the row as a spreadsheet shows it, the value and what was
expected, so that the team can fix the workbook in one pass.

The publication types (their order, the keys of their numbers) and the sources are the
review's protocol's (``data/raw/protocol.yaml``, :mod:`compendium.protocol`).

Examples
--------
>>> import pandas as pd
>>> from compendium import protocol
>>> from compendium.paths import Project
>>> review = protocol.read(Project().protocol)
>>> publications = pd.DataFrame({"publication_type": ["trial report", "change model"]})
>>> long_list = pd.DataFrame({"publication_type": ["trial report"] * 3})
>>> by_type(publications, long_list, review)["candidate_components"].tolist()
[3, 0, 0, 3]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from compendium import columns as col
from compendium import tables, validate

# shared with the screening ledger, and re-exported for the notebooks' convenience
from compendium.columns import (
    CANDIDATE_COMPONENT,
    CANDIDATE_ID,
    COUNTRY,
    DESCRIPTION,
    DOI,
    JOURNAL,
    NUMBER,
    PAGE,
    POPULATION,
    PROVENANCE,
    PROVENANCES,
    PUBLICATION_ID,
    PUBLICATION_TYPE,
    QUOTE,
    SETTING,
    SOURCE,
    URL,
)
from compendium.errors import InputError
from compendium.io import read_input_bytes
from compendium.validate import ROW, Problem

if TYPE_CHECKING:
    from compendium.protocol import Protocol

__all__ = ["PROVENANCE", "PROVENANCES"]

#: The sheets' columns, as :mod:`compendium.tables` declares them.
PUBLICATION_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in tables.dat_publication_columns() if c.required
)
#: Optional columns of the publications sheet: what ESM 2's reference list needs beyond the
#: authors, year and title. A DAT without them reads as if they were blank.
REFERENCE_COLUMNS: tuple[str, ...] = (JOURNAL, DOI, URL)
CANDIDATE_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in tables.DAT_CANDIDATE_COMPONENTS.columns if c.required
)
INCLUDED_COLUMNS: tuple[str, ...] = tables.INCLUDED_PUBLICATIONS.names()

#: Sheet names in the workbook; the CSV files are named ``<sheet>.csv``.
PUBLICATIONS_SHEET = tables.DAT_PUBLICATIONS_SHEET
CANDIDATES_SHEET = tables.DAT_CANDIDATE_COMPONENTS.name

#: Office files embed the time they were saved; ours carry the paper's publication date.
FIXED_DATE = "2023-08-14T00:00:00Z"


class DatError(InputError):
    """The DAT, or its agreement with the screening ledger, is not as expected."""


class Dat(NamedTuple):
    """The two sheets of the DAT, checked and typed."""

    publications: pd.DataFrame
    candidate_components: pd.DataFrame


# --- reading ----------------------------------------------------------------------------------


def _problems(where: str, problems: list[Problem]) -> None:
    """Raise one error listing every problem, or nothing when there are none."""
    validate.raise_problems(where, problems, DatError)


def _workbook(path: Path) -> pd.ExcelFile:
    import zipfile

    read_input_bytes(path)  # a file that cannot be read is named
    try:
        return pd.ExcelFile(path, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        msg = f"{path}: not a readable .xlsx workbook ({error}); expected an Excel workbook"
        raise DatError(msg) from None


def read_dat(folder: str | Path, protocol: Protocol) -> Dat:
    """Read and check the DAT in ``folder``: one ``.xlsx`` workbook, or the two CSV files.

    Its publications' types and sources are checked against ``protocol``'s.
    """
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
        where = (
            f"{path}, sheet {PUBLICATIONS_SHEET!r}",
            f"{path}, sheet {CANDIDATES_SHEET!r}",
        )
        publications = tables.load(path, workbook_sheet=PUBLICATIONS_SHEET)
        candidates = tables.load(path, workbook_sheet=CANDIDATES_SHEET)
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
        publications, candidates = (tables.load(p) for p in paths)
        where = (str(paths[0]), str(paths[1]))
    publications = check_publications(publications, protocol, where=where[0])
    candidates = check_candidate_components(candidates, publications, where=where[1])
    return Dat(publications, candidates)


def check_publications(
    publications: pd.DataFrame, protocol: Protocol, *, where: str
) -> pd.DataFrame:
    """The publications sheet, checked: ids given once, types and sources the protocol's,
    years whole."""
    if ROW not in publications.columns:
        publications = publications.assign(**{ROW: range(2, len(publications) + 2)})
    sheet = tables.dat_publications_sheet(protocol)
    table = tables.check(sheet, publications, where, DatError, defer=True)
    problems = tables.problems_of(table) + [
        Problem(row, DOI, value, "expected a bare DOI, '10.' then a prefix and suffix")
        for row, value in zip(table[ROW], table[DOI], strict=True)
        if value and not value.startswith("10.")
    ]
    problems += [
        Problem(row, URL, value, "expected an address starting http:// or https://")
        for row, value in zip(table[ROW], table[URL], strict=True)
        if value and not value.startswith(("http://", "https://"))
    ]
    problems += validate.repeated(table, [PUBLICATION_ID], PUBLICATION_ID)
    _problems(where, problems)
    return table


def check_candidate_components(
    candidate_components: pd.DataFrame, publications: pd.DataFrame, *, where: str
) -> pd.DataFrame:
    """The candidate-components sheet, checked against the publications sheet."""
    if ROW not in candidate_components.columns:
        candidate_components = candidate_components.assign(
            **{ROW: range(2, len(candidate_components) + 2)}
        )
    table = tables.check(
        tables.DAT_CANDIDATE_COMPONENTS, candidate_components, where, DatError, defer=True
    )
    problems = tables.problems_of(table) + validate.unknown(
        table, PUBLICATION_ID, publications[PUBLICATION_ID], "not in the publications sheet"
    )
    problems += [
        Problem(row, PUBLICATION_ID, "", "not in the publications sheet")
        for row, value in zip(table[ROW], table[PUBLICATION_ID], strict=True)
        if not value
    ]
    problems += validate.repeated(table, [CANDIDATE_ID], CANDIDATE_ID)
    problems += validate.repeated(
        table, [PUBLICATION_ID, CANDIDATE_COMPONENT, DESCRIPTION], "candidate component"
    )
    _problems(where, problems)
    return table


def read_included(path: str | Path, protocol: Protocol) -> pd.DataFrame:
    """The screening step's included publications (``data/processed/included_publications.csv``),
    each of one of ``protocol``'s publication types and from one of its sources."""
    path = Path(path)
    if not path.is_file():
        msg = f"{path}: missing; expected the included publications the screening step writes"
        raise DatError(msg)
    included = tables.load(path)
    missing = [name for name in INCLUDED_COLUMNS if name not in included.columns]
    if missing:
        msg = (
            f"{path}: missing column(s) {', '.join(missing)}; expected columns "
            f"{', '.join(INCLUDED_COLUMNS)} (found {', '.join(map(str, included.columns))})"
        )
        raise DatError(msg)
    sheet = tables.dat_publications_sheet(protocol)
    problems = [
        Problem(row, column.name, value, f"expected {column.allowed}")
        for column in (sheet.column(PUBLICATION_TYPE), sheet.column(SOURCE))
        for row, value in zip(included[ROW], included[column.name], strict=True)
        if value not in column.choices
    ]
    problems += validate.repeated(included, [PUBLICATION_ID], PUBLICATION_ID)
    _problems(str(path), problems)
    return included.drop(columns=[ROW])


def read_processed(folder: str | Path, protocol: Protocol) -> Dat:
    """The DAT as step 05 passed it on: its publications and its long list (ESM 3)."""
    folder = Path(folder)
    names = (tables.DAT_PUBLICATIONS_CHECKED, tables.CANDIDATE_COMPONENTS)
    paths = [folder / f"{table.name}.csv" for table in names]
    absent = [str(p) for p in paths if not p.is_file()]
    if absent:
        msg = f"{', '.join(absent)}: missing; expected the DAT written by step 05"
        raise DatError(msg)
    publications = check_publications(tables.load(paths[0]), protocol, where=str(paths[0]))
    long_list = tables.load(paths[1])
    missing = [c for c in tables.CANDIDATE_COMPONENTS.names() if c not in long_list.columns]
    if missing:
        msg = f"{paths[1]}: missing column(s) {', '.join(missing)}"
        raise DatError(msg)
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
                Problem(
                    None,
                    None,
                    publication_id,
                    f"an included publication ({row[PUBLICATION_TYPE]}, {row[SOURCE]}) with "
                    f"no row in sheet {PUBLICATIONS_SHEET!r}",
                )
            )
        elif publication_id not in charted:
            problems.append(
                Problem(
                    None,
                    None,
                    publication_id,
                    f"an included publication with no candidate components in sheet "
                    f"{CANDIDATES_SHEET!r}: expected at least one",
                )
            )
    for publication_id, row in publications.iterrows():
        if publication_id not in ledger.index:
            problems.append(
                Problem(
                    row[ROW],
                    PUBLICATION_ID,
                    publication_id,
                    "a publication that is not among the included publications of the "
                    "screening ledger",
                    sheet=f"sheet {PUBLICATIONS_SHEET!r}",
                )
            )
            continue
        for name in (PUBLICATION_TYPE, SOURCE):
            if row[name] != ledger.at[publication_id, name]:
                problems.append(
                    Problem(
                        row[ROW],
                        name,
                        row[name],
                        f"the screening ledger says {ledger.at[publication_id, name]!r} for "
                        f"publication {publication_id!r}",
                        sheet=f"sheet {PUBLICATIONS_SHEET!r}",
                    )
                )
    _problems(where, problems)


# --- what the DAT yields ----------------------------------------------------------------------


def _type_order(table: pd.DataFrame, protocol: Protocol) -> pd.Series:
    """Each row's place among the protocol's publication types, in the protocol's order."""
    return table[PUBLICATION_TYPE].map({t: i for i, t in enumerate(protocol.type_names)})


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


def numbered_publications(publications: pd.DataFrame, protocol: Protocol) -> pd.DataFrame:
    """The included publications numbered as ESM 2 lists them: by type, in the protocol's
    order (in this study, trial reports first), then by id."""
    table = publications.assign(_order=_type_order(publications, protocol))
    table = table.sort_values(["_order", PUBLICATION_ID], kind="stable").drop(columns="_order")
    table.insert(0, NUMBER, range(1, len(table) + 1))
    return table.reset_index(drop=True)


def _doi_or_url(row: pd.Series) -> str:
    doi, url = row.get(DOI, ""), row.get(URL, "")
    return f"https://doi.org/{doi}" if doi else (url or "")


def included_publications_table(publications: pd.DataFrame, protocol: Protocol) -> pd.DataFrame:
    """ESM 2: the included publications as a numbered reference list (authors, year, title,
    journal or publisher, DOI or URL), with their type and where they were found."""
    table = numbered_publications(publications, protocol)
    for name in REFERENCE_COLUMNS:
        if name not in table.columns:
            table[name] = ""
    table["doi_or_url"] = [_doi_or_url(row) for _, row in table.iterrows()]
    table[col.YEAR] = table[col.YEAR].astype("Int64")
    return table[list(ESM2_COLUMNS)].rename(columns=ESM2_COLUMNS)


def dat_publications_table(publications: pd.DataFrame, protocol: Protocol) -> pd.DataFrame:
    """The DAT's publications sheet for reading: numbered as in ESM 2, readable headers."""
    table = numbered_publications(publications, protocol)
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


def esm3_table(
    long_list: pd.DataFrame, publications: pd.DataFrame, protocol: Protocol
) -> pd.DataFrame:
    """ESM 3: the long list for reading, each candidate component with the ESM 2 number of its
    publication (ids such as ``ovid_medline_2022-08:000012`` stay in the workbook), the page
    a number, in the order of ESM 2."""
    numbers = numbered_publications(publications, protocol)[[PUBLICATION_ID, NUMBER]]
    table = long_list.merge(numbers, on=PUBLICATION_ID, how="left")
    table = table.sort_values([NUMBER, CANDIDATE_ID], kind="stable").reset_index(drop=True)
    pages = pd.to_numeric(table[PAGE].where(table[PAGE] != ""), errors="coerce")
    if pages.notna().sum() == (table[PAGE] != "").sum():  # pages such as "12-13" stay text
        table[PAGE] = pages.astype("Int64")
    return table[list(ESM3_COLUMNS)].rename(columns=ESM3_COLUMNS)


def by_type(
    publications: pd.DataFrame, candidate_components: pd.DataFrame, protocol: Protocol
) -> pd.DataFrame:
    """Publications and candidate components per type of publication (the protocol's, in its
    order), with a total row.

    ``candidate_components`` needs a ``publication_type`` column (as the ESM 3 table has).
    """
    rows = [
        {
            PUBLICATION_TYPE: kind,
            "publications": int((publications[PUBLICATION_TYPE] == kind).sum()),
            "candidate_components": int((candidate_components[PUBLICATION_TYPE] == kind).sum()),
        }
        for kind in protocol.type_names
    ]
    rows.append(
        {
            PUBLICATION_TYPE: "all",
            "publications": len(publications),
            "candidate_components": len(candidate_components),
        }
    )
    return pd.DataFrame(rows)


def numbers(
    publications: pd.DataFrame, long_list: pd.DataFrame, protocol: Protocol
) -> dict[str, int]:
    """The DAT's numbers: candidate components (in all, and by type of publication) and
    publications charted by type, each :func:`~compendium.numbers.sourced`.

    A type's numbers are named by its key in the protocol: ``candidate_components_<key>``
    and ``publications_charted_<key>`` (``candidate_components_trial_reports``).
    """
    from compendium.numbers import sourced

    made = {
        "candidate_components": sourced(
            len(long_list), table=tables.CANDIDATE_COMPONENTS.relative, query="rows"
        )
    }
    for kind in protocol.publication_types:
        made[f"candidate_components_{kind.key}"] = sourced(
            int((long_list[PUBLICATION_TYPE] == kind.name).sum()),
            table=tables.CANDIDATE_COMPONENTS.relative,
            query=f"rows with publication_type '{kind.name}'",
        )
        made[f"publications_charted_{kind.key}"] = sourced(
            int((publications[PUBLICATION_TYPE] == kind.name).sum()),
            table=tables.DAT_PUBLICATIONS_CHECKED.relative,
            query=f"rows with publication_type '{kind.name}'",
        )
    return made


# --- sheets as text -----------------------------------------------------------------------------


def csv_text(table: pd.DataFrame) -> str:
    """A sheet as the CSV a team would keep: no index, ``\\n`` line endings."""
    return table.to_csv(index=False, lineterminator="\n")


def count_by(publications: pd.DataFrame, characteristic: str) -> pd.DataFrame:
    """The publications counted by one of the DAT's characteristics, most first."""
    from compendium.notebooks import one_of

    choices = [
        c for c in publications.columns if c not in (PUBLICATION_ID, col.TITLE, col.AUTHORS, ROW)
    ]
    one_of("characteristic", characteristic, choices)
    counted = publications[characteristic].value_counts().rename("publications")
    return (
        counted.rename_axis(characteristic)
        .reset_index()
        .sort_values(["publications", characteristic], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def esm3_sheets(dat: Dat, esm3: pd.DataFrame, protocol: Protocol) -> dict[str, object]:
    """The ESM 3 workbook's sheets: the publications, numbered as ESM 2, and the long list."""
    from compendium.render import Sheet

    return {
        PUBLICATIONS_SHEET: Sheet(
            dat_publications_table(dat.publications, protocol),
            "The included publications, numbered as in ESM 2: authors, year, title, type, "
            "country, setting, population and where each was found.",
        ),
        CANDIDATES_SHEET: Sheet(
            esm3,
            "Every candidate component a publication describes, with its description, a quote "
            "and the page.",
        ),
    }
