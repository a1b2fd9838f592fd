"""ASReview LAB: the exported dataset (LAB 1.x and LAB 2, CSV, TSV or XLSX) and the
``.asreview`` project file.

ASReview keeps every column of the imported file and adds its own, named ``asreview_...``:

- *LAB 1.x* writes the label into the imported file's label column (``included``, or the
  first of ASReview's other names for it the file has: ``label``, ``final_included``,
  ``label_included``, ...) as ``1`` (relevant), ``0`` (irrelevant) or empty (not seen), adds
  ``asreview_ranking`` (1...N, labelled records first) and puts ``record_id`` first.
- *LAB 2* (``asreview/webapp/_api/projects.py``, ``api_export_dataset``) writes the imported
  columns, then ``asreview_label``, ``asreview_time`` (``%Y-%m-%d %H:%M:%S``, UTC: pandas
  from Unix seconds), ``asreview_note``, a ``asreview_tag_<group>_<tag>`` column per tag
  (1 = checked), and, on a server with accounts, ``asreview_user_name`` and
  ``asreview_user_email``; the first column is the record id (the frame's index, written
  with an empty name). No real LAB 2 CSV was available: the reader follows that source, and
  labels are read as ``1``/``0`` or pandas' ``1.0``/``0.0`` (a label column with empty
  cells is a float column).
- *The project file* is a ZIP archive: ``project.json``, ``data_store.db`` (SQLite table
  ``record``: one row per record, with ``dataset_row``, its row in the imported file under
  ``data/``) and ``reviews/<id>/results.db`` (table ``results``: ``record_id, label, time``
  (Unix seconds), ``note, tags, user_id``). It is read in memory, nothing extracted. A
  ``results`` row with a NULL label is a record shown but not yet labelled: no vote. The
  ``included`` column of ``data_store.db`` is the imported file's own labels, not the
  review's, and gives no vote. LAB 1.x project files (``results.sql``) are refused with a
  message: LAB 2 upgrades them.

Decisions: ``1`` include, ``0`` exclude. ASReview has no stages; LAB 1 names no screener
(reviewer missing); the project file names a screener only by ``user_id`` (``user <n>``).

The compendium id: a ``compendium_record_id`` column of the imported file (any case), or
the marker in any of its cells (a RIS file's notes or keywords).
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from collections.abc import Sequence
from pathlib import Path

from compendium.io import read_input_bytes, read_input_text, read_sheet_table
from compendium.readers import csv_exports
from compendium.readers.ris import parse_ris
from compendium.screening import EXCLUDE, INCLUDE
from compendium.screening_tools import recognise as r
from compendium.screening_tools import schema as s
from compendium.screening_tools.common import (
    Found,
    csv_rows,
    iso_time,
    one_compendium_id,
    pairs_of,
    records_frame,
    sqlite_from_bytes,
    unix_time,
)

__all__ = ["read"]

LABELS: dict[str, str] = {"1": INCLUDE, "0": EXCLUDE, "1.0": INCLUDE, "0.0": EXCLUDE}
# ASReview's names for the label column, in the order it looks for them
LABEL_COLUMNS = (
    "included",
    "label",
    "final_included",
    "label_included",
    "included_label",
    "included_final",
    "included_flag",
    "include",
)
COMPENDIUM_COLUMN = "compendium_record_id"
_TAG = re.compile(r"^asreview_tag_(.+)$")
_GENERIC = next(p for p in csv_exports.PROFILES if p.name == "generic")


def _fields_by_names(header: Sequence[str], cells: Sequence[str]) -> dict[str, object]:
    """Record fields from the generic CSV layout's column names (any case)."""
    index = {name.strip().lower(): i for i, name in enumerate(header)}
    fields: dict[str, object] = {}
    for column, names in _GENERIC.fields.items():
        for name in names:
            i = index.get(name)
            if i is not None and i < len(cells) and cells[i].strip():
                fields[column] = cells[i]
                break
    authors = fields.get(s.AUTHORS)
    if isinstance(authors, str):
        separator = " and " if ";" not in authors and " and " in authors else ";"
        fields[s.AUTHORS] = [a for a in authors.split(separator) if a.strip()]
    return fields


