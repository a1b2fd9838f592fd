"""``dedup/decisions.csv``: the demonstration reviewers' decisions on uncertain duplicate pairs.

A team runs the deduplication, looks at every pair the rules could not settle, and records a
decision for each. The demonstration team does the same: the exports the search part wrote are
read and compared with the project's own readers and :mod:`compendium.dedup`, and each
uncertain pair is decided from what the generator planted (same publication: duplicate;
otherwise: not duplicate). The reviewers and notes are illustrative.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from compendium import dedup, readers
from compendium.dedup import schema

if TYPE_CHECKING:
    from compendium.demo import Context

REVIEWERS = ("YK", "AC")  # the paper's screeners, here as the illustrative deciders


def _records(context: Context) -> pd.DataFrame:
    with tempfile.TemporaryDirectory(prefix="compendium-demo-") as folder:
        read = []
        for name in sorted(n for n in context.files if n.startswith("searches/")):
            path = Path(folder) / Path(name).name
            path.write_text(context.files[name], encoding="utf-8")
            read.append(readers.read_records(path))
    return pd.concat(read, ignore_index=True)


def generate(context: Context) -> None:
    truth = {row["record_id"]: row for row in context.shared["search_records"]}
    pairs = dedup.uncertain_pairs(_records(context))
    rows = []
    for index, pair in enumerate(pairs.itertuples(index=False)):
        first, second = getattr(pair, schema.RECORD_ID_1), getattr(pair, schema.RECORD_ID_2)
        same = truth[first]["publication"] == truth[second]["publication"]
        rows.append(
            {
                schema.RECORD_ID_1: first,
                schema.RECORD_ID_2: second,
                schema.DECISION: schema.DUPLICATE if same else schema.NOT_DUPLICATE,
                schema.REVIEWER: REVIEWERS[index % 2],
                schema.NOTE: "illustrative decision (demonstration data)",
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(schema.DECISION_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    context.write("dedup/decisions.csv", buffer.getvalue())
