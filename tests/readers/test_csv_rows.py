"""The CSV reader's two ways of splitting a text into rows give csv's cells and lines.

Most texts are split at their quote characters; a text that split would misread goes to
the :mod:`csv` module. Either way the cells, the line of each record and the errors must
be what :mod:`csv` gives.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compendium import columns as col
from compendium.readers import ReaderError, read_records
from compendium.readers.csv_exports import parse_csv

PATH = Path("export.csv")


@pytest.fixture
def field_limit():
    """Set csv's field size limit for one test, restoring it afterwards."""
    before = csv.field_size_limit()
    yield csv.field_size_limit
    csv.field_size_limit(before)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _error_line(text: str) -> int | None:
    with pytest.raises(ReaderError) as info:
        parse_csv(text, path=PATH)
    return info.value.line


def test_line_breaks_inside_quoted_cells_count_in_error_lines(tmp_path):
    text = 'title,abstract\n"A","first line\nsecond line"\n"B","x",surplus\n'
    with pytest.raises(ReaderError) as info:
        read_records(_write(tmp_path, text))
    assert info.value.line == 4


def test_blank_lines_before_the_header_and_between_rows_count_in_error_lines(tmp_path):
    text = "\n\ntitle,doi\n\nFirst,10.1/a\n\n\nSecond,10.1/b,surplus\n"
    with pytest.raises(ReaderError) as info:
        read_records(_write(tmp_path, text))
    assert info.value.line == 8


def test_record_lines_are_where_each_record_ends():
    text = 'title,doi\n"A\nB",10.1/a\n\nC,"10.1/c"\n"D",'
    assert [r.line for r in parse_csv(text, path=PATH)] == [3, 5, 6]


def test_a_carriage_return_in_a_quoted_cell_is_a_line_end_as_for_csv():
    # Decoded exports have only "\n"; parse_csv given a "\r" counts it as csv does.
    assert _error_line('title,doi\n"A\rB",10.1/a\n"C",x,surplus\n') == 4


@pytest.mark.parametrize(
    "body",
    [
        '"He said ""no""",,,10.1/a\n',  # doubled quotes inside a quoted cell
        '"a, b",,,10.1/a\n',  # a quoted delimiter
        '"A",2020,,"10.1/a"\n"B",NA,3,"10.1/b"\n',  # unquoted cells between quoted ones
        '"A",2020,,"10.1/a"',  # no line end at the end
        'ab"c,,,10.1/a\n',  # a quote inside an unquoted cell is kept
        '"ab"c,,,10.1/a\n',  # text after a closing quote joins the cell
        ' "a",,,10.1/a\n',  # a space before a quote makes it part of the cell
    ],
)
def test_quotes_give_the_cells_csv_gives(body):
    text = "title,year,volume,doi\n" + body
    expected = list(csv.reader(io.StringIO(text, newline="")))[1:]
    records = parse_csv(text, path=PATH)
    assert [[value for _, value in r.pairs] for r in records] == expected


@pytest.mark.parametrize(
    "cell",
    [
        '"' + "x" * 11 + '"',  # one piece between quotes
        '"xxxxx""xxxxx"',  # pieces within the limit around a doubled quote: 11 characters
        "x" * 11,  # unquoted
    ],
)
def test_a_cell_longer_than_the_field_limit_is_an_error_at_its_line(field_limit, cell):
    field_limit(10)
    # Every other piece of text between quotes is short, as in a quoted export.
    text = f'"title","doi"\n"A","1"\n"B",{cell}\n"C","3"\n'
    with pytest.raises(ReaderError) as info:
        parse_csv(text, path=PATH)
    assert info.value.line == 3
    assert info.value.value == "field larger than field limit (10)"


def test_a_header_record_longer_than_the_field_limit_is_a_reader_error(field_limit):
    # The header's first line is fine; its quoted cell goes on over the next line.
    field_limit(20)
    text = 'title,"a\n' + "x" * 30 + '"\nA,1\n'
    assert _error_line(text) == 2


def test_short_rows_and_repeated_columns_read_as_a_dict_of_the_row(tmp_path):
    # A row is read as dict(zip(header, cells)): of repeated columns the last one present
    # wins, so a short row takes the first "title" and a full row the second. (Short rows
    # are read only in a file where no row is full: see the next test.)
    short = read_records(_write(tmp_path, "title,doi,title\nA,10.1234/a\nC,10.1234/c\n"))
    assert list(short[col.TITLE]) == ["A", "C"]
    assert list(short[col.DOI]) == ["10.1234/a", "10.1234/c"]
    full = read_records(_write(tmp_path, "title,doi,title\nA,10.1234/b,B\n"))
    assert list(full[col.TITLE]) == ["B"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # a line break inside an unquoted cell splits one record into two short rows
        ("title,doi,year\nA,10.1/a,2020\nB part,\none,10.1/b,2021\nC,10.1/c,2022\n", 3),
        # a file cut short ends in a short row
        ("title,doi,year\nA,10.1/a,2020\nB,10.1/b,2021\nC,10.1", 4),
    ],
)
def test_a_short_row_beside_full_rows_is_an_error_at_its_line(text, line):
    assert _error_line(text) == line


