"""Study selection as a ledger: every record's outcome at every stage, from people's decisions.

The inputs are the sheets reviewers keep (CSV, or XLSX as exported from a spreadsheet, Rayyan or
Covidence), read by :func:`read_sheet`:

- ``screening/title_abstract_screening``: the final title/abstract decision on every
  deduplicated record (``include``, ``exclude`` or ``maybe``);
- ``screening/double_screening``: the records screened independently by two reviewers, with
  both decisions and, where they disagreed, the agreed decision and how it was reached;
- ``screening/full_text_screening``: a decision on every record that passed title/abstract
  screening (``include``, ``exclude`` with a reason code, or ``not retrieved``);
- ``screening/exclusion_reasons``: the reason codes and their wording;
- ``other_sources/*``: publications found another way (a prior review, an online search,
  citation tracking, experts), each with its decision.

"maybe" counts as include for progression to full text, as Covidence does: a record nobody
could exclude on its abstract is read in full. Every count in the flow diagram is then a
query over the ledger (:mod:`compendium.flow`), so the diagram cannot disagree with the
decisions. Validation reports every offending row of a sheet at once.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from compendium.columns import (
    CHANGE_MODEL,
    CITATION_TRACKING,
    DATABASE_SEARCH,
    EXPERTS,
    ONLINE_SEARCH,
    PRIOR_REVIEW,
    PUBLICATION_ID,
    PUBLICATION_TYPE,
    PUBLICATION_TYPES,
    SOURCE,
    TRAINING_MANUAL,
    TRIAL_REPORT,
)
from compendium.errors import InputError
from compendium.io import load_yaml, read_sheet_table
from compendium.numbers import sourced

# --- column names of the screening sheets and the ledger ----------------------------------------
RECORD_ID = "record_id"
TITLE = "title"
REVIEWER = "reviewer"
DECISION = "decision"
REASON = "reason"
CODE = "code"
NOTE = "note"
REVIEWER_1, DECISION_1 = "reviewer_1", "decision_1"
REVIEWER_2, DECISION_2 = "reviewer_2", "decision_2"
AGREED = "agreed_decision"
RESOLUTION = "resolution"
AUTHORS = "authors"
YEAR = "year"

DATABASE = "database"
DUPLICATE_OF = "duplicate_of"
TITLE_ABSTRACT = "title_abstract"
FULL_TEXT = "full_text"
OUTCOME = "outcome"

LEDGER_COLUMNS = (
    RECORD_ID,
    SOURCE,
    DATABASE,
    PUBLICATION_TYPE,
    TITLE,
    AUTHORS,
    YEAR,
    DUPLICATE_OF,
    TITLE_ABSTRACT,
    FULL_TEXT,
    REASON,
    OUTCOME,
)

# --- the review's vocabulary ---------------------------------------------------------------------
INCLUDE, EXCLUDE, MAYBE, NOT_RETRIEVED = "include", "exclude", "maybe", "not retrieved"
TITLE_ABSTRACT_DECISIONS = (INCLUDE, EXCLUDE, MAYBE)
FULL_TEXT_DECISIONS = (INCLUDE, EXCLUDE, NOT_RETRIEVED)
SOURCE_DECISIONS = (INCLUDE, EXCLUDE)


# Each other-source sheet, the source it stands for, and the publication type of its rows
# (None: the sheet has a publication_type column, as the experts suggested all three types).
OTHER_SOURCES: dict[str, tuple[str, str | None]] = {
    "prior_review": (PRIOR_REVIEW, TRIAL_REPORT),
    "online_search": (ONLINE_SEARCH, TRAINING_MANUAL),
    "citation_tracking": (CITATION_TRACKING, CHANGE_MODEL),
    "expert_suggestions": (EXPERTS, None),
}

#: The ledger as step 03 writes it, relative to the project: what the counts are counted in.
LEDGER_FILE = "data/processed/ledger.csv"

DUPLICATE = "duplicate removed"
EXCLUDED_TITLE_ABSTRACT = "excluded at title/abstract"
EXCLUDED_FULL_TEXT = "excluded at full text"
REPORT_NOT_RETRIEVED = "not retrieved"
REMOVED = "removed"
INCLUDED = "included"


class ScreeningError(InputError):
    """A screening or other-source sheet disagrees with the records or with itself."""


@dataclass(frozen=True)
class Problem:
    """One offending row: where it is, the value, and what was expected."""

    where: str
    value: object
    expected: str

    def __str__(self) -> str:
        return f"  {self.where}: {self.value!r}: {self.expected}"


def _raise(problems: Sequence[Problem], what: str) -> None:
    if problems:
        listed = "\n".join(str(problem) for problem in problems)
        msg = f"{what}: {len(problems)} problem(s):\n{listed}"
        raise ScreeningError(msg)


# --- reading sheets ------------------------------------------------------------------------------


def find_sheet(folder: Path, stem: str) -> Path:
    """``folder/stem.csv`` or ``folder/stem.xlsx``, whichever exists (exactly one must)."""
    found = [
        folder / f"{stem}{ext}" for ext in (".csv", ".xlsx") if (folder / f"{stem}{ext}").exists()
    ]
    if len(found) != 1:
        what = "both .csv and .xlsx" if found else "neither .csv nor .xlsx"
        msg = f"{folder / stem}: found {what}; expected one sheet"
        raise ScreeningError(msg)
    return found[0]


def read_sheet(path: Path, required: Iterable[str]) -> pd.DataFrame:
    """A decision sheet as text, columns lower-cased and trimmed, with its row numbers.

    ``row`` is the line a person sees in a spreadsheet: the header is row 1.
    """
    path = Path(path)
    sheet = read_sheet_table(path)
    sheet.columns = [str(name).strip().lower().replace(" ", "_") for name in sheet.columns]
    missing = [name for name in required if name not in sheet.columns]
    if missing:
        msg = f"{path}: row 1: columns {list(sheet.columns)}: expected also {', '.join(missing)}"
        raise ScreeningError(msg)
    sheet = sheet.apply(lambda column: column.str.strip())
    sheet.insert(0, "row", sheet.index)
    sheet = sheet.reset_index(drop=True)
    sheet.attrs["path"] = str(path)
    return sheet


def _where(sheet: pd.DataFrame, row: pd.Series, column: str) -> str:
    return f"{Path(sheet.attrs.get('path', 'sheet')).name} row {row['row']}, {column}"


def _check_values(sheet: pd.DataFrame, column: str, allowed: Sequence[str]) -> list[Problem]:
    return [
        Problem(_where(sheet, row, column), row[column], f"expected one of {', '.join(allowed)}")
        for _, row in sheet.iterrows()
        if row[column].lower() not in allowed
    ]


def _check_keys(
    sheet: pd.DataFrame, known: set[str], duplicates: dict[str, str], what: str
) -> list[Problem]:
    """Unknown ids, ids decided twice, and decisions on removed duplicates."""
    problems = []
    seen: dict[str, int] = {}
    for _, row in sheet.iterrows():
        key = row[RECORD_ID]
        where = _where(sheet, row, RECORD_ID)
        if key in duplicates:
            problems.append(
                Problem(where, key, f"a removed duplicate of {duplicates[key]}; decide on that")
            )
        elif key not in known:
            problems.append(Problem(where, key, f"expected the id of a record {what}"))
        elif key in seen:
            problems.append(Problem(where, key, f"already decided in row {seen[key]}"))
        else:
            seen[key] = row["row"]
    return problems


# --- the sheets of a screening folder ------------------------------------------------------------

TITLE_ABSTRACT_SHEET = "title_abstract_screening"
DOUBLE_SCREENING_SHEET = "double_screening"
FULL_TEXT_SHEET = "full_text_screening"
REASONS_SHEET = "exclusion_reasons"
PROTOCOL = "double_screening_protocol.yaml"


def read_title_abstract(folder: Path) -> pd.DataFrame:
    return read_sheet(find_sheet(folder, TITLE_ABSTRACT_SHEET), [RECORD_ID, DECISION])


def read_double_screening(folder: Path) -> pd.DataFrame:
    required = [
        RECORD_ID,
        TITLE,
        REVIEWER_1,
        DECISION_1,
        REVIEWER_2,
        DECISION_2,
        AGREED,
        RESOLUTION,
    ]
    return read_sheet(find_sheet(folder, DOUBLE_SCREENING_SHEET), required)


def read_full_text(folder: Path) -> pd.DataFrame:
    return read_sheet(find_sheet(folder, FULL_TEXT_SHEET), [RECORD_ID, DECISION, REASON])


@dataclass(frozen=True)
class Protocol:
    """How the double-screening sample was drawn, recorded before screening started."""

    fraction: float
    seed: int


def read_protocol(folder: Path) -> Protocol:
    path = Path(folder) / PROTOCOL
    if not path.exists():
        msg = f"{path}: missing; expected the fraction and seed of the double-screening sample"
        raise ScreeningError(msg)
    entries = load_yaml(path) or {}
    if not isinstance(entries, dict):
        msg = f"{path}: expected 'fraction: N' and 'seed: N' lines, found {type(entries).__name__}"
        raise ScreeningError(msg)
    fraction, seed = entries.get("fraction"), entries.get("seed")
    if not isinstance(fraction, int | float) or isinstance(fraction, bool) or not 0 < fraction <= 1:
        msg = f"{path}: fraction {fraction!r}: expected a number in (0, 1]"
        raise ScreeningError(msg)
    if not isinstance(seed, int) or isinstance(seed, bool):
        msg = f"{path}: seed {seed!r}: expected a whole number"
        raise ScreeningError(msg)
    return Protocol(float(fraction), seed)


# --- the records deduplication left --------------------------------------------------------------


def read_duplicates(path: Path) -> pd.DataFrame:
    """``duplicates.csv`` from deduplication, with ``kept`` as a boolean."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = sorted(set(table["kept"]) - {"True", "False"})
    if unknown:
        msg = f"{path}: kept {unknown[0]!r}: expected True or False"
        raise ScreeningError(msg)
    return table.assign(kept=table["kept"] == "True")


