"""Deterministic writers for the manuscript's figures and tables, keyed by format.

Same data in, same bytes out: figures are saved without dates or version stamps and with a
fixed SVG id salt; tables are written with ``\\n`` line endings and no index; Office files
carry fixed times. When the data is the demonstration dataset, every figure and table says so
on its face, here, so that no notebook has to remember to.

A table is written by :func:`save_table` in any of :data:`TABLE_WRITERS` (CSV, Markdown,
LaTeX, DOCX); a workbook of several tables by :func:`save_workbook`; a figure by
:func:`save_figure`.

Examples
--------
>>> import pandas as pd
>>> markdown_table(pd.DataFrame({"database": ["Ovid MEDLINE"], "records": [222]}))
'| database | records |\\n| --- | ---: |\\n| Ovid MEDLINE | 222 |\\n'
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.figure
import pandas as pd

from compendium import paths
from compendium.io import write_bytes

if TYPE_CHECKING:
    from compendium.paths import Project
    from compendium.tables import Output

STYLE = Path(__file__).with_name("compendium.mplstyle")
FIGURE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("csv", "md", "tex")

#: The column a CSV made from demonstration data carries on every row (see :func:`csv_text`).
NOTE_COLUMN = "dataset_note"

#: What a LaTeX table needs in the preamble of the document that inputs it.
LATEX_PACKAGES = ("booktabs", "longtable", "array")

# No dates, no producer versions: these are what change between otherwise identical runs.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


# --- figures ---------------------------------------------------------------------------------


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


# --- what every table writer shares ----------------------------------------------------------


@dataclass(frozen=True)
class Caption:
    """A table's caption and what goes under it.

    ``number`` is how the manuscript names the table ("Table 1", "ESM 2"); Markdown and Word
    print it before the caption, LaTeX numbers the table itself and keeps it in a comment.
    ``footnotes`` and ``note`` (the demonstration note) are printed below the table.
    """

    text: str
    number: str | None = None
    footnotes: tuple[str, ...] = ()
    note: str | None = None

    @property
    def notes(self) -> tuple[str, ...]:
        return (*self.footnotes, *([self.note] if self.note else []))

    @property
    def title(self) -> str:
        return f"{self.number} {self.text}" if self.number else self.text


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _is_numeric(table: pd.DataFrame, name: str) -> bool:
    return pd.api.types.is_numeric_dtype(table[name]) and not pd.api.types.is_bool_dtype(
        table[name]
    )


def _groups(table: pd.DataFrame, group_by: str | None) -> Iterator[tuple[str | None, pd.Series]]:
    """Each row, with the group it opens (``None`` when it continues the group above)."""
    current: object = object()
    for _, row in table.iterrows():
        group = None
        if group_by is not None and row[group_by] != current:
            current = row[group_by]
            group = _text(current)
        yield group, row


# Column widths, shared by LaTeX and Word: every writer needs them, and no library sizes the
# columns of a fixed-width table to its content (LaTeX's tabularx shares the width equally,
# Word's autofit is not honoured by LibreOffice), so they are computed here, in characters.
_SEPARATORS = re.compile(r"(?<=[_:/.\-])")


_LONG_WORD = 14  # words longer than this may break after _ : / . -

# Widths of Computer Modern Roman characters in em (from cmr10's metrics, grouped), so that a
# word's width is estimated as TeX will set it: "Number" is wider than "little".
_EM_WIDTHS = {
    **dict.fromkeys("ijlI.,;:'!|`", 0.28),
    **dict.fromkeys("ftr()[]-", 0.37),
    **dict.fromkeys('scezJ"?*', 0.45),
    **dict.fromkeys("abdghknopquvxyLSFPZ0123456789/$+=<>_#&^~", 0.55),
    **dict.fromkeys("ABCDEGHKNORTUVXYQw%", 0.76),
    **dict.fromkeys("mMW@", 0.93),
    " ": 0.33,
}
_EM_OTHER = 0.6  # any other character (accented letters, dashes, daggers)


def text_em(text: str) -> float:
    """The width of ``text`` set in Computer Modern Roman, in em."""
    return sum(_EM_WIDTHS.get(character, _EM_OTHER) for character in text)


def _pieces(word: str) -> list[str]:
    """A word as the pieces it may break into: a long word (an id, a DOI) after ``_ : / . -``."""
    return [p for p in _SEPARATORS.split(word) if p] if len(word) > _LONG_WORD else [word]


def _tokens(text: str) -> list[str]:
    """The pieces a line may break between."""
    return [piece for word in text.split() for piece in _pieces(word)]


def _bounds(
    table: pd.DataFrame, names: Sequence[str]
) -> tuple[list[float], list[float], list[float]]:
    """Each column's natural width (its longest cell), least width (its longest word) and
    mean width (of all its cells, blanks too), in em."""
    natural, shortest, mean = [], [], []
    for name in names:
        cells = [_text(v) for v in table[name]]
        words = [t for c in [*cells, str(name)] for t in _tokens(c)]
        # 8% and a little to spare: the estimate is not TeX's own
        shortest.append(1.08 * max((text_em(t) for t in words), default=1.0) + 0.4)
        longest = max((text_em(c) for c in [*cells, str(name)]), default=1.0)
        natural.append(max(1.05 * longest + 0.4, shortest[-1]))
        mean.append(sum(text_em(c) for c in cells) / max(len(cells), 1))
    return natural, shortest, mean


def fits(table: pd.DataFrame, *, line: float, padding: float, columns: Sequence[str]) -> bool:
    """Whether every column can hold its longest word within a line ``line`` em wide."""
    return sum(_bounds(table, columns)[1]) + padding * len(columns) <= line


def column_widths(
    table: pd.DataFrame, *, line: float, padding: float, columns: Sequence[str] | None = None
) -> list[float]:
    """Each column's width in a line ``line`` em wide, each holding its longest word.

    Every column gets its natural width (its longest cell) when all fit. Otherwise each gets
    its longest word, and what is left goes to the columns still short of their natural
    width in proportion to how much text they hold on average, so that the long texts
    (definitions, titles) wrap least. ``padding`` is each column's space between cells. The
    widths are in em (see :func:`text_em`) and add up to at most ``line``.
    """
    names = list(columns if columns is not None else table.columns)
    natural, widths, mean = _bounds(table, names)
    room = line - padding * len(names)
    if sum(natural) <= room:
        return natural
    if sum(widths) >= room:
        return [room * w / sum(widths) for w in widths]
    free = room - sum(widths)
    growing = [i for i in range(len(names)) if natural[i] > widths[i]]
    while free > 1e-9 and growing:
        weight = sum(max(mean[i], 0.1) for i in growing)
        grown = {i: free * max(mean[i], 0.1) / weight for i in growing}
        capped = [i for i in growing if widths[i] + grown[i] >= natural[i]]
        if not capped:
            for i in growing:
                widths[i] += grown[i]
            break
        for i in capped:  # these reach their natural width; share the rest again
            free -= natural[i] - widths[i]
            widths[i] = natural[i]
        growing = [i for i in growing if i not in capped]
    return widths


# --- CSV ---------------------------------------------------------------------------------------


def csv_text(table: pd.DataFrame, *, note: str | None = None) -> str:
    """The table as plain CSV (RFC 4180 quoting, header first, ``\\n`` line endings).

    A ``note`` (the demonstration note) goes in a last column, :data:`NOTE_COLUMN`, on every
    row: a first line of comment would be taken for the header by R's ``read.csv``, by
    spreadsheets and by ``csv.reader``; a sidecar file is lost when the CSV is copied on its
    own; a column survives both, and any selection of rows keeps its mark.
    """
    table = table.reset_index(drop=True)
    if note:
        table = table.assign(**{NOTE_COLUMN: note})
    return table.to_csv(index=False, lineterminator="\n")


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV written by :func:`save_table`, without its note column."""
    table = pd.read_csv(path)
    return table.drop(columns=[NOTE_COLUMN], errors="ignore")


