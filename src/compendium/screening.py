"""Study selection: the screening sheets, checked against the records, and the agreement of two
reviewers.

The inputs are the sheets reviewers keep (CSV, or XLSX as exported from a spreadsheet, Rayyan or
Covidence), each declared in :mod:`compendium.tables` and read by its one reader:

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
could exclude on its abstract is read in full. The checked decisions go into the ledger
(:mod:`compendium.ledger`), over which every count is a query. Validation reports every
offending row of a sheet at once.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from compendium import columns as col
from compendium import ledger, tables
from compendium.columns import (
    AGREED,
    DECISION,
    DECISION_1,
    DECISION_2,
    PUBLICATION_ID,
    PUBLICATION_TYPE,
    REASON,
    RECORD_ID,
    RESOLUTION,
    REVIEWER_1,
    REVIEWER_2,
    SOURCE,
    TITLE,
)
from compendium.errors import InputError
from compendium.numbers import sourced
from compendium.protocol import DoubleScreeningPlan, Protocol
from compendium.validate import ROW, Problem, raise_problems

if TYPE_CHECKING:
    from compendium.paths import Project

# --- the review's vocabulary ---------------------------------------------------------------------
INCLUDE, EXCLUDE, MAYBE, NOT_RETRIEVED = "include", "exclude", "maybe", "not retrieved"
TITLE_ABSTRACT_DECISIONS = tables.TITLE_ABSTRACT_DECISIONS
FULL_TEXT_DECISIONS = tables.FULL_TEXT_DECISIONS
SOURCE_DECISIONS = tables.SOURCE_DECISIONS


class ScreeningError(InputError):
    """A screening or other-source sheet disagrees with the records or with itself."""


def _sheet_name(sheet: pd.DataFrame) -> str:
    return Path(sheet.attrs.get("path", "sheet")).name


def _raise(problems: Sequence[Problem], what: str) -> None:
    raise_problems(what, problems, ScreeningError)


def read(sheet: tables.Sheet, place: Project | Path) -> pd.DataFrame:
    """A screening sheet, read and checked column by column (:func:`tables.read_sheet`)."""
    return tables.read_sheet(sheet, place, error=ScreeningError, defer=True)


def _located(sheet: pd.DataFrame, problems: list[Problem]) -> list[Problem]:
    """The sheet's own cell problems (deferred by :func:`read`) and ``problems``, each with the
    sheet's file name (several sheets share one error)."""
    name = _sheet_name(sheet)
    return [
        Problem(p.row, p.column, p.value, p.message, sheet=p.sheet or name)
        for p in [*tables.problems_of(sheet), *problems]
    ]


def _with_rows(sheet: pd.DataFrame) -> pd.DataFrame:
    """``sheet`` with its rows' numbers, as the reader gives them (the header is row 1)."""
    if ROW in sheet.columns:
        return sheet
    table = sheet.reset_index(drop=True)
    return table.assign(**{ROW: range(2, len(table) + 2)})


def comparable_title(title: object) -> str:
    """A title as two sheets are compared: case, punctuation and spacing set aside.

    Examples
    --------
    >>> comparable_title("Peer Support -- a Trial.") == comparable_title("peer support: a trial")
    True
    """
    if title is None or title is pd.NA or (isinstance(title, float) and title != title):
        return ""
    text = unicodedata.normalize("NFKC", str(title)).casefold()
    return " ".join(re.findall(r"\w+", text))


def _check_titles(sheet: pd.DataFrame, records: pd.DataFrame) -> list[Problem]:
    """Rows whose title is not their record's: a decision that would land on another record.

    Every decision names its record twice, by id and by title; an id that moved (a mistyped
    id, a sheet from another export) shows as a title that does not match.
    """
    if TITLE not in sheet.columns or TITLE not in records.columns:
        return []  # a table made in code, not a sheet people keep (the reader requires it)
    titles = dict(zip(records[RECORD_ID], records[TITLE], strict=True))
    return [
        Problem(
            row,
            TITLE,
            title,
            f"the record {key} is titled {titles[key]!r}: expected the title of the record the "
            "row decides on (is the id mistyped, or from another export?)",
        )
        for row, key, title in zip(sheet[ROW], sheet[RECORD_ID], sheet[TITLE], strict=True)
        if key in titles and comparable_title(title) != comparable_title(titles[key])
    ]