def _rows(
    source: r.Source, problems: s.Problems
) -> tuple[list[str], list[tuple[str, int, list[str]]], str | None]:
    """The header and the rows (where, number, cells) of an exported dataset."""
    path = source.path
    if path.suffix.lower() == ".xlsx" or source.kind == r.XLSX:
        table = read_sheet_table(path)
        header = [str(c) for c in table.columns]
        rows = [
            (s.row(n), n, list(cells))
            for n, cells in zip(table.index, table.to_numpy().tolist(), strict=True)
        ]
        return header, rows, None
    text = read_input_text(path)
    found = csv_rows(text, path, delimiter=source.delimiter)
    if not found:
        problems.add(path, "line 1", "", "a header row")
        return [], [], text
    header = [c.strip() for c in found[0][1]]
    return header, [(s.line(n), n, cells) for n, cells in found[1:]], text


def _dataset(source: r.Source, problems: s.Problems) -> s.ToolExport:
    path = source.path
    header, rows, text = _rows(source, problems)
    lab2 = source.kind == r.ASREVIEW_LAB2
    lowered = [h.lower() for h in header]
    if lab2:
        key_column = 0
        label = lowered.index("asreview_label") if "asreview_label" in lowered else None
    else:
        key_column = lowered.index("record_id") if "record_id" in lowered else None
        label = next((lowered.index(n) for n in LABEL_COLUMNS if n in lowered), None)
        if key_column is None:
            problems.add(path, "line 1", header[:5], "a record_id column, as ASReview LAB 1 writes")
    if label is None:
        names = "asreview_label" if lab2 else " or ".join(LABEL_COLUMNS)
        problems.add(path, "line 1", header[-5:], f"a label column ({names})")
    problems.raise_if_any(s.DamagedExport, f"{path}: not an ASReview dataset export")

    def column(name: str) -> int | None:
        return lowered.index(name) if name in lowered else None

    time_c, note_c = column("asreview_time"), column("asreview_note")
    user_c = column("asreview_user_name")
    email_c = column("asreview_user_email")
    marker_c = column(COMPENDIUM_COLUMN)
    tags = [(i, _TAG.match(h).group(1)) for i, h in enumerate(header) if _TAG.match(h)]
    # The imported file's columns, read by the compendium's CSV reader where it knows them.
    parsed = None
    if text is not None and csv_exports.recognise(text) is not None:
        parsed = csv_exports.parse_csv(text, path=path)
        if len(parsed) != len(rows):
            parsed = None  # rows counted differently: fall back on the generic names
    found_all, votes, notes = [], [], []
    keys: dict[str, str] = {}
    for n, (where, number, cells) in enumerate(rows):
        cells = [("" if c is None else str(c)) for c in cells]
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.add(path, where, len(cells), f"at most {len(header)} cells, as the header")
            continue
        cells += [""] * (len(header) - len(cells))
        key = cells[key_column].strip()
        if not key:
            problems.add(
                path, where, key, "a record id in the first column" if lab2 else "a record_id"
            )
            continue
        if key in keys:
            problems.add(path, where, key, f"each record id once (also at {keys[key]})")
            continue
        keys[key] = where
        fields = dict(parsed[n].fields) if parsed is not None else _fields_by_names(header, cells)
        value = cells[label].strip()
        if value and value not in LABELS:
            problems.add(
                path, where, value, f"{header[label]}: 1 (relevant), 0 (irrelevant) or empty"
            )
            continue
        marked = [cells[marker_c]] if marker_c is not None and cells[marker_c].strip() else []
        found = Found(
            tool_key=key,
            fields=fields,
            pairs=list(zip(header, cells, strict=True)),
            source_file=path.name,
            line=number,
            labels=tuple(name for i, name in tags if cells[i].strip() in ("1", "1.0")),
        )
        if marked:
            found.compendium_id = marked[0].strip()
        else:
            found.compendium_id = one_compendium_id(cells, problems, path, where)
        found_all.append(found)
        reviewer = None
        if user_c is not None and cells[user_c].strip():
            reviewer = cells[user_c].strip()
        elif email_c is not None and cells[email_c].strip():
            reviewer = cells[email_c].strip()
        time = iso_time(cells[time_c], utc=True) if time_c is not None else None
        if value:
            votes.append(
                {
                    s.TOOL_KEY: key,
                    s.REVIEWER: reviewer,
                    s.DECISION: LABELS[value],
                    s.TIME: time,
                    s.FILE: path.name,
                    s.LINE: number,
                }
            )
        if note_c is not None and cells[note_c].strip():
            notes.append(
                {
                    s.TOOL_KEY: key,
                    s.REVIEWER: reviewer,
                    s.FIELD: header[note_c],
                    s.TEXT: cells[note_c],
                    s.TIME: time,
                    s.FILE: path.name,
                    s.LINE: number,
                }
            )
    problems.raise_if_any(s.DamagedExport, f"{path}: an ASReview export that does not parse")
    return _export([source], found_all, votes, notes)