def test_a_quoted_cell_open_at_the_end_of_the_file_is_an_error_where_its_row_starts():
    text = 'title,doi\n"A",10.1/a\n"B",10.1/b\n"C, cut short\nin a cell'
    with pytest.raises(ReaderError, match="still open at the end of the file") as info:
        parse_csv(text, path=PATH)
    assert info.value.line == 4


def test_columns_named_alike_in_another_case_read_as_before(tmp_path):
    # The generic layout lowers the names of the row's dict in its order: "title" first
    # (holding the last "title" cell), then "Title", whose cell wins.
    records = read_records(_write(tmp_path, "title,Title,title,doi\na,b,c,10.1/a\n"))
    assert list(records[col.TITLE]) == ["b"]


def _csv_reference(text: str) -> list[tuple[list[list[str]], int]] | int:
    """What parse_csv gives, from csv alone: each record's pairs and line, or an error line.

    The errors: a value beyond the last column (at its row); a quoted cell open at the end
    of the text (where its row starts); a row with fewer cells than the header when
    another row has them all (at the first short row).
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    ended, last_start = reader.line_num, 1
    out, short, full = [], None, False
    for cells in reader:
        ended, last_start = reader.line_num, ended + 1
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[len(header) :]):
            return reader.line_num  # a value beyond the last column
        if len(cells) < len(header):
            short = short or reader.line_num
        else:
            full = True
        out.append(([list(p) for p in zip(header, cells, strict=False)], reader.line_num))
    tail = "".join(text.splitlines(keepends=True)[last_start - 1 :])
    try:
        list(csv.reader(io.StringIO(tail, newline=""), strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return last_start
    if short is not None and full:
        return short
    return out


# Any text (mostly misquoted), and well-formed CSV (quoted cells with quotes, delimiters
# and line breaks in them, unquoted cells, blank lines).
_PIECES = st.sampled_from(['"', '""', ",", "\n", "\n\n", "a", " ", "NA", ";", "10.1/x", "é"])
_QUOTED = st.text(alphabet='ab ,\n"é', max_size=5).map(lambda s: '"' + s.replace('"', '""') + '"')
_CELL = st.one_of(_QUOTED, st.text(alphabet="ab é;", max_size=4))
_ROWS = st.lists(st.lists(_CELL, max_size=4).map(",".join), max_size=6).map("\n".join)
_BODIES = st.one_of(
    st.lists(_PIECES, max_size=40).map("".join),
    st.tuples(_ROWS, st.sampled_from(["", "\n"])).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(body=_BODIES)
def test_any_text_gives_the_pairs_and_lines_csv_gives(body):
    text = "title,doi,authors\n" + body
    try:
        got: object = [([list(p) for p in r.pairs], r.line) for r in parse_csv(text, path=PATH)]
    except ReaderError as exc:
        got = exc.line
    assert got == _csv_reference(text)


_NAMES = st.sampled_from(["id", "rft_id", "rft%5Fid", "i%64", "sid", "rft.atitle", "", "id+"])
_VALUES = st.sampled_from(
    [
        *("doi:10.1/x", "info:doi/10.1%2Fx", "info:pmid/123", "pmid:12", "doi%3A10.2", "a+b"),
        *("", "%zz", "%C3%A9", "info:", "doi:", "x=y", "%", "10.1/x"),
    ]
)
# Parameters ("name=value"), some without "=", joined by "&" with the odd stray piece.
_QUERIES = st.lists(
    st.one_of(
        st.tuples(_NAMES, _VALUES).map("=".join),
        _NAMES,
        st.sampled_from(["", "&", "?", ";", "#", "=", "+"]),
    ),
    max_size=8,
).map("&".join)


@settings(max_examples=400, deadline=None)
@given(_QUERIES, st.booleans())
def test_openurl_ids_are_the_parameters_parse_qs_reads(query, with_path):
    from urllib.parse import parse_qs

    from compendium.readers.csv_exports import _openurl_ids

    link = f"http://sfx.example/resolver?{query}" if with_path else query
    expected = []
    if "?" in link:
        params = parse_qs(link.partition("?")[2])
        for value in params.get("id", []) + params.get("rft_id", []):
            kind, _, value = (
                value[5:].partition("/") if value.startswith("info:") else value.partition(":")
            )
            if value:
                expected.append((kind.lower(), value))
    assert _openurl_ids(link) == expected


@pytest.mark.parametrize("header", ["pubmedID", "PubMed ID", "pubmed_id", "PMID", "pubmed-id"])
def test_a_spreadsheets_spelling_of_a_column_is_read_as_it(tmp_path, header):
    path = _write(tmp_path, f"Title,{header},Publication Year\nPeer support,10051933,1999\n")
    records = read_records(path)
    assert list(records[col.PMID]) == ["10051933"]
    assert list(records[col.YEAR]) == [1999]


def test_a_pubmed_records_pmid_is_its_id_and_another_databases_is_not(tmp_path):
    from compendium.readers import read_export

    path = _write(tmp_path, "title,pmid,year\nPeer support,10051933,1999\n")
    assert list(read_export(path, database="PubMed").records[col.RECORD_ID]) == ["medline:10051933"]
    embase = read_export(path, database="Embase").records[col.RECORD_ID].iloc[0]
    assert embase.startswith("embase:t")  # Embase's own number is not the PMID