def _check_keys(
    sheet: pd.DataFrame, known: set[str], duplicates: dict[str, str], what: str
) -> list[Problem]:
    """Unknown ids, ids decided twice, and decisions on removed duplicates."""
    problems = []
    seen: dict[str, int] = {}
    for row, key in zip(sheet[ROW], sheet[RECORD_ID], strict=True):
        if key in duplicates:
            problems.append(
                Problem(
                    row, RECORD_ID, key, f"a removed duplicate of {duplicates[key]}; decide on that"
                )
            )
        elif key not in known:
            problems.append(Problem(row, RECORD_ID, key, f"expected the id of a record {what}"))
        elif key in seen:
            problems.append(Problem(row, RECORD_ID, key, f"already decided in row {seen[key]}"))
        else:
            seen[key] = row
    return problems


# --- the records to screen -----------------------------------------------------------------------


@dataclass(frozen=True)
class ToScreen:
    """What deduplication left: every record read, those to screen, the removed duplicates."""

    records: pd.DataFrame  # every record read (step 01)
    deduplicated: pd.DataFrame  # the records to screen, fields filled from duplicates (step 02)
    duplicates: pd.DataFrame  # each record's cluster: kept, duplicate_of (step 02)

    @property
    def removed(self) -> dict[str, str]:
        """Each removed duplicate, with the record it duplicates."""
        gone = self.duplicates[~self.duplicates[col.KEPT]]
        return dict(zip(gone[RECORD_ID], gone[col.DUPLICATE_OF], strict=True))

    @property
    def ids(self) -> list[str]:
        return list(self.deduplicated[RECORD_ID])

    def __repr__(self) -> str:
        return (
            f"{len(self.records)} records read, {len(self.removed)} removed as duplicates, "
            f"{len(self.deduplicated)} to screen"
        )


def records_to_screen(project: Project) -> ToScreen:
    """The records the screening starts from, as steps 01 and 02 wrote them."""
    return ToScreen(
        tables.read(project, tables.RECORDS),
        tables.read(project, tables.RECORDS_DEDUPLICATED),
        tables.read(project, tables.DUPLICATES),
    )


def read_duplicates(path: Path) -> pd.DataFrame:
    """``duplicates.csv`` from deduplication, with ``kept`` as a boolean."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = sorted(set(table[col.KEPT]) - {"True", "False"})
    if unknown:
        msg = f"{path}: kept {unknown[0]!r}: expected True or False"
        raise ScreeningError(msg)
    return table.assign(**{col.KEPT: table[col.KEPT] == "True"})


# --- title/abstract screening and the double-screened sample -----------------------------------


def progresses(decision: str) -> bool:
    """Whether a title/abstract decision sends the record to full-text review ("maybe" does)."""
    return decision in ledger.PROGRESSING


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
    sheet = _with_rows(sheet)
    known = set(records[RECORD_ID])
    problems = _check_keys(sheet, known, duplicates, "left after deduplication")
    problems += _check_titles(sheet, records)
    problems += [
        Problem(None, None, key, "no decision on this record")
        for key in sorted(known - set(sheet[RECORD_ID]))
    ]
    _raise(_located(sheet, problems), "title/abstract screening")
    return sheet


def title_abstract(project: Project, to_screen: ToScreen) -> pd.DataFrame:
    """The title/abstract sheet, read and checked against the records to screen."""
    return title_abstract_outcomes(
        to_screen.deduplicated, read(tables.TITLE_ABSTRACT_SCREENING, project), to_screen.removed
    )


def sent_to_full_text(title_abstract: pd.DataFrame) -> list[str]:
    """The records whose title/abstract decision sends them to full-text review."""
    return list(title_abstract.loc[title_abstract[DECISION].map(progresses), RECORD_ID])


def check_double_screening(
    double: pd.DataFrame,
    final: pd.DataFrame,
    *,
    expected_sample: Sequence[str] | None = None,
    records: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Check the double-screened sample against the final decisions.

    Where the reviewers disagree, the agreed decision and how it was reached must be given;
    the final sheet must hold the agreed decision (or the common one). When
    ``expected_sample`` is given, the sheet must cover exactly it.
    """
    double = _with_rows(double)
    decided = dict(zip(final[RECORD_ID], final[DECISION], strict=True))
    problems: list[Problem] = [] if records is None else _check_titles(double, records)
    seen: set[str] = set()
    for _, row in double.iterrows():
        key = row[RECORD_ID]
        first, second = row[DECISION_1], row[DECISION_2]
        agreed = row[AGREED] or (first if first == second else "")
        if key not in decided:
            problems.append(Problem(row[ROW], RECORD_ID, key, "not a screened record"))
            continue
        if key in seen:
            problems.append(Problem(row[ROW], RECORD_ID, key, "listed twice"))
        seen.add(key)
        if progresses(first) != progresses(second) and not (agreed and row[RESOLUTION]):
            problems.append(
                Problem(
                    row[ROW],
                    AGREED,
                    row[AGREED],
                    "the reviewers disagree: "
                    "expected the agreed decision and how it was reached (resolution)",
                )
            )
        elif agreed and agreed != decided[key]:
            problems.append(
                Problem(
                    row[ROW],
                    AGREED,
                    agreed,
                    f"the final title/abstract sheet says {decided[key]!r}",
                )
            )
    if expected_sample is not None:
        drawn = set(expected_sample)
        problems += [
            Problem(None, None, key, "drawn for the sample but not screened twice")
            for key in sorted(drawn - seen)
        ]
        problems += [
            Problem(None, None, key, "screened twice but not in the drawn sample")
            for key in sorted(seen - drawn)
        ]
    _raise(_located(double, problems), "double screening")
    return double