def _export(sources, found, votes, notes, warnings=()) -> s.ToolExport:
    warnings = list(warnings)
    if not votes:
        name = sources[0].path.name
        warnings.append(f"{name}: no record is labelled: every record is left with no decision")
    return s.ToolExport(
        tool=s.ASREVIEW,
        files=tuple(src.path for src in sources),
        records=records_frame(found),
        votes=s.frame(votes, s.VOTE_COLUMNS),
        notes=s.frame(notes, s.NOTE_COLUMNS),
        warnings=tuple(warnings),
    )


# --- the project file -----------------------------------------------------------------------


def _json_list(value: object) -> list:
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        loaded = json.loads(value)
    except json.JSONDecodeError:
        return [value]
    return loaded if isinstance(loaded, list) else [loaded]


def _dataset_ids(
    archive: zipfile.ZipFile, name: str, member: str, problems: s.Problems
) -> dict[int, str | None] | None:
    """Each row of the imported file (0-based, as ASReview counts ``dataset_row``) and the
    compendium id it carries; None for a format not read here."""
    data = archive.read(member)
    text = data.decode("utf-8-sig", errors="replace")
    where = f"{name}/{member}"
    ids: dict[int, str | None] = {}
    suffix = Path(member).suffix.lower()
    if suffix in (".csv", ".tsv", ".tab", ".txt") and not text.lstrip().startswith("TY  -"):
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
        rows = csv_rows(text, Path(where), delimiter=delimiter)
        if not rows:
            return ids
        header = [h.strip().lower() for h in rows[0][1]]
        marker = header.index(COMPENDIUM_COLUMN) if COMPENDIUM_COLUMN in header else None
        for n, (line, cells) in enumerate(rows[1:]):
            if marker is not None and marker < len(cells) and cells[marker].strip():
                ids[n] = cells[marker].strip()
            else:
                ids[n] = one_compendium_id(cells, problems, where, s.line(line))
        return ids
    if suffix in (".ris", ".txt"):
        for n, record in enumerate(parse_ris(text, path=Path(where))):
            values = [value for _, value in pairs_of(record)]
            ids[n] = one_compendium_id(values, problems, where, s.line(record.line))
        return ids
    return None


def _damaged(summary: str, file: str, where: str | None, value: object, expected: str):
    return s.DamagedExport(summary, [s.Problem(file, where, value, expected)])


def _query(data: bytes, member: str, sql: str, expected: str) -> list[tuple]:
    """The rows an SQL query gives on a database member of the project, read in memory."""
    with sqlite_from_bytes(data, member) as db:
        try:
            return db.execute(sql).fetchall()
        except sqlite3.DatabaseError as error:
            raise _damaged(
                f"{member}: not what ASReview writes", member, None, str(error), expected
            ) from None


_RECORDS_SQL = (
    "SELECT record_id, dataset_row, title, abstract, authors, keywords, year, doi, url"
    " FROM record ORDER BY record_id"
)
_RESULTS_SQL = (
    "SELECT rowid, record_id, label, time, note, tags, user_id FROM results ORDER BY rowid"
)
_STORE_COLUMNS = (
    "record_id",
    "dataset_row",
    "title",
    "abstract",
    "authors",
    "keywords",
    "year",
    "doi",
    "url",
)


def _store_records(rows: list[tuple], store: str, ids: dict[int, str | None]) -> list[Found]:
    found = []
    for row in rows:
        record_id, dataset_row, title, abstract, authors, _keywords, year, doi, _url = row
        fields = {
            s.TITLE: title,
            s.ABSTRACT: abstract,
            s.AUTHORS: [str(a) for a in _json_list(authors)] or None,
            s.YEAR: year,
            s.DOI: doi,
        }
        pairs = [[n, "" if v is None else str(v)] for n, v in zip(_STORE_COLUMNS, row, strict=True)]
        found.append(
            Found(
                tool_key=str(record_id),
                fields=fields,
                pairs=pairs,
                source_file=store,
                line=None,  # a table row, not a line: the tool_key (record_id) says which
                compendium_id=ids.get(dataset_row),
            )
        )
    return found


