"""The typology: themes, components and sub-components; the experts' changes; the coding.

The core analyst team grouped the candidate components into an *initial typology*; the expert
consultation changed it. Here the final typology is not a second file typed by hand but the
result of applying a written *change log* to the initial one, so every difference between
the two is a recorded change with its reason. Files (``data/raw/typology/``):

* ``initial_typology.csv``: ``item_id`` (a stable id), ``level`` (theme, component,
  sub-component), ``number`` (``3``, ``3.1``, ``3.1.2``: the parent is the number's prefix),
  ``name``, ``definition``, ``example``;
* ``change_log.csv``: ``change_id``, ``operation`` (remove, move, rename, add, merge),
  ``item_id``, ``target`` (the new parent for move and add, the item merged into for merge),
  ``position`` (place among the new siblings; blank: last), ``new_name`` (rename, add),
  ``level``, ``definition``, ``example`` (add), ``reason``;
* ``coding.csv``: ``candidate_id``, ``item_id``: the typology item each candidate
  component was coded to;
* ``experts.csv``: ``expert_id``, ``country``, ``role``, ``background``, ``lived_experience``.

Every file may carry a provenance column (``paper`` or ``illustrative``: is the row's fact
stated in the paper?); typology and change log also one for their texts (the same for
definition, example and reason). The files call them ``source`` and ``text_source``; the
compendium reads them as ``provenance`` and ``text_provenance``, its one name for the flag
(:mod:`compendium.tables`). A missing column means ``paper``: an author's own files describe
the study.

After the changes, items are renumbered in order within their parent. A coding that points to
a removed item goes to its parent (a removed sub-component's codings go to its component), one
to a merged item to the item it was merged into, and each such coding is listed.

Examples
--------
>>> initial = check_typology(pd.DataFrame({
...     "item_id": ["t", "a", "b"], "level": ["theme", "component", "component"],
...     "number": ["1", "1.1", "1.2"], "name": ["practice", "recording", "relationship building"],
...     "definition": "", "example": ""}), where="initial_typology.csv")
>>> log = pd.DataFrame({"change_id": ["CL1"], "operation": ["move"], "item_id": ["b"],
...     "target": ["t"], "position": ["1"], "new_name": [""], "reason": ["comes first"]})
>>> final = apply_change_log(initial, log, where="change_log.csv").typology
>>> final[["number", "name"]].values.tolist()
[['1', 'practice'], ['1.1', 'relationship building'], ['1.2', 'recording']]
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from compendium import tables, validate
from compendium.columns import (
    BACKGROUND,
    CANDIDATE_ID,
    CHANGE_ID,
    CODED_ITEM_ID,
    COMPONENT_ID,
    COUNTRY,
    DEFINITION,
    EXAMPLE,
    EXPERT_ID,
    ILLUSTRATIVE,
    ITEM_ID,
    LEVEL,
    LIVED_EXPERIENCE,
    NAME,
    NEW_NAME,
    NUMBER,
    OPERATION,
    PAPER,
    PARENT_ID,
    POSITION,
    PROVENANCE,
    PROVENANCES,
    PUBLICATION_ID,
    PUBLICATION_TYPE,
    REASON,
    REDIRECTED_BY,
    ROLE,
    TARGET,
    TEXT_PROVENANCE,
)
from compendium.errors import InputError

if TYPE_CHECKING:
    from compendium.protocol import Protocol

__all__ = [
    "BACKGROUND",
    "CODED_ITEM_ID",
    "COMPONENT_ID",
    "LIVED_EXPERIENCE",
    "PAPER",
    "PROVENANCES",
    "REDIRECTED_BY",
    "ROLE",
]

CANDIDATE_COMPONENTS = "candidate_components"
PUBLICATIONS = "publications"


def type_columns(protocol: Protocol) -> dict[str, str]:
    """Coverage's columns of publications by type: each of the protocol's publication types
    (in its order) and the column named by its key (``trial report``: ``trial_reports``)."""
    return {kind.name: kind.key for kind in protocol.publication_types}


TYPOLOGY_COLUMNS: tuple[str, ...] = (ITEM_ID, LEVEL, NUMBER, NAME, DEFINITION, EXAMPLE)
#: the typology as the code holds it: the file's columns plus where each item sits
ITEMS: tuple[str, ...] = tables.TYPOLOGY_FINAL.names()

#: Table 1 as the journal prints it
TABLE_1_COLUMNS: tuple[str, ...] = (
    "Theme",
    "Number",
    "Component",
    "Sub-component",
    "Definition",
    "Example",
)

# --- values -----------------------------------------------------------------------------------
THEME, COMPONENT, SUB_COMPONENT = "theme", "component", "sub-component"
LEVELS: tuple[str, ...] = (THEME, COMPONENT, SUB_COMPONENT)
REMOVE, MOVE, RENAME, ADD, MERGE = "remove", "move", "rename", "add", "merge"
ILLUSTRATIVE_NAME = "†"
ILLUSTRATIVE_TEXT = "‡"

#: The typology's sheets, by what the notebook calls them, and their files' names as CSV.
SHEETS: dict[str, tables.Sheet] = {
    "initial": tables.INITIAL_TYPOLOGY,
    "change_log": tables.CHANGE_LOG,
    "coding": tables.CODING,
    "experts": tables.EXPERTS,
}
FILES: dict[str, str] = {key: f"{sheet.name}.csv" for key, sheet in SHEETS.items()}
#: The change log's columns as its sheet declares them: those it must have, those it may.
CHANGE_LOG_COLUMNS: tuple[str, ...] = tuple(c.name for c in tables.CHANGE_LOG.columns if c.required)
CHANGE_LOG_OPTIONAL: tuple[str, ...] = tuple(
    c.name for c in tables.CHANGE_LOG.columns if not c.required and c.name not in
    (PROVENANCE, TEXT_PROVENANCE)
)  # fmt: skip


class TypologyError(InputError):
    """A typology file, the change log or the coding is not as expected."""


class Refinement(NamedTuple):
    """The expert consultation applied: the final typology, and what became of each item."""

    typology: pd.DataFrame  # the final typology, renumbered (columns ITEMS)
    changes: pd.DataFrame  # the change log as applied, with each item's level and old name
    redirects: pd.DataFrame  # item_id -> redirected_to, for removed and merged items


class Inputs(NamedTuple):
    """The files of ``data/raw/typology/``, read and checked, and where each was read."""

    initial: pd.DataFrame
    change_log: pd.DataFrame
    coding: pd.DataFrame
    experts: pd.DataFrame
    files: dict[str, str] | None = None  # the file of each, as the numbers' sources name it


# --- reading and checking ---------------------------------------------------------------------


def _problems(where: str, problems: list) -> None:
    validate.raise_problems(where, problems, TypologyError)


def _checked(sheet: tables.Sheet, table: pd.DataFrame, where: str) -> pd.DataFrame:
    """``table`` checked column by column as ``sheet`` declares, its index 0, 1, 2, ..."""
    checked = tables.check(sheet, table, where, TypologyError, defer=True)
    problems = tables.problems_of(checked)
    checked = checked.reset_index(drop=True)
    checked.attrs["problems"] = problems
    return checked


NUMBER_PATTERN = {
    THEME: re.compile(r"^[1-9][0-9]*$"),
    COMPONENT: re.compile(r"^[1-9][0-9]*\.[1-9][0-9]*$"),
    SUB_COMPONENT: re.compile(r"^[1-9][0-9]*\.[1-9][0-9]*\.[1-9][0-9]*$"),
}


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def check_typology(typology: pd.DataFrame, *, where: str) -> pd.DataFrame:
    """A typology file, checked, with each item's parent and position taken from its number.

    Numbers must be ``1``, ``1.1``, ``1.1.1`` by level, each parent must exist, and the numbers
    under one parent must run 1, 2, 3 without gaps, so that renumbering never changes a
    typology that needs no change.
    """
    table = _checked(tables.INITIAL_TYPOLOGY, typology, where)
    problems = tables.problems_of(table) + validate.repeated(table, [ITEM_ID], ITEM_ID)
    problems += validate.repeated(table, [NUMBER], NUMBER)
    problems += validate.repeated(table, [LEVEL, NAME], "level / name")
    by_number = dict(zip(table[NUMBER], table[ITEM_ID], strict=True))
    parents, positions = [], []
    for i, row in table.iterrows():
        pattern = NUMBER_PATTERN.get(row[LEVEL])
        parent, position = "", 0
        if pattern is not None and not pattern.match(row[NUMBER]):
            shape = {THEME: "3", COMPONENT: "3.1", SUB_COMPONENT: "3.1.2"}[row[LEVEL]]
            problems.append(
                f"{validate.row(i)}: number {row[NUMBER]!r} of {row[LEVEL]} {row[NAME]!r}: "
                f"expected the form {shape!r}"
            )
        elif pattern is not None:
            prefix, _, last = row[NUMBER].rpartition(".")
            position = int(last)
            if prefix:
                parent = by_number.get(prefix, "")
                if not parent:
                    problems.append(
                        f"{validate.row(i)}: number {row[NUMBER]!r}: no item numbered {prefix!r} "
                        f"to hold {row[LEVEL]} {row[NAME]!r}"
                    )
        parents.append(parent)
        positions.append(position)
    table[PARENT_ID], table[POSITION] = parents, positions
    if not problems:
        for parent, siblings in table.groupby(PARENT_ID, sort=True):
            found = sorted(siblings[POSITION])
            if found != list(range(1, len(found) + 1)):
                under = f"under {parent!r}" if parent else "among the themes"
                numbers = ", ".join(sorted(siblings[NUMBER], key=_number_key))
                problems.append(
                    f"numbers {under} are {numbers}: expected them to run 1, 2, 3 without gaps"
                )
    _problems(where, problems)
    return renumber(table)[list(ITEMS)]


def renumber(typology: pd.DataFrame) -> pd.DataFrame:
    """Number items 1, 2, ... within their parent in the order of ``position``; sort.

    Deterministic: ties in ``position`` keep the rows' order. Themes are ``1``, components
    ``1.1`` and sub-components ``1.1.1``, so a number says where an item sits.
    """
    table = typology.copy()
    table[POSITION] = (
        table.groupby(PARENT_ID, sort=False)[POSITION].rank(method="first").astype(int)
    )
    numbers: dict[str, str] = {}
    for level in LEVELS:
        for _, row in table[table[LEVEL] == level].iterrows():
            prefix = numbers.get(row[PARENT_ID], "")
            numbers[row[ITEM_ID]] = f"{prefix}.{row[POSITION]}" if prefix else str(row[POSITION])
    table[NUMBER] = table[ITEM_ID].map(numbers)
    order = sorted(table.index, key=lambda i: _number_key(table.at[i, NUMBER]))
    return table.loc[order].reset_index(drop=True)


def check_change_log(change_log: pd.DataFrame, *, where: str) -> pd.DataFrame:
    """The change log's columns and each row's own fields (operations are checked on apply)."""
    table = _checked(tables.CHANGE_LOG, change_log, where)
    problems = tables.problems_of(table) + validate.repeated(table, [CHANGE_ID], CHANGE_ID)
    problems += [
        validate.Problem(row, POSITION, value, "expected a whole number from 1, or blank for last")
        for row, value in zip(table[validate.ROW], table[POSITION], strict=True)
        if value and not (value.isdigit() and int(value) >= 1)
    ]
    _problems(where, problems)
    return table


def check_coding(coding: pd.DataFrame, *, where: str) -> pd.DataFrame:
    table = _checked(tables.CODING, coding, where)
    problems = tables.problems_of(table) + validate.repeated(table, [CANDIDATE_ID], CANDIDATE_ID)
    _problems(where, problems)
    return table


def check_experts(experts: pd.DataFrame, *, where: str) -> pd.DataFrame:
    table = _checked(tables.EXPERTS, experts, where)
    problems = tables.problems_of(table) + validate.repeated(table, [EXPERT_ID], EXPERT_ID)
    _problems(where, problems)
    return table


def read_inputs(place: object) -> Inputs:
    """Read and check every file of ``data/raw/typology/`` (in a project, or a folder)."""
    read = {}
    for key, sheet in SHEETS.items():
        path = tables.locate(sheet, place)
        where = place.relative(path) if isinstance(place, tables.paths.Project) else str(path)
        read[key] = (tables.load(path), str(path), where)
    return Inputs(
        initial=check_typology(read["initial"][0], where=read["initial"][1]),
        change_log=check_change_log(read["change_log"][0], where=read["change_log"][1]),
        coding=check_coding(read["coding"][0], where=read["coding"][1]),
        experts=check_experts(read["experts"][0], where=read["experts"][1]),
        files={key: found[2] for key, found in read.items()},
    )


# --- the change log ---------------------------------------------------------------------------


class _Refused(Exception):
    """A change that cannot be applied to the typology as it stands; says why."""


Redirect = tuple[str, str] | None  # (item_id, redirected_to)
Operation = Callable[[pd.DataFrame, pd.Series], tuple[pd.DataFrame, Redirect]]


def _item(typology: pd.DataFrame, item_id: str, role: str = "item_id") -> pd.Series:
    found = typology[typology[ITEM_ID] == item_id]
    if found.empty:
        msg = f"{role} {item_id!r}: no such item in the typology as it stands at this change"
        raise _Refused(msg)
    return found.iloc[0]


def _children(typology: pd.DataFrame, item_id: str) -> pd.DataFrame:
    return typology[typology[PARENT_ID] == item_id]


def _level_above(level: str) -> str | None:
    index = LEVELS.index(level)
    return LEVELS[index - 1] if index else None


def _parent_for(typology: pd.DataFrame, change: pd.Series, level: str) -> str:
    """The ``target`` of a move or add: an item one level above ``level`` (none for themes)."""
    above = _level_above(level)
    if above is None:
        if change[TARGET]:
            msg = f"target {change[TARGET]!r}: a theme has no parent; expected target blank"
            raise _Refused(msg)
        return ""
    if not change[TARGET]:
        msg = f"target is empty: expected the {above} to hold the {level}"
        raise _Refused(msg)
    parent = _item(typology, change[TARGET], "target")
    if parent[LEVEL] != above:
        msg = f"target {change[TARGET]!r} is a {parent[LEVEL]}: a {level} belongs in a {above}"
        raise _Refused(msg)
    return change[TARGET]


def _place(typology: pd.DataFrame, change: pd.Series, parent: str, item_id: str) -> float:
    """Where among ``parent``'s children an item goes: before the ``position``-th, or last."""
    siblings = _children(typology, parent)
    siblings = siblings[siblings[ITEM_ID] != item_id]
    if not change[POSITION]:
        return len(siblings) + 1
    position = int(change[POSITION])
    if position > len(siblings) + 1:
        msg = f"position {position}: expected 1 to {len(siblings) + 1}"
        raise _Refused(msg)
    return position - 0.5


