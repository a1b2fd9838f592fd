"""Deduplication: which records are one publication, decided so that nothing is lost.

Records are normalised for matching (:mod:`~compendium.dedup.normalise`), blocked and
compared pair by pair (:mod:`~compendium.dedup.match`), and joined into clusters that
never hold two records conflicting on DOI, volume, pages, year (by more than one) or
kind of item, even through a third record (:mod:`~compendium.dedup.cluster`).

Only certain matches are merged automatically. The others are *uncertain pairs*
(:func:`uncertain_pairs`), decided by people in ``data/raw/dedup/decisions.csv``
(:func:`read_decisions`); :func:`find_duplicates` applies those decisions and raises
:class:`PendingDecisions` while any uncertain pair is undecided. Nothing likely to be one
publication is left out silently: records that conflict on DOI, volume, pages or year are
put to people too when their titles and authors agree (a conference abstract and its
article, a page misprinted in one database), and people may join them. An erratum,
comment or reply is never merged with its article, by a rule or by people: it is linked
to it (:func:`linked_items`), so that the review sees both.

The kept record of a cluster is the first one read (search files in name order, records in
file order), and :func:`merged_records` fills its missing fields from its duplicates. The
rule is deliberately simple: screening decisions are keyed by the kept record's id, so that
id must not change when another copy of the publication turns up, however complete.

Examples
--------
>>> from compendium.dedup import find_duplicates, read_decisions  # doctest: +SKIP
>>> duplicates = find_duplicates(records, decisions=read_decisions(path))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from compendium import columns
from compendium.dedup import schema
from compendium.dedup.cluster import ABSOLUTE, Clusters
from compendium.dedup.decisions import (
    LINE,
    PendingDecisions,
    empty_decisions,
    read_decisions,
    write_decision_sheet,
)
from compendium.dedup.match import (
    DUPLICATE,
    LINKED,
    RULES,
    UNCERTAIN,
    Rule,
    candidate_pairs,
    compare,
    prepare,
    referenced_links,
)
from compendium.errors import InputError
from compendium.io import write_text

if TYPE_CHECKING:
    from compendium.paths import Project

__all__ = [
    "PendingDecisions",
    "empty_decisions",
    "find_duplicates",
    "linked_items",
    "merged_records",
    "read_decisions",
    "stale_decisions",
    "uncertain_pairs",
    "write_decision_sheet",
]

MATCH_FIELDS = (columns.RECORD_ID, columns.TITLE, columns.AUTHORS, columns.YEAR, columns.JOURNAL)
MATCH_FIELDS += (columns.VOLUME, columns.ISSUE, columns.PAGES, columns.DOI, columns.PMID)
MATCH_FIELDS += (columns.ABSTRACT,)


@dataclass
class _Analysis:
    prepared: pd.DataFrame
    clusters: Clusters
    uncertain: pd.DataFrame  # one row per pair of clusters, positions i < j
    linked: pd.DataFrame  # erratum, comment or reply (i or j) and its article


def _check_records(records: pd.DataFrame) -> None:
    missing = [c for c in MATCH_FIELDS if c not in records.columns]
    if missing:
        msg = f"records lack the column(s) {missing}; expected {list(MATCH_FIELDS)}"
        raise InputError(msg)
    ids = records[columns.RECORD_ID]
    if ids.isna().any():
        msg = f"record at row {int(np.flatnonzero(ids.isna())[0])} has no record_id"
        raise InputError(msg)
    repeated = ids[ids.duplicated()]
    if not repeated.empty:
        msg = f"record_id {repeated.iloc[0]!r} appears more than once; expected unique ids"
        raise InputError(msg)


def _analyse(records: pd.DataFrame) -> _Analysis:
    _check_records(records)
    prepared = prepare(records)
    rows = prepared.to_dict("records")
    return settle(prepared, rows, compare(prepared, candidate_pairs(prepared), rows=rows))


def settle(
    prepared: pd.DataFrame,
    rows: list[dict],
    compared: pd.DataFrame,
    rules: tuple[Rule, ...] = RULES,
) -> _Analysis:
    """Clusters from the certain pairs (strongest rule first), and the uncertain pairs
    left between clusters, from :func:`~compendium.dedup.match.compare`'s verdicts."""
    rank = {rule.name: k for k, rule in enumerate(rules)}
    clusters = Clusters(rows)
    certain = compared[compared["verdict"] == DUPLICATE].copy()
    certain["rank"] = certain["reason"].map(rank)
    certain = certain.sort_values(
        ["rank", "sim_title", "i", "j"], ascending=[True, False, True, True], kind="stable"
    )
    for i, j, reason in zip(certain["i"], certain["j"], certain["reason"], strict=True):
        clusters.join(i, j, reason)
    uncertain = compared[compared["verdict"] == UNCERTAIN].copy()
    uncertain["root_i"] = [clusters.find(i) for i in uncertain["i"]]
    uncertain["root_j"] = [clusters.find(j) for j in uncertain["j"]]
    joinable = [
        a != b and clusters.conflict(i, j) not in ABSOLUTE
        for a, b, i, j in zip(
            uncertain["root_i"], uncertain["root_j"], uncertain["i"], uncertain["j"], strict=True
        )
    ]
    uncertain = uncertain[np.array(joinable, dtype=bool)]
    uncertain["low"] = uncertain[["root_i", "root_j"]].min(axis=1)
    uncertain["high"] = uncertain[["root_i", "root_j"]].max(axis=1)
    uncertain = uncertain.sort_values(
        ["sim_title", "i", "j"], ascending=[False, True, True], kind="stable"
    ).drop_duplicates(["low", "high"])
    linked = compared[compared["verdict"] == LINKED]
    return _Analysis(prepared, clusters, uncertain.sort_values(["i", "j"], kind="stable"), linked)


