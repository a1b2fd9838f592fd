import csv
import re
import shutil
import subprocess
from xml.etree import ElementTree

import pandas as pd
import pytest

from compendium import render
from compendium.dataset import DEMONSTRATION_NOTE
from compendium.paths import ROOT


def draw():
    fig, ax = render.figure()
    ax.bar(["Ovid MEDLINE", "Ovid APA PsycInfo"], [222, 310])
    ax.set_ylabel("records")
    return fig


def test_figures_are_byte_identical_from_run_to_run(tmp_path):
    first = render.save_figure(draw(), tmp_path / "a" / "records", note=DEMONSTRATION_NOTE)
    second = render.save_figure(draw(), tmp_path / "b" / "records", note=DEMONSTRATION_NOTE)
    assert [p.suffix for p in first] == [".png", ".svg", ".pdf"]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


def svg_texts(path):
    root = ElementTree.parse(path).getroot()
    return ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]


def test_svg_figures_hold_their_text_as_text_and_carry_the_note(tmp_path):
    demo = render.save_figure(draw(), tmp_path / "demo", note=DEMONSTRATION_NOTE)
    plain = render.save_figure(draw(), tmp_path / "study", note=None)
    texts = svg_texts(demo[1])
    assert "records" in texts and "Ovid MEDLINE" in texts
    assert DEMONSTRATION_NOTE in texts
    assert DEMONSTRATION_NOTE not in svg_texts(plain[1])


def test_png_is_at_print_resolution_and_pdf_embeds_every_font(tmp_path):
    png, _, pdf = render.save_figure(draw(), tmp_path / "f", note=DEMONSTRATION_NOTE)
    data = png.read_bytes()
    at = data.index(b"pHYs") + 4
    per_metre = int.from_bytes(data[at : at + 4], "big")
    assert round(per_metre * 0.0254) == 600
    text = pdf.read_bytes()
    fonts = text.count(b"/Type /FontDescriptor")
    assert fonts and text.count(b"/FontFile2") == fonts


def test_tables_carry_the_note_in_every_format_and_read_back(tmp_path):
    table = pd.DataFrame({"database": ["Ovid MEDLINE"], "records": [222]})
    paths = render.save_table(table, tmp_path / "t", caption="Records", note=DEMONSTRATION_NOTE)
    assert [p.suffix for p in paths] == [".csv", ".md", ".tex"]
    for path in paths:
        assert "Demonstration data" in path.read_text(), path.name
    assert render.read_table(tmp_path / "t.csv").equals(table)


def test_a_csv_starts_with_its_header_and_reads_with_csv_defaults(tmp_path):
    table = pd.DataFrame({"name": ['a "quoted", name', "b"], "n": [1, 2]})
    (path,) = render.save_table(
        table, tmp_path / "t", caption="C", note=DEMONSTRATION_NOTE, formats=("csv",)
    )
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["name", "n", render.NOTE_COLUMN]
    assert rows[1] == ['a "quoted", name', "1", DEMONSTRATION_NOTE]
    assert {len(row) for row in rows} == {3}


def test_tables_without_note_for_study_data(tmp_path):
    table = pd.DataFrame({"n": [1]})
    for path in render.save_table(table, tmp_path / "t", caption="C", note=None):
        assert "Demonstration" not in path.read_text()
    assert render.NOTE_COLUMN not in (tmp_path / "t.csv").read_text()


def test_an_unknown_table_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="table format"):
        render.save_table(pd.DataFrame({"n": [1]}), tmp_path / "t", caption="C", note=None,
                          formats=("csv", "pdf"))  # fmt: skip


WORDS = "peer support workers shared their own experience of recovery with service users"


def wide_table(rows=40):
    """Seven columns of long text and long identifiers: too wide for any page as it stands."""
    return pd.DataFrame(
        {
            "publication_id": [f"ovid_medline_2022-08:{i:06d}" for i in range(rows)],
            "theme": ["1 recruitment"] * (rows // 2) + ["2 preparation"] * (rows - rows // 2),
            "number": [f"1.{i}" for i in range(rows)],
            "definition": [f"{WORDS} ({i})" for i in range(rows)],
            "example": [WORDS.upper()] * rows,
            "doi": [f"https://doi.org/10.5555/ps.2020.{i:06d}" for i in range(rows)],
            "page": list(range(rows)),
        }
    )


def test_the_latex_table_is_a_longtable_of_paragraph_columns_with_notes_below():
    caption = render.Caption("Typology", number="Table 1", footnotes=("† a footnote",),
                             note=DEMONSTRATION_NOTE)  # fmt: skip
    tex = render.latex_table(wide_table(), caption, label="tab:x", group_by="theme")
    assert "\\caption{Typology}" in tex and "Table 1 Typology" not in tex.split("\n", 4)[4]
    assert "\\usepackage{booktabs,longtable,array}" in tex
    (spec,) = [line for line in tex.splitlines() if line.startswith("\\begin{longtable}")]
    assert spec.count(">{\\ragged") == spec.count("p{\\dimexpr") == 6  # paragraph columns only
    assert tex.count("\\multicolumn{6}") >= 2 + 2  # two theme rows, two notes
    assert tex.index("\\bottomrule") < tex.index("a footnote") < tex.index("\\endlastfoot")
    assert "1 recruitment" not in tex.split("\\endlastfoot")[1].split("\\\\*")[1]


def compile_latex(folder, name, tex):
    """Compile ``tex`` inside a plain article; the log."""
    (folder / f"{name}.tex").write_text(tex, encoding="utf-8")
    packages = ",".join(render.LATEX_PACKAGES)
    (folder / f"doc-{name}.tex").write_text(
        f"\\documentclass{{article}}\n\\usepackage{{{packages}}}\n"
        f"\\begin{{document}}\n\\input{{{name}}}\n\\end{{document}}\n"
    )
    for _ in range(2):  # longtable settles its widths on the second run
        done = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"doc-{name}.tex"],
            cwd=folder, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    log = (folder / f"doc-{name}.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-3000:]
    return log


needs_latex = pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex not found: install a TeX distribution (Debian: texlive-latex-recommended) "
    "to compile the LaTeX tables",
)