def _check_new_name(typology: pd.DataFrame, name: str, level: str, item_id: str) -> None:
    if not name:
        msg = "new_name is empty: expected the item's name"
        raise _Refused(msg)
    same = typology[
        (typology[LEVEL] == level) & (typology[NAME] == name) & (typology[ITEM_ID] != item_id)
    ]
    if not same.empty:
        msg = f"new_name {name!r}: already the name of {level} {same.iloc[0][ITEM_ID]!r}"
        raise _Refused(msg)


def remove(typology: pd.DataFrame, change: pd.Series) -> tuple[pd.DataFrame, Redirect]:
    """Remove an item without children; its codings go to its parent."""
    item = _item(typology, change[ITEM_ID])
    children = _children(typology, item[ITEM_ID])
    if not children.empty:
        names = ", ".join(repr(n) for n in children[NAME])
        msg = f"{item[LEVEL]} {item[NAME]!r} still holds {names}: remove, move or merge them first"
        raise _Refused(msg)
    kept = typology[typology[ITEM_ID] != item[ITEM_ID]]
    return kept, (item[ITEM_ID], item[PARENT_ID]) if item[PARENT_ID] else None


def move(typology: pd.DataFrame, change: pd.Series) -> tuple[pd.DataFrame, Redirect]:
    """Move an item (with its sub-items) under another parent, at ``position`` or last."""
    item = _item(typology, change[ITEM_ID])
    parent = _parent_for(typology, change, item[LEVEL])
    moved = typology.copy()
    row = moved[ITEM_ID] == item[ITEM_ID]
    moved[POSITION] = moved[POSITION].astype(float)
    moved.loc[row, POSITION] = _place(typology, change, parent, item[ITEM_ID])
    moved.loc[row, PARENT_ID] = parent
    return moved, None