def _checked_tags(tags: object) -> list[str]:
    """The tags a results row has checked, as ``<group>: <tag>``."""
    checked = []
    for group in _json_list(tags):
        if isinstance(group, dict):
            for tag in group.get("values") or []:
                if isinstance(tag, dict) and tag.get("checked"):
                    checked.append(f"{group.get('label')}: {tag.get('label')}")
    return checked


def _results(rows, keys, where_db, problems, votes, notes, labels) -> None:
    for rowid, record_id, label, time, note, tags, user_id in rows:
        key, where = str(record_id), s.row(rowid)
        if key not in keys:
            problems.add(where_db, where, record_id, "a record_id of data_store.db")
            continue
        if label is not None and str(label) not in LABELS:
            expected = "label 1 (relevant), 0 (irrelevant) or NULL (not yet labelled)"
            problems.add(where_db, where, label, expected)
            continue
        said = {
            s.TOOL_KEY: key,
            s.REVIEWER: None if user_id is None else f"user {user_id}",
            s.TIME: unix_time(time),
            s.FILE: where_db,
            s.LINE: rowid,
        }
        if label is not None:
            votes.append({**said, s.DECISION: LABELS[str(label)]})
        if note:
            notes.append({**said, s.FIELD: "note", s.TEXT: note})
        labels.setdefault(key, []).extend(_checked_tags(tags))


def _project(source: r.Source, problems: s.Problems) -> s.ToolExport:
    path = source.path
    name = path.name
    warnings: list[str] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(read_input_bytes(path)))
    except zipfile.BadZipFile as error:
        raise _damaged(
            f"{path}: not a ZIP archive", name, None, str(error), "a project file"
        ) from None
    with archive:
        members = set(archive.namelist())
        try:
            config = json.loads(archive.read("project.json"))
        except (KeyError, json.JSONDecodeError) as error:
            expected = "the project's settings as JSON"
            raise _damaged(
                f"{path}: no readable project.json", name, "project.json", str(error), expected
            ) from None
        version = str(config.get("version", ""))
        if version.startswith(("0.", "1.")) or "data_store.db" not in members:
            expected = (
                "an ASReview LAB 2 project (LAB 2 opens and upgrades an older one; or export "
                "its dataset as CSV)"
            )
            raise _damaged(
                f"{path}: an older ASReview project", name, "project.json", version, expected
            )
        datasets = config.get("datasets") or []
        ids: dict[int, str | None] | None = None
        member = f"data/{datasets[0].get('name', '')}" if datasets else None
        if member is not None and member in members:
            ids = _dataset_ids(archive, name, member, problems)
        if ids is None:
            warnings.append(
                f"{name}: its imported file ({member}) is not read here: no compendium ids"
            )
        store = f"{name}/data_store.db"
        stored = _query(
            archive.read("data_store.db"),
            store,
            _RECORDS_SQL,
            "a table record(record_id, dataset_row, title, ...)",
        )
        found = _store_records(stored, store, ids or {})
        keys = {f.tool_key for f in found}
        votes: list[dict] = []
        notes: list[dict] = []
        labels: dict[str, list[str]] = {}
        for review in config.get("reviews") or []:
            results = f"reviews/{review.get('id')}/results.db"
            if results not in members:
                problems.add(name, None, results, "the results of each review project.json lists")
                continue
            where_db = f"{name}/{results}"
            rows = _query(
                archive.read(results),
                where_db,
                _RESULTS_SQL,
                "a table results(record_id, label, time, note, tags, user_id)",
            )
            _results(rows, keys, where_db, problems, votes, notes, labels)
    for f in found:
        f.labels = tuple(labels.get(f.tool_key, ()))
    problems.raise_if_any(s.DamagedExport, f"{path}: an ASReview project that does not parse")
    return _export([source], found, votes, notes, warnings)


def read(sources: Sequence[r.Source]) -> s.ToolExport:
    """Read one ASReview export (a dataset export or a project file)."""
    if len(sources) != 1:
        names = [src.path.name for src in sources]
        problem = s.Problem(names[0], None, names, "one ASReview export at a time")
        raise s.DamagedExport("ASReview export", [problem])
    problems = s.Problems()
    source = sources[0]
    if source.kind == r.PROJECT:
        return _project(source, problems)
    return _dataset(source, problems)
