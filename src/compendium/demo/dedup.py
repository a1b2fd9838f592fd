"""``dedup/decisions.csv``: the demonstration reviewers' decisions on pairs of records.

A team runs the deduplication, looks at every pair the rules could not settle, and records a
decision for each. The demonstration team decides from what the generator itself planted,
never by running the deduplication: every pair it planted to be hard to tell for certain, a
true duplicate whose copies lack what would make the match certain (:data:`~compendium.demo.
searches.HARD_VARIATIONS`), is decided "duplicate"; every trap planted to look like its target
(:data:`~compendium.demo.searches.LOOK_ALIKES`, and a conference abstract under its article's
title and authors) is decided "not duplicate" beside each record of that target. A change to
the matcher therefore changes neither the raw data nor its checksums; whether the pairs the
matcher asks about are among these is what ``tests/test_demo_dedup.py`` checks. The
reviewers and notes are illustrative.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict
from typing import TYPE_CHECKING

from compendium import columns as col
from compendium import tables
from compendium.dedup import schema
from compendium.demo import searches

if TYPE_CHECKING:
    from compendium.demo import Context

REVIEWERS = ("YK", "AC")  # the paper's screeners, here as the illustrative deciders
#: Traps beside their target that a careful deduplication puts to people.
PUT_TO_PEOPLE = (*searches.LOOK_ALIKES, "conference abstract")


def planted_pairs(records: list[dict[str, object]]) -> list[tuple[str, str, str]]:
    """``(record_id_1, record_id_2, decision)`` for every pair planted for people, sorted."""
    by_publication: dict[str, list[str]] = defaultdict(list)
    for record in records:
        by_publication[str(record["publication"])].append(str(record["record_id"]))
    hard = {
        str(r["publication"])
        for r in records
        if set(str(r["variations"]).split(";")) & set(searches.HARD_VARIATIONS)
    }
    pairs = {
        (a, b, schema.DUPLICATE)
        for publication in hard
        for a, b in itertools.combinations(sorted(by_publication[publication]), 2)
    }
    for record in records:
        if record["trap"] in PUT_TO_PEOPLE:
            for target in by_publication[str(record["trap_of"])]:
                first, second = sorted((str(record["record_id"]), target))
                pairs.add((first, second, schema.NOT_DUPLICATE))
    return sorted(pairs)


def generate(context: Context) -> None:
    rows = [
        {
            col.RECORD_ID_1: first,
            col.RECORD_ID_2: second,
            col.DECISION: decision,
            col.REVIEWER: REVIEWERS[index % 2],
            col.NOTE: "illustrative decision (demonstration data)",
        }
        for index, (first, second, decision) in enumerate(
            planted_pairs(context.shared["search_records"])
        )
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(schema.DECISION_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    context.write(f"dedup/{tables.DEDUP_DECISIONS.name}.csv", buffer.getvalue())