def rename(typology: pd.DataFrame, change: pd.Series) -> tuple[pd.DataFrame, Redirect]:
    """Give an item a new name; its id, place and codings stay."""
    item = _item(typology, change[ITEM_ID])
    if change[NEW_NAME] == item[NAME]:
        msg = f"new_name {change[NEW_NAME]!r}: the item already has this name"
        raise _Refused(msg)
    _check_new_name(typology, change[NEW_NAME], item[LEVEL], item[ITEM_ID])
    renamed = typology.copy()
    renamed.loc[renamed[ITEM_ID] == item[ITEM_ID], NAME] = change[NEW_NAME]
    return renamed, None


def add(typology: pd.DataFrame, change: pd.Series) -> tuple[pd.DataFrame, Redirect]:
    """Add a new item (``level``, ``new_name``, ``definition``, ``example``) under ``target``."""
    if (typology[ITEM_ID] == change[ITEM_ID]).any():
        msg = f"item_id {change[ITEM_ID]!r}: already in the typology; expected a new id"
        raise _Refused(msg)
    if change[LEVEL] not in LEVELS:
        msg = f"level {change[LEVEL]!r}: expected one of {', '.join(map(repr, LEVELS))}"
        raise _Refused(msg)
    parent = _parent_for(typology, change, change[LEVEL])
    _check_new_name(typology, change[NEW_NAME], change[LEVEL], change[ITEM_ID])
    row = {
        ITEM_ID: change[ITEM_ID],
        LEVEL: change[LEVEL],
        NUMBER: "",
        NAME: change[NEW_NAME],
        DEFINITION: change[DEFINITION],
        EXAMPLE: change[EXAMPLE],
        PROVENANCE: change[PROVENANCE],
        TEXT_PROVENANCE: change[TEXT_PROVENANCE],
        PARENT_ID: parent,
        POSITION: _place(typology, change, parent, change[ITEM_ID]),
    }
    grown = typology.copy()
    grown[POSITION] = grown[POSITION].astype(float)
    return pd.concat([grown, pd.DataFrame([row])], ignore_index=True), None