def after_deduplication(
    records: pd.DataFrame, duplicates: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The records left to screen, and each removed duplicate with the record it duplicates."""
    kept_ids = set(duplicates.loc[duplicates["kept"], RECORD_ID])
    removed = duplicates[~duplicates["kept"]]
    return (
        records[records[RECORD_ID].isin(kept_ids)],
        dict(zip(removed[RECORD_ID], removed[DUPLICATE_OF], strict=True)),
    )


# --- title/abstract screening and the double-screened sample -----------------------------------


def progresses(decision: str) -> bool:
    """Whether a title/abstract decision sends the record to full-text review ("maybe" does)."""
    return decision in (INCLUDE, MAYBE)


def double_screening_sample(record_ids: Iterable[str], *, fraction: float, seed: int) -> list[str]:
    """The records a second reviewer screens independently, drawn before screening starts.

    ``round(fraction * n)`` records (at least one) drawn without replacement from the record
    ids in sorted order with Python's ``random.Random(seed)``, returned sorted. Sorting first
    makes the draw independent of file order, so a team that shares its seed and its record
    ids can redraw the same sample anywhere.
    """
    ids = sorted(set(record_ids))
    if not 0 < fraction <= 1:
        msg = f"double-screening fraction {fraction!r}: expected a number in (0, 1]"
        raise ScreeningError(msg)
    size = max(1, round(fraction * len(ids)))
    return sorted(random.Random(seed).sample(ids, size))


def title_abstract_outcomes(
    records: pd.DataFrame, sheet: pd.DataFrame, duplicates: dict[str, str]
) -> pd.DataFrame:
    """Check the title/abstract sheet: one known decision on every deduplicated record."""
    problems = _check_values(sheet, DECISION, TITLE_ABSTRACT_DECISIONS)
    known = set(records[RECORD_ID])
    problems += _check_keys(sheet, known, duplicates, "left after deduplication")
    missing = sorted(known - set(sheet[RECORD_ID]))
    problems += [
        Problem(f"{Path(sheet.attrs.get('path', 'sheet')).name}", key, "no decision on this record")
        for key in missing
    ]
    _raise(problems, "title/abstract screening")
    return sheet.assign(**{DECISION: sheet[DECISION].str.lower()})


def check_double_screening(
    double: pd.DataFrame, final: pd.DataFrame, *, expected_sample: Sequence[str] | None = None
) -> pd.DataFrame:
    """Check the double-screened sample against the final decisions.

    Both reviewers' decisions must be known values; where they disagree, the agreed decision
    and how it was reached must be given; the final sheet must hold the agreed decision (or
    the common one). When ``expected_sample`` is given, the sheet must cover exactly it.
    """
    problems = _check_values(double, DECISION_1, TITLE_ABSTRACT_DECISIONS)
    problems += _check_values(double, DECISION_2, TITLE_ABSTRACT_DECISIONS)
    decided = dict(zip(final[RECORD_ID], final[DECISION], strict=True))
    seen: set[str] = set()
    for _, row in double.iterrows():
        key = row[RECORD_ID]
        first, second = row[DECISION_1].lower(), row[DECISION_2].lower()
        agreed = row[AGREED].lower() or (first if first == second else "")
        if key not in decided:
            problems.append(Problem(_where(double, row, RECORD_ID), key, "not a screened record"))
            continue
        if key in seen:
            problems.append(Problem(_where(double, row, RECORD_ID), key, "listed twice"))
        seen.add(key)
        if progresses(first) != progresses(second) and not (agreed and row[RESOLUTION]):
            problems.append(
                Problem(
                    _where(double, row, AGREED),
                    row[AGREED],
                    "the reviewers disagree: "
                    "expected the agreed decision and how it was reached (resolution)",
                )
            )
        elif agreed and agreed != decided[key]:
            problems.append(
                Problem(
                    _where(double, row, AGREED),
                    agreed,
                    f"the final title/abstract sheet says {decided[key]!r}",
                )
            )
    if expected_sample is not None:
        drawn = set(expected_sample)
        problems += [
            Problem("double-screening sheet", key, "drawn for the sample but not screened twice")
            for key in sorted(drawn - seen)
        ]
        problems += [
            Problem("double-screening sheet", key, "screened twice but not in the drawn sample")
            for key in sorted(seen - drawn)
        ]
    _raise(problems, "double screening")
    return double.assign(
        **{DECISION_1: double[DECISION_1].str.lower(), DECISION_2: double[DECISION_2].str.lower()}
    )


_Z95 = 1.959963984540054  # the normal distribution's 97.5th percentile


def gwet_ac1(table: Sequence[Sequence[int]]) -> tuple[float, float]:
    """Gwet's AC1 and its standard error from a square table of two raters' counts.

    ``table[k][l]`` counts the subjects the first rater put in category k and the second in l.
    Chance agreement is ``sum(pi_k (1 - pi_k)) / (q - 1)``, ``pi_k`` the mean of the two
    raters' shares of category k; the variance is Gwet's (2008, for two raters, no finite
    population correction). Written out here: the formula is a few lines, and the libraries
    that have it (irrCAC) bring scipy for a t quantile this compendium does not use.
    """
    q = len(table)
    n = sum(sum(row) for row in table)
    if q < 2 or any(len(row) != q for row in table) or n == 0:
        msg = f"gwet_ac1: {table!r}: expected a square table of counts, 2 by 2 or larger"
        raise ScreeningError(msg)
    p = [[count / n for count in row] for row in table]
    pi = [(sum(p[k]) + sum(row[k] for row in p)) / 2 for k in range(q)]
    observed = sum(p[k][k] for k in range(q))
    chance = sum(share * (1 - share) for share in pi) / (q - 1)
    ac1 = (observed - chance) / (1 - chance)
    spread = sum(
        p[k][m] * ((k == m) - 2 * (1 - ac1) * (1 - (pi[k] + pi[m]) / 2) / (q - 1)) ** 2
        for k in range(q)
        for m in range(q)
    )
    variance = (spread - (observed - 2 * (1 - ac1) * chance) ** 2) / (n * (1 - chance) ** 2)
    return ac1, math.sqrt(max(variance, 0.0))


@dataclass(frozen=True)
class Agreement:
    """Agreement between two reviewers on include (or maybe) versus exclude."""

    n: int
    both_include: int
    only_first: int
    only_second: int
    both_exclude: int

    @property
    def percent_agreement(self) -> float:
        return 100 * (self.both_include + self.both_exclude) / self.n

    @property
    def observed(self) -> float:
        return (self.both_include + self.both_exclude) / self.n

    @property
    def _first_include(self) -> float:
        return (self.both_include + self.only_first) / self.n

    @property
    def _second_include(self) -> float:
        return (self.both_include + self.only_second) / self.n

    @property
    def expected(self) -> float:
        """Chance agreement from each reviewer's own include rate (Cohen)."""
        p1, p2 = self._first_include, self._second_include
        return p1 * p2 + (1 - p1) * (1 - p2)

    @property
    def kappa(self) -> float:
        """Cohen's kappa: (observed - expected) / (1 - expected)."""
        return (self.observed - self.expected) / (1 - self.expected)

    @property
    def kappa_se(self) -> float:
        """Large-sample standard error of kappa, sqrt(po(1-po) / (n (1-pe)^2))."""
        return math.sqrt(self.observed * (1 - self.observed) / (self.n * (1 - self.expected) ** 2))

    @property
    def kappa_ci(self) -> tuple[float, float]:
        """Wald 95% confidence interval, kappa ± 1.96 SE, kept within kappa's range [-1, 1]."""
        half = _Z95 * self.kappa_se
        return max(-1.0, self.kappa - half), min(1.0, self.kappa + half)

    @property
    def pabak(self) -> float:
        """Prevalence- and bias-adjusted kappa (Byrt, Bishop and Carlin 1993): 2 po - 1."""
        return 2 * self.observed - 1

    @property
    def pabak_ci(self) -> tuple[float, float]:
        """Wald 95% interval of PABAK: 2 po - 1 ± 1.96 · 2 sqrt(po (1 - po) / n), in [-1, 1]."""
        half = _Z95 * 2 * math.sqrt(self.observed * (1 - self.observed) / self.n)
        return max(-1.0, self.pabak - half), min(1.0, self.pabak + half)

    @property
    def _ac1(self) -> tuple[float, float]:
        return gwet_ac1(
            [[self.both_include, self.only_first], [self.only_second, self.both_exclude]]
        )

    @property
    def ac1(self) -> float:
        """Gwet's AC1 (2008): chance agreement 2 pi (1 - pi), pi the mean include rate."""
        return self._ac1[0]

    @property
    def ac1_se(self) -> float:
        """The standard error of AC1 (Gwet 2008, the variance for two raters)."""
        return self._ac1[1]

    @property
    def ac1_ci(self) -> tuple[float, float]:
        """Wald 95% interval of AC1, ± 1.96 SE, kept within [-1, 1]."""
        half = _Z95 * self.ac1_se
        return max(-1.0, self.ac1 - half), min(1.0, self.ac1 + half)

    def numbers(self, *, table: str) -> dict[str, float | int]:
        """Every count and statistic of the agreement, each :func:`~compendium.numbers.sourced`
        from ``table`` (the double-screening sheet), under ``double_screening_`` keys."""
        pair = "decision_1 against decision_2, include or maybe against exclude"
        low, high = self.kappa_ci
        pabak_low, pabak_high = self.pabak_ci
        ac1_low, ac1_high = self.ac1_ci
        values = {
            "records": (self.n, "rows"),
            "agreed_include": (self.both_include, "rows both reviewers include (or maybe)"),
            "agreed_exclude": (self.both_exclude, "rows both reviewers exclude"),
            "disagreed": (self.only_first + self.only_second, "rows the reviewers differ on"),
            "percent_agreement": (self.percent_agreement, f"per cent agreement, {pair}"),
            "kappa": (self.kappa, f"Cohen's kappa, {pair}"),
            "kappa_se": (self.kappa_se, "large-sample standard error of Cohen's kappa"),
            "kappa_ci_low": (low, "Cohen's kappa, lower end of the Wald 95% interval"),
            "kappa_ci_high": (high, "Cohen's kappa, upper end of the Wald 95% interval"),
            "pabak": (self.pabak, f"prevalence- and bias-adjusted kappa, {pair}"),
            "pabak_ci_low": (pabak_low, "PABAK, lower end of the Wald 95% interval"),
            "pabak_ci_high": (pabak_high, "PABAK, upper end of the Wald 95% interval"),
            "ac1": (self.ac1, f"Gwet's AC1, {pair}"),
            "ac1_se": (self.ac1_se, "standard error of Gwet's AC1 (Gwet 2008)"),
            "ac1_ci_low": (ac1_low, "Gwet's AC1, lower end of the Wald 95% interval"),
            "ac1_ci_high": (ac1_high, "Gwet's AC1, upper end of the Wald 95% interval"),
        }
        return {
            f"double_screening_{key}": sourced(value, table=table, query=query)
            for key, (value, query) in values.items()
        }

    def table(self) -> pd.DataFrame:
        """The statistics as a two-column table, rounded for reporting."""
        low, high = self.kappa_ci
        rows = [
            ("records screened by both reviewers", f"{self.n}"),
            ("agreed: include", f"{self.both_include}"),
            ("agreed: exclude", f"{self.both_exclude}"),
            ("disagreed", f"{self.only_first + self.only_second}"),
            ("percent agreement", f"{self.percent_agreement:.1f}%"),
            ("Cohen's kappa (95% CI)", f"{self.kappa:.2f} ({low:.2f} to {high:.2f})"),
            (
                "PABAK (95% CI)",
                f"{self.pabak:.2f} ({self.pabak_ci[0]:.2f} to {self.pabak_ci[1]:.2f})",
            ),
            (
                "Gwet's AC1 (95% CI)",
                f"{self.ac1:.2f} ({self.ac1_ci[0]:.2f} to {self.ac1_ci[1]:.2f})",
            ),
        ]
        return pd.DataFrame(rows, columns=["statistic", "value"])


def agreement(first: Sequence[str], second: Sequence[str]) -> Agreement:
    """Agreement on progression: include and maybe against exclude."""
    if len(first) != len(second) or not first:
        msg = (
            f"agreement: {len(first)} and {len(second)} decisions: "
            "expected two lists of equal, non-zero length"
        )
        raise ScreeningError(msg)
    pairs = [(progresses(a), progresses(b)) for a, b in zip(first, second, strict=True)]
    return Agreement(
        n=len(pairs),
        both_include=sum(a and b for a, b in pairs),
        only_first=sum(a and not b for a, b in pairs),
        only_second=sum(b and not a for a, b in pairs),
        both_exclude=sum(not a and not b for a, b in pairs),
    )


def conflicts(double: pd.DataFrame) -> pd.DataFrame:
    """The double-screened records on which the reviewers disagreed, and how it was resolved."""
    differ = double[double[DECISION_1].map(progresses) != double[DECISION_2].map(progresses)]
    return differ[
        [RECORD_ID, TITLE, REVIEWER_1, DECISION_1, REVIEWER_2, DECISION_2, AGREED, RESOLUTION]
    ]


# --- full-text review ----------------------------------------------------------------------------


def read_reasons(path: Path) -> dict[str, str]:
    """Exclusion reason codes and their wording (``code, reason``)."""
    sheet = read_sheet(path, [CODE, REASON])
    problems = [
        Problem(_where(sheet, row, CODE), row[CODE], "expected a code and its wording")
        for _, row in sheet.iterrows()
        if not row[CODE] or not row[REASON]
    ]
    repeated = sheet[sheet[CODE].duplicated()]
    problems += [
        Problem(_where(sheet, row, CODE), row[CODE], "code listed twice")
        for _, row in repeated.iterrows()
    ]
    _raise(problems, "exclusion reasons")
    return dict(zip(sheet[CODE], sheet[REASON], strict=True))


def full_text_outcomes(
    sheet: pd.DataFrame,
    sent: Sequence[str],
    reasons: dict[str, str],
    duplicates: dict[str, str],
    screened: set[str],
) -> pd.DataFrame:
    """Check the full-text sheet: one decision on every record sent to full text, and a known
    reason on every exclusion."""
    problems = _check_values(sheet, DECISION, FULL_TEXT_DECISIONS)
    problems += _check_keys(sheet, screened, duplicates, "screened on title and abstract")
    sent_set = set(sent)
    for _, row in sheet.iterrows():
        decision, reason = row[DECISION].lower(), row[REASON]
        if row[RECORD_ID] in screened and row[RECORD_ID] not in sent_set:
            problems.append(
                Problem(
                    _where(sheet, row, RECORD_ID),
                    row[RECORD_ID],
                    "excluded at title/abstract, so not assessed in full text",
                )
            )
        if decision == EXCLUDE and reason not in reasons:
            problems.append(
                Problem(
                    _where(sheet, row, REASON),
                    reason,
                    f"an exclusion needs a reason code: one of {', '.join(reasons)}",
                )
            )
        if decision != EXCLUDE and reason:
            problems.append(
                Problem(_where(sheet, row, REASON), reason, f"a reason on a {decision!r} decision")
            )
    name = Path(sheet.attrs.get("path", "full-text sheet")).name
    problems += [
        Problem(name, key, "sent to full text but no full-text decision")
        for key in sorted(sent_set - set(sheet[RECORD_ID]))
    ]
    _raise(problems, "full-text screening")
    return sheet.assign(**{DECISION: sheet[DECISION].str.lower()})


# --- other sources -------------------------------------------------------------------------------


def read_other_sources(folder: Path) -> pd.DataFrame:
    """Every other-source sheet in ``folder`` as one table with ``source`` and type filled in."""
    tables = []
    problems: list[Problem] = []
    for stem, (source, fixed_type) in OTHER_SOURCES.items():
        required = [PUBLICATION_ID, TITLE, DECISION, REASON]
        if fixed_type is None:
            required.append(PUBLICATION_TYPE)
        sheet = read_sheet(find_sheet(folder, stem), required)
        if fixed_type is not None:
            sheet[PUBLICATION_TYPE] = fixed_type
        problems += _check_values(sheet, DECISION, SOURCE_DECISIONS)
        problems += _check_values(sheet, PUBLICATION_TYPE, PUBLICATION_TYPES)
        for _, row in sheet.iterrows():
            if row[DECISION].lower() == EXCLUDE and not row[REASON]:
                problems.append(
                    Problem(_where(sheet, row, REASON), "", "an exclusion needs a reason")
                )
            if not row[PUBLICATION_ID] or not row[TITLE]:
                problems.append(
                    Problem(
                        _where(sheet, row, PUBLICATION_ID),
                        row[PUBLICATION_ID],
                        "expected a publication id and a title",
                    )
                )
        sheet[SOURCE] = source
        tables.append(sheet)
    found = pd.concat(tables, ignore_index=True)
    repeated = found[found[PUBLICATION_ID].duplicated(keep="first")]
    problems += [
        Problem(_where(found, row, PUBLICATION_ID), row[PUBLICATION_ID], "id used twice")
        for _, row in repeated.iterrows()
    ]
    _raise(problems, f"other sources in {folder}")
    return found.assign(
        **{
            DECISION: found[DECISION].str.lower(),
            PUBLICATION_TYPE: found[PUBLICATION_TYPE].str.lower(),
        }
    )


# --- the ledger ----------------------------------------------------------------------------------


def build_ledger(
    records: pd.DataFrame,
    duplicates: pd.DataFrame,
    title_abstract: pd.DataFrame,
    full_text: pd.DataFrame,
    other_sources: pd.DataFrame,
) -> pd.DataFrame:
    """One row per record read from a search, and per publication from another source.

    ``records`` are all records read (``record_id, database, title``); ``duplicates`` maps each
    to its cluster (``record_id, kept, duplicate_of``). Every record ends with exactly one
    ``outcome``, checked here: records in = records out + records removed, at every stage.
    """
    removed = duplicates[~duplicates["kept"]]
    duplicate_of = dict(zip(removed[RECORD_ID], removed[DUPLICATE_OF], strict=True))
    ta = dict(zip(title_abstract[RECORD_ID], title_abstract[DECISION], strict=True))
    ft = dict(zip(full_text[RECORD_ID], full_text[DECISION], strict=True))
    ft_reason = dict(zip(full_text[RECORD_ID], full_text[REASON], strict=True))
    rows = []
    for record in records.itertuples(index=False):
        key = getattr(record, RECORD_ID)
        row = {
            RECORD_ID: key,
            SOURCE: DATABASE_SEARCH,
            DATABASE: getattr(record, DATABASE),
            PUBLICATION_TYPE: TRIAL_REPORT,
            TITLE: getattr(record, TITLE),
            AUTHORS: getattr(record, AUTHORS, pd.NA),
            YEAR: getattr(record, YEAR, pd.NA),
            DUPLICATE_OF: duplicate_of.get(key, pd.NA),
            TITLE_ABSTRACT: ta.get(key, pd.NA),
            FULL_TEXT: ft.get(key, pd.NA),
            REASON: _text(ft_reason.get(key)),
        }
        if key in duplicate_of:
            row[OUTCOME] = DUPLICATE
        elif not progresses(ta[key]):
            row[OUTCOME] = EXCLUDED_TITLE_ABSTRACT
        elif ft[key] == NOT_RETRIEVED:
            row[OUTCOME] = REPORT_NOT_RETRIEVED
        elif ft[key] == EXCLUDE:
            row[OUTCOME] = EXCLUDED_FULL_TEXT
        else:
            row[OUTCOME] = INCLUDED
        rows.append(row)
    for found in other_sources.itertuples(index=False):
        decision = getattr(found, DECISION)
        rows.append(
            {
                RECORD_ID: getattr(found, PUBLICATION_ID),
                SOURCE: getattr(found, SOURCE),
                DATABASE: pd.NA,
                PUBLICATION_TYPE: getattr(found, PUBLICATION_TYPE),
                TITLE: getattr(found, TITLE),
                AUTHORS: _text(getattr(found, AUTHORS, None)),
                YEAR: _text(getattr(found, YEAR, None)),
                DUPLICATE_OF: pd.NA,
                TITLE_ABSTRACT: pd.NA,
                FULL_TEXT: decision,
                REASON: _text(getattr(found, REASON)),
                OUTCOME: INCLUDED if decision == INCLUDE else REMOVED,
            }
        )
    ledger = pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))
    _account_for_every_record(records, ledger)
    return ledger