@dataclass(frozen=True)
class DoubleScreening:
    """The sample two reviewers screened, checked, and how far they agreed."""

    plan: DoubleScreeningPlan
    sample: list[str]
    sheet: pd.DataFrame
    agreement: Agreement | None  # None when the protocol says no record was screened twice
    conflicts: pd.DataFrame
    source: str  # the sheet's path in the project, for the numbers' sources
    screened: int  # the records screened, of which the sample is a share

    def __repr__(self) -> str:
        share = len(self.sample) / max(self.screened, 1)
        if self.agreement is None:
            return "no record was screened by two reviewers (the protocol's double_screening)"
        how = f"drawn with seed {self.plan.seed}" if self.plan.seeded else "the team's own sample"
        return (
            f"sample: {len(self.sample)} records ({share:.0%} of the {self.screened} screened, "
            f"{how}); the reviewers disagreed on {len(self.conflicts)}"
        )

    def agreement_table(self) -> pd.DataFrame:
        """The agreement statistics as a two-column table (one line when none were measured)."""
        if self.agreement is None:
            rows = [("records screened by both reviewers", "0 (no double screening)")]
            return pd.DataFrame(rows, columns=["statistic", "value"])
        return self.agreement.table()

    def numbers(self) -> dict[str, float | int]:
        """The agreement's numbers (``double_screening_*``); only the sample's size when none."""
        if self.agreement is None:
            return {"double_screening_records": sourced(0, table=self.source, query="rows")}
        return self.agreement.numbers(table=self.source)


def double_screening(
    project: Project, to_screen: ToScreen, title_abstract: pd.DataFrame, protocol: Protocol
) -> DoubleScreening:
    """The double-screened sample, screened twice, and the reviewers' agreement.

    With ``sample: seeded`` the protocol's fraction and seed redraw the sample, and the sheet
    must hold exactly it; with ``sample: recorded`` the sample is the records the sheet lists.
    """
    plan = protocol.double_screening
    if plan.none:
        found = [
            project.screening / f"{tables.DOUBLE_SCREENING.name}{ext}"
            for ext in tables.SHEET_EXTENSIONS
        ]
        found = [path for path in found if path.exists()]
        if found:
            msg = (
                f"{project.relative(found[0])}: a double-screened sample, but "
                f"{protocol.path} says 'double_screening: sample: none'; expected one or the "
                "other: set 'sample: recorded' (or seeded), or remove the sheet"
            )
            raise ScreeningError(msg)
        columns = [c.name for c in tables.DOUBLE_SCREENING.columns]
        empty = pd.DataFrame(columns=columns, dtype=str)
        return DoubleScreening(plan, [], empty, None, conflicts(empty), "", len(to_screen.ids))
    sheet = read(tables.DOUBLE_SCREENING, project)
    drawn = (
        double_screening_sample(to_screen.ids, fraction=plan.fraction, seed=plan.seed)
        if plan.seeded
        else None
    )
    sheet = check_double_screening(
        sheet, title_abstract, expected_sample=drawn, records=to_screen.deduplicated
    )
    return DoubleScreening(
        plan,
        drawn if drawn is not None else sorted(sheet[RECORD_ID]),
        sheet,
        agreement(list(sheet[DECISION_1]), list(sheet[DECISION_2])),
        conflicts(sheet),
        project.relative(tables.DOUBLE_SCREENING.find(project.screening)),
        len(to_screen.ids),
    )


