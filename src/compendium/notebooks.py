"""Reading a notebook's ``parameters`` cell and normalising executed notebooks.

papermill injects parameters but only warns about a name the notebook does not declare, and
its ``inspect_notebook`` returns defaults as source text. Our notebooks hold plain literals in
their parameters cell, so :mod:`ast` gives the exact names, values and types, and a wrong
override can be refused before anything runs.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from compendium.errors import ParameterError

if TYPE_CHECKING:
    from nbformat import NotebookNode

PARAMETERS_TAG = "parameters"


def cells(notebook: Path) -> list[dict]:
    """The notebook's cells, each with its ``source`` as one string.

    Read as plain JSON: importing nbformat costs a second, and a run with nothing to do
    should not pay it.
    """
    found = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    for cell in found:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return found


def parameters(notebook: Path) -> dict[str, object]:
    """Names and default values of the notebook's one ``parameters`` cell, in order."""
    tagged = [
        cell
        for cell in cells(notebook)
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", [])
    ]
    if len(tagged) != 1:
        msg = f"{notebook}: {len(tagged)} cells tagged 'parameters': expected exactly one"
        raise ParameterError(msg)
    source = tagged[0]["source"]
    declared: dict[str, object] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # a docstring-like comment
            line = ast.get_source_segment(source, node)
            msg = f"{notebook}: parameters cell: {line!r}: expected `name = literal` lines"
            raise ParameterError(msg)
        target = node.targets[0]
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            value = None
        if not isinstance(target, ast.Name) or (value is None and not _is_none(node.value)):
            line = ast.get_source_segment(source, node)
            msg = f"{notebook}: parameters cell: {line!r}: expected `name = literal` lines"
            raise ParameterError(msg)
        declared[target.id] = value
    return declared


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def check_type(step: str, name: str, default: object, value: object) -> object:
    """Refuse an override whose type differs from the default's (an int may stand for a float)."""
    if default is None or value is None or type(value) is type(default):
        return value
    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    msg = (
        f"{step}: parameter {name} = {value!r} ({type(value).__name__}): "
        f"expected a {type(default).__name__} like its default {default!r}"
    )
    raise ParameterError(msg)


def one_of(name: str, value: object, allowed: Iterable[object]) -> object:
    """Return ``value`` if it is one of ``allowed``; otherwise say which values are.

    For a parameter that picks something to look at (an outcome, a column, a number):
    a value that is not there is refused with the list to choose from, rather than
    showing an empty table.

    Examples
    --------
    >>> one_of("characteristic", "country", ["country", "setting"])
    'country'
    """
    choices = sorted({str(a) for a in allowed})
    if str(value) in choices:
        return value
    msg = f"parameter {name} = {value!r}: expected one of: {', '.join(choices)}"
    raise ParameterError(msg)


def normalise(nb: NotebookNode) -> NotebookNode:
    """Strip what differs between two identical runs: timestamps, durations, random cell ids."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type == "code":
            kept: list = []
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("execution", None)
                # a busy kernel may send one print as two stream messages: join them
                before = kept[-1] if kept else None
                if (
                    output.get("output_type") == "stream"
                    and before is not None
                    and before.get("output_type") == "stream"
                    and before.get("name") == output.get("name")
                ):
                    before["text"] = "".join(before["text"]) + "".join(output["text"])
                else:
                    kept.append(output)
            cell["outputs"] = kept
    return nb


def dumps(nb: NotebookNode) -> str:
    """The notebook as nbformat writes it, ending with a newline."""
    import nbformat

    text = nbformat.writes(nb)
    json.loads(text)  # nbformat validated it; this guards the bytes we are about to commit
    return text if text.endswith("\n") else text + "\n"