def _text(value: object) -> object:
    """Blank cells of a sheet as missing values."""
    return pd.NA if value is None or value is pd.NA or value == "" else value


def _account_for_every_record(records: pd.DataFrame, ledger: pd.DataFrame) -> None:
    searched = ledger[ledger[SOURCE] == DATABASE_SEARCH]
    if len(searched) != len(records) or searched[OUTCOME].isna().any():
        msg = f"ledger: {len(records)} records read but {len(searched)} accounted for"
        raise ScreeningError(msg)


def included_publications(ledger: pd.DataFrame) -> pd.DataFrame:
    """The included publications, for the data abstraction table, sorted by id."""
    included = ledger[ledger[OUTCOME] == INCLUDED]
    return (
        included[[RECORD_ID, PUBLICATION_TYPE, SOURCE, TITLE, AUTHORS, YEAR]]
        .rename(columns={RECORD_ID: PUBLICATION_ID})
        .sort_values(PUBLICATION_ID)
        .reset_index(drop=True)
    )


def selection_numbers(ledger: pd.DataFrame) -> dict[str, int]:
    """The study-selection numbers the manuscript reports, each a query over the ledger."""
    searched = ledger[ledger[SOURCE] == DATABASE_SEARCH]
    screened = searched[searched[OUTCOME] != DUPLICATE]
    assessed = screened[~screened[OUTCOME].isin([EXCLUDED_TITLE_ABSTRACT, REPORT_NOT_RETRIEVED])]
    included = ledger[ledger[OUTCOME] == INCLUDED]
    online = ledger[ledger[SOURCE] == ONLINE_SEARCH]

    def n_included(kind: str, source: str | None = None) -> int:
        rows = included[included[PUBLICATION_TYPE] == kind]
        return int((rows[SOURCE] == source).sum()) if source else len(rows)

    def from_ledger(value: int, query: str) -> int:
        return sourced(value, table=LEDGER_FILE, query=query)

    searched_query = f"source = '{DATABASE_SEARCH}'"
    return {
        "records_screened_title_abstract": from_ledger(
            len(screened), f"{searched_query}, outcome not '{DUPLICATE}'"
        ),
        "records_excluded_title_abstract": from_ledger(
            int((screened[OUTCOME] == EXCLUDED_TITLE_ABSTRACT).sum()),
            f"{searched_query}, outcome '{EXCLUDED_TITLE_ABSTRACT}'",
        ),
        "full_texts_assessed": from_ledger(
            len(assessed),
            f"{searched_query}, outcome '{EXCLUDED_FULL_TEXT}' or '{INCLUDED}'",
        ),
        "full_texts_excluded": from_ledger(
            int((assessed[OUTCOME] == EXCLUDED_FULL_TEXT).sum()),
            f"{searched_query}, outcome '{EXCLUDED_FULL_TEXT}'",
        ),
        "trial_reports_from_database_search": from_ledger(
            n_included(TRIAL_REPORT, DATABASE_SEARCH), _included(TRIAL_REPORT, DATABASE_SEARCH)
        ),
        "trial_reports_from_prior_review": from_ledger(
            n_included(TRIAL_REPORT, PRIOR_REVIEW), _included(TRIAL_REPORT, PRIOR_REVIEW)
        ),
        "trial_reports_from_experts": from_ledger(
            n_included(TRIAL_REPORT, EXPERTS), _included(TRIAL_REPORT, EXPERTS)
        ),
        "trial_reports_included": from_ledger(n_included(TRIAL_REPORT), _included(TRIAL_REPORT)),
        "manuals_identified_online": from_ledger(len(online), f"source = '{ONLINE_SEARCH}'"),
        "manuals_removed_not_manuals": from_ledger(
            int((online[OUTCOME] == REMOVED).sum()),
            f"source = '{ONLINE_SEARCH}', outcome '{REMOVED}'",
        ),
        "manuals_from_experts": from_ledger(
            n_included(TRAINING_MANUAL, EXPERTS), _included(TRAINING_MANUAL, EXPERTS)
        ),
        "training_manuals_included": from_ledger(
            n_included(TRAINING_MANUAL), _included(TRAINING_MANUAL)
        ),
        "change_models_from_citation_tracking": from_ledger(
            n_included(CHANGE_MODEL, CITATION_TRACKING), _included(CHANGE_MODEL, CITATION_TRACKING)
        ),
        "change_models_from_experts": from_ledger(
            n_included(CHANGE_MODEL, EXPERTS), _included(CHANGE_MODEL, EXPERTS)
        ),
        "change_model_papers_included": from_ledger(
            n_included(CHANGE_MODEL), _included(CHANGE_MODEL)
        ),
        "publications_included": from_ledger(len(included), f"outcome '{INCLUDED}'"),
    }