def merge(typology: pd.DataFrame, change: pd.Series) -> tuple[pd.DataFrame, Redirect]:
    """Merge an item into ``target`` (same level): its sub-items and codings go there."""
    item = _item(typology, change[ITEM_ID])
    into = _item(typology, change[TARGET], "target")
    if into[ITEM_ID] == item[ITEM_ID]:
        msg = f"target {change[TARGET]!r}: an item cannot be merged into itself"
        raise _Refused(msg)
    if into[LEVEL] != item[LEVEL]:
        msg = (
            f"target {change[TARGET]!r} is a {into[LEVEL]}: a {item[LEVEL]} merges into "
            f"another {item[LEVEL]}"
        )
        raise _Refused(msg)
    merged = typology[typology[ITEM_ID] != item[ITEM_ID]].copy()
    merged[POSITION] = merged[POSITION].astype(float)
    adopted = merged[PARENT_ID] == item[ITEM_ID]
    last = len(_children(merged, into[ITEM_ID]))
    merged.loc[adopted, POSITION] = last + merged.loc[adopted, POSITION]
    merged.loc[adopted, PARENT_ID] = into[ITEM_ID]
    return merged, (item[ITEM_ID], into[ITEM_ID])


#: The operations a change log may use, by name.
OPERATIONS: dict[str, Operation] = {
    REMOVE: remove,
    MOVE: move,
    RENAME: rename,
    ADD: add,
    MERGE: merge,
}


