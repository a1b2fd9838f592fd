"""Column names of the tables deduplication writes and reads.

The names are :mod:`compendium.columns`'; here are the groups deduplication's tables use.
"""

from __future__ import annotations

from compendium.columns import (
    CLUSTER_ID,
    DECISION,
    DUPLICATE_OF,
    KEPT,
    LINKED_TO,
    MATCHED_BY,
    NOTE,
    REASON,
    RECORD_ID,
    RECORD_ID_1,
    RECORD_ID_2,
    REVIEWER,
    SIM_AUTHORS,
    SIM_DOI,
    SIM_JOURNAL,
    SIM_PAGES,
    SIM_TITLE,
    SIM_VOLUME,
    SIM_YEAR,
)
from compendium.tables import PAIR_DECISIONS

__all__ = ["CLUSTER_ID", "KEPT", "LINKED_TO", "MATCHED_BY", "NOTE", "REASON", "REVIEWER"]

DUPLICATE_COLUMNS: tuple[str, ...] = (
    RECORD_ID,
    CLUSTER_ID,
    KEPT,
    MATCHED_BY,
    DUPLICATE_OF,
    LINKED_TO,
)
SIMILARITY_COLUMNS: tuple[str, ...] = (
    SIM_TITLE,
    SIM_AUTHORS,
    SIM_YEAR,
    SIM_JOURNAL,
    SIM_VOLUME,
    SIM_PAGES,
    SIM_DOI,
)
UNCERTAIN_COLUMNS: tuple[str, ...] = (RECORD_ID_1, RECORD_ID_2, *SIMILARITY_COLUMNS, REASON)
DECISION_COLUMNS: tuple[str, ...] = (RECORD_ID_1, RECORD_ID_2, DECISION, REVIEWER, NOTE)

DUPLICATE, NOT_DUPLICATE = PAIR_DECISIONS
DECISION_VALUES: tuple[str, ...] = PAIR_DECISIONS
