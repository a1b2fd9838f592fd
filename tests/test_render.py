import pandas as pd
import pytest

from compendium import render
from compendium.dataset import DEMONSTRATION_NOTE


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


def test_demonstration_figures_carry_the_note_visibly(tmp_path):
    svg = render.save_figure(draw(), tmp_path / "demo", note=DEMONSTRATION_NOTE)[1].read_text()
    plain = render.save_figure(draw(), tmp_path / "study", note=None)[1].read_text()
    # text is drawn as paths; the note's glyphs make the SVG larger, and its words are in
    # the file as the path group's comment
    assert "Demonstration data" in svg
    assert "Demonstration data" not in plain


def test_tables_carry_the_note_in_every_format_and_read_back(tmp_path):
    table = pd.DataFrame({"database": ["Ovid MEDLINE"], "records": [222]})
    paths = render.save_table(table, tmp_path / "t", caption="Records", note=DEMONSTRATION_NOTE)
    assert [p.suffix for p in paths] == [".csv", ".md", ".tex"]
    for path in paths:
        assert "Demonstration data" in path.read_text(), path.name
    assert render.read_table(tmp_path / "t.csv").equals(table)


def test_tables_without_note_for_study_data(tmp_path):
    table = pd.DataFrame({"n": [1]})
    for path in render.save_table(table, tmp_path / "t", caption="C", note=None):
        assert "Demonstration" not in path.read_text()


def test_markdown_table_escapes_pipes_and_right_aligns_numbers():
    table = pd.DataFrame({"name": ["a|b"], "n": [3]})
    assert render.markdown_table(table) == "| name | n |\n| --- | ---: |\n| a\\|b | 3 |\n"


@pytest.mark.parametrize(
    "text,expected", [("50% of a_b", r"50\% of a\_b"), ("#1 & {x}", r"\#1 \& \{x\}")]
)
def test_latex_text_is_escaped(text, expected):
    assert render.latex_escape(text) == expected