def apply_change_log(initial: pd.DataFrame, change_log: pd.DataFrame, *, where: str) -> Refinement:
    """Apply the changes in order to the initial typology; renumber after each.

    A change that cannot be applied (an unknown item, a parent at the wrong level, a name
    already taken) is reported with its row, and every such row is listed at once.
    """
    change_log = check_change_log(change_log, where=where)
    typology = initial.copy()
    problems, applied, redirects = [], [], []
    for i, change in change_log.iterrows():
        label = f"{validate.row(i)} ({change[CHANGE_ID]}, {change[OPERATION]} {change[ITEM_ID]!r})"
        before = typology[typology[ITEM_ID] == change[ITEM_ID]]
        try:
            typology, redirect = OPERATIONS[change[OPERATION]](typology, change)
        except _Refused as refused:
            problems.append(f"{label}: {refused}")
            continue
        typology = renumber(typology)
        if redirect:
            redirects.append(
                {ITEM_ID: redirect[0], "redirected_to": redirect[1], CHANGE_ID: change[CHANGE_ID]}
            )
        level = before.iloc[0][LEVEL] if len(before) else change[LEVEL]
        applied.append(
            {
                CHANGE_ID: change[CHANGE_ID],
                OPERATION: change[OPERATION],
                ITEM_ID: change[ITEM_ID],
                LEVEL: level,
                "number_before": before.iloc[0][NUMBER] if len(before) else "",
                "name_before": before.iloc[0][NAME] if len(before) else "",
                REASON: change[REASON],
                PROVENANCE: change[PROVENANCE],
                TEXT_PROVENANCE: change[TEXT_PROVENANCE],
            }
        )
    _problems(where, problems)
    changes = pd.DataFrame(
        applied,
        columns=[
            CHANGE_ID,
            OPERATION,
            ITEM_ID,
            LEVEL,
            "number_before",
            "name_before",
            REASON,
            PROVENANCE,
            TEXT_PROVENANCE,
        ],
    )
    redirected = pd.DataFrame(redirects, columns=[ITEM_ID, "redirected_to", CHANGE_ID])
    return Refinement(typology[list(ITEMS)].reset_index(drop=True), changes, redirected)


def count_changes(changes: pd.DataFrame, operation: str, level: str) -> int:
    """How many applied changes of one kind touched items of one level."""
    return int(((changes[OPERATION] == operation) & (changes[LEVEL] == level)).sum())


def count_level(typology: pd.DataFrame, level: str) -> int:
    return int((typology[LEVEL] == level).sum())


def numbers(
    initial: pd.DataFrame,
    refinement: Refinement,
    experts: pd.DataFrame,
    files: dict[str, str] | None = None,
) -> dict:
    """The numbers the manuscript reports about the typology, under its keys.

    ``files``: where the initial typology, the change log and the experts were read
    (:attr:`Inputs.files`); by default, their CSV files in ``data/raw/typology``.
    """
    from compendium.numbers import sourced

    files = files or {key: f"{sheet.folder}/{sheet.name}.csv" for key, sheet in SHEETS.items()}
    final, changes = refinement.typology, refinement.changes
    initial_file, log_file = files["initial"], files["change_log"]
    experts_file = files["experts"]

    def level(table: pd.DataFrame, where: str, name: str) -> int:
        return sourced(count_level(table, name), table=where, query=f"rows with level '{name}'")

    def changed(operation: str, name: str) -> int:
        return sourced(
            count_changes(changes, operation, name),
            table=log_file,
            query=f"changes applied with operation '{operation}' to a {name}",
        )

    return {
        "typology_initial_themes": level(initial, initial_file, THEME),
        "typology_initial_components": level(initial, initial_file, COMPONENT),
        "typology_initial_subcomponents": level(initial, initial_file, SUB_COMPONENT),
        "subcomponents_removed_by_experts": changed(REMOVE, SUB_COMPONENT),
        "components_moved_by_experts": changed(MOVE, COMPONENT),
        "components_renamed_by_experts": changed(RENAME, COMPONENT),
        "typology_final_themes": level(final, tables.TYPOLOGY_FINAL.relative, THEME),
        "typology_final_components": level(final, tables.TYPOLOGY_FINAL.relative, COMPONENT),
        "typology_final_subcomponents": level(final, tables.TYPOLOGY_FINAL.relative, SUB_COMPONENT),
        "experts_consulted": sourced(len(experts), table=experts_file, query="rows"),
        "expert_countries": sourced(
            int(experts[COUNTRY].nunique()), table=experts_file, query="distinct countries"
        ),
    }


# --- coding and coverage ----------------------------------------------------------------------


