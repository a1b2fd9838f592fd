"""Deterministic writers for the manuscript's figures and tables.

Same data in, same bytes out: figures are saved without dates or version stamps and with a
fixed SVG id salt; tables are written with ``\\n`` line endings and no index. When the data
is the demonstration dataset, every figure and table says so on its face, here, so that no
notebook has to remember to.

Examples
--------
>>> import pandas as pd
>>> markdown_table(pd.DataFrame({"database": ["Ovid MEDLINE"], "records": [222]}))
'| database | records |\\n| --- | ---: |\\n| Ovid MEDLINE | 222 |\\n'
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
import matplotlib.figure
import pandas as pd

from compendium.io import write_bytes, write_text

STYLE = Path(__file__).with_name("compendium.mplstyle")
FIGURE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("csv", "md", "tex")

# No dates, no producer versions: these are what change between otherwise identical runs.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Draw inside the compendium's style (``compendium.mplstyle``)."""
    with mpl.rc_context(fname=str(STYLE)):
        yield


def figure(**subplots: object) -> tuple[matplotlib.figure.Figure, object]:
    """A new figure in the compendium's style, with ``Figure.subplots(**subplots)`` axes.

    The figure is not registered with pyplot, so drawing one never leaks state into the next.
    """
    with style():
        fig = matplotlib.figure.Figure()
        axes = fig.subplots(**subplots)
    return fig, axes


def save_figure(fig: matplotlib.figure.Figure, stem: Path, *, note: str | None) -> list[Path]:
    """Write ``stem``.png/.svg/.pdf whole; add ``note`` (the demonstration note) visibly."""
    with style():
        if note:
            fig.text(0.5, 0.0, note, ha="center", va="top", fontsize=5.5, color="#9b1c1c")
        written = []
        for fmt in FIGURE_FORMATS:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight")
            written.append(write_bytes(stem.with_suffix(f".{fmt}"), buffer.getvalue()))
    return written


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame) -> str:
    """A GitHub pipe table; numbers right-aligned.

    Written here rather than with ``DataFrame.to_markdown`` to avoid a dependency (tabulate)
    for twenty lines, and to control every byte.
    """
    header = "| " + " | ".join(_cell(name) for name in table.columns) + " |"
    align = (
        "| "
        + " | ".join(
            "---:" if pd.api.types.is_numeric_dtype(table[name]) else "---"
            for name in table.columns
        )
        + " |"
    )
    rows = [
        "| " + " | ".join(_cell(value) for value in row) + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join([header, align, *rows]) + "\n"


_LATEX_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def latex_escape(text: str) -> str:
    return text.translate(_LATEX_SPECIALS)


def latex_table(table: pd.DataFrame, *, caption: str, note: str | None = None) -> str:
    """A booktabs ``table`` environment (needs ``\\usepackage{booktabs}``); text escaped."""
    full_caption = latex_escape(caption)
    if note:
        full_caption += f" \\textit{{{latex_escape(note)}}}"
    styler = table.style.hide(axis="index").format(escape="latex", na_rep="")
    styler = styler.format_index(escape="latex", axis="columns")
    body = styler.to_latex(
        hrules=True, caption=full_caption, position="htbp", position_float="centering"
    )
    return body.replace("\r\n", "\n")


def save_table(
    table: pd.DataFrame,
    stem: Path,
    *,
    caption: str,
    note: str | None,
    formats: tuple[str, ...] = TABLE_FORMATS,
) -> list[Path]:
    """Write ``stem`` as each of ``formats`` (csv, md, tex) whole, each carrying ``note``.

    The CSV carries the note as a first line starting with ``#``; read it back with
    :func:`read_table`.
    """
    table = table.reset_index(drop=True)
    csv = table.to_csv(index=False, lineterminator="\n")
    md = f"**{caption}**\n\n" + markdown_table(table)
    if note:
        csv = f"# {note}\n{csv}"
        md += f"\n*{note}*\n"
    texts = {"csv": csv, "md": md}
    if "tex" in formats:
        texts["tex"] = latex_table(table, caption=caption, note=note)
    return [write_text(stem.with_suffix(f".{fmt}"), texts[fmt]) for fmt in formats]


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV written by :func:`save_table`, skipping its note line if any."""
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    return pd.read_csv(path, skiprows=1 if first.startswith("# ") else 0)
