"""``protocol.yaml``: the study's protocol, as the paper reports it.

Everything the pipeline must know about this review and that is not a sheet: the two
databases, the three kinds of publication, the four other sources and where PRISMA 2020 counts
each, and how the 10% double-screened sample was drawn (the seed is illustrative: the paper
does not say how the sample was chosen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compendium import columns as col

if TYPE_CHECKING:
    from compendium.demo import Context

SEED = 20220801  # the demonstration team's seed, recorded before screening
FRACTION = 0.1  # the paper: "10% screened independently"

# --- the study's vocabulary for publications, as its protocol below and its sheets write it ---
# The pipeline takes these from protocol.yaml; the demonstration generator and the tests use
# them to write and check this study's files.
TRIAL_REPORT, TRAINING_MANUAL, CHANGE_MODEL = "trial report", "training manual", "change model"
#: The publication types, in the protocol's order.
PUBLICATION_TYPES: tuple[str, ...] = (TRIAL_REPORT, TRAINING_MANUAL, CHANGE_MODEL)

PRIOR_REVIEW = "prior review"
ONLINE_SEARCH = "online search"
CITATION_TRACKING = "citation tracking"
EXPERTS = "expert consultation"
#: The sources, the database search first, then the other sources in the protocol's order.
SOURCES: tuple[str, ...] = (
    col.DATABASE_SEARCH,
    PRIOR_REVIEW,
    ONLINE_SEARCH,
    CITATION_TRACKING,
    EXPERTS,
)

PROTOCOL = f"""\
# The review's protocol, as the pipeline needs it: the databases searched, what the review
# includes and from where, and how the double-screened sample was chosen. People write this
# file; the code holds nothing about the review that is not here or in the sheets beside it.
# The exclusion reasons are screening/exclusion_reasons.csv.
demonstration: the study's protocol as the paper reports it; the sample's seed is illustrative

# The databases searched. `key` names their numbers (records_identified_medline). An export
# that does not name its database is listed under it: files: [an_export.csv]
databases:
  - name: Ovid MEDLINE
    key: medline
  - name: Ovid APA PsycInfo
    key: psycinfo

# What the review includes, in the order tables and figures list them. `key` names their
# numbers (trial_reports_included); `label` is the PRISMA diagram's.
publication_types:
  - type: trial report
    key: trial_reports
    label: Trial reports
  - type: training manual
    key: training_manuals
    label: Training manuals
  - type: change model
    key: change_models
    label: Change model papers

# The publication type of the records the database searches found.
database_search:
  publication_type: trial report

# Publications found another way: each a sheet in other_sources/, the type of its rows (or
# `per row`: the sheet gives each row's), its PRISMA label and the line of PRISMA 2020's
# other-methods arm it is counted on (websites, organisations or citation searching; the
# included articles of a prior review are citation searching).
other_sources:
  - source: prior review
    key: prior_review
    sheet: prior_review
    publication_type: trial report
    label: Prior systematic review
    prisma: citation searching
    what: the prior review's included articles
  - source: online search
    key: online_search
    sheet: online_search
    publication_type: training manual
    label: Websites
    prisma: websites
    what: training manuals found online
  - source: citation tracking
    key: citation_tracking
    sheet: citation_tracking
    publication_type: change model
    label: Backward citation tracking
    prisma: citation searching
    what: change models found by backward citation tracking of the included publications
  - source: expert consultation
    key: experts
    sheet: expert_suggestions
    publication_type: per row
    label: Expert consultation
    prisma: organisations
    what: the publications the consulted experts suggested

# The double-screened sample: `sample: seeded` with the fraction and seed recorded before
# screening (compendium.screening.double_screening_sample draws it from the sorted record
# ids), or `sample: recorded` when the team chose it another way and double_screening.csv
# lists it.
double_screening:
  sample: seeded
  fraction: {FRACTION}
  seed: {SEED}

# The manuscript's own names for counts the compendium computes under general names.
number_names:
  manuals_from_experts: training_manuals_from_experts
  change_model_papers_included: change_models_included
  manuals_identified_online: publications_identified_online_search
  manuals_removed_not_manuals: publications_removed_online_search
"""


def generate(context: Context) -> None:
    context.write("protocol.yaml", PROTOCOL)