# --- Markdown ----------------------------------------------------------------------------------


def _md_cell(value: object) -> str:
    return _text(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame) -> str:
    """A GitHub pipe table; numbers right-aligned.

    Written here rather than with ``DataFrame.to_markdown`` to avoid a dependency (tabulate)
    for twenty lines, and to control every byte.
    """
    header = "| " + " | ".join(_md_cell(name) for name in table.columns) + " |"
    align = (
        "| "
        + " | ".join("---:" if _is_numeric(table, name) else "---" for name in table.columns)
        + " |"
    )
    rows = [
        "| " + " | ".join(_md_cell(value) for value in row) + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join([header, align, *rows]) + "\n"


def markdown_text(table: pd.DataFrame, caption: Caption) -> str:
    number = f"**{caption.number}** " if caption.number else ""
    head = f"{number}{caption.text}" if caption.number else f"**{caption.text}**"
    notes = "".join(f"\n{text}\n" for text in caption.footnotes)
    if caption.note:
        notes += f"\n*{caption.note}*\n"
    return f"{head}\n\n{markdown_table(table)}{notes}"


# --- LaTeX -------------------------------------------------------------------------------------

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
        "†": r"\textdagger{}",
        "‡": r"\textdaggerdbl{}",
        "\u00a0": "~",
        "\n": " ",
    }
)