def plan_sample(
    to_screen: ToScreen, recorded: Sequence[str], *, fraction: float, seed: int
) -> pd.DataFrame:
    """A sample drawn as a team would before screening, beside the one it recorded.

    A planning aid: it changes nothing else, since only the recorded sample has a second
    reviewer's decisions.
    """
    planned = double_screening_sample(to_screen.ids, fraction=fraction, seed=seed)
    shared = set(planned) & set(recorded)
    rows = [
        ("records drawn", len(planned)),
        ("the first five", ", ".join(planned[:5])),
        (f"also in the recorded sample of {len(recorded)}", len(shared)),
        ("the same draw as the recorded sample", "yes" if planned == list(recorded) else "no"),
    ]
    return pd.DataFrame(rows, columns=["planned sample", "value"])


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
    ].reset_index(drop=True)


# --- full-text review ----------------------------------------------------------------------------


def read_reasons(place: Project | Path) -> dict[str, str]:
    """Exclusion reason codes and their wording (``code, reason``)."""
    sheet = read(tables.EXCLUSION_REASONS, place)
    problems = [
        Problem(row, col.CODE, code, "code listed twice")
        for row, code, repeat in zip(
            sheet[ROW], sheet[col.CODE], sheet[col.CODE].duplicated(), strict=True
        )
        if repeat
    ]
    _raise(_located(sheet, problems), "exclusion reasons")
    return dict(zip(sheet[col.CODE], sheet[REASON], strict=True))


