"""Property tests: any bytes give records or our own error; RIS round trip."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compendium import columns as col
from compendium.readers import ReaderError, read_records, write_ris
from compendium.records import MISSING_MARKS

_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_LINES = st.sampled_from(
    [
        "TY  - JOUR",
        "ER  - ",
        "TI  - A title",
        "AU  - Smith, J",
        "1.",
        "<1>",
        "Title",
        "  A value",
        "PMID- 123",
        "FN Clarivate",
        "PT J",
        "ER",
        "EF",
        "title,doi",
        "x,10.1234/a",
        "<?xml version='1.0'?><xml><records><record>",
        "%0 Journal Article",
        "%A Smith, J",
        "%50 of",
        "@article{key,",
        "@string{j = {J}}",
        '  title = {A {\\"u} \\textit{b} % c},',
        '  author = "Smith, J and {WHO} and others",',
        "  journal = j # { X},",
        "  pages = {1--2}}",
        "}",
        "{",
        "\\",
        "%",
        "$",
        "",
        "   ",
    ]
)


def _read_or_error(tmp_path, data: bytes) -> None:
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    try:
        records = read_records(path)
    except ReaderError:
        return
    assert tuple(records.columns) == col.RECORD_COLUMNS


@_SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_give_records_or_reader_error(tmp_path, data):
    _read_or_error(tmp_path, data)


@_SETTINGS
@given(lines=st.lists(_LINES, max_size=20), ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_mix_of_export_lines_gives_records_or_reader_error(tmp_path, lines, ending):
    _read_or_error(tmp_path, ending.join(lines).encode("utf-8"))


_TEXT = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=";"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s not in MISSING_MARKS)  # "NA" is read as a missing value
)
_NAME = st.builds(lambda f, g: f"{f}, {g}", _TEXT.filter(lambda s: "," not in s), _TEXT)
_RECORD = st.fixed_dictionaries(
    {
        col.TITLE: _TEXT,
        col.AUTHORS: st.lists(_NAME, min_size=1, max_size=4).map("; ".join),
        col.YEAR: st.integers(1900, 2099),
        col.JOURNAL: _TEXT,
        col.VOLUME: st.from_regex(r"[0-9]{1,3}", fullmatch=True),
        col.ISSUE: st.from_regex(r"[0-9]{1,2}", fullmatch=True),
        col.PAGES: st.from_regex(r"e?[0-9]{1,4}(-[0-9]{1,4})?", fullmatch=True),
        # a DOI ending in "." is cut there on purpose (sentence punctuation), so none here
        col.DOI: st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9.()-]{0,14}[a-z0-9]", fullmatch=True),
        col.PMID: st.from_regex(r"[1-9][0-9]{0,7}", fullmatch=True),
        col.ABSTRACT: _TEXT,
        col.DATABASE: st.sampled_from(["Ovid MEDLINE", "Scopus", "Ovid APA PsycInfo"]),
    }
)


@_SETTINGS
@given(rows=st.lists(_RECORD, min_size=1, max_size=5))
def test_ris_round_trip(tmp_path, rows):
    records = pd.DataFrame(rows)
    path = write_ris(records, tmp_path / "included.ris")
    back = read_records(path)
    compared = [c for c in col.RECORD_COLUMNS if c in records.columns]
    expected = records[compared].astype({c: "string" for c in compared if c != col.YEAR})
    expected[col.YEAR] = expected[col.YEAR].astype("Int64")
    pd.testing.assert_frame_equal(back[compared], expected, check_dtype=False)


def test_ris_round_trip_of_a_real_shaped_export(fixture, tmp_path):
    records = read_records(fixture("ris_numbering_lines.ris"))
    back = read_records(write_ris(records, tmp_path / "out.ris"))
    kept = [c for c in col.RECORD_COLUMNS if c not in (col.RECORD_ID, col.SOURCE_FILE, col.RAW)]
    pd.testing.assert_frame_equal(back[kept], records[kept])
