"""A folder for another review's files: the notebooks, and a ``data/raw`` to fill in.

``compendium new-review FOLDER`` makes it. Steps 01 to 04 (records, deduplication, screening,
the PRISMA 2020 diagram) hold nothing specific to this study: a review's own databases,
publication types, other sources and double-screening sample are its ``protocol.yaml``.
Steps 05 to 07 are this study's analysis (the data abstraction table, the typology and the
manuscript's numbers) and need its files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from compendium import paths
from compendium.errors import CompendiumError
from compendium.io import write_text

DATASET_CARD = """\
# What the files in data/raw are: kind study (a review's own files) or demonstration.
kind: study
title: {title}
provenance: >-
  Say where the files come from: the databases searched and when, the screening tool used.
licence: Say under which licence the files may be shared (CC-BY-4.0, or not shared).
"""

PROTOCOL = """\
# The review's protocol, as the pipeline needs it (the README: "Bringing your own review's
# files"). Every problem in this file is listed at once when a step reads it.

# The databases searched. `key` names their numbers (records_identified_pubmed). An export
# that does not name its database (a spreadsheet, a plain RIS file) is listed under the
# database it comes from: files: [its_file_name.csv]
databases:
  - name: PubMed
    key: pubmed
    files: []

# What the review includes, in the order tables and figures list them. `key` names their
# numbers (studies_included); `label` is the PRISMA diagram's.
publication_types:
  - type: study
    key: studies
    label: Studies

# The publication type of the records the database searches found.
database_search:
  publication_type: study

# Publications found another way, each a sheet in data/raw/other_sources/ (publication_id,
# title, decision, reason), and the line of PRISMA 2020's other-methods arm it is counted on
# (websites, organisations or citation searching). For example:
#   - source: citation searching
#     key: citations
#     sheet: citation_searching
#     publication_type: study
#     label: Citation searching
#     prisma: citation searching
other_sources: []

# The double-screened sample: `sample: none` (each record screened once), `sample: recorded`
# (double_screening.csv lists the records two reviewers screened), or `sample: seeded` with
# the fraction and seed recorded before screening (the compendium redraws the sample).
double_screening:
  sample: none
"""

EXCLUSION_REASONS = """\
code,reason
a,replace with the review's first reason for excluding a full text
"""


def create(folder: Path | str, *, title: str = "A systematic review's own files") -> list[Path]:
    """A new review's folder: this project's notebooks and a ``data/raw`` to fill in.

    Refuses a folder that exists and is not empty, so that nothing is written over. Returns
    the files made, in order.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        msg = f"{folder}: not empty; expected a new folder for the review's files"
        raise CompendiumError(msg)
    source = paths.Project()
    made: list[Path] = []
    review = paths.Project(folder)
    review.notebooks.mkdir(parents=True, exist_ok=True)
    for notebook in sorted(source.notebooks.glob("[0-9][0-9]_*.ipynb")):
        shutil.copyfile(notebook, review.notebooks / notebook.name)
        made.append(review.notebooks / notebook.name)
    for path, text in (
        (review.dataset_card, DATASET_CARD.format(title=title)),
        (review.protocol, PROTOCOL),
        (review.screening / "exclusion_reasons.csv", EXCLUSION_REASONS),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)  # whole or not at all
        made.append(path)
    for empty in (review.searches, review.other_sources):
        empty.mkdir(parents=True, exist_ok=True)
    return made