def recode(
    coding: pd.DataFrame,
    candidate_components: pd.DataFrame,
    initial: pd.DataFrame,
    refinement: Refinement,
    *,
    where: str,
) -> pd.DataFrame:
    """Each candidate component with the final item its coding now points to.

    ``candidate_components`` is the DAT long list (with ``publication_type``). Every candidate
    component must be coded exactly once, to an item of the initial typology or one the
    experts added; a coding to a removed or merged item follows the change log to the item
    that took its place, and must end on a component or sub-component.
    """
    coding = check_coding(coding, where=where)
    final = refinement.typology.set_index(ITEM_ID)
    known = set(initial[ITEM_ID]) | set(
        refinement.changes.loc[refinement.changes[OPERATION] == ADD, ITEM_ID]
    )
    redirects = dict(
        zip(
            refinement.redirects[ITEM_ID],
            zip(
                refinement.redirects["redirected_to"],
                refinement.redirects[CHANGE_ID],
                strict=True,
            ),
            strict=True,
        )
    )
    listed = set(candidate_components[CANDIDATE_ID])
    problems = [
        f"{validate.row(i)}: candidate_id {value!r}: not in the DAT's candidate components"
        for i, value in coding[CANDIDATE_ID].items()
        if value not in listed
    ]
    uncoded = sorted(listed - set(coding[CANDIDATE_ID]))
    problems += [f"candidate component {value!r}: not coded; expected one row" for value in uncoded]
    rows = []
    for i, row in coding.iterrows():
        item_id, chain = row[ITEM_ID], []
        if item_id not in known:
            problems.append(
                f"{validate.row(i)}: item_id {item_id!r} (candidate {row[CANDIDATE_ID]!r}): "
                "not an item of the initial typology nor one the change log adds"
            )
            continue
        while item_id not in final.index and item_id in redirects and len(chain) < 100:
            item_id, change_id = redirects[item_id]
            chain.append(change_id)
        if item_id not in final.index:
            problems.append(
                f"{validate.row(i)}: item_id {row[ITEM_ID]!r} (candidate {row[CANDIDATE_ID]!r}): "
                "removed by the change log and nothing took its place"
            )
            continue
        level = final.at[item_id, LEVEL]
        if level == THEME:
            problems.append(
                f"{validate.row(i)}: item_id {row[ITEM_ID]!r} (candidate {row[CANDIDATE_ID]!r}) "
                f"leads to theme {final.at[item_id, NAME]!r}: expected a component or "
                "sub-component"
            )
            continue
        component = item_id if level == COMPONENT else final.at[item_id, PARENT_ID]
        rows.append(
            {
                CANDIDATE_ID: row[CANDIDATE_ID],
                CODED_ITEM_ID: row[ITEM_ID],
                ITEM_ID: item_id,
                LEVEL: level,
                NUMBER: final.at[item_id, NUMBER],
                NAME: final.at[item_id, NAME],
                COMPONENT_ID: component,
                REDIRECTED_BY: "; ".join(chain),
            }
        )
    _problems(where, problems)
    kinds = candidate_components[[CANDIDATE_ID, PUBLICATION_ID, PUBLICATION_TYPE]]
    coded = kinds.merge(pd.DataFrame(rows), on=CANDIDATE_ID, how="inner")
    return coded.sort_values(CANDIDATE_ID, kind="stable").reset_index(drop=True)


def redirected(coding: pd.DataFrame) -> pd.DataFrame:
    """The codings the change log moved (to a removed item's parent, or a merge target)."""
    return coding[coding[REDIRECTED_BY] != ""].reset_index(drop=True)


def recoded_table(
    coding: pd.DataFrame, initial: pd.DataFrame, refinement: Refinement
) -> pd.DataFrame:
    """The codings the change log moved, for reading: each candidate component, the item it
    was coded to (as the initial typology, or the change that added it, names it), the final
    item it now counts for, and the changes that moved it."""
    added = refinement.changes[refinement.changes[OPERATION] == ADD]
    names = {
        **dict(zip(initial[ITEM_ID], initial[NUMBER] + " " + initial[NAME], strict=True)),
        **dict(zip(added[ITEM_ID], added[ITEM_ID], strict=True)),
    }
    moved = redirected(coding)
    return pd.DataFrame(
        {
            "Candidate component": moved[CANDIDATE_ID],
            "Publication": moved[PUBLICATION_ID],
            "Coded to (initial typology)": moved[CODED_ITEM_ID].map(names),
            "Now counted for": moved[NUMBER] + " " + moved[NAME],
            "Moved by": moved[REDIRECTED_BY],
        }
    )


def coverage(coding: pd.DataFrame, typology: pd.DataFrame, protocol: Protocol) -> pd.DataFrame:
    """Per final component and sub-component: candidate components and publications mapping to it.

    A component counts what is coded to it or to any of its sub-components, so the components'
    candidate counts add up to the whole long list; a sub-component counts its own codings.
    The publications are counted in all and by type: one column per publication type of the
    protocol, named by its key (:func:`type_columns`).
    """
    columns = type_columns(protocol)
    rows = []
    for _, item in typology[typology[LEVEL] != THEME].iterrows():
        key = COMPONENT_ID if item[LEVEL] == COMPONENT else ITEM_ID
        mapped = coding[coding[key] == item[ITEM_ID]]
        publications = mapped.drop_duplicates(PUBLICATION_ID)
        row = {
            NUMBER: item[NUMBER],
            LEVEL: item[LEVEL],
            NAME: item[NAME],
            CANDIDATE_COMPONENTS: len(mapped),
            PUBLICATIONS: len(publications),
        }
        for kind, column in columns.items():
            row[column] = int((publications[PUBLICATION_TYPE] == kind).sum())
        rows.append(row)
    table = pd.DataFrame(
        rows, columns=[NUMBER, LEVEL, NAME, CANDIDATE_COMPONENTS, PUBLICATIONS, *columns.values()]
    )
    counted = int(table.loc[table[LEVEL] == COMPONENT, CANDIDATE_COMPONENTS].sum()) if rows else 0
    if counted != len(coding):
        msg = (
            f"coverage: the components count {counted} candidate components, but {len(coding)} "
            "are coded: expected every coding to count for exactly one final component"
        )
        raise TypologyError(msg)
    return table