def _pairs_table(analysis: _Analysis, records: pd.DataFrame) -> pd.DataFrame:
    ids = analysis.prepared[columns.RECORD_ID].to_numpy()
    titles = records[columns.TITLE].astype(object).to_numpy()
    table = analysis.uncertain
    first, second = (
        ids[table["i"].to_numpy(dtype=np.int64)],
        ids[table["j"].to_numpy(dtype=np.int64)],
    )
    swap = first > second
    out = pd.DataFrame(
        {
            schema.RECORD_ID_1: np.where(swap, second, first),
            schema.RECORD_ID_2: np.where(swap, first, second),
            **{c: table[c].to_numpy() for c in schema.SIMILARITY_COLUMNS},
            schema.REASON: table["reason"].to_numpy(),
            "title_1": np.where(swap, titles[table["j"]], titles[table["i"]]),
            "title_2": np.where(swap, titles[table["i"]], titles[table["j"]]),
        }
    )
    for column in (schema.SIM_TITLE, schema.SIM_AUTHORS, schema.SIM_JOURNAL, schema.SIM_YEAR):
        out[column] = pd.to_numeric(out[column]).astype("Float64").round(1)
    return out.sort_values([schema.RECORD_ID_1, schema.RECORD_ID_2], ignore_index=True)


def uncertain_pairs(records: pd.DataFrame) -> pd.DataFrame:
    """Pairs alike enough to ask a person about, and not merged automatically.

    One pair per two automatic clusters (the most alike pair between them), never an
    erratum, comment or reply beside an article, so that every decision asked for can be
    applied. Columns: :data:`~compendium.dedup.schema.UNCERTAIN_COLUMNS` and both titles,
    ids ordered; ``reason`` says why the pair is asked about.
    """
    return _pairs_table(_analyse(records), records)


def _positions(records: pd.DataFrame) -> dict[str, int]:
    return {rid: k for k, rid in enumerate(records[columns.RECORD_ID].astype(str))}


def _apply(analysis: _Analysis, decisions: pd.DataFrame, position: dict[str, int]) -> None:
    source = decisions.attrs.get("source", "the decisions")
    for line, row in decisions.sort_values(list(schema.DECISION_COLUMNS[:2])).iterrows():
        pair = [row[schema.RECORD_ID_1], row[schema.RECORD_ID_2]]
        for column, rid in zip(schema.DECISION_COLUMNS[:2], pair, strict=True):
            if rid not in position:
                msg = (
                    f"{source}, line {line}, column {column!r}: found {rid!r}, "
                    "expected the id of a record being deduplicated"
                )
                raise InputError(msg)
        if row[schema.DECISION] != schema.DUPLICATE:
            continue
        i, j = position[pair[0]], position[pair[1]]
        found = analysis.clusters.conflict(i, j)
        reason = f"decision:{row[schema.REVIEWER]}"
        if found in ABSOLUTE or not analysis.clusters.join(i, j, reason, decided=True):
            msg = (
                f"{source}, line {line}: found 'duplicate' for {pair[0]} / {pair[1]}, but "
                "one is an erratum, comment or reply and the other is not (they are two "
                "publications, linked, never merged); expected 'not duplicate'"
            )
            raise InputError(msg)