#: The sizes a table may be set in, largest first: (command, points, how much wider than
#: cmr10 its optical size sets a character, \tabcolsep in points). A table takes the first
#: in which every column holds its longest word within a plain article's text width (345 pt
#: at 10 pt); the last packs the columns closer.
LATEX_SIZES: tuple[tuple[str, float, float, float], ...] = (
    ("small", 9.0, 1.03, 6.0),
    ("footnotesize", 8.0, 1.07, 6.0),
    ("footnotesize", 8.0, 1.07, 3.0),
    ("scriptsize", 7.0, 1.13, 3.0),
)
LATEX_TEXT_WIDTH_PT = 345.0


def latex_escape(text: str) -> str:
    return text.translate(_LATEX_SPECIALS)


def _latex_cell(value: object) -> str:
    """Escaped text in which a long word (an id, a DOI) may break after ``_ : / . -``."""
    return " ".join(
        r"\allowbreak{}".join(latex_escape(piece) for piece in _pieces(word))
        for word in _text(value).split()
    )


def latex_table(
    table: pd.DataFrame,
    caption: Caption | str,
    *,
    label: str | None = None,
    group_by: str | None = None,
    note: str | None = None,
) -> str:
    """A ``longtable`` that fits a plain article's text width and breaks across pages.

    Columns are paragraph columns sized to their content as shares of ``\\linewidth``, so the
    table fits whatever text width the document has; text is ragged right and numbers right
    aligned; the header repeats on every page; ``group_by`` values head their rows as full-width
    rows; footnotes and the note are set below the bottom rule. Needs the packages of
    :data:`LATEX_PACKAGES`, which the file names in its first lines. Written by hand: pandas'
    ``Styler.to_latex`` makes neither group rows nor notes under a long table.
    """
    if isinstance(caption, str):
        caption = Caption(caption, note=note)
    # headers are read, not parsed: snake_case names are printed with spaces, and may wrap
    table = table.rename(columns=lambda name: str(name).replace("_", " "))
    if group_by is not None:
        group_by = group_by.replace("_", " ")
    shown = [name for name in table.columns if name != group_by]
    measures = [
        (size, sep, LATEX_TEXT_WIDTH_PT / (points * wider), 2 * sep / (points * wider))
        for size, points, wider, sep in LATEX_SIZES
    ]  # (size, \tabcolsep, line, padding), the last two in em of cmr10
    fitting = [m for m in measures if fits(table, line=m[2], padding=m[3], columns=shown)]
    size, sep, line, padding = fitting[0] if fitting else measures[-1]
    # when even the smallest size cannot hold every longest word, TeX may hyphenate a cell's
    # first word too (it never does unless something comes before it)
    start = "" if fitting else "\\hspace{0pt}"
    widths = column_widths(table, columns=shown, line=line, padding=padding)
    # shares of \\linewidth, rounded down so that they never add up to more than the line
    shares = [math.floor(1000 * (w + padding) / line) / 1000 for w in widths]
    total = sum(shares)

    def paragraph(share: float, align: str) -> str:
        return (
            f">{{\\{align}\\arraybackslash}}"
            f"p{{\\dimexpr{share:.3f}\\linewidth-2\\tabcolsep\\relax}}"
        )

    spec = "".join(
        paragraph(share, "raggedleft" if _is_numeric(table, name) else "raggedright")
        for name, share in zip(shown, shares, strict=True)
    )
    span = len(shown)
    full = f"\\multicolumn{{{span}}}{{{paragraph(total, 'raggedright')}}}"
    header = " & ".join(_latex_cell(name) for name in shown) + " \\\\"
    label_text = f"\\label{{{label}}}" if label else ""
    lines = [
        f"% {caption.number or 'Table'}: {latex_escape(caption.text)}",
        "% Made by compendium from data/raw: regenerate it, do not edit it.",
        f"% Needs \\usepackage{{{','.join(LATEX_PACKAGES)}}} in the preamble; the columns",
        "% share \\linewidth, so the table fits the text width of any document.",
        "\\begingroup",
        f"\\{size}" + (f"\\setlength{{\\tabcolsep}}{{{sep:g}pt}}" if sep != 6.0 else ""),
        f"\\begin{{longtable}}{{{spec}}}",
        f"\\caption{{{latex_escape(caption.text)}}}{label_text}\\\\",
        "\\toprule",
        header,
        "\\midrule",
        "\\endfirsthead",
        f"\\multicolumn{{{span}}}{{@{{}}l}}{{\\tablename\\ \\thetable{{}} (continued)}}\\\\",
        "\\toprule",
        header,
        "\\midrule",
        "\\endhead",
        "\\midrule",
        f"\\multicolumn{{{span}}}{{r@{{}}}}{{\\footnotesize continued on the next page}}\\\\",
        "\\endfoot",
        "\\bottomrule",
    ]
    for text in caption.notes:
        shape = "\\itshape " if text == caption.note else ""
        lines.append(f"{full}{{\\footnotesize {shape}{latex_escape(text)}}}\\\\")
    lines.append("\\endlastfoot")
    first = True
    for group, row in _groups(table, group_by):
        if group is not None:
            if not first:
                lines.append("\\addlinespace")
            # \\* keeps the group's heading on the page of its first row
            lines.append(f"{full}{{\\bfseries {_latex_cell(group)}}}\\\\*")
        first = False
        lines.append(" & ".join(start + _latex_cell(row[name]) for name in shown) + " \\\\")
    lines += ["\\end{longtable}", "\\endgroup", ""]
    return "\n".join(lines)