def trace(
    coding: pd.DataFrame, typology: pd.DataFrame, candidates: pd.DataFrame, number: str
) -> tuple[str, pd.DataFrame]:
    """The candidate components behind one final item (by its number), in their own words.

    Returns a line naming the item and how many there are, and the table: each candidate's
    id, publication, text and the changes that moved its coding.
    """
    from compendium.notebooks import one_of

    one_of("item_to_trace", number, typology[NUMBER])
    traced = coding[coding[NUMBER] == number].merge(
        candidates[[CANDIDATE_ID, "candidate_component"]], on=CANDIDATE_ID
    )
    name = typology.set_index(NUMBER).loc[number, NAME]
    line = f"{number} {name}: {len(traced)} candidate components"
    return line, traced[[CANDIDATE_ID, PUBLICATION_ID, "candidate_component", REDIRECTED_BY]]


# --- tables -----------------------------------------------------------------------------------


def _marked(text: str, source: str, mark: str) -> str:
    return f"{text} {mark}" if source == ILLUSTRATIVE and text else text


def table_1(typology: pd.DataFrame) -> pd.DataFrame:
    """Table 1: one row per component, then its sub-components; illustrative items marked.

    A name not stated in the paper carries †, a definition or example not from the paper ‡
    (see :func:`table_1_footnotes`); the study's own typology carries neither.
    """
    themes = typology[typology[LEVEL] == THEME].set_index(ITEM_ID)
    components = typology[typology[LEVEL] == COMPONENT].set_index(ITEM_ID)
    rows = []
    for _, item in typology[typology[LEVEL] != THEME].iterrows():
        component = item if item[LEVEL] == COMPONENT else components.loc[item[PARENT_ID]]
        theme = themes.loc[component[PARENT_ID]]
        name = _marked(item[NAME], item[PROVENANCE], ILLUSTRATIVE_NAME)
        is_component = item[LEVEL] == COMPONENT
        values = (
            f"{theme[NUMBER]} {_marked(theme[NAME], theme[PROVENANCE], ILLUSTRATIVE_NAME)}",
            item[NUMBER],
            name if is_component else "",
            "" if is_component else name,
            _marked(item[DEFINITION], item[TEXT_PROVENANCE], ILLUSTRATIVE_TEXT),
            _marked(item[EXAMPLE], item[TEXT_PROVENANCE], ILLUSTRATIVE_TEXT),
        )
        rows.append(dict(zip(TABLE_1_COLUMNS, values, strict=True)))
    return pd.DataFrame(rows, columns=list(TABLE_1_COLUMNS))


def table_1_footnotes(typology: pd.DataFrame) -> tuple[str, ...]:
    """The footnotes Table 1 needs: one per kind of illustrative entry it holds."""
    notes = []
    if (typology[PROVENANCE] == ILLUSTRATIVE).any():
        notes.append(
            f"{ILLUSTRATIVE_NAME} Illustrative: the paper does not name this item; "
            "the name is part of the demonstration data."
        )
    if (typology[TEXT_PROVENANCE] == ILLUSTRATIVE).any():
        notes.append(
            f"{ILLUSTRATIVE_TEXT} Illustrative: the paper's definition and example text are not "
            "public; this text is part of the demonstration data."
        )
    return tuple(notes)


def before_after(initial: pd.DataFrame, refinement: Refinement) -> pd.DataFrame:
    """Every item before and after the expert consultation, with the change and its reason."""
    final = refinement.typology.set_index(ITEM_ID)
    changes = refinement.changes
    added = changes[changes[OPERATION] == ADD]
    rows = []
    for item_id, level, number, name in [
        *initial[[ITEM_ID, LEVEL, NUMBER, NAME]].itertuples(index=False),
        *added[[ITEM_ID, LEVEL, "number_before", "name_before"]].itertuples(index=False),
    ]:
        own = changes[changes[ITEM_ID] == item_id]
        described = []
        for _, change in own.iterrows():
            what = change[OPERATION]
            if what == MERGE:
                target = refinement.redirects.loc[
                    refinement.redirects[CHANGE_ID] == change[CHANGE_ID], "redirected_to"
                ].iloc[0]
                what = f"merged into {target}"
            described.append(f"{what} ({change[CHANGE_ID]})")
        present = item_id in final.index
        rows.append(
            {
                LEVEL: level,
                "number_before": number,
                "name_before": name,
                "number_after": final.at[item_id, NUMBER] if present else "",
                "name_after": final.at[item_id, NAME] if present else "",
                "change": "; ".join(described) or "none",
                REASON: "; ".join(own[REASON]),
            }
        )
    return pd.DataFrame(rows)


def cnma_label(number: str) -> str:
    """A component's column name for netmeta: ``3.1`` -> ``c3_1`` (a valid R name)."""
    return "c" + number.replace(".", "_")


def cnma_table(
    coding: pd.DataFrame, publications: pd.DataFrame, typology: pd.DataFrame, protocol: Protocol
) -> pd.DataFrame:
    """One row per included publication of the type the database search found, one 0/1 column
    per final component.

    The trials are the publications of the protocol's ``database_search`` type: the records
    the database searches found (in this study, the reports of randomised controlled trials:
    ``trial report``). ``treatment`` joins the labels of the components present with ``+``,
    the form netmeta's ``netcomb()`` and ``discomb()`` read combinations in
    (``sep.comps = "+"``).
    """
    components = typology[typology[LEVEL] == COMPONENT]
    kind = protocol.database_search_type
    trials = sorted(publications.loc[publications[PUBLICATION_TYPE] == kind, PUBLICATION_ID])
    present = set(zip(coding[PUBLICATION_ID], coding[COMPONENT_ID], strict=True))
    rows = []
    for trial in trials:
        flags = {
            cnma_label(number): int((trial, item_id) in present)
            for item_id, number in zip(components[ITEM_ID], components[NUMBER], strict=True)
        }
        treatment = "+".join(label for label, flag in flags.items() if flag)
        rows.append({PUBLICATION_ID: trial, "treatment": treatment, **flags})
    labels = [cnma_label(n) for n in components[NUMBER]]
    return pd.DataFrame(rows, columns=[PUBLICATION_ID, "treatment", *labels])


