"""Reading screening tools' exports into one shape: the records, and who decided what.

A team screens in Rayyan, Covidence, ASReview, EPPI-Reviewer or Abstrackr, and the
compendium's screening sheets need each reviewer's decision on each record. This package
reads what those tools export, recognising the tool from the file's content
(:mod:`~compendium.screening_tools.recognise`), into a :class:`ToolExport`: a ``records``
table (one row per record, with the tool's own key and, where the tool carried it, the
compendium's record id) and a ``votes`` table (one row per decision, in the compendium's
words ``include`` / ``exclude`` / ``maybe``). Matching the records to the compendium's and
writing the sheets is the caller's business.

Examples
--------
>>> from compendium.screening_tools import read_tool_export  # doctest: +SKIP
>>> export = read_tool_export(["articles.csv", "customizations_log.csv"])  # doctest: +SKIP
>>> export.tool, len(export.records), export.votes["decision"].value_counts()  # doctest: +SKIP

The ``README.md`` beside this file says, tool by tool, where the decisions are, which field
carries a compendium record id through the tool (and the evidence for it), and what each
round trip was checked against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from compendium.screening_tools import abstrackr, asreview, covidence, eppi, rayyan
from compendium.screening_tools import recognise as r
from compendium.screening_tools.schema import (
    DECISIONS,
    NOTE_COLUMNS,
    RECORD_COLUMNS,
    TOOLS,
    VOTE_COLUMNS,
    DamagedExport,
    ExportsDisagree,
    NotAToolExport,
    Problem,
    Problems,
    ToolExport,
    ToolExportError,
)
from compendium.screening_tools.writer import write_records_for_tools

__all__ = [
    "DECISIONS",
    "NOTE_COLUMNS",
    "RECORD_COLUMNS",
    "TOOLS",
    "VOTE_COLUMNS",
    "DamagedExport",
    "ExportsDisagree",
    "NotAToolExport",
    "Problem",
    "ToolExport",
    "ToolExportError",
    "read_tool_export",
    "recognise_tool",
    "write_records_for_tools",
]

_READERS = {
    "rayyan": lambda sources, lists: rayyan.read(sources),
    "covidence": covidence.read,
    "asreview": lambda sources, lists: asreview.read(sources),
    "eppi-reviewer": lambda sources, lists: eppi.read(sources),
    "abstrackr": lambda sources, lists: abstrackr.read(sources),
}


def recognise_tool(path: Path | str) -> str | None:
    """The tool whose export ``path`` is, from its content (see
    :mod:`~compendium.screening_tools.recognise`), or None."""
    found = r.recognise(path)
    return None if found is None else found.tool


def read_tool_export(
    paths: Path | str | Sequence[Path | str],
    *,
    tool: str | None = None,
    lists: Mapping[str | Path, str] | None = None,
) -> ToolExport:
    """Read one screening tool's export: one file, or several that belong together.

    Parameters
    ----------
    paths
        The file, or the files of one export: Rayyan's articles file (CSV, RIS or BibTeX)
        with its ``customizations_log.csv``; EPPI-Reviewer's XLSX with its RIS; the
        Covidence lists (CSV or RIS) of one review.
    tool
        ``rayyan``, ``covidence``, ``asreview``, ``eppi-reviewer`` or ``abstrackr``, for
        files whose content does not say (a file that says another tool is refused).
    lists
        Covidence: the list each file was exported as (``included``, ``irrelevant``,
        ``excluded``), by path or file name, for files not named as Covidence names them
        (``review_<id>_<list>_csv_<stamp>.csv``).

    Raises
    ------
    NotAToolExport
        A file is no tool's export (each such file listed, with what was looked for), or
        the files are from different tools.
    DamagedExport
        A file of a tool's export does not parse: every problem listed with its file, line
        or row, value, and what was expected.
    ExportsDisagree
        Files of one export tell different stories (Rayyan's notes and log, EPPI-Reviewer's
        sheet and RIS), every disagreement listed.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        msg = "no file given: expected a screening tool's export"
        raise NotAToolExport(msg)
    if tool is not None and tool not in TOOLS:
        problem = Problem("tool", None, tool, "one of " + ", ".join(TOOLS))
        raise NotAToolExport(f"unknown tool {tool!r}", [problem])
    found = {path: r.recognise(path) for path in paths}
    problems = Problems()
    for path, source in found.items():
        if source is not None and tool is not None and source.tool != tool:
            problems.add(
                path, None, source.tool, f"an export of {tool} (its content is {source.tool}'s)"
            )
    tools = {source.tool for source in found.values() if source is not None}
    if len(tools) > 1:
        named = [f"{p.name} ({src.tool})" for p, src in found.items() if src is not None]
        problems.add(paths[0], None, named, "the files of one tool's export")
    problems.raise_if_any(NotAToolExport, "not one screening tool's export")
    chosen = tool or (tools.pop() if tools else None)
    sources = []
    for path, source in found.items():
        if source is None and chosen is not None:
            source = r.fallback_kind(path, chosen)
        if source is None:
            expected = r.describe_rules()
            if chosen is not None:
                expected = f"a file {chosen} exports ({', '.join(r.KINDS[chosen])})"
            problems.add(path, "line 1", r.first_line(path), expected)
        else:
            sources.append(source)
    problems.raise_if_any(NotAToolExport, "not a screening tool's export")
    return _READERS[chosen](sources, lists or {})
