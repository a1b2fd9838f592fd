"""Column names, in one place.

Every table the pipeline reads or writes names its columns through these constants, so a
rename happens here once and nowhere else. Which table has which columns, of which type, is
declared in :mod:`compendium.tables`; the words a column may hold (decisions, outcomes) live
with the step that gives them meaning.
"""

from __future__ import annotations

# --- records read from a database export (one row per record, in file order) ---------------
RECORD_ID = "record_id"  # stable id: "<database>:<accession>", or a hash (compendium.records)
SOURCE_FILE = "source_file"  # the export's file name, relative to data/raw
DATABASE = "database"  # e.g. "Ovid MEDLINE", "Ovid APA PsycInfo"
TITLE = "title"
AUTHORS = "authors"  # "Family, Given; Family, Given"
YEAR = "year"  # nullable integer
JOURNAL = "journal"  # the journal, or the publisher of a book or manual
VOLUME = "volume"
ISSUE = "issue"
PAGES = "pages"
DOI = "doi"  # bare and lower-case: "10.xxxx/..."
PMID = "pmid"
ACCESSION = "accession"  # the export's own accession number: PMID, PsycINFO AN, WoS UT, EID, ...
ABSTRACT = "abstract"
RAW = "raw"  # every original [tag, value] pair of the record, as compact JSON: nothing is lost
URL = "url"  # where a publication without a DOI can be read

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
    ACCESSION,
    ABSTRACT,
    RAW,
)

# --- where a row's facts come from: "paper" (as the article states) or "illustrative" --------
PROVENANCE = "provenance"  # of the row itself (a name, a decision, a count)
TEXT_PROVENANCE = "text_provenance"  # of its texts (a definition, an example, a reason)

# --- deduplication: each record's cluster, and the pairs put to people ----------------------
CLUSTER_ID = "cluster_id"  # the kept record's id: stable while the kept record stays
KEPT = "kept"  # exactly one True per cluster
MATCHED_BY = "matched_by"  # why the record joined its cluster ("" for kept records); on an
# imported decision sheet, how the tool's record was matched ("compendium id", "DOI", ...)
DUPLICATE_OF = "duplicate_of"  # the kept record's id; "" for kept records
LINKED_TO = "linked_to"  # an erratum's (comment's, ...) article: "erratum of <kept id>", or ""
RECORD_ID_1 = "record_id_1"  # the smaller id of a pair (ids ordered as strings)
RECORD_ID_2 = "record_id_2"
SIM_TITLE = "sim_title"  # 0-100, rapidfuzz ratio of the matching titles
SIM_AUTHORS = "sim_authors"  # 0-100 on family names and initials; empty when one is missing
SIM_YEAR = "sim_year"  # absolute difference in years; empty when one is missing
SIM_JOURNAL = "sim_journal"  # 100 when one name abbreviates the other, else a fuzzy score
SIM_VOLUME = "sim_volume"  # "same" | "missing"
SIM_PAGES = "sim_pages"  # "same" | "missing"
SIM_DOI = "sim_doi"  # "same" | "missing"

# --- decisions people make, on any sheet -----------------------------------------------------
DECISION = "decision"
REVIEWER = "reviewer"
REASON = "reason"  # why: an exclusion's reason code, a change's reason, why a pair is asked
NOTE = "note"
CODE = "code"  # an exclusion reason's code, (a) to (f)
REVIEWER_1, DECISION_1 = "reviewer_1", "decision_1"
REVIEWER_2, DECISION_2 = "reviewer_2", "decision_2"
AGREED = "agreed_decision"
RESOLUTION = "resolution"
# --- decisions imported from a screening tool (compendium import-decisions) ------------------
TOOL = "tool"  # the tool the decision was made in, or "stage export"
TOOL_KEY = "tool_key"  # the tool's own id of the record ("rayyan-123", "#12"), "; "-joined
TOOL_REASON = "tool_reason"  # a reason as the tool words it; "; "-joined on a sheet

# --- publications: the screening ledger and the data abstraction table share these ------------
PUBLICATION_ID = "publication_id"  # a kept record's record_id, or an other-source sheet's id
PUBLICATION_TYPE = "publication_type"
SOURCE = "source"  # where the publication was found: a database search, a prior review, ...
FOUND_IN = "found_in"  # citation tracking: the publication whose references listed it
SUGGESTED_BY = "suggested_by"  # expert suggestions: which expert
ORGANISATION = "organisation"  # online search: who published the manual

# --- the screening ledger: every record's and publication's way through the review ----------
IDENTIFIED = "identified"  # where the row entered the review: its export file, or its sheet
TITLE_ABSTRACT = "title_abstract"  # the title/abstract decision
FULL_TEXT = "full_text"  # the full-text decision
INCLUDED = "included"  # True when the row is a publication the review includes
OUTCOME = "outcome"  # where the row left the review, or "included"

# --- the data abstraction table -----------------------------------------------------------
COUNTRY = "country"
SETTING = "setting"
POPULATION = "population"
CANDIDATE_ID = "candidate_id"
CANDIDATE_COMPONENT = "candidate_component"  # the candidate component's name
DESCRIPTION = "description"
QUOTE = "quote"
PAGE = "page"
NUMBER = "number"  # a publication's number in ESM 2; a typology item's number ("3.1")

# --- the typology, its change log, the coding and the experts -------------------------------
ITEM_ID = "item_id"
LEVEL = "level"
NAME = "name"
DEFINITION = "definition"
EXAMPLE = "example"
PARENT_ID = "parent_id"
POSITION = "position"
CHANGE_ID = "change_id"
OPERATION = "operation"
TARGET = "target"
NEW_NAME = "new_name"
CODED_ITEM_ID = "coded_item_id"  # what the coder chose (an initial or added item)
COMPONENT_ID = "component_id"  # the final component the coding counts for
REDIRECTED_BY = "redirected_by"  # the changes that moved the coding ("CL01; CL04"), or ""
EXPERT_ID = "expert_id"
ROLE = "role"
BACKGROUND = "background"
LIVED_EXPERIENCE = "lived_experience"

# --- numbers: the reproduction check ---------------------------------------------------------
KEY = "key"
REPORTED = "reported"
COMPUTED = "computed"
STATUS = "status"  # "match" | "mismatch" | "not computed"
WHERE = "where"  # where the manuscript states the number
STEP = "step"  # the pipeline step that computed it

CHECK_COLUMNS: tuple[str, ...] = (KEY, REPORTED, COMPUTED, STATUS, STEP, WHERE)

# --- where a publication was found: the database search (the protocol names the others) -----
DATABASE_SEARCH = "database search"

PAPER, ILLUSTRATIVE = "paper", "illustrative"
PROVENANCES: tuple[str, ...] = (PAPER, ILLUSTRATIVE)
