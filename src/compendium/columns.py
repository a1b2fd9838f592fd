"""Column names, in one place.

Every table the pipeline reads or writes names its columns through these constants, so a
rename happens here once and nowhere else.
"""

from __future__ import annotations

# --- records read from a database export (one row per record, in file order) ---------------
RECORD_ID = "record_id"  # stable id given when the record is read: "<file stem>:<n>"
SOURCE_FILE = "source_file"  # the export's file name, relative to data/raw
DATABASE = "database"  # e.g. "Ovid MEDLINE", "Ovid APA PsycInfo"
TITLE = "title"
AUTHORS = "authors"  # "Family, Given; Family, Given"
YEAR = "year"  # nullable integer
JOURNAL = "journal"
VOLUME = "volume"
ISSUE = "issue"
PAGES = "pages"
DOI = "doi"  # bare and lower-case: "10.xxxx/..."
PMID = "pmid"
ABSTRACT = "abstract"
RAW = "raw"  # every original [tag, value] pair of the record, as compact JSON: nothing is lost

RECORD_COLUMNS: tuple[str, ...] = (
    RECORD_ID,
    SOURCE_FILE,
    DATABASE,
    TITLE,
    AUTHORS,
    YEAR,
    JOURNAL,
    VOLUME,
    ISSUE,
    PAGES,
    DOI,
    PMID,
    ABSTRACT,
    RAW,
)

# --- numbers: the reproduction check ---------------------------------------------------------
KEY = "key"
REPORTED = "reported"
COMPUTED = "computed"
STATUS = "status"  # "match" | "mismatch" | "not computed"
WHERE = "where"  # where the manuscript states the number
STEP = "step"  # the pipeline step that computed it

CHECK_COLUMNS: tuple[str, ...] = (KEY, REPORTED, COMPUTED, STATUS, STEP, WHERE)

# --- publications: the screening ledger and the data abstraction table share these ------------
PUBLICATION_ID = "publication_id"  # a kept record's record_id, or an other-source sheet's id
PUBLICATION_TYPE = "publication_type"
SOURCE = "source"  # where the publication was found

TRIAL_REPORT, TRAINING_MANUAL, CHANGE_MODEL = "trial report", "training manual", "change model"
PUBLICATION_TYPES: tuple[str, ...] = (TRIAL_REPORT, TRAINING_MANUAL, CHANGE_MODEL)

DATABASE_SEARCH = "database search"
PRIOR_REVIEW = "prior review"
EXPERTS = "expert consultation"
ONLINE_SEARCH = "online search"
CITATION_TRACKING = "citation tracking"
SOURCES: tuple[str, ...] = (
    DATABASE_SEARCH,
    PRIOR_REVIEW,
    EXPERTS,
    ONLINE_SEARCH,
    CITATION_TRACKING,
)