def full_text_outcomes(
    sheet: pd.DataFrame,
    sent: Sequence[str],
    reasons: dict[str, str],
    duplicates: dict[str, str],
    screened: set[str],
    *,
    records: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Check the full-text sheet: one decision on every record sent to full text, and a known
    reason on every exclusion; with ``records``, each row's title is its record's."""
    sheet = _with_rows(sheet)
    problems = _check_keys(sheet, screened, duplicates, "screened on title and abstract")
    if records is not None:
        problems += _check_titles(sheet, records)
    sent_set = set(sent)
    for _, row in sheet.iterrows():
        decision, reason = row[DECISION], row[REASON]
        if row[RECORD_ID] in screened and row[RECORD_ID] not in sent_set:
            problems.append(
                Problem(
                    row[ROW],
                    RECORD_ID,
                    row[RECORD_ID],
                    "excluded at title/abstract, so not assessed in full text",
                )
            )
        if decision == EXCLUDE and reason not in reasons:
            problems.append(
                Problem(
                    row[ROW],
                    REASON,
                    reason,
                    f"an exclusion needs a reason code: one of {', '.join(reasons)}",
                )
            )
        if decision and decision != EXCLUDE and reason:
            problems.append(
                Problem(row[ROW], REASON, reason, f"a reason on a {decision!r} decision")
            )
    problems += [
        Problem(None, None, key, "sent to full text but no full-text decision")
        for key in sorted(sent_set - set(sheet[RECORD_ID]))
    ]
    _raise(_located(sheet, problems), "full-text screening")
    return sheet


@dataclass(frozen=True)
class FullText:
    """The full-text decisions, checked, and the reasons they may give."""

    decisions: pd.DataFrame
    reasons: dict[str, str]

    def __repr__(self) -> str:
        counts = self.decisions[DECISION].value_counts()
        return "full-text decisions: " + ", ".join(f"{d} {n}" for d, n in counts.items())


def full_text(project: Project, to_screen: ToScreen, title_abstract: pd.DataFrame) -> FullText:
    """The full-text sheet, read and checked against the records sent on from title/abstract."""
    reasons = read_reasons(project)
    decisions = full_text_outcomes(
        read(tables.FULL_TEXT_SCREENING, project),
        sent_to_full_text(title_abstract),
        reasons,
        to_screen.removed,
        set(to_screen.ids),
        records=to_screen.deduplicated,
    )
    return FullText(decisions, reasons)


# --- other sources -------------------------------------------------------------------------------


def read_other_sources(place: Project | Path, protocol: Protocol) -> pd.DataFrame:
    """Every other source's sheet (the protocol's) as one table, ``source`` and type filled in.

    A source's sheet gives its rows' publication type only when the protocol says ``per
    row``; where the protocol fixes the type, a row that gives another is at fault. A sheet
    in the folder that is no source of the protocol's is at fault too: nothing is left out
    of the count unseen.
    """
    found_tables = []
    problems: list[Problem] = []
    folder = place.other_sources if isinstance(place, tables.paths.Project) else Path(place)
    declared = set()
    for source in protocol.other_sources:
        sheet_declared = tables.other_source_sheet(source, protocol.type_names)
        declared.add(source.sheet)
        sheet = read(sheet_declared, place)
        if source.publication_type is not None:
            problems += _located(
                sheet,
                [
                    Problem(
                        row,
                        PUBLICATION_TYPE,
                        kind,
                        f"the protocol says {source.name} "
                        f"gives {source.publication_type!r}s (or leave it blank)",
                    )
                    for row, kind in zip(sheet[ROW], sheet[PUBLICATION_TYPE], strict=True)
                    if kind and kind != source.publication_type
                ],
            )
            sheet[PUBLICATION_TYPE] = source.publication_type
        problems += _located(
            sheet,
            [
                Problem(row, REASON, "", "an exclusion needs a reason")
                for row, decision, reason in zip(
                    sheet[ROW], sheet[DECISION], sheet[REASON], strict=True
                )
                if decision == EXCLUDE and not reason
            ],
        )
        sheet[SOURCE] = source.name
        sheet[col.IDENTIFIED] = _sheet_name(sheet)
        found_tables.append(sheet)
    if folder.is_dir():
        problems += [
            Problem(
                None,
                None,
                path.name,
                "not a source the protocol names: add it to other_sources in protocol.yaml, "
                "or move it out of the folder",
                sheet=str(folder.name),
            )
            for path in sorted(folder.iterdir())
            if path.suffix.lower() in tables.SHEET_EXTENSIONS and path.stem not in declared
        ]
    columns = [PUBLICATION_ID, PUBLICATION_TYPE, TITLE, DECISION, REASON, SOURCE, col.IDENTIFIED]
    found = (
        pd.concat(found_tables, ignore_index=True)
        if found_tables
        else pd.DataFrame(columns=[ROW, *columns], dtype=str)
    )
    repeated = found[found[PUBLICATION_ID].duplicated(keep="first")]
    problems += [
        Problem(
            row[ROW],
            PUBLICATION_ID,
            row[PUBLICATION_ID],
            "id used twice",
            sheet=row[col.IDENTIFIED],
        )
        for _, row in repeated.iterrows()
    ]
    _raise(problems, f"other sources in {folder}")
    return found


def other_sources(project: Project, protocol: Protocol) -> pd.DataFrame:
    """The publications found another way, read and checked."""
    return read_other_sources(project, protocol)


def exclusions_by_reason(ledger_table: pd.DataFrame, reasons: dict[str, str]) -> pd.DataFrame:
    """Reports excluded at full text by reason, every reason listed (zero included)."""
    excluded = ledger.removed_at(ledger_table, ledger.ASSESSED, of=ledger.DATABASES)
    counted = ledger.count_by(excluded, REASON, list(reasons))
    rows = [(code, reasons.get(code, code), n) for code, n in counted.items()]
    rows.append(("", "total", sum(counted.values())))
    return pd.DataFrame(rows, columns=["code", "reason", "reports excluded"])


def numbers(
    ledger_table: pd.DataFrame,
    double: DoubleScreening,
    reasons: dict[str, str],
    protocol: Protocol,
) -> dict[str, float | int]:
    """Every number the screening step establishes: the manuscript's (also under the names
    the protocol gives them), and those behind them."""
    counts = {
        **ledger.selection_numbers(ledger_table, protocol),
        **ledger.breakdown_numbers(ledger_table, reasons, protocol),
    }
    return {
        **ledger.named_as_reported(counts, protocol),
        **double.numbers(),
    }
