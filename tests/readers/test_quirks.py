"""One fixture of our own per quirk; each test is named after its quirk."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from compendium import columns as col
from compendium.readers import ReaderError, read_export, read_records


def _raw(df: pd.DataFrame, row: int = 0) -> list[list[str]]:
    return json.loads(df[col.RAW].iloc[row])


# --- schema --------------------------------------------------------------------------------
def test_schema_columns_ids_and_dtypes(fixture):
    df = read_records(fixture("ris_numbering_lines.ris"))
    assert tuple(df.columns) == col.RECORD_COLUMNS
    # no accession number in the file: a MEDLINE record's own number is its PMID
    assert list(df[col.RECORD_ID]) == ["medline:" + pmid for pmid in df[col.PMID]]
    assert df[col.RECORD_ID].is_unique
    assert set(df[col.SOURCE_FILE]) == {"ris_numbering_lines.ris"}
    assert str(df[col.YEAR].dtype) == "Int64"
    assert df[col.ABSTRACT].isna().all()
    assert df[col.ABSTRACT].iloc[0] is pd.NA


def test_same_file_same_frame(fixture):
    first = read_records(fixture("ovid_labelled.txt"))
    second = read_records(fixture("ovid_labelled.txt"))
    pd.testing.assert_frame_equal(first, second)


# --- RIS -------------------------------------------------------------------------------------
def test_ris_numbering_lines_ovid_medline(fixture):
    df = read_records(fixture("ris_numbering_lines.ris"))
    first = df.iloc[0]
    assert len(df) == 2
    assert first[col.DATABASE] == "Ovid MEDLINE"
    assert first[col.PMID] == "31234567"  # Ovid MEDLINE's ID is the PubMed id
    assert first[col.DOI] == "10.1176/appi.ps.201900001"
    assert first[col.PAGES] == "801-9"
    assert first[col.YEAR] == 2019
    assert first[col.JOURNAL] == "Psychiatric Services"


def test_ris_preamble_record_provider_content(fixture):
    df = read_records(fixture("ris_preamble.ris"))
    assert len(df) == 2
    assert list(df[col.DATABASE]) == ["APA PsycInfo", "APA PsycInfo"]


def test_ris_utf8_bom(fixture):
    export = read_export(fixture("ris_utf8_bom.ris"))
    assert (export.encoding, export.bom, len(export.records)) == ("utf-8", True, 1)
    assert _raw(export.records)[0] == ["TY", "JOUR"]


def test_ris_utf16_bom_crlf(fixture):
    export = read_export(fixture("ris_utf16_bom.ris"))
    assert export.encoding == "utf-16-le"
    assert export.line_endings == "CRLF"
    assert export.records[col.AUTHORS].iloc[0] == "Müller, Jürgen"


def test_ris_cp1252_is_reported(fixture):
    export = read_export(fixture("ris_cp1252.ris"))
    assert export.encoding == "cp1252"
    assert export.records.attrs["encoding"] == "cp1252"
    assert export.records[col.AUTHORS].iloc[0] == "Lévêque, Zoë"


def test_ris_cp1252_read_strictly_as_utf8_is_an_error(fixture):
    with pytest.raises(ReaderError, match="utf-8"):
        read_records(fixture("ris_cp1252.ris"), encoding="utf-8")


def test_ris_mixed_line_endings(fixture):
    export = read_export(fixture("ris_mixed_line_endings.ris"))
    assert export.line_endings == "mixed (CRLF 4, LF 3)"
    assert list(export.records[col.TITLE]) == ["First", "Second"]


def test_ris_continuation_lines_stay_with_their_tag(fixture):
    df = read_records(fixture("ris_continuation_lines.ris"))
    assert df[col.TITLE].iloc[0] == "A title wrapped over two lines"
    assert ["KW", "first keyword\nsecond keyword"] in _raw(df)
    assert df[col.ABSTRACT].iloc[0] == "An abstract that continues."


def test_ris_blank_line_in_record(fixture):
    df = read_records(fixture("ris_blank_line_in_record.ris"))
    assert len(df) == 2
    assert ["U3", "Export Date: 1 January 2020\n\nArticle"] in _raw(df)


def test_ris_er_without_space(fixture):
    assert len(read_records(fixture("ris_er_without_space.ris"))) == 2


def test_ris_ovid_trailer_lines_after_er(fixture):
    df = read_records(fixture("ris_ovid_trailer.ris"))
    raw = _raw(df)
    assert len(df) == 2
    assert ["NL", "Psychiatr Serv"] in raw
    assert raw[-1][0] == "Link to the Ovid Full Text or citation"
    assert raw[-1][1].startswith("http://ovidsp.ovid.com/")
    assert _raw(df, 1)[-1][1] == "http://ovidsp.ovid.com/ovidweb.cgi?D=medl&AN=2"
    assert df[col.DATABASE].iloc[0] == "Ovid MEDLINE"  # from the link's D=medl


def test_ris_four_letter_tag_pmid(fixture):
    df = read_records(fixture("ris_four_letter_tag.ris"))
    assert df[col.PMID].iloc[0] == "33355555"
    assert ["PMID", "33355555"] in _raw(df)


def test_ris_ebscohost_database_code(fixture):
    df = read_records(fixture("ris_ebscohost_db_code.ris"))
    assert df[col.DATABASE].iloc[0] == "EBSCOhost APA PsycInfo"
    assert df[col.PMID].iloc[0] is pd.NA  # a PsycInfo accession number is no PubMed id


def test_caller_database_wins(fixture):
    df = read_records(fixture("ris_ebscohost_db_code.ris"), database="PsycINFO (EBSCO)")
    assert df[col.DATABASE].iloc[0] == "PsycINFO (EBSCO)"


def test_ris_missing_er_merging_records_is_an_error(fixture):
    with pytest.raises(ReaderError) as info:
        read_records(fixture("ris_missing_er.ris"))
    assert info.value.line == 4
    assert "line 1" in info.value.expected
    assert "ris_missing_er.ris: line 4" in str(info.value)


def test_ris_cut_off_record_is_an_error(fixture):
    with pytest.raises(ReaderError) as info:
        read_records(fixture("ris_cut_off.ris"))
    assert info.value.line == 7
    assert "end of the file" in str(info.value)


def test_ris_tag_outside_record_is_an_error(fixture):
    with pytest.raises(ReaderError) as info:
        read_records(fixture("ris_tag_outside_record.ris"))
    assert info.value.line == 6
    assert info.value.value == "TI  - A stray title"


# --- Ovid text -------------------------------------------------------------------------------
def test_ovid_labelled_preamble_fields_and_link_lines(fixture):
    export = read_export(fixture("ovid_labelled.txt"))
    df = export.records
    first = df.iloc[0]
    assert export.format == "Ovid field-labelled text"
    assert len(df) == 2
    assert (
        first[col.TITLE]
        == "Peer support work in community mental health teams: a qualitative study."
    )
    assert first[col.AUTHORS] == "Smith, Jane; O'Brien, Mary Anne"
    assert (first[col.JOURNAL], first[col.VOLUME], first[col.ISSUE]) == (
        "Psychiatric Services",
        "70",
        "9",
    )
    assert first[col.PAGES] == "801-809"
    assert first[col.DOI] == "10.1176/appi.ps.201900001"
    assert first[col.PMID] == "31234567"
    assert first[col.DATABASE] == "Ovid MEDLINE"  # from the preamble's Database: line
    assert first[col.ABSTRACT] == "First paragraph. Second paragraph."
    assert ["Abstract", "First paragraph.\n\nSecond paragraph."] in _raw(df)
    link = _raw(df)[-1]
    assert link[0] == "Link to the Ovid Full Text or citation:"
    assert link[1].endswith("AN=31234567")
    assert _raw(df, 1)[-1][1].endswith("AN=31234568")  # URL indented by one space


def test_ovid_labelled_psycinfo_source_and_database(fixture):
    df = read_records(fixture("ovid_labelled_psycinfo.txt"))
    first = df.iloc[0]
    assert first[col.DATABASE] == "Ovid APA PsycInfo"
    assert (first[col.VOLUME], first[col.ISSUE], first[col.PAGES]) == ("26", "6", "691-700")
    assert first[col.YEAR] == 2019
    assert first[col.PMID] is pd.NA


def test_ovid_labelled_without_record_header_is_rejected(fixture):
    with pytest.raises(ReaderError, match="no record header"):
        read_records(fixture("ovid_labelled_no_header.txt"))


def test_ovid_labelled_stray_text_before_first_record_is_an_error(fixture):
    with pytest.raises(ReaderError) as info:
        read_records(fixture("ovid_labelled_stray_text.txt"))
    assert info.value.line == 1


def test_ovid_tagged(fixture):
    export = read_export(fixture("ovid_tagged.txt"))
    df = export.records
    assert export.format == "Ovid tagged text"
    assert list(df[col.DATABASE]) == ["Ovid MEDLINE", "Ovid APA PsycInfo"]
    assert df[col.TITLE].iloc[0] == "Peer support work: a review."
    assert df[col.AUTHORS].iloc[0] == "Smith, J; Jones, KL"
    assert df[col.PMID].iloc[0] == "31234567"
    assert df[col.PMID].iloc[1] is pd.NA


def test_ovid_tagged_real_headers_unindented_continuation_and_ovid_codes(fixture):
    export = read_export(fixture("ovid_tagged_embase.txt"))
    df = export.records
    assert export.format == "Ovid tagged text"
    assert len(df) == 2
    embase, biosis = df.iloc[0], df.iloc[1]
    assert _raw(df)[0] == ["<n>", "101"]
    # Unindented lines and a blank line inside AB continue the abstract.
    ab = dict(_raw(df))["AB"]
    assert ab.startswith("Background:") and ab.endswith(
        "Conclusion(s): Roles need clear supervision."
    )
    assert "Method(s): We interviewed" in ab and "\n\nResult(s)" in ab
    assert embase[col.ABSTRACT].endswith("Conclusion(s): Roles need clear supervision.")
    assert (embase[col.JOURNAL], embase[col.VOLUME], embase[col.ISSUE]) == (
        "Journal of Mental Health",
        "31",
        "4",
    )
    assert embase[col.PAGES] == "455-463"
    assert embase[col.DOI] == "10.1080/09638237.2021.0000001"
    assert embase[col.DATABASE] == "Ovid Embase"
    # IS is the ISSN and PA a patent's assignee in Ovid's codes: not issue, not pages.
    assert biosis[col.ISSUE] is pd.NA
    assert biosis[col.PAGES] is pd.NA
    # A bracketed note after an author may hold ";": it is no second author.
    assert biosis[col.AUTHORS] == "Werner, S. M.; Raffa, K. F."


def test_ovid_tagged_text_before_the_first_tag_is_an_error(tmp_path):
    path = tmp_path / "ovid_stray.txt"
    path.write_text("<1. >\nTI  - A\n\n<2. >\nstray text\nTI  - B\n", encoding="utf-8")
    with pytest.raises(ReaderError) as info:
        read_records(path)
    assert (info.value.line, info.value.value) == (5, "stray text")


# --- MEDLINE, WoS ----------------------------------------------------------------------------
def test_medline_crlf_continuation_and_unpadded_tag(fixture):
    export = read_export(fixture("medline_crlf.nbib"))
    df = export.records
    assert export.line_endings == "CRLF"
    assert len(df) == 2
    first = df.iloc[0]
    assert first[col.TITLE] == "Impact of balloon guide catheter use on clinical outcomes."
    assert first[col.AUTHORS] == "Nguyen, Thanh N"  # FAU preferred over AU
    assert first[col.DOI] == "10.1161/strokeaha.118.021126"
    assert first[col.DATABASE] == "PubMed"
    assert df[col.PMID].iloc[1] == "22664220"


def test_medline_stray_line_is_an_error(fixture):
    with pytest.raises(ReaderError) as info:
        read_records(fixture("medline_stray_line.nbib"))
    assert info.value.line == 4


def test_wos_plain_text_continuation(fixture):
    df = read_records(fixture("wos_plain_text.txt"))
    assert len(df) == 2
    first = df.iloc[0]
    assert first[col.AUTHORS] == "Smith, Jane; Jones, Kate"
    assert first[col.TITLE] == "Peer support work in mental health: a review"
    assert first[col.PAGES] == "801-809"
    assert first[col.DATABASE] == "Web of Science"


_WOS_HEAD = "FN Clarivate Analytics Web of Science\nVR 1.0\n"


def test_wos_new_record_before_er_is_an_error(tmp_path):
    path = tmp_path / "wos_no_er.txt"
    path.write_text(_WOS_HEAD + "PT J\nTI First\nPT J\nTI Second\nER\nEF\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="record that starts on line 3") as info:
        read_records(path)
    assert info.value.line == 5


def test_wos_text_between_records_is_an_error(tmp_path):
    path = tmp_path / "wos_stray.txt"
    path.write_text(_WOS_HEAD + "PT J\nTI First\nER\nstray\nPT J\nER\nEF\n", encoding="utf-8")
    with pytest.raises(ReaderError) as info:
        read_records(path)
    assert (info.value.line, info.value.value) == (6, "stray")


def test_wos_blank_line_inside_a_record_stays_with_its_value(tmp_path):
    path = tmp_path / "wos_blank.txt"
    path.write_text(
        _WOS_HEAD + "PT J\nTI A title\n\n   continued\nSO J\nER\nEF\n", encoding="utf-8"
    )
    df = read_records(path)
    assert _raw(df)[:3] == [["PT", "J"], ["TI", "A title\n\ncontinued"], ["SO", "J"]]
    assert df[col.TITLE].iloc[0] == "A title continued"


def test_wos_cut_off_record_is_an_error(fixture):
    with pytest.raises(ReaderError) as info:
        read_records(fixture("wos_cut_off.txt"))
    assert info.value.line == 7


# --- CSV, XML --------------------------------------------------------------------------------
def test_generic_csv_semicolon_and_bibtex_authors(fixture):
    export = read_export(fixture("generic_semicolon.csv"))
    df = export.records
    assert export.format == "CSV (generic)"
    assert df[col.AUTHORS].iloc[0] == "Smith, Jane; Jones, Kate"
    assert df[col.DOI].iloc[0] == "10.1234/abc"
    assert df[col.DATABASE].iloc[0] == "Expert suggestion"
    assert df[col.TITLE].iloc[1] == "A title; with a semicolon"
    assert df[col.YEAR].iloc[1] is pd.NA
    assert df[col.DATABASE].iloc[1] is pd.NA


def test_csv_row_with_extra_cells_is_an_error(fixture):
    with pytest.raises(ReaderError) as info:
        read_records(fixture("csv_extra_cells.csv"))
    assert info.value.line == 3


def test_pubmed_xml_inline_markup_and_collective_author(fixture):
    df = read_records(fixture("pubmed_article.xml"))
    first = df.iloc[0]
    assert first[col.TITLE] == "Peer support with italic words."
    assert first[col.AUTHORS] == "Smith, Jane; Peer Study Group"
    assert first[col.JOURNAL] == "Psychiatric services & practice"
    assert first[col.ABSTRACT] == "BACKGROUND: Peers."
    assert (first[col.PMID], first[col.DOI], first[col.YEAR]) == (
        "31234567",
        "10.1176/appi.ps.1",
        2019,
    )


def test_endnote_xml_style_wrapped_values(fixture):
    df = read_records(fixture("endnote.xml"))
    assert len(df) == 2
    first = df.iloc[0]
    assert (first[col.TITLE], first[col.JOURNAL]) == ("Peer support", "Psychiatric Services")
    assert (first[col.DOI], first[col.PMID], first[col.DATABASE]) == (
        "10.1176/appi.ps.1",
        "31234567",
        "MEDLINE",
    )


# --- not an export ---------------------------------------------------------------------------
def test_unrecognised_file_names_file_and_formats_tried(fixture):
    with pytest.raises(ReaderError) as info:
        read_records(fixture("not_an_export.txt"))
    message = str(info.value)
    assert "not_an_export.txt" in message
    for name in ("RIS", "Ovid field-labelled text", "Web of Science plain text", "EndNote XML"):
        assert name in message


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b"  \r\n\t\r\n"])
def test_empty_file_says_it_is_empty(tmp_path, data):
    empty = tmp_path / "empty.ris"
    empty.write_bytes(data)
    with pytest.raises(ReaderError, match=r"empty\.ris: the file is empty"):
        read_records(empty)


def test_ris_value_line_like_an_ovid_header_stays_ris(tmp_path):
    path = tmp_path / "ris_with_angle_number.txt"
    path.write_text("TY  - JOUR\nN2  - Scores:\n<1>\nER  - \n", encoding="utf-8")
    export = read_export(path)
    assert export.format == "RIS"
    assert ["N2", "Scores:\n<1>"] in _raw(export.records)


def test_raw_is_compact_json_of_every_pair_in_order_with_text_as_given(tmp_path):
    path = tmp_path / "raw.ris"
    path.write_text(
        'TY  - JOUR\nTI  - Müller \u2013 "peer" work\nKW  - a\nKW  - b\nER  - \n', encoding="utf-8"
    )
    raw = read_records(path)[col.RAW].iloc[0]
    pairs = [["TY", "JOUR"], ["TI", 'Müller \u2013 "peer" work'], ["KW", "a"], ["KW", "b"]]
    assert raw == json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))


# --- where the database and the PMID come from ------------------------------------------------
def _ris(tmp_path, body: str) -> pd.DataFrame:
    path = tmp_path / "export.ris"
    path.write_text(body, encoding="utf-8")
    return read_records(path)


def test_ris_numeric_id_is_no_pmid_when_no_database_is_named(tmp_path):
    # Rayyan, Dimensions and reference managers number their records in ID.
    df = _ris(tmp_path, "TY  - JOUR\nTI  - A\nID  - 939\nER  - \n")
    assert df[col.PMID].iloc[0] is pd.NA
    # In a MEDLINE-family export ID is Ovid's accession number, the PMID.
    df = _ris(tmp_path, "TY  - JOUR\nDB  - Ovid MEDLINE(R)\nID  - 31234567\nER  - \n")
    assert df[col.PMID].iloc[0] == "31234567"


def test_ris_embase_pmid_in_c5(tmp_path):
    df = _ris(tmp_path, "TY  - JOUR\nDB  - Embase\nDB  - Medline\nC5  - 15368318\nER  - \n")
    assert (df[col.DATABASE].iloc[0], df[col.PMID].iloc[0]) == ("Embase", "15368318")


@pytest.mark.parametrize(
    ("lines", "database"),
    [
        ("AN  - WOS:000444108200009\n", "Web of Science"),
        (
            "AN  - pub.1117140107\nUR  - https://app.dimensions.ai/details/publication/pub.1\n",
            "Dimensions",
        ),
        ("UR  - https://www.lens.org/lens/scholar/article/199-705-785-512-388/main\n", "Lens.org"),
        ("DP  - EBSCOhost\nDB  - ecn\n", "EBSCOhost EconLit"),
        ("DP  - EBSCOhost\nDB  - 8gh\n", "EBSCOhost GreenFILE"),
        ("UR  - https://doi.org/10.1023/A:1024814009769\n", None),
    ],
)
def test_ris_database_from_accession_numbers_links_and_ebsco_codes(tmp_path, lines, database):
    df = _ris(tmp_path, "TY  - JOUR\nTI  - A\n" + lines + "ER  - \n")
    value = df[col.DATABASE].iloc[0]
    assert (None if value is pd.NA else value) == database


def test_values_that_say_missing_are_missing(tmp_path):
    df = _ris(tmp_path, "TY  - JOUR\nTI  - A title\nAU  - NA\nAB  - NA\nVL  - N/A\nER  - \n")
    assert df[col.ABSTRACT].iloc[0] is pd.NA
    assert df[col.VOLUME].iloc[0] is pd.NA
    assert df[col.AUTHORS].iloc[0] is pd.NA
    assert ["AB", "NA"] in _raw(df)  # the export's own value stays in raw


def test_wos_page_span_of_zoological_record_and_biosis(tmp_path):
    path = tmp_path / "zoorec.txt"
    path.write_text(
        _WOS_HEAD + "PT J\nTI A\nPS 134-141\nUT ZOOREC:ZOOR15500012345\nER\n\nEF\n",
        encoding="utf-8",
    )
    df = read_records(path)
    assert (df[col.PAGES].iloc[0], df[col.DATABASE].iloc[0]) == ("134-141", "Zoological Record")


def test_scopus_csv_before_2019_comma_separated_authors(tmp_path):
    path = tmp_path / "scopus_2018.csv"
    path.write_text(
        "Authors,Author Ids,Title,Year,Source title,Volume,Issue,DOI\n"
        '"Little A.R., Mike Conner L., Chamberlain M.J.","1;2;3;","Habitat",2018,"Ecol","7",'
        '"1","10.1186/s13717-018-0129-5"\n'
        '"Smith J.","4;","Alone",2019,"Ecol","8","1",""\n',
        encoding="utf-8",
    )
    export = read_export(path)
    assert export.format == "CSV (Scopus)"
    assert list(export.records[col.AUTHORS]) == [
        "Little, A.R.; Mike Conner, L.; Chamberlain, M.J.",
        "Smith, J.",
    ]


def test_embase_csv_ids_from_its_openurl_and_pui_is_no_pmid(tmp_path):
    path = tmp_path / "embase.csv"
    link = "http://sfx.example.org/x?sid=EMBASE&id=doi:10.4103%2F2303-9027.1"
    path.write_text(
        "Title,Author Names,Source,PUI,Open URL Link\n"
        f'"Peer work","Liu R., Adler D.G.","J (2014) 3:3 (152-160)","600123456","{link}"\n'
        f'"Peer work 2","Liu R.","J (2015) 4:1 (1-9)","600123457","{link}&id=pmid:25485258"\n',
        encoding="utf-8",
    )
    df = read_records(path)
    assert list(df[col.DOI]) == ["10.4103/2303-9027.1"] * 2
    assert df[col.PMID].iloc[0] is pd.NA  # the PUI is Embase's own number
    assert df[col.PMID].iloc[1] == "25485258"
    assert df[col.AUTHORS].iloc[0] == "Liu, R.; Adler, D.G."


def test_wos_tab_delimited_quotes_nothing_and_names_its_database(tmp_path):
    header = "PT\tAU\tAF\tTI\tSO\tPY\tVL\tIS\tBP\tEP\tDI\tUT\tPM\n"
    rows = [
        # A title starting with a quotation mark: in quoted CSV it would swallow the
        # rest of the file into one cell.
        'J\tSmith, J\tSmith, Jane\t"Nothing about us without us": peer work\tPSYCHIATR SERV'
        "\t2019\t70\t9\t801\t809\t10.1176/appi.ps.1\tWOS:000123456700001\t\t\n",
        "J\tLee, K\tLee, Kim\tSecond\tJ MENT HEALTH\t2020\t29\t1\t1\t9\t\tMEDLINE:31234567\t\t\n",
    ]
    path = tmp_path / "savedrecs.txt"
    path.write_text(header + "".join(rows), encoding="utf-8-sig")
    export = read_export(path)
    df = export.records
    assert export.format == "CSV (Web of Science tab-delimited)"
    assert len(df) == 2
    assert df[col.TITLE].iloc[0] == '"Nothing about us without us": peer work'
    assert list(df[col.DATABASE]) == ["Web of Science", "MEDLINE (Web of Science)"]
    assert list(df[col.PAGES]) == ["801-809", "1-9"]
    assert list(df[col.PMID].fillna("")) == ["", "31234567"]
    assert df[col.AUTHORS].iloc[0] == "Smith, Jane"


def test_csv_empty_cells_after_the_last_column_are_no_error(tmp_path):
    path = tmp_path / "trailing.csv"
    path.write_text("title,doi\nFirst,10.1/a,,\n", encoding="utf-8")
    assert list(read_records(path)[col.TITLE]) == ["First"]


def test_generic_csv_never_splits_authors_on_commas(tmp_path):
    # A comma separates family and given names as often as it separates authors.
    path = tmp_path / "list.csv"
    path.write_text(
        "Title,Authors,Publication\n"
        '"One author","Rodriguez Portal, Jose Antonio","Thorax"\n'
        '"Two authors","Lee, Ann; Wu, Bo","Computer"\n',
        encoding="utf-8",
    )
    df = read_records(path)
    assert list(df[col.AUTHORS]) == ["Rodriguez Portal, Jose Antonio", "Lee, Ann; Wu, Bo"]
    assert list(df[col.JOURNAL]) == ["Thorax", "Computer"]


def test_ieee_xplore_csv(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        '"Document Title","Authors","Author Affiliations","Publication Title",'
        '"Publication Year","Volume","Issue","Start Page","End Page","Abstract","DOI"\n'
        '"Peer support apps","A. Lee; B. Wu","Univ","IEEE Access","2021","9","","1","12",'
        '"An abstract","10.1109/ACCESS.2021.1"\n',
        encoding="utf-8",
    )
    export = read_export(path)
    row = export.records.iloc[0]
    assert export.format == "CSV (IEEE Xplore)"
    assert (row[col.AUTHORS], row[col.JOURNAL], row[col.PAGES]) == (
        "Lee, A.; Wu, B.",
        "IEEE Access",
        "1-12",
    )
    assert (row[col.DOI], row[col.DATABASE]) == ("10.1109/access.2021.1", "IEEE Xplore")


def test_ovid_book_chapter_source_gives_no_journal(tmp_path):
    path = tmp_path / "ovid.txt"
    path.write_text(
        "<1. >\nDB  - BIOSIS Previews\nTI  - A chapter\n"
        "SO  - Kamp, Roza Maria [Editor, Reprint Author], Calvete, Juan J. [Editor]. "
        "Methods in proteome and protein analysis.:371-397, 2004.\n",
        encoding="utf-8",
    )
    assert read_records(path)[col.JOURNAL].iloc[0] is pd.NA


def test_scopus_authors_column_is_family_first(tmp_path):
    path = tmp_path / "scopus.csv"
    path.write_text(
        "Authors,Title,Year,Source title\n"
        '"Janko Wolfgang","One",2016,"J"\n'
        '"Janko Wolfgang, Yagai T.","Two",2016,"J"\n',
        encoding="utf-8",
    )
    df = read_records(path)
    assert list(df[col.AUTHORS]) == ["Janko, Wolfgang", "Janko, Wolfgang; Yagai, T."]


_NOTICE = (
    "Copyright of Journal of Gambling Studies is the property of Springer Nature and its "
    "content may not be copied or emailed to multiple sites or posted to a listserv without "
    "the copyright holder's express written permission. (Copyright applies to all Abstracts.)"
)


def test_ebsco_licence_notice_is_no_part_of_the_abstract(tmp_path):
    body = (
        "TY  - JOUR\nDP  - EBSCOhost\nDB  - psyh\nAB  - Peer work helps. [ABSTRACT FROM AUTHOR]\n"
        f"AB  - {_NOTICE}\nER  - \n\n"
        f"TY  - JOUR\nDP  - EBSCOhost\nDB  - psyh\nN2  - Peer work helps.\n{_NOTICE}\nER  - \n\n"
        f"TY  - JOUR\nDP  - EBSCOhost\nDB  - psyh\nAB  - {_NOTICE}\nER  - \n"
    )
    df = _ris(tmp_path, body)
    assert list(df[col.ABSTRACT].fillna("")) == [
        "Peer work helps. [ABSTRACT FROM AUTHOR]",
        "Peer work helps.",
        "",
    ]
    assert any(_NOTICE in value for _, value in _raw(df, 1))  # raw keeps the notice


def test_wos_medline_accession_number_gives_the_pmid(tmp_path):
    path = tmp_path / "medline_via_wos.txt"
    path.write_text(_WOS_HEAD + "PT J\nTI A\nUT MEDLINE:29782655\nER\n\nEF\n", encoding="utf-8")
    df = read_records(path)
    assert (df[col.PMID].iloc[0], df[col.DATABASE].iloc[0]) == (
        "29782655",
        "MEDLINE (Web of Science)",
    )