def overfull(log):
    return [line for line in log.splitlines() if line.startswith("Overfull \\hbox")]


@needs_latex
def test_a_table_too_wide_for_the_page_compiles_within_the_text_width(tmp_path):
    caption = render.Caption("Wide", footnotes=("‡ note",), note=DEMONSTRATION_NOTE)
    log = compile_latex(tmp_path, "wide", render.latex_table(wide_table(), caption))
    assert overfull(log) == []
    assert re.search(r"Output written on doc-wide\.pdf \([2-9] pages", " ".join(log.split()))


@needs_latex
@pytest.mark.parametrize(
    "path", sorted((ROOT / "outputs" / "tables").glob("*.tex")), ids=lambda p: p.name
)
def test_every_committed_latex_table_compiles_in_a_plain_article_and_fits(path, tmp_path):
    log = compile_latex(tmp_path, path.stem, path.read_text(encoding="utf-8"))
    assert overfull(log) == [], "\n".join(overfull(log))


def test_the_docx_grid_matches_its_cells_and_rows_never_split(tmp_path):
    import docx
    from docx.oxml.ns import qn

    path = render.save_docx_table(
        wide_table(6), tmp_path / "t.docx", caption="Typology", number="Table 1",
        note=DEMONSTRATION_NOTE, footnotes=("† a footnote",), group_by="theme",
    )  # fmt: skip
    document = docx.Document(path)
    (table,) = document.tables
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 6 and len(set(grid)) > 1
    assert int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)
    assert sum(grid) <= round(render.DOCX_TEXT_WIDTH_CM / 2.54 * 1440)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        widths = [int(tc.tcPr.tcW.get(qn("w:w"))) for tc in row._tr.tc_lst]
        assert sum(widths) == sum(grid)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    themes = [r for r in table.rows if len(r._tr.tc_lst) == 1]
    assert [r.cells[0].text for r in themes] == ["1 recruitment", "2 preparation"]
    text = [p.text for p in document.paragraphs]
    assert text[0] == "Table 1 Typology" and text[-1] == DEMONSTRATION_NOTE


def test_the_workbook_is_for_reading_widths_filters_frozen_header_numbers_about(tmp_path):
    import openpyxl

    table = pd.DataFrame({"Title": [WORDS * 2, "short"], "Page": ["12", "0012"], "n": [3, 4]})
    path = render.save_workbook(
        tmp_path / "w.xlsx", {"long list": render.Sheet(table, "Every item.")},
        title="ESM 3 A long list", note=DEMONSTRATION_NOTE,
    )  # fmt: skip
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["about", "long list"]
    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True)}
    assert about["Data"] == DEMONSTRATION_NOTE and about["Sheet 'long list'"] == "Every item."
    sheet = book["long list"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"
    assert sheet.column_dimensions["A"].width == render.XLSX_MAX_WIDTH
    assert sheet["A2"].alignment.wrap_text and sheet["A1"].font.bold
    assert sheet["B2"].value == 12 and sheet["B3"].value == "0012" and sheet["C2"].value == 3
    assert DEMONSTRATION_NOTE in sheet.oddHeader.center.text


def test_markdown_table_escapes_pipes_and_right_aligns_numbers():
    table = pd.DataFrame({"name": ["a|b"], "n": [3]})
    assert render.markdown_table(table) == "| name | n |\n| --- | ---: |\n| a\\|b | 3 |\n"


@pytest.mark.parametrize(
    "text,expected", [("50% of a_b", r"50\% of a\_b"), ("#1 & {x}", r"\#1 \& \{x\}")]
)
def test_latex_text_is_escaped(text, expected):
    assert render.latex_escape(text) == expected


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "outputs").rglob("*.csv"))
    + sorted((ROOT / "data" / "processed").rglob("*.csv")),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_every_committed_csv_reads_with_a_plain_csv_reader(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows and not rows[0][0].startswith("#"), "a comment line where the header belongs"
    assert len(set(rows[0])) == len(rows[0]), "repeated column names"
    assert {len(row) for row in rows} == {len(rows[0])}, "rows of another width than the header"


@pytest.mark.parametrize("path", sorted((ROOT / "outputs" / "figures").glob("*.svg")), ids=str)
def test_every_committed_svg_carries_its_text(path):
    texts = svg_texts(path)
    assert len(texts) > 3 and any("Demonstration data" in t for t in texts)
