"""The demonstration typology files: ``data/raw/typology/``.

``initial_typology.csv`` (4 themes, 16 components, 11 sub-components), ``change_log.csv`` (the
five changes the paper reports, giving 4, 16 and 8), ``coding.csv`` (each candidate component
of the extraction part to the item it was written from) and ``experts.csv`` (as many experts
as the paper reports, from its seven countries). Each row says what is the paper's and what is
illustrative (``source``, ``text_source``); see :mod:`compendium.demo.typology_text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from compendium import abstraction as dat
from compendium import columns as col
from compendium import tables
from compendium import typology as ty
from compendium.demo import typology_text as text

#: The provenance columns as the typology files name them (read back as provenance).
PROVENANCE_HEADER = tables.INITIAL_TYPOLOGY.header(col.PROVENANCE)
TEXT_PROVENANCE_HEADER = tables.INITIAL_TYPOLOGY.header(col.TEXT_PROVENANCE)

if TYPE_CHECKING:
    from compendium.demo import Context


def initial_typology() -> pd.DataFrame:
    rows = [
        {
            ty.ITEM_ID: item_id,
            ty.LEVEL: level,
            ty.NUMBER: number,
            ty.NAME: name,
            ty.DEFINITION: definition,
            ty.EXAMPLE: example,
            PROVENANCE_HEADER: source,
            TEXT_PROVENANCE_HEADER: text.ILLUSTRATIVE,
        }
        for item_id, level, number, name, source, definition, example in text.INITIAL_TYPOLOGY
    ]
    return pd.DataFrame(
        rows, columns=[*ty.TYPOLOGY_COLUMNS, PROVENANCE_HEADER, TEXT_PROVENANCE_HEADER]
    )


def change_log() -> pd.DataFrame:
    rows = [
        {
            ty.CHANGE_ID: change_id,
            ty.OPERATION: operation,
            ty.ITEM_ID: item_id,
            ty.TARGET: target,
            ty.POSITION: position,
            ty.NEW_NAME: new_name,
            ty.LEVEL: "",
            ty.DEFINITION: "",
            ty.EXAMPLE: "",
            ty.REASON: reason,
            PROVENANCE_HEADER: text.PAPER,
            TEXT_PROVENANCE_HEADER: text.ILLUSTRATIVE,
        }
        for change_id, operation, item_id, target, position, new_name, reason in text.CHANGE_LOG
    ]
    return pd.DataFrame(rows)


def coding(context: Context) -> pd.DataFrame:
    candidates = context.shared.get("candidate_components")
    if not candidates:
        msg = (
            "demonstration data: the typology part needs context.shared['candidate_components'] "
            "from the extraction part; list extraction before typology in compendium.demo.PARTS"
        )
        raise ValueError(msg)
    rows = [
        {
            dat.CANDIDATE_ID: row[dat.CANDIDATE_ID],
            ty.ITEM_ID: row["item_id"],
            PROVENANCE_HEADER: text.ILLUSTRATIVE,
        }
        for row in candidates
    ]
    return pd.DataFrame(rows).sort_values(dat.CANDIDATE_ID, kind="stable")


def experts(context: Context) -> pd.DataFrame:
    """The panel: the paper's count and countries; each expert's details illustrative.

    No names: an id and a role description per expert.
    """
    rng = context.rng("typology-experts")
    count = int(context.reported["experts_consulted"])
    countries = list(text.EXPERT_COUNTRIES)  # each country at least once
    countries += [rng.choice(text.EXPERT_COUNTRIES) for _ in range(count - len(countries))]
    rng.shuffle(countries)
    backgrounds = list(text.EXPERT_BACKGROUNDS)  # each background at least once
    backgrounds += [rng.choice(text.EXPERT_BACKGROUNDS) for _ in range(count - len(backgrounds))]
    rng.shuffle(backgrounds)
    rows = [
        {
            ty.EXPERT_ID: f"E{number:02d}",
            ty.COUNTRY: country,
            ty.ROLE: rng.choice(text.EXPERT_ROLES),
            ty.BACKGROUND: background,
            # peer support workers have lived experience; for the others it is not recorded
            ty.LIVED_EXPERIENCE: "yes" if background == "peer support" else "not recorded",
            PROVENANCE_HEADER: text.ILLUSTRATIVE,
        }
        for number, (country, background) in enumerate(
            zip(countries, backgrounds, strict=True), start=1
        )
    ]
    return pd.DataFrame(rows)


def generate(context: Context) -> None:
    for name, table in (
        (ty.FILES["initial"], initial_typology()),
        (ty.FILES["change_log"], change_log()),
        (ty.FILES["coding"], coding(context)),
        (ty.FILES["experts"], experts(context)),
    ):
        context.write(f"typology/{name}", dat.csv_text(table))
