"""The ledger: every count a query over it, and every record accounted for at every stage."""

from __future__ import annotations

import pandas as pd
import pytest

from compendium import columns as col
from compendium import ledger as lg
from compendium import tables
from compendium.demo import protocol as study


def row(record_id, *, source=col.DATABASE_SEARCH, duplicate_of="", ta="", ft="", outcome):
    return {
        col.RECORD_ID: record_id,
        col.SOURCE: source,
        col.DUPLICATE_OF: duplicate_of,
        col.TITLE_ABSTRACT: ta,
        col.FULL_TEXT: ft,
        col.REASON: "a" if outcome == lg.EXCLUDED_FULL_TEXT else "",
        col.INCLUDED: outcome == lg.INCLUDED,
        col.OUTCOME: outcome,
    }


@pytest.fixture
def ledger() -> pd.DataFrame:
    return pd.DataFrame(
        [
            row("m1", ta="include", ft="include", outcome=lg.INCLUDED),
            row("p1", duplicate_of="m1", outcome=lg.DUPLICATE),
            row("m2", ta="exclude", outcome=lg.EXCLUDED_TITLE_ABSTRACT),
            row("m3", ta="maybe", ft="not retrieved", outcome=lg.REPORT_NOT_RETRIEVED),
            row("m4", ta="include", ft="exclude", outcome=lg.EXCLUDED_FULL_TEXT),
            row("PR1", source=study.PRIOR_REVIEW, ft="include", outcome=lg.INCLUDED),
            row("OM1", source=study.ONLINE_SEARCH, ft="exclude", outcome=lg.REMOVED),
        ]
    )


def ids(rows: pd.DataFrame) -> list[str]:
    return sorted(rows[col.RECORD_ID])


def test_each_stage_is_read_from_the_stage_columns(ledger):
    databases = lg.DATABASES
    assert ids(lg.at(ledger, lg.IDENTIFIED, of=databases)) == ["m1", "m2", "m3", "m4", "p1"]
    assert ids(lg.at(ledger, lg.SCREENED, of=databases)) == ["m1", "m2", "m3", "m4"]
    assert ids(lg.at(ledger, lg.SOUGHT, of=databases)) == ["m1", "m3", "m4"]
    assert ids(lg.at(ledger, lg.ASSESSED, of=databases)) == ["m1", "m4"]
    assert ids(lg.at(ledger, lg.INCLUDED)) == ["PR1", "m1"]
    assert ids(lg.at(ledger, lg.ASSESSED, of=lg.OTHER_METHODS)) == ["OM1", "PR1"]
    assert lg.conservation(ledger) == []


@pytest.mark.parametrize(
    ("record", "column", "value", "stage"),
    [
        ("m2", col.OUTCOME, lg.INCLUDED, "screened to sought"),  # left, but not by its outcome
        ("m3", col.FULL_TEXT, "include", "sought to assessed"),  # went on, outcome says it left
        ("m4", col.INCLUDED, True, "assessed to included"),
        ("OM1", col.OUTCOME, lg.INCLUDED, "assessed to included"),
    ],
)
def test_a_row_not_accounted_for_is_named_with_its_stage(ledger, record, column, value, stage):
    ledger.loc[ledger[col.RECORD_ID] == record, column] = value
    faults = lg.conservation(ledger)
    assert faults, "the tampered ledger passed"
    message = "\n".join(str(fault) for fault in faults)
    assert stage in message and record in message
    with pytest.raises(lg.LedgerError, match="does not account for every record"):
        lg.check(ledger)


def test_an_outcome_no_stage_knows_is_named(ledger):
    ledger.loc[ledger[col.RECORD_ID] == "m1", col.OUTCOME] = "lost"
    assert any("m1" in str(fault) for fault in lg.conservation(ledger))


def test_build_refuses_deduplicated_records_that_disagree_with_the_duplicates():
    records = pd.DataFrame({col.RECORD_ID: ["m1", "p1"], col.DATABASE: "Ovid MEDLINE"})
    duplicates = pd.DataFrame(
        {col.RECORD_ID: ["m1", "p1"], col.KEPT: [True, False], col.DUPLICATE_OF: ["", "m1"]}
    )
    deduplicated = records.iloc[:0]  # step 02 wrote no kept record: from another run
    none = pd.DataFrame(columns=[col.RECORD_ID, col.DECISION, col.REASON])
    other = pd.DataFrame(columns=[col.PUBLICATION_ID, col.TITLE, col.DECISION, col.REASON])
    with pytest.raises(lg.LedgerError, match=r"records_deduplicated\.csv and .*disagree"):
        lg.build(records, deduplicated, duplicates, none, none, other, "trial report")


def test_the_full_runs_ledger_adds_up_and_gives_every_box(full_run):
    from compendium import flow, protocol, screening

    ledger = tables.read(full_run.project, tables.LEDGER)
    assert ledger[col.INCLUDED].dtype == bool
    assert lg.conservation(ledger) == []
    review = protocol.read(full_run.project.protocol)
    counts = flow.counts(ledger, list(screening.read_reasons(full_run.project)), review)
    assert counts.records_screened == len(lg.at(ledger, lg.SCREENED, of=lg.DATABASES)) == 431
    assert counts.reports_assessed == len(lg.at(ledger, lg.ASSESSED, of=lg.DATABASES)) == 47
    assert counts.included == len(lg.at(ledger, lg.INCLUDED)) == 42
    assert set(ledger[col.IDENTIFIED]) >= {"ovid_medline_2022-08.ris", "prior_review.csv"}
