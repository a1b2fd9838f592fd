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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class SavedFigure:
    """A figure as written to ``outputs/figures``: its files, and its PNG to show.

    A notebook cell ending in :func:`save_figure` shows the figure, in JupyterLab, in the
    executed notebook and in its HTML page, from the very PNG bytes written to the file (the
    same bytes every run), at the figure's size on screen rather than its print resolution.
    """

    paths: tuple[Path, ...]
    png: bytes
    width_px: int  # on screen: the figure's size in inches at 100 pixels an inch
    height_px: int

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        return self.png, {"width": self.width_px, "height": self.height_px}

    def __repr__(self) -> str:
        return f"figure written as {', '.join(path.name for path in self.paths)}"

    # a sequence of the written paths, as save_figure returned before it returned this
    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> Path:
        return self.paths[index]


#: Pixels per inch on screen (the PNG itself is at the style's print resolution).
SCREEN_DPI = 100


def save_figure(fig: matplotlib.figure.Figure, stem: Path, *, note: str | None) -> SavedFigure:
    """Write ``stem``.png/.svg/.pdf whole; add ``note`` (the demonstration note) visibly.

    Returns the written figure, which a notebook shows as the cell's result.
    """
    with style():
        if note:
            fig.text(0.5, 0.0, note, ha="center", va="top", fontsize=5.5, color="#9b1c1c")
        written, png = [], b""
        for fmt in FIGURE_FORMATS:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight")
            data = buffer.getvalue()
            written.append(write_bytes(stem.with_suffix(f".{fmt}"), data))
            if fmt == "png":
                png = data
        dpi = float(mpl.rcParams["savefig.dpi"])
    width, height = _png_size(png)
    return SavedFigure(
        tuple(written),
        png,
        round(width * SCREEN_DPI / dpi),
        round(height * SCREEN_DPI / dpi),
    )


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header (the IHDR chunk)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


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


# --- Office files (DOCX, XLSX): zip archives that embed the time they were saved -----------


def normalise_office_zip(data: bytes, *, date: str = "2023-08-14T00:00:00Z") -> bytes:
    """The same Office file with fixed times, so that the same content gives the same bytes.

    Office writers stamp each zip entry with the current time and ``docProps/core.xml`` with
    the time of saving; both are set to ``date`` (entries to 1980-01-01, the zip epoch).
    """
    import re
    import zipfile

    stamp = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = stamp.sub(rb"\g<1>" + date.encode() + rb"\g<3>", content)
            info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return buffer.getvalue()


def save_docx_table(
    table: pd.DataFrame,
    path: Path,
    *,
    caption: str,
    note: str | None,
    footnotes: tuple[str, ...] = (),
    group_by: str | None = None,
    widths_cm: tuple[float, ...] | None = None,
) -> Path:
    """Write ``table`` as a Word document laid out for journal submission.

    A landscape A4 page in 10-point Times New Roman: the caption above the table ("Table 1
    ..."), a bold header row repeated on every page, horizontal rules only, then the
    footnotes and ``note`` (the demonstration note) below. With ``group_by``, that column is
    dropped and each of its values heads its rows as a full-width row (a theme of the
    typology, say). The same table gives the same bytes.
    """
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))

    def rules(cell: object, *, top: bool = False, bottom: bool = False) -> None:
        borders = OxmlElement("w:tcBorders")
        for edge, wanted in (("top", top), ("bottom", bottom)):
            if wanted:
                line = OxmlElement(f"w:{edge}")
                line.set(qn("w:val"), "single")
                line.set(qn("w:sz"), "6")
                line.set(qn("w:color"), "000000")
                borders.append(line)
        cell._tc.get_or_add_tcPr().append(borders)

    heading = document.add_paragraph()
    label, _, rest = caption.partition(" ")
    heading.add_run(label + " ").bold = True
    heading.add_run(rest)

    shown = [name for name in table.columns if name != group_by]
    grid = document.add_table(rows=1, cols=len(shown))
    header = grid.rows[0]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for cell, name in zip(header.cells, shown, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(name)).bold = True
        rules(cell, top=True, bottom=True)
    current = None
    for _, row in table.iterrows():
        if group_by is not None and row[group_by] != current:
            current = row[group_by]
            merged = grid.add_row().cells
            span = merged[0].merge(merged[-1])
            span.text = ""
            span.paragraphs[0].add_run(_cell(current)).bold = True
        cells = grid.add_row().cells
        for cell, name in zip(cells, shown, strict=True):
            cell.text = _cell(row[name])
    for cell in grid.rows[-1].cells:
        rules(cell, bottom=True)
    if widths_cm:
        for column, width in zip(grid.columns, widths_cm, strict=True):
            for cell in column.cells:
                cell.width = Cm(width)
    for text in [*footnotes, *([note] if note else [])]:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.font.size = Pt(8)
        run.italic = text == note

    properties = document.core_properties
    properties.title = caption
    properties.author = "compendium"
    properties.last_modified_by = "compendium"
    properties.revision = 1
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return write_bytes(path, normalise_office_zip(buffer.getvalue()))