# --- Word --------------------------------------------------------------------------------------

#: Landscape A4 with 2 cm margins: 25.7 cm of text width. Times New Roman at 10 pt sets an
#: em of 0.353 cm, its letters some 10% narrower than Computer Modern's (see :func:`text_em`);
#: each cell has Word's default 0.19 cm margins on either side.
DOCX_TEXT_WIDTH_CM = 25.7
DOCX_EM_CM = 0.353 * 0.9
DOCX_PADDING_CM = 0.38


def _docx_width(cm: float) -> int:
    """A width in twentieths of a point (dxa), the unit of Word's table grid."""
    return math.floor(cm / 2.54 * 1440)  # down: the columns never add up to more than the page


def docx_table(
    table: pd.DataFrame,
    caption: Caption,
    *,
    group_by: str | None = None,
    widths_cm: Sequence[float] | None = None,
) -> bytes:
    """``table`` as a Word document laid out for journal submission.

    A landscape A4 page in 10-point Times New Roman: the caption above the table ("Table 1
    ..."), a bold header row repeated on every page, horizontal rules only, rows that never
    split across pages, then the footnotes and the note below. With ``group_by``, that column
    is dropped and each of its values heads its rows as one merged, full-width row kept with
    the row below it. The grid (``w:tblGrid``), the table width and every cell's width agree,
    with a fixed layout, so Word and LibreOffice show the same columns.
    """
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, Twips

    shown = [name for name in table.columns if name != group_by]
    if widths_cm is None:
        chars = column_widths(
            table,
            columns=shown,
            line=DOCX_TEXT_WIDTH_CM / DOCX_EM_CM,
            padding=DOCX_PADDING_CM / DOCX_EM_CM,
        )
        widths_cm = [c * DOCX_EM_CM + DOCX_PADDING_CM for c in chars]
    if len(widths_cm) != len(shown):
        msg = f"docx table: {len(widths_cm)} widths for {len(shown)} columns ({shown})"
        raise ValueError(msg)
    grid_widths = [_docx_width(w) for w in widths_cm]

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))

    def element(tag: str, **attributes: str) -> object:
        made = OxmlElement(tag)
        for name, value in attributes.items():
            made.set(qn(f"w:{name}"), value)
        return made

    def rules(cell: object, *, top: bool = False, bottom: bool = False) -> None:
        borders = element("w:tcBorders")
        for edge, wanted in (("top", top), ("bottom", bottom)):
            if wanted:
                borders.append(element(f"w:{edge}", val="single", sz="6", color="000000"))
        cell._tc.get_or_add_tcPr().append(borders)

    heading = document.add_paragraph()
    if caption.number:
        heading.add_run(caption.number + " ").bold = True
    heading.add_run(caption.text)
    heading.paragraph_format.keep_with_next = True

    grid = document.add_table(rows=1, cols=len(shown))
    grid.autofit = False  # w:tblLayout fixed: the widths below are the widths shown
    properties = grid._tbl.tblPr
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(element("w:tblW", w=str(sum(grid_widths)), type="dxa"))
    for column, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), grid_widths, strict=True):
        column.set(qn("w:w"), str(width))

    header = grid.rows[0]
    header._tr.get_or_add_trPr().append(element("w:tblHeader", val="true"))
    for cell, name in zip(header.cells, shown, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(name)).bold = True
        rules(cell, top=True, bottom=True)
    for group, row in _groups(table, group_by):
        if group is not None:
            merged = grid.add_row().cells
            span = merged[0].merge(merged[-1])
            span.text = ""
            paragraph = span.paragraphs[0]
            paragraph.add_run(group).bold = True
            paragraph.paragraph_format.keep_with_next = True
        cells = grid.add_row().cells
        for cell, name in zip(cells, shown, strict=True):
            cell.text = _text(row[name])
    for cell in grid.rows[-1].cells:
        rules(cell, bottom=True)
    for row in grid.rows:
        row._tr.get_or_add_trPr().append(element("w:cantSplit"))
        start = 0
        for tc in row._tr.tc_lst:  # a merged cell is as wide as the columns it spans
            tc.width = Twips(sum(grid_widths[start : start + tc.grid_span]))
            start += tc.grid_span

    for text in caption.notes:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.font.size = Pt(8)
        run.italic = text == caption.note

    core = document.core_properties
    core.title = caption.title
    core.author = "compendium"
    core.last_modified_by = "compendium"
    core.revision = 1
    core.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_office_zip(buffer.getvalue())