def cnma_columns(typology: pd.DataFrame, protocol: Protocol) -> pd.DataFrame:
    """What each column of :func:`cnma_table` holds (a row is a publication of the type the
    database search found: the protocol's ``database_search`` type)."""
    kind = protocol.database_search_type
    rows = [
        (
            PUBLICATION_ID,
            f"The {kind}'s id in the screening ledger (as in ESM 2). A row for each included "
            f"{kind}: the publication type of the records the database search found.",
        ),
        (
            "treatment",
            "The final components of the trial's peer support arm, joined by '+', as netmeta's "
            "netcomb() and discomb() read a combination (sep.comps = '+'). The comparator arm "
            "(for example usual care) is not in this table.",
        ),
    ]
    for _, item in typology[typology[LEVEL] == COMPONENT].iterrows():
        rows.append(
            (
                cnma_label(item[NUMBER]),
                f"1 when at least one candidate component of the {kind} is coded to "
                f"component {item[NUMBER]} ({item[NAME]}) or one of its sub-components; else 0.",
            )
        )
    return pd.DataFrame(rows, columns=["column", "meaning"])


def experts_by_country(experts: pd.DataFrame) -> pd.DataFrame:
    counts = experts.groupby(COUNTRY).size().rename("experts").reset_index()
    return counts.sort_values(COUNTRY).reset_index(drop=True)


# --- figures ----------------------------------------------------------------------------------


def coverage_heatmap(
    coverage_table: pd.DataFrame, publications: pd.DataFrame, protocol: Protocol
) -> object:
    """Components by publication type: the share of each type's publications mapping to it.

    One column per publication type of the protocol, in its order, headed by its label and
    how many publications it has. Colour is the share (types differ in size; in this study 26
    trial reports, 9 manuals, 7 change models); each cell shows the count.
    """
    from compendium.render import figure

    kinds = protocol.publication_types
    components = coverage_table[coverage_table[LEVEL] == COMPONENT]
    totals = [int((publications[PUBLICATION_TYPE] == kind.name).sum()) for kind in kinds]
    counts = components[list(type_columns(protocol).values())].to_numpy()
    shares = counts / [max(total, 1) for total in totals]
    fig, ax = figure()
    fig.set_size_inches(4.6, 0.28 * len(components) + 1.2)
    image = ax.imshow(shares, aspect="auto", vmin=0, vmax=1, cmap="Blues")
    for (row, column), count in pd.DataFrame(counts).stack().items():
        colour = "white" if shares[row, column] > 0.6 else "black"
        ax.text(column, row, str(count), ha="center", va="center", fontsize=6.5, color=colour)
    ax.set_xticks(range(len(kinds)))
    ax.set_xticklabels(
        [
            f"{textwrap.fill(kind.label, 12, break_long_words=False)}\n(n = {n})"
            for kind, n in zip(kinds, totals, strict=True)
        ]
    )
    ax.set_yticks(range(len(components)))
    ax.set_yticklabels(
        [f"{n} {name}" for n, name in zip(components[NUMBER], components[NAME], strict=True)]
    )
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.02)
    bar.set_label("share of the type's publications")
    return fig


def overview_figure(typology: pd.DataFrame) -> object:
    """The final typology at a glance: one column per theme, its components and sub-components."""
    from compendium.render import figure

    themes = typology[typology[LEVEL] == THEME]
    fig, ax = figure()
    fig.set_size_inches(7.0, 3.6)
    ax.set_axis_off()
    ax.set_xlim(0, len(themes))
    lines_per_theme = [
        len(typology[typology[NUMBER].str.startswith(f"{n}.")]) for n in themes[NUMBER]
    ]
    depth = max(lines_per_theme, default=0) + 2
    ax.set_ylim(depth, 0)
    colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    for column, (_, theme) in enumerate(themes.iterrows()):
        colour = colours[column % len(colours)]
        ax.text(
            column + 0.5,
            0.6,
            f"{theme[NUMBER]} {theme[NAME]}",
            ha="center",
            va="center",
            fontsize=8,
            weight="bold",
            color="white",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": colour, "edgecolor": colour},
        )
        line = 1.8
        members = typology[typology[NUMBER].str.startswith(f"{theme[NUMBER]}.")]
        for _, item in members.iterrows():
            is_component = item[LEVEL] == COMPONENT
            ax.text(
                column + (0.06 if is_component else 0.14),
                line,
                f"{item[NUMBER]} {item[NAME]}",
                ha="left",
                va="center",
                fontsize=6.5 if is_component else 5.8,
                color="black" if is_component else "#444444",
                style="normal" if is_component else "italic",
            )
            line += 1
    return fig
