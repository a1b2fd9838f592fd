"""Imitations of what each screening tool does with the records it imports and how it
exports them, for round trips through our readers. None is the real tool: each follows the
source named in its docstring (the tool's code, or its real exports in ../shared/external).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import openpyxl

# The schemas of ASReview LAB 2's project files, as the real demo project
# (asreview/asreview tests/asreview_files/asreview-demo-project-v2.asreview) holds them.
_RECORD_TABLE = """CREATE TABLE record (
    dataset_row INTEGER NOT NULL, dataset_id VARCHAR NOT NULL, duplicate_of INTEGER,
    title VARCHAR NOT NULL, abstract VARCHAR NOT NULL, authors JSON NOT NULL,
    keywords JSON NOT NULL, year INTEGER, doi VARCHAR, url VARCHAR, included INTEGER,
    record_id INTEGER NOT NULL, PRIMARY KEY (record_id), UNIQUE (dataset_row, dataset_id))"""
_RESULTS_TABLE = """CREATE TABLE results (record_id INTEGER UNIQUE, label INTEGER,
    classifier TEXT, querier TEXT, balancer TEXT, feature_extractor TEXT, training_set INTEGER,
    time FLOAT, note TEXT, tags JSON, user_id INTEGER)"""
_CHANGES_TABLE = (
    "CREATE TABLE decision_changes (record_id INTEGER, label INTEGER, time FLOAT, user_id INTEGER)"
)


def _database(statements: list[str], rows: dict[str, list[tuple]]) -> bytes:
    connection = sqlite3.connect(":memory:")
    try:
        for statement in statements:
            connection.execute(statement)
        for table, values in rows.items():
            if values:
                marks = ",".join("?" * len(values[0]))
                connection.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def asreview_project(
    path: Path,
    *,
    dataset: tuple[str, str],
    records: list[dict],
    results: list[tuple],
    version: str = "2.0",
) -> Path:
    """A LAB 2 project file: ``results`` rows are ``(record_id, label, time, note, tags,
    user_id)``; ``records`` give ``record_id``, ``dataset_row`` and ``title``."""
    dataset_name, dataset_text = dataset
    store = _database(
        [_RECORD_TABLE],
        {
            "record": [
                (
                    r["dataset_row"],
                    "d1",
                    None,
                    r["title"],
                    r.get("abstract", ""),
                    json.dumps(r.get("authors", [])),
                    "[]",
                    r.get("year"),
                    r.get("doi"),
                    None,
                    r.get("included"),
                    r["record_id"],
                )
                for r in records
            ]
        },
    )
    review = _database(
        [_RESULTS_TABLE, _CHANGES_TABLE],
        {
            "results": [
                (rid, label, None, "max", None, None, None, t, note, tags, user)
                for rid, label, t, note, tags, user in results
            ]
        },
    )
    config = {
        "version": version,
        "id": "p1",
        "mode": "oracle",
        "name": path.stem,
        "reviews": [{"id": "r1", "status": "review"}],
        "datasets": [{"id": "d1", "name": dataset_name}],
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.json", json.dumps(config))
        archive.writestr(f"data/{dataset_name}", dataset_text)
        archive.writestr("data_store.db", store)
        archive.writestr("reviews/r1/results.db", review)
    return path


# --- parsing our own RIS and CSV, as the tools would ----------------------------------------
def ris_records(text: str) -> list[list[tuple[str, str]]]:
    """Our RIS as (tag, value) pairs per record."""
    records, current = [], []
    for line in text.split("\n"):
        if len(line) >= 6 and line[2:6] == "  - ":
            tag, value = line[:2], line[6:]
            if tag == "ER":
                records.append(current)
                current = []
            else:
                current.append((tag, value))
    return records


def csv_records(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def _csv(rows: list[list[str]], *, lineterminator: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue()


# --- ASReview ---------------------------------------------------------------------------------
def asreview_lab1_export(csv_text: str, labels: dict[int, int]) -> str:
    """LAB 1.x ``ASReviewData.to_dataframe``: ``record_id`` (the row) first, the imported
    columns, the label column ``included`` (1, 0, empty), ``asreview_ranking``, labelled first;
    written by pandas with CRLF on Windows (as the META-Energy export)."""
    header, rows = csv_records(csv_text)
    order = sorted(range(len(rows)), key=lambda i: (i not in labels, i))
    out = [["record_id", *header, "included", "asreview_ranking"]]
    for rank, i in enumerate(order, start=1):
        out.append([str(i), *rows[i], str(labels.get(i, "")), str(rank)])
    return _csv(out, lineterminator="\r\n")


def asreview_lab2_export(csv_text: str, labels: dict[int, int], user: str) -> str:
    """LAB 2 ``api_export_dataset``: the imported columns joined with the results (prefixed
    ``asreview_``) on the record id, written with the index (unnamed) first; relevant, then
    not seen, then irrelevant."""
    header, rows = csv_records(csv_text)
    out = [["", *header, "asreview_label", "asreview_time", "asreview_note", "asreview_user_name"]]
    order = [i for i in range(len(rows)) if labels.get(i) == 1]
    order += [i for i in range(len(rows)) if i not in labels]
    order += [i for i in range(len(rows)) if labels.get(i) == 0]
    for i in order:
        label = labels.get(i)
        seen = label is not None
        out.append(
            [
                str(i),
                *rows[i],
                f"{float(label)}" if seen else "",
                "2025-05-01 12:00:00" if seen else "",
                "",
                user if seen else "",
            ]
        )
    return _csv(out)


# --- Abstrackr --------------------------------------------------------------------------------
def abstrackr_export(ris_text: str, labels: dict[int, int], user: str) -> str:
    """Abstrackr's RIS import (``xml_to_sql.ris_to_d``: title, authors, journal, keywords and
    abstract kept; the record's position as its source id) and its labels export layout."""
    header = [
        "(internal) id",
        "(source) id",
        "pubmed id",
        "keywords",
        "abstract",
        "title",
        "journal",
        "authors",
        "tags",
        "consensus",
        "labeled_at",
        user,
        "labeled_at",
    ]
    labelled, unlabelled = [header], []
    for n, pairs in enumerate(ris_records(ris_text), start=1):
        get = {}
        for tag, value in pairs:
            get.setdefault(tag, []).append(value)
        cells = [
            str(1000 + n),
            str(n),
            "0",
            ",".join(get.get("KW", [])),
            (get.get("AB") or [""])[0],
            (get.get("TI") or [""])[0],
            (get.get("T2") or [""])[0],
            " and ".join(get.get("AU", [])),
        ]
        if n in labels:
            labelled.append([*cells, "", "o", "", str(labels[n]), "2024-08-15 08:42:23"])
        else:
            unlabelled.append(cells)
    return _csv([*labelled, ["citations that are not yet labeled by anyone"], *unlabelled])