def save_docx_table(
    table: pd.DataFrame,
    path: Path,
    *,
    caption: str,
    note: str | None,
    number: str | None = None,
    footnotes: tuple[str, ...] = (),
    group_by: str | None = None,
    widths_cm: Sequence[float] | None = None,
) -> Path:
    """Write :func:`docx_table` to ``path``."""
    made = Caption(caption, number=number, footnotes=footnotes, note=note)
    return write_bytes(path, docx_table(table, made, group_by=group_by, widths_cm=widths_cm))


# --- every table format ------------------------------------------------------------------------

Writer = Callable[[pd.DataFrame, Caption, str, "str | None"], bytes]


def _write_csv(table: pd.DataFrame, caption: Caption, stem: str, group_by: str | None) -> bytes:
    return csv_text(table, note=caption.note).encode("utf-8")


def _write_md(table: pd.DataFrame, caption: Caption, stem: str, group_by: str | None) -> bytes:
    return markdown_text(table, caption).encode("utf-8")


def _write_tex(table: pd.DataFrame, caption: Caption, stem: str, group_by: str | None) -> bytes:
    label = "tab:" + stem.replace("_", "-")
    return latex_table(table, caption, label=label, group_by=group_by).encode("utf-8")


def _write_docx(table: pd.DataFrame, caption: Caption, stem: str, group_by: str | None) -> bytes:
    return docx_table(table, caption, group_by=group_by)