def _included(kind: str, source: str | None = None) -> str:
    where = f", source = '{source}'" if source else ""
    return f"outcome '{INCLUDED}', publication_type = '{kind}'{where}"


def _key(name: str) -> str:
    """A name as part of a number's key: ``'expert consultation'`` -> ``expert_consultation``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def breakdown_numbers(ledger: pd.DataFrame, reasons: dict[str, str]) -> dict[str, int]:
    """The counts behind the reported totals: by exclusion reason, by database, by source.

    ``full_texts_excluded_reason_<code>`` for every reason code (zero included); for each
    database ``duplicates_removed_<database>`` through ``trial_reports_included_<database>``
    (the key's database part as :func:`compendium.searches.database_key` makes it, as step 01's
    ``records_identified_<database>``); for each
    source ``publications_identified_<source>``, ``publications_removed_<source>`` and
    ``publications_included_<source>``. Each is :func:`~compendium.numbers.sourced` from
    the ledger.
    """
    from compendium.searches import database_key

    numbers: dict[str, int] = {}

    def count(key: str, rows: pd.DataFrame, query: str) -> None:
        numbers[key] = sourced(len(rows), table=LEDGER_FILE, query=query)

    searched = ledger[ledger[SOURCE] == DATABASE_SEARCH]
    excluded = searched[searched[OUTCOME] == EXCLUDED_FULL_TEXT]
    for code, wording in reasons.items():
        count(
            f"full_texts_excluded_reason_{_key(code)}",
            excluded[excluded[REASON] == code],
            f"outcome '{EXCLUDED_FULL_TEXT}', reason '{code}' ({wording})",
        )
    stages = (
        ("duplicates_removed", (DUPLICATE,)),
        ("records_excluded_title_abstract", (EXCLUDED_TITLE_ABSTRACT,)),
        ("full_texts_not_retrieved", (REPORT_NOT_RETRIEVED,)),
        ("full_texts_excluded", (EXCLUDED_FULL_TEXT,)),
        ("trial_reports_included", (INCLUDED,)),
    )
    for database in sorted(searched[DATABASE].dropna().unique()):
        rows = searched[searched[DATABASE] == database]
        for stage, outcomes in stages:
            count(
                f"{stage}_{database_key(database)}",
                rows[rows[OUTCOME].isin(outcomes)],
                f"source = '{DATABASE_SEARCH}', database = '{database}', outcome '{outcomes[0]}'",
            )
    for source in sorted(set(ledger[SOURCE]) - {DATABASE_SEARCH}):
        rows = ledger[ledger[SOURCE] == source]
        count(f"publications_identified_{_key(source)}", rows, f"source = '{source}'")
        count(
            f"publications_removed_{_key(source)}",
            rows[rows[OUTCOME] == REMOVED],
            f"source = '{source}', outcome '{REMOVED}'",
        )
    for source in sorted(set(ledger[SOURCE])):
        rows = ledger[(ledger[SOURCE] == source) & (ledger[OUTCOME] == INCLUDED)]
        count(
            f"publications_included_{_key(source)}",
            rows,
            f"source = '{source}', outcome '{INCLUDED}'",
        )
    return numbers