def _kept(labels: list[int], ids: np.ndarray) -> pd.Series:
    """The kept record of each cluster: the one with the smallest record id.

    Ids are stable (:mod:`compendium.records`), so the record kept, whose id the screening
    decisions refer to, is the same whatever order the exports list their records in.
    """
    table = pd.DataFrame({"label": labels, "position": np.arange(len(labels)), "id": ids})
    chosen = table.sort_values("id", kind="stable").groupby("label")["position"].first()
    return table["label"].map(chosen)


def find_duplicates(
    records: pd.DataFrame, *, decisions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per record, in input order: its cluster, whether it is kept, and why.

    Columns :data:`~compendium.dedup.schema.DUPLICATE_COLUMNS`. ``cluster_id`` is the kept
    record's id; ``matched_by`` names the rule (``doi``, ``title+authors+year+journal``, ...)
    or ``decision:<reviewer>`` by which a duplicate first joined; it is empty for kept
    records, as is ``duplicate_of``. ``linked_to`` says of an erratum, comment or reply
    which article it is about (``erratum of <kept id>``; see :func:`linked_items`).

    With ``decisions=None`` only automatic matches merge and uncertain pairs stay apart
    (for benchmarks and previews). With a decisions table (:func:`read_decisions`, or
    :func:`empty_decisions`) every uncertain pair must be decided.

    Raises
    ------
    PendingDecisions
        An uncertain pair has no decision; the error lists every such pair.
    InputError
        Records lack a column or repeat an id; a decision names an unknown record, or
        says "duplicate" for an erratum, comment or reply and an article.
    """
    analysis = _analyse(records)
    position = _positions(records)
    if decisions is not None:
        _apply(analysis, decisions, position)
        decided = {
            (a, b)
            for a, b in zip(
                decisions[schema.RECORD_ID_1], decisions[schema.RECORD_ID_2], strict=True
            )
        }
        table = _pairs_table(analysis, records)
        open_pairs = [
            (a, b) not in decided
            and analysis.clusters.find(position[a]) != analysis.clusters.find(position[b])
            for a, b in zip(table[schema.RECORD_ID_1], table[schema.RECORD_ID_2], strict=True)
        ]
        if any(open_pairs):
            pending = table[open_pairs].reset_index(drop=True)
            raise PendingDecisions(
                pending,
                source=decisions.attrs.get("source", "data/raw/dedup/decisions.csv (none yet)"),
            )
    labels = analysis.clusters.labels()
    ids = analysis.prepared[columns.RECORD_ID].to_numpy()
    kept_position = _kept(labels, ids).to_numpy()
    kept = kept_position == np.arange(len(ids))
    reasons = np.array(analysis.clusters.reason, dtype=object)
    linked: dict[int, list[str]] = {}
    for item, article, kind in _links(analysis):
        note = f"{kind} of {ids[kept_position[article]]}"
        if note not in linked.setdefault(item, []):
            linked[item].append(note)
    return pd.DataFrame(
        {
            columns.RECORD_ID: records[columns.RECORD_ID].to_numpy(),
            schema.CLUSTER_ID: ids[kept_position],
            schema.KEPT: kept,
            schema.MATCHED_BY: np.where(kept, "", reasons),
            schema.DUPLICATE_OF: np.where(kept, "", ids[kept_position]),
            schema.LINKED_TO: ["; ".join(sorted(linked.get(k, []))) for k in range(len(ids))],
        }
    )


def _links(analysis: _Analysis) -> list[tuple[int, int, str]]:
    """``(item, article, kind)`` positions of every erratum, comment or reply found."""
    markers = analysis.prepared["marker"].to_numpy()
    found = [
        ((i, j, markers[i]) if markers[i] else (j, i, markers[j]))
        for i, j in zip(analysis.linked["i"], analysis.linked["j"], strict=True)
    ]
    return found + referenced_links(analysis.prepared)


def stale_decisions(records: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """Decisions on pairs that are not uncertain (any more): applied, but worth a look.

    A "duplicate" decision on such a pair still joins its records (people may spot a
    duplicate the rules missed); a "not duplicate" one changes nothing. Either way the
    decision no longer answers a question the pipeline asks, which a reviewer should know.
    """
    table = uncertain_pairs(records)
    asked = set(zip(table[schema.RECORD_ID_1], table[schema.RECORD_ID_2], strict=True))
    keep = [
        (a, b) not in asked
        for a, b in zip(decisions[schema.RECORD_ID_1], decisions[schema.RECORD_ID_2], strict=True)
    ]
    return decisions[keep]


def merged_records(records: pd.DataFrame, duplicates: pd.DataFrame) -> pd.DataFrame:
    """The kept records, in input order, each missing field filled from its duplicates.

    A field missing in the kept record takes the value of the duplicate with the smallest
    record id that has one (an order no re-export changes); present values are never
    replaced, so a kept record only gains.
    """
    if (
        len(duplicates) != len(records)
        or not (
            duplicates[columns.RECORD_ID].to_numpy() == records[columns.RECORD_ID].to_numpy()
        ).all()
    ):
        msg = "duplicates do not describe these records row for row; expected find_duplicates"
        raise InputError(msg)
    table = records.reset_index(drop=True).copy()
    table["_cluster"] = duplicates[schema.CLUSTER_ID].to_numpy()
    table["_kept"] = duplicates[schema.KEPT].to_numpy()
    table["_position"] = np.arange(len(table))
    ordered = table.sort_values(
        ["_cluster", "_kept", columns.RECORD_ID], ascending=[True, False, True], kind="stable"
    )
    merged = ordered.groupby("_cluster", sort=False).first()
    merged = merged.sort_values("_position")
    return merged[list(records.columns)].reset_index(drop=True)


__all__ += ["LINE"]


def linked_items(records: pd.DataFrame, duplicates: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each erratum, comment, reply or retraction beside the article it is about.

    Such an item shares its article's title (after its own label, "Erratum: ...") and
    often its authors, yet is another publication: it is never merged with the article,
    and it is listed here so that the review sees it. An item is also found where the
    article's note says it is printed ("[Erratum appears in J Card Surg. 2011;26(2):244]"),
    whatever its own title. With ``duplicates``
    (:func:`find_duplicates`) the article is named by the record kept for it, one row
    per item and article. Columns: ``record_id`` (the item), ``kind``, ``article_id``,
    and both titles; rows ordered by the ids.
    """
    analysis = _analyse(records)
    ids = analysis.prepared[columns.RECORD_ID].to_numpy()
    titles = records[columns.TITLE].astype(object).to_numpy()
    kept = ids if duplicates is None else duplicates[schema.CLUSTER_ID].to_numpy()
    position = {rid: k for k, rid in enumerate(ids)}
    rows = []
    for item, article, kind in _links(analysis):
        rows.append(
            {
                columns.RECORD_ID: ids[item],
                "kind": kind,
                "article_id": kept[article],
                "title": titles[item],
                "article_title": titles[position[kept[article]]],
            }
        )
    table = pd.DataFrame(
        rows, columns=[columns.RECORD_ID, "kind", "article_id", "title", "article_title"]
    )
    table = table.drop_duplicates([columns.RECORD_ID, "article_id"])
    return table.sort_values([columns.RECORD_ID, "article_id"], ignore_index=True)


# --- what the notebook shows ---------------------------------------------------------------------


def merges(records: pd.DataFrame, duplicates: pd.DataFrame) -> pd.DataFrame:
    """Every removed duplicate beside the record it duplicates, with why they matched."""
    by_id = records.set_index(columns.RECORD_ID)
    removed = duplicates[~duplicates[schema.KEPT]]
    table = pd.DataFrame(
        {
            "duplicate": removed[columns.RECORD_ID].to_numpy(),
            "duplicate database": by_id.loc[
                removed[columns.RECORD_ID], columns.DATABASE
            ].to_numpy(),
            "kept": removed[schema.DUPLICATE_OF].to_numpy(),
            "kept database": by_id.loc[removed[schema.DUPLICATE_OF], columns.DATABASE].to_numpy(),
            "matched by": removed[schema.MATCHED_BY].to_numpy(),
            "title of the kept record": by_id.loc[
                removed[schema.DUPLICATE_OF], columns.TITLE
            ].to_numpy(),
        }
    )
    return table.sort_values(["kept", "duplicate"], kind="stable").reset_index(drop=True)


def duplicates_by_database(records: pd.DataFrame, duplicates: pd.DataFrame) -> pd.DataFrame:
    """Removed duplicates counted by the database of the kept record and of the duplicate."""
    table = merges(records, duplicates)
    counted = (
        table.groupby(["kept database", "duplicate database"]).size().rename("duplicates removed")
    )
    frame = counted.reset_index()
    frame.insert(
        0,
        "where",
        [
            "within one database" if a == b else "across databases"
            for a, b in zip(frame["kept database"], frame["duplicate database"], strict=True)
        ],
    )
    return frame.sort_values(["where", "kept database", "duplicate database"]).reset_index(
        drop=True
    )


def add_pending_to_sheet(pairs: pd.DataFrame, path: Path) -> Path:
    """Append undecided pairs to the decisions sheet, decision and reviewer left empty.

    People then fill in each row in the same file; rows left empty stay pending. A pair the
    sheet already lists (decided or not) is not added again.
    """
    path = Path(path)
    new = pairs.copy()
    for column in (schema.DECISION, schema.REVIEWER, schema.NOTE):
        new[column] = ""
    leading = list(schema.DECISION_COLUMNS)
    new = new[[*leading, *[c for c in new.columns if c not in leading]]]
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        listed = {
            tuple(sorted(pair))
            for pair in zip(old[schema.RECORD_ID_1], old[schema.RECORD_ID_2], strict=True)
        }
        fresh = [
            tuple(sorted(pair)) not in listed
            for pair in zip(new[schema.RECORD_ID_1], new[schema.RECORD_ID_2], strict=True)
        ]
        new = pd.concat([old, new[fresh].astype(str)], ignore_index=True).fillna("")
    return write_text(path, new.to_csv(index=False, lineterminator="\n", float_format="%.1f"))


def decided_pairs(pairs: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """The uncertain pairs with their similarities, and what people decided about each."""
    chosen = decisions.reset_index(drop=True)[list(schema.DECISION_COLUMNS)]
    table = pairs.merge(chosen, on=[schema.RECORD_ID_1, schema.RECORD_ID_2], how="left")
    table[[schema.DECISION, schema.REVIEWER, schema.NOTE]] = table[
        [schema.DECISION, schema.REVIEWER, schema.NOTE]
    ].fillna("")
    return table


def project_decisions(project: Project) -> pd.DataFrame:
    """People's decisions in ``data/raw/dedup`` (CSV or XLSX), or none when there is no sheet."""
    from compendium import tables

    sheet = tables.DEDUP_DECISIONS
    if not any((project.dedup / f"{sheet.name}{ext}").exists() for ext in tables.SHEET_EXTENSIONS):
        return empty_decisions()
    return read_decisions(sheet.find(project.dedup))


def decisions_sheet(project: Project) -> Path:
    """Where ``compendium dedup-sheet`` adds the pairs waiting for a decision."""
    from compendium import tables

    return project.dedup / f"{tables.DEDUP_DECISIONS.name}.csv"


def numbers(duplicates: pd.DataFrame) -> dict[str, int]:
    """Deduplication's numbers, each :func:`~compendium.numbers.sourced` from its audit."""
    from compendium import tables
    from compendium.numbers import sourced

    where = tables.DUPLICATES.relative
    return {
        "duplicates_removed": sourced(
            int((~duplicates[schema.KEPT]).sum()), table=where, query="rows with kept False"
        ),
        "records_after_deduplication": sourced(
            int(duplicates[schema.KEPT].sum()), table=where, query="rows with kept True"
        ),
    }


def why_matched(duplicates: pd.DataFrame) -> pd.Series:
    """How many records joined their cluster by each reason (kept records and unique ones
    counted together)."""
    return duplicates[schema.MATCHED_BY].replace("", "(kept, or unique)").value_counts()