# --- Rayyan -----------------------------------------------------------------------------------
def rayyan_ris_export(ris_text: str, decisions: dict[int, dict[str, str]]) -> str:
    """Rayyan's RIS export: its own ``AN rayyan-<id>``, the keywords kept, the imported ``N1``
    as the first section of its notes (SOURCE.md §1.1; asreview/ris_issue_992.txt)."""
    lines = []
    for n, pairs in enumerate(ris_records(ris_text), start=1):
        lines += ["TY  - JOUR", f"AN  - rayyan-{5000 + n}"]
        notes = [value for tag, value in pairs if tag == "N1"]
        lines += [
            f"{tag}  - {value}"
            for tag, value in pairs
            if tag in ("TI", "AU", "PY", "KW", "AB", "DO")
        ]
        if n in decisions:
            inclusion = ", ".join(f'"{k}"=>"{v}"' for k, v in decisions[n].items())
            notes.append(f"RAYYAN-INCLUSION: {{{inclusion}}}")
        if notes:
            lines.append(f"N1  -  {' | '.join(notes)}")
        lines += ["ER  -", ""]
    return "\n".join(lines)


# --- Covidence --------------------------------------------------------------------------------
COVIDENCE_HEADER = [
    "Title",
    "Authors",
    "Abstract",
    "Published Year",
    "Published Month",
    "Journal",
    "Volume",
    "Issue",
    "Pages",
    "Accession Number",
    "DOI",
    "Ref",
    "Covidence #",
    "Study",
    "Notes",
    "Tags",
]


def covidence_list_export(ris_text: str, numbers: list[int]) -> str:
    """A Covidence list export of the records at ``numbers`` (1-based): the imported ``AN``
    kept as ``Accession Number`` (as the real Nipah and Ebola exports show)."""
    rows = [COVIDENCE_HEADER]
    for n, pairs in enumerate(ris_records(ris_text), start=1):
        if n not in numbers:
            continue
        get = {}
        for tag, value in pairs:
            get.setdefault(tag, []).append(value)
        first = (get.get("AU") or ["Anon"])[0].split(",")[0]
        year = (get.get("PY") or [""])[0]
        rows.append(
            [
                (get.get("TI") or [""])[0],
                "; ".join(get.get("AU", [])),
                (get.get("AB") or [""])[0],
                year,
                "",
                (get.get("T2") or [""])[0],
                "",
                "",
                "",
                (get.get("AN") or [""])[0],
                (get.get("DO") or [""])[0],
                "",
                f"#{n}",
                f"{first} {year}",
                "",
                "",
            ]
        )
    return _csv(rows)


# --- EPPI-Reviewer ----------------------------------------------------------------------------
def eppi_export(ris_text: str, included: dict[int, str], folder: Path) -> tuple[Path, Path]:
    """EPPI-Reviewer's RIS (``U1`` its ItemId, its ``eppi-reviewer`` keyword, the imported
    keywords kept, as the real baseline export) and its coding report XLSX."""
    lines = []
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(["Included", "ID", "ShortTitle", "Title", "Year"])
    for n, pairs in enumerate(ris_records(ris_text), start=1):
        get = {}
        for tag, value in pairs:
            get.setdefault(tag, []).append(value)
        item = 102199000 + n
        title, year = (get.get("TI") or [""])[0], (get.get("PY") or [""])[0]
        lines += ["TY  - JOUR", f"T1  - {title}", "KW  - eppi-reviewer"]
        lines += [f"KW  - {k}" for k in get.get("KW", [])]
        lines += [f"PY  - {year}", f"U1  - {item}", "N1  - ", "ER  - ", ""]
        if n in included:
            sheet.append([included[n], item, f"X ({year})", title, year])
    ris, xlsx = folder / "eppi.ris", folder / "eppi.xlsx"
    ris.write_text("\n".join(lines), encoding="utf-8")
    workbook.save(xlsx)
    return xlsx, ris
