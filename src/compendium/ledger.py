"""The review as a ledger: one row per record and per publication, a column per stage.

Every record read from a search export and every publication found another way is a row,
with what happened to it at each stage: where it was identified (``identified``: its export
file or its sheet), which record it duplicates (``duplicate_of``), the title/abstract
decision, the full-text decision and its reason, whether it is included (``included``), where
it was found (``source``) and what kind of publication it is (``publication_type``). Each
row ends with one ``outcome``: the stage it left the review at, or ``included``.

Every count of the review is a query over the ledger: :func:`at` gives the rows at a stage
(of one arm of the PRISMA diagram or both), and the flow diagram, the manuscript's numbers and
the tables count those rows. :func:`conservation` checks the ledger the way PRISMA's
arithmetic reads it: at every stage, the rows in are the rows that go on plus the rows
removed there, and it names the stage and the rows when they are not.

Examples
--------
>>> import pandas as pd
>>> from compendium import columns as col
>>> toy = pd.DataFrame({
...     col.RECORD_ID: ["m1", "p1"], col.SOURCE: [col.DATABASE_SEARCH] * 2,
...     col.DUPLICATE_OF: ["", "m1"], col.TITLE_ABSTRACT: ["include", ""],
...     col.FULL_TEXT: ["include", ""], col.INCLUDED: [True, False],
...     col.OUTCOME: [INCLUDED, DUPLICATE],
... })
>>> list(at(toy, SCREENED)[col.RECORD_ID])
['m1']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from compendium import columns as col
from compendium import tables
from compendium.errors import InputError
from compendium.numbers import sourced

if TYPE_CHECKING:
    from compendium.protocol import Protocol

# --- the outcomes ------------------------------------------------------------------------------
DUPLICATE = "duplicate removed"
EXCLUDED_TITLE_ABSTRACT = "excluded at title/abstract"
REPORT_NOT_RETRIEVED = "not retrieved"
EXCLUDED_FULL_TEXT = "excluded at full text"
REMOVED = "removed"  # a publication from another source that the review did not include
INCLUDED = "included"
OUTCOMES = (
    DUPLICATE,
    EXCLUDED_TITLE_ABSTRACT,
    REPORT_NOT_RETRIEVED,
    EXCLUDED_FULL_TEXT,
    REMOVED,
    INCLUDED,
)

# --- the stages, in order, and what each arm removes on the way to the next --------------------
IDENTIFIED, SCREENED, SOUGHT, ASSESSED = "identified", "screened", "sought", "assessed"
STAGES = (IDENTIFIED, SCREENED, SOUGHT, ASSESSED, INCLUDED)
DATABASES, OTHER_METHODS = "databases", "other methods"  # the diagram's two arms
ARMS = (DATABASES, OTHER_METHODS)
#: What leaves each arm between a stage and the next. The other-methods arm has no
#: deduplication or title/abstract screening: its publications are identified and assessed.
REMOVALS: dict[str, dict[str, str | None]] = {
    DATABASES: {
        IDENTIFIED: DUPLICATE,
        SCREENED: EXCLUDED_TITLE_ABSTRACT,
        SOUGHT: REPORT_NOT_RETRIEVED,
        ASSESSED: EXCLUDED_FULL_TEXT,
    },
    OTHER_METHODS: {IDENTIFIED: None, SCREENED: None, SOUGHT: None, ASSESSED: REMOVED},
}
PROGRESSING = ("include", "maybe")  # title/abstract decisions that send a record to full text


class LedgerError(InputError):
    """The ledger cannot be built, or does not account for every record."""


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype(str) == "")


def arm(ledger: pd.DataFrame, which: str | None) -> pd.DataFrame:
    """The rows of one arm of the diagram (``None``: both)."""
    if which is None:
        return ledger
    searched = ledger[col.SOURCE] == col.DATABASE_SEARCH
    return ledger[searched] if which == DATABASES else ledger[~searched]


def at(ledger: pd.DataFrame, stage: str, *, of: str | None = None) -> pd.DataFrame:
    """The rows that reached ``stage`` (one of :data:`STAGES`), of one arm or both.

    Read from the stage columns, not from ``outcome``, so that :func:`conservation` can check
    the one against the other.
    """
    if stage not in STAGES:
        msg = f"stage {stage!r}: expected one of {', '.join(STAGES)}"
        raise ValueError(msg)
    rows = arm(ledger, of)
    searched = rows[col.SOURCE] == col.DATABASE_SEARCH
    reached = pd.Series(True, index=rows.index)
    if STAGES.index(stage) >= STAGES.index(SCREENED):
        reached &= ~searched | _blank(rows[col.DUPLICATE_OF])
    if STAGES.index(stage) >= STAGES.index(SOUGHT):
        reached &= ~searched | rows[col.TITLE_ABSTRACT].isin(PROGRESSING)
    if STAGES.index(stage) >= STAGES.index(ASSESSED):
        reached &= rows[col.FULL_TEXT] != REPORT_NOT_RETRIEVED
    if stage == INCLUDED:
        reached &= rows[col.INCLUDED].astype(bool)
    return rows[reached]


def removed_at(ledger: pd.DataFrame, stage: str, *, of: str) -> pd.DataFrame:
    """The rows of arm ``of`` whose outcome says they left the review at ``stage``."""
    outcome = REMOVALS[of][stage]
    rows = arm(ledger, of)
    return rows[rows[col.OUTCOME] == outcome] if outcome else rows.iloc[:0]


@dataclass(frozen=True)
class Unaccounted:
    """A stage at which the rows in are not the rows going on plus the rows removed."""

    arm: str
    stage: str
    rows_in: int
    going_on: int
    removed: int
    records: tuple[str, ...]

    def __str__(self) -> str:
        listed = ", ".join(self.records[:10]) + (" ..." if len(self.records) > 10 else "")
        return (
            f"{self.arm}, {self.stage} to {STAGES[STAGES.index(self.stage) + 1]}: "
            f"{self.rows_in} in, {self.going_on} going on, {self.removed} removed: "
            f"{len(self.records)} row(s) not accounted for: {listed}"
        )


def conservation(ledger: pd.DataFrame) -> list[Unaccounted]:
    """Every stage of either arm at which in != going on + removed, with the rows at fault.

    A row at fault is one that left between two stages without an outcome saying so, or one
    whose outcome says it left at a stage it went on from.
    """
    found = []
    for which in ARMS:
        for stage, following in itertools.pairwise(STAGES):
            here, on = at(ledger, stage, of=which), at(ledger, following, of=which)
            gone = removed_at(ledger, stage, of=which)
            left = set(here[col.RECORD_ID]) - set(on[col.RECORD_ID])
            said = set(gone[col.RECORD_ID])
            if left != said or len(here) != len(on) + len(gone):
                found.append(
                    Unaccounted(
                        which, stage, len(here), len(on), len(gone), tuple(sorted(left ^ said))
                    )
                )
        ended = arm(ledger, which)
        unknown = ended[~ended[col.OUTCOME].isin(OUTCOMES)]
        if len(unknown):
            found.append(
                Unaccounted(
                    which, IDENTIFIED, len(ended), 0, 0, tuple(sorted(unknown[col.RECORD_ID]))
                )
            )
    return found


def check(ledger: pd.DataFrame) -> pd.DataFrame:
    """``ledger``, if every row is accounted for at every stage; otherwise an error listing how."""
    faults = conservation(ledger)
    if faults:
        listed = "\n".join(f"  {fault}" for fault in faults)
        msg = f"the ledger does not account for every record:\n{listed}"
        raise LedgerError(msg)
    return ledger


# --- building it ----------------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or pd.isna(value) else str(value)


def build(
    records: pd.DataFrame,
    deduplicated: pd.DataFrame,
    duplicates: pd.DataFrame,
    title_abstract: pd.DataFrame,
    full_text: pd.DataFrame,
    other_sources: pd.DataFrame,
    database_records: str,
) -> pd.DataFrame:
    """The ledger, from the steps' tables, checked by :func:`conservation`.

    ``records``: every record read (step 01). ``deduplicated``: the records left to screen,
    their missing fields filled from their duplicates (step 02); a kept record's fields in
    the ledger are these. ``duplicates``: each record's cluster (``kept``, ``duplicate_of``).
    ``title_abstract`` and ``full_text``: the checked decisions (``record_id``, ``decision``,
    and ``reason`` at full text). ``other_sources``: the publications found another way,
    with their ``source``, ``publication_type``, ``decision`` and ``reason``.
    ``database_records``: the publication type of the records the databases gave (the
    protocol's ``database_search``).
    """
    kept_ids = set(duplicates.loc[duplicates[col.KEPT], col.RECORD_ID])
    screened_ids = set(deduplicated[col.RECORD_ID])
    if kept_ids != screened_ids or len(duplicates) != len(records):
        differ = sorted(kept_ids ^ screened_ids)[:10]
        msg = (
            f"{tables.RECORDS_DEDUPLICATED.relative} and {tables.DUPLICATES.relative} disagree "
            f"on the records kept ({len(screened_ids)} against {len(kept_ids)}; first "
            f"differing: {', '.join(differ) or '(none)'}), or {tables.DUPLICATES.relative} does "
            f"not list every record of {tables.RECORDS.relative}: expected both written by the "
            "same run of step 02"
        )
        raise LedgerError(msg)
    merged = deduplicated.set_index(col.RECORD_ID)
    duplicate_of = dict(zip(duplicates[col.RECORD_ID], duplicates[col.DUPLICATE_OF], strict=True))
    ta = dict(zip(title_abstract[col.RECORD_ID], title_abstract[col.DECISION], strict=True))
    ft = dict(zip(full_text[col.RECORD_ID], full_text[col.DECISION], strict=True))
    ft_reason = dict(zip(full_text[col.RECORD_ID], full_text[col.REASON], strict=True))
    rows = []
    for record in records.itertuples(index=False):
        key = getattr(record, col.RECORD_ID)
        fields = merged.loc[key] if key in merged.index else None

        def field_of(name: str, record=record, fields=fields) -> object:
            return (fields if fields is not None else record._asdict()).get(name, "")

        removed = key not in kept_ids
        decision, final = ta.get(key, ""), ft.get(key, "")
        if removed:
            outcome = DUPLICATE
        elif decision not in PROGRESSING:
            outcome = EXCLUDED_TITLE_ABSTRACT
        elif final == REPORT_NOT_RETRIEVED:
            outcome = REPORT_NOT_RETRIEVED
        elif final == "exclude":
            outcome = EXCLUDED_FULL_TEXT
        else:
            outcome = INCLUDED
        rows.append(
            {
                col.RECORD_ID: key,
                col.IDENTIFIED: getattr(record, col.SOURCE_FILE, ""),
                col.SOURCE: col.DATABASE_SEARCH,
                col.DATABASE: getattr(record, col.DATABASE),
                col.PUBLICATION_TYPE: database_records,
                col.TITLE: field_of(col.TITLE),
                col.AUTHORS: field_of(col.AUTHORS),
                col.YEAR: field_of(col.YEAR),
                col.DUPLICATE_OF: _text(duplicate_of.get(key)) if removed else "",
                col.TITLE_ABSTRACT: "" if removed else decision,
                col.FULL_TEXT: "" if removed else final,
                col.REASON: "" if removed else _text(ft_reason.get(key)),
                col.INCLUDED: not removed and decision in PROGRESSING and final == "include",
                col.OUTCOME: outcome,
            }
        )
    for found in other_sources.itertuples(index=False):
        decision = getattr(found, col.DECISION)
        rows.append(
            {
                col.RECORD_ID: getattr(found, col.PUBLICATION_ID),
                col.IDENTIFIED: _text(getattr(found, col.IDENTIFIED, "")),
                col.SOURCE: getattr(found, col.SOURCE),
                col.DATABASE: "",
                col.PUBLICATION_TYPE: getattr(found, col.PUBLICATION_TYPE),
                col.TITLE: getattr(found, col.TITLE),
                col.AUTHORS: _text(getattr(found, col.AUTHORS, "")),
                col.YEAR: _text(getattr(found, col.YEAR, "")),
                col.DUPLICATE_OF: "",
                col.TITLE_ABSTRACT: "",
                col.FULL_TEXT: decision,
                col.REASON: _text(getattr(found, col.REASON)),
                col.INCLUDED: decision == "include",
                col.OUTCOME: INCLUDED if decision == "include" else REMOVED,
            }
        )
    ledger = pd.DataFrame(rows, columns=list(tables.LEDGER_COLUMNS))
    return check(ledger)


def included_publications(ledger: pd.DataFrame) -> pd.DataFrame:
    """The included publications, for the data abstraction table, sorted by id."""
    included = at(ledger, INCLUDED)
    return (
        included[
            [col.RECORD_ID, col.PUBLICATION_TYPE, col.SOURCE, col.TITLE, col.AUTHORS, col.YEAR]
        ]
        .rename(columns={col.RECORD_ID: col.PUBLICATION_ID})
        .sort_values(col.PUBLICATION_ID)
        .reset_index(drop=True)
    )


def summary(ledger: pd.DataFrame) -> pd.Series:
    """Rows by source and outcome, for reading in a notebook."""
    return ledger.groupby([col.SOURCE, col.OUTCOME]).size().rename("records")


def behind(ledger: pd.DataFrame, outcome: str, reasons: dict[str, str]) -> pd.DataFrame:
    """The rows behind one outcome's count, each exclusion with its reason's wording."""
    if outcome not in set(ledger[col.OUTCOME]):
        from compendium.notebooks import one_of

        one_of("outcome", outcome, ledger[col.OUTCOME])
    rows = ledger[ledger[col.OUTCOME] == outcome]
    reason = rows[col.REASON].map(reasons).fillna(rows[col.REASON])
    return rows.assign(**{col.REASON: reason})[
        [col.RECORD_ID, col.DATABASE, col.PUBLICATION_TYPE, col.TITLE, col.REASON]
    ].reset_index(drop=True)


# --- the numbers the ledger gives -----------------------------------------------------------------


def _count(rows: pd.DataFrame, query: str) -> int:
    return sourced(len(rows), table=tables.LEDGER.relative, query=query)


def _kind(rows: pd.DataFrame, kind: str, source: str | None = None) -> pd.DataFrame:
    rows = rows[rows[col.PUBLICATION_TYPE] == kind]
    return rows[rows[col.SOURCE] == source] if source else rows


def selection_numbers(ledger: pd.DataFrame, protocol: Protocol) -> dict[str, int]:
    """The study-selection numbers a manuscript reports, each a query over the ledger.

    The databases arm's (screened, excluded, assessed, excluded at full text), the
    publications included, and for each of the protocol's publication types
    ``<type>_included`` and ``<type>_from_<source>`` for every source that can give it (the
    keys are the protocol's: ``trial_reports_from_database_search``).
    """
    included = at(ledger, INCLUDED)

    def included_query(kind: str, source: str | None = None) -> str:
        where = f", source = '{source}'" if source else ""
        return f"included, publication_type = '{kind}'{where}"

    numbers = {
        "records_screened_title_abstract": _count(
            at(ledger, SCREENED, of=DATABASES), "databases arm, screened (not a duplicate)"
        ),
        "records_excluded_title_abstract": _count(
            removed_at(ledger, SCREENED, of=DATABASES),
            f"databases arm, outcome '{EXCLUDED_TITLE_ABSTRACT}'",
        ),
        "full_texts_assessed": _count(
            at(ledger, ASSESSED, of=DATABASES), "databases arm, assessed in full text"
        ),
        "full_texts_excluded": _count(
            removed_at(ledger, ASSESSED, of=DATABASES),
            f"databases arm, outcome '{EXCLUDED_FULL_TEXT}'",
        ),
        "publications_included": _count(included, "included"),
    }
    for kind in protocol.publication_types:
        numbers[f"{kind.key}_included"] = _count(
            _kind(included, kind.name), included_query(kind.name)
        )
        for source in protocol.source_names:
            if kind.name in protocol.types_from(source):
                numbers[f"{kind.key}_from_{protocol.source_key(source)}"] = _count(
                    _kind(included, kind.name, source), included_query(kind.name, source)
                )
    return numbers


def named_as_reported(numbers: dict[str, int], protocol: Protocol) -> dict[str, int]:
    """``numbers`` with the manuscript's own names for some of them (the protocol's
    ``number_names``), each the same value from the same query."""
    unknown = sorted(set(protocol.number_names.values()) - set(numbers))
    if unknown:
        msg = (
            f"{protocol.path}: number_names: {', '.join(map(repr, unknown))}: no study-selection "
            f"number of that name; expected one of {', '.join(sorted(numbers))}"
        )
        raise LedgerError(msg)
    return {
        **numbers,
        **{name: numbers[computed] for name, computed in protocol.number_names.items()},
    }


def number_key(name: str) -> str:
    """A name as part of a number's key: ``'expert consultation'`` -> ``expert_consultation``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def breakdown_numbers(
    ledger: pd.DataFrame, reasons: dict[str, str], protocol: Protocol
) -> dict[str, int]:
    """The counts behind the reported totals: by exclusion reason, by database, by source.

    ``full_texts_excluded_reason_<code>`` for every reason code (zero included); for each
    of the protocol's databases ``duplicates_removed_<database>`` through
    ``included_<database>`` (its key, as in step 01's ``records_identified_<database>``);
    for each source ``publications_identified_<source>``, ``publications_removed_<source>``
    and ``publications_included_<source>`` (the source's key in the protocol).
    """
    numbers: dict[str, int] = {}
    excluded = removed_at(ledger, ASSESSED, of=DATABASES)
    for code, wording in reasons.items():
        numbers[f"full_texts_excluded_reason_{number_key(code)}"] = _count(
            excluded[excluded[col.REASON] == code],
            f"outcome '{EXCLUDED_FULL_TEXT}', reason '{code}' ({wording})",
        )
    stages = (
        ("duplicates_removed", DUPLICATE),
        ("records_excluded_title_abstract", EXCLUDED_TITLE_ABSTRACT),
        ("full_texts_not_retrieved", REPORT_NOT_RETRIEVED),
        ("full_texts_excluded", EXCLUDED_FULL_TEXT),
        ("included", INCLUDED),
    )
    searched = arm(ledger, DATABASES)
    for database in protocol.databases:
        rows = searched[searched[col.DATABASE] == database.name]
        for stage, outcome in stages:
            numbers[f"{stage}_{database.key}"] = _count(
                rows[rows[col.OUTCOME] == outcome],
                f"databases arm, database = '{database.name}', outcome '{outcome}'",
            )
    other = arm(ledger, OTHER_METHODS)
    for source in protocol.other_sources:
        rows = other[other[col.SOURCE] == source.name]
        numbers[f"publications_identified_{source.key}"] = _count(rows, f"source = '{source.name}'")
        numbers[f"publications_removed_{source.key}"] = _count(
            rows[rows[col.OUTCOME] == REMOVED], f"source = '{source.name}', outcome '{REMOVED}'"
        )
    included = at(ledger, INCLUDED)
    for source in protocol.source_names:
        numbers[f"publications_included_{protocol.source_key(source)}"] = _count(
            included[included[col.SOURCE] == source], f"included, source = '{source}'"
        )
    return numbers


def count_by(rows: pd.DataFrame, column: str, order: Sequence[str] | None = None) -> dict[str, int]:
    """``rows`` counted by ``column``: in ``order`` (zeros kept), or by value, sorted."""
    counted = rows[column].value_counts().to_dict()
    keys = list(order) if order is not None else sorted(counted)
    return {key: int(counted.get(key, 0)) for key in keys if key in counted or order is not None}