#: The writer of each table format, by the file's extension.
TABLE_WRITERS: dict[str, Writer] = {
    "csv": _write_csv,
    "md": _write_md,
    "tex": _write_tex,
    "docx": _write_docx,
}


def save_table(
    table: pd.DataFrame,
    stem: Path,
    *,
    caption: str,
    note: str | None,
    number: str | None = None,
    footnotes: tuple[str, ...] = (),
    group_by: str | None = None,
    formats: tuple[str, ...] = TABLE_FORMATS,
) -> list[Path]:
    """Write ``stem`` in each of ``formats`` (keys of :data:`TABLE_WRITERS`), each whole.

    Every format carries ``note`` (the demonstration note): the CSV in its
    :data:`NOTE_COLUMN`, the others below the table with the ``footnotes``. ``group_by``
    makes a column's values group rows in LaTeX and Word (the CSV and Markdown keep it as a
    column, for machines and for reading on GitHub).
    """
    unknown = [fmt for fmt in formats if fmt not in TABLE_WRITERS]
    if unknown:
        msg = f"table format(s) {', '.join(unknown)}: expected some of {', '.join(TABLE_WRITERS)}"
        raise ValueError(msg)
    table = table.reset_index(drop=True)
    made = Caption(caption, number=number, footnotes=footnotes, note=note)
    return [
        write_bytes(
            stem.with_suffix(f".{fmt}"), TABLE_WRITERS[fmt](table, made, stem.name, group_by)
        )
        for fmt in formats
    ]


# --- workbooks (XLSX) --------------------------------------------------------------------------

_WHOLE_NUMBER = re.compile(r"^-?(0|[1-9][0-9]{0,14})$")
XLSX_MAX_WIDTH = 60  # characters: wider columns wrap their text


def _cell_value(value: object) -> object:
    """What a spreadsheet cell holds: numbers as numbers, blanks empty, the rest as text.

    Text that is a whole number without leading zeros (a page, a year read from a sheet) is a
    number; ``"0012"`` stays text, as an identifier.
    """
    if _missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalars, which openpyxl writes without surprises
        value = value.item()
    if isinstance(value, str) and _WHOLE_NUMBER.match(value):
        return int(value)
    return value


@dataclass(frozen=True)
class Sheet:
    """A table for a workbook, with what the workbook's about sheet says of it."""

    table: pd.DataFrame
    description: str = ""


