"""Column names of the tables deduplication writes and reads.

They live here rather than in :mod:`compendium.columns` until that module adopts them;
every other module names these columns through the constants below.
"""

from __future__ import annotations

from compendium.columns import RECORD_ID

# --- find_duplicates: one row per input record ---------------------------------------------
CLUSTER_ID = "cluster_id"  # the kept record's id: stable while the kept record stays
KEPT = "kept"  # exactly one True per cluster
MATCHED_BY = "matched_by"  # why the record joined its cluster; "" for kept records
DUPLICATE_OF = "duplicate_of"  # the kept record's id; "" for kept records
LINKED_TO = "linked_to"  # an erratum's (comment's, ...) article: "erratum of <kept id>", or ""

DUPLICATE_COLUMNS: tuple[str, ...] = (
    RECORD_ID,
    CLUSTER_ID,
    KEPT,
    MATCHED_BY,
    DUPLICATE_OF,
    LINKED_TO,
)

# --- uncertain pairs and the human decisions on them ---------------------------------------
RECORD_ID_1 = "record_id_1"  # the smaller id of the pair (ids ordered as strings)
RECORD_ID_2 = "record_id_2"
DECISION = "decision"  # "duplicate" | "not duplicate"
REVIEWER = "reviewer"
NOTE = "note"
REASON = "reason"  # why the pair is uncertain, in a few words

SIM_TITLE = "sim_title"  # 0-100, rapidfuzz ratio of the matching titles
SIM_AUTHORS = "sim_authors"  # 0-100 on family names and initials; empty when one is missing
SIM_YEAR = "sim_year"  # absolute difference in years; empty when one is missing
SIM_JOURNAL = "sim_journal"  # 100 when one name abbreviates the other, else a fuzzy score
SIM_VOLUME = "sim_volume"  # "same" | "missing"
SIM_PAGES = "sim_pages"  # "same" | "missing"
SIM_DOI = "sim_doi"  # "same" | "missing"

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

DUPLICATE = "duplicate"
NOT_DUPLICATE = "not duplicate"
DECISION_VALUES: tuple[str, ...] = (DUPLICATE, NOT_DUPLICATE)