def workbook(
    sheets: dict[str, pd.DataFrame | Sheet],
    *,
    title: str | None = None,
    note: str | None = None,
    about: Sequence[tuple[str, str]] = (),
) -> bytes:
    """An XLSX workbook for reading, one sheet per table, the same bytes for the same tables.

    Each data sheet has a bold, frozen header row with filters, columns as wide as their
    content (up to :data:`XLSX_MAX_WIDTH` characters, then wrapped), numbers stored as
    numbers, and prints landscape, one page wide, with the header on every page and ``note``
    in the page header. With a ``title``, a first sheet ``about`` holds the title, ``note``
    (the provenance note), the lines of ``about`` and what each sheet holds.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    shaded = PatternFill("solid", fgColor="D9D9D9")
    book = Workbook()
    book.remove(book.active)
    tables = {
        name: sheet if isinstance(sheet, Sheet) else Sheet(sheet) for name, sheet in sheets.items()
    }
    if title:
        info = book.create_sheet("about")
        lines: list[tuple[str, str]] = [("Title", title)]
        if note:
            lines.append(("Data", note))
        lines += list(about)
        lines += [(f"Sheet '{name}'", sheet.description) for name, sheet in tables.items()]
        for label, text in lines:
            info.append([label, text])
        for (first, second), _ in zip(info.iter_rows(min_col=1, max_col=2), lines, strict=True):
            first.font = bold
            first.alignment = second.alignment = wrapped
        info.column_dimensions["A"].width = 22
        info.column_dimensions["B"].width = 100
        if note:
            info["B2"].font = Font(bold=True, color="9B1C1C")
    for name, sheet in tables.items():
        data = book.create_sheet(name)
        frame = sheet.table
        data.append([str(column) for column in frame.columns])
        for row in frame.itertuples(index=False):
            data.append([_cell_value(value) for value in row])
        for cell in data[1]:
            cell.font = bold
            cell.fill = shaded
        for row in data.iter_rows():
            for cell in row:
                cell.alignment = wrapped
        for index, column in enumerate(frame.columns, start=1):
            lengths = sorted(len(_text(v)) for v in frame[column]) or [0]
            typical = lengths[math.ceil(0.9 * (len(lengths) - 1))]  # the 90th percentile
            longest_word = max((len(w) for w in str(column).split()), default=0)
            width = min(max(typical, longest_word, 6) + 2, XLSX_MAX_WIDTH)
            data.column_dimensions[get_column_letter(index)].width = width
        data.freeze_panes = "A2"
        data.auto_filter.ref = data.dimensions
        data.print_title_rows = "1:1"
        if note:
            data.oddHeader.center.text = note
            data.oddHeader.center.size = 8
    for sheet in book.worksheets:
        _fit_rows(sheet)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.properties.creator = "compendium"
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_office_zip(buffer.getvalue())


def _fit_rows(sheet: object) -> None:
    """Give each row the height its wrapped text needs: spreadsheet programs grow a row for
    wrapped text only when they edit it, not when they open or print a file."""
    from openpyxl.utils import get_column_letter

    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            width = sheet.column_dimensions[get_column_letter(cell.column)].width or 10
            for part in _text(cell.value).split("\n"):
                lines = max(lines, math.ceil(len(part) / max(width - 1, 1)))
        sheet.row_dimensions[row[0].row].height = 15 * lines  # Calibri 11: 15 pt a line


def save_workbook(
    path: Path,
    sheets: dict[str, pd.DataFrame | Sheet],
    *,
    title: str,
    note: str | None,
    about: Sequence[tuple[str, str]] = (),
) -> Path:
    """Write :func:`workbook` to ``path``."""
    return write_bytes(path, workbook(sheets, title=title, note=note, about=about))


# --- Office files (DOCX, XLSX): zip archives that embed the time they were saved -----------


def normalise_office_zip(data: bytes, *, date: str = "2023-08-14T00:00:00Z") -> bytes:
    """The same Office file with fixed times, so that the same content gives the same bytes.

    Office writers stamp each zip entry with the current time and ``docProps/core.xml`` with
    the time of saving; both are set to ``date`` (entries to 1980-01-01, the zip epoch).
    """
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


# --- one call for any declared output --------------------------------------------------------


def save(
    project: Project,
    output: Output,
    content: pd.DataFrame | matplotlib.figure.Figure,
    *,
    note: str | None,
    footnotes: tuple[str, ...] = (),
) -> SavedFigure | list[Path]:
    """Write a declared output (:mod:`compendium.tables`) in its formats, whole.

    A figure is written as :func:`save_figure` writes it, and shown where a notebook cell
    ends with it; a table as :func:`save_table` writes it, with the declaration's caption,
    number and formats.
    """
    if output.folder == paths.FIGURES:
        return save_figure(content, output.stem_path(project), note=note)
    return save_table(
        content,
        output.stem_path(project),
        caption=output.caption,
        number=output.number,
        note=note,
        footnotes=footnotes,
        group_by=output.group_by,
        formats=output.formats,
    )
